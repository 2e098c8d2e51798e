#!/bin/sh
# Namespaces: the command runs in the target's namespaces (all that differ by default, or
# those listed), joined by type or by path; bad paths are refused.
. "$(dirname "$0")/../lib.sh"

# check_joined KIND: the command's namespaces, hostname and pid 1 are the container's.
check_joined() {
	rx "$(cfg "$CTR_PID")" -- sh -c "$NS_SCRIPT"
	is_rc 0 "$1: rtexec runs a command in the container"
	want=$(ns_links "$CTR_PID")
	for t in $NS_TYPES; do
		is "$(echo "$OUT" | grep "^$t ")" "$(echo "$want" | grep "^$t ")" \
			"$1: /proc/self/ns/$t of the command is the container's"
	done

	rx "$(cfg "$CTR_PID")" -- hostname
	is "$OUT" "$CTR_HOSTNAME" "$1: hostname is the container's"

	rx "$(cfg "$CTR_PID")" -- sh -c 'tr "\0" " " </proc/1/cmdline'
	is "$OUT" "$(tr '\0' ' ' <"/proc/$CTR_PID/cmdline")" \
		"$1: /proc/1/cmdline inside is the container's init"
	like "$OUT" "sleep $CTR_MARK*" "$1: ... which runs sleep $CTR_MARK"
}

# dry_run_types PID: the namespace types of the plan, sorted, one line.
dry_run_types() {
	rx "$(cfg "$1")" --dry-run -- true
	echo "$OUT" | jq -r '.namespaces[].type' 2>/dev/null |
		sed 's/^network$/net/; s/^mount$/mnt/' | sort | tr '\n' ' '
}

# differing PID: the namespace types in which PID differs from this shell, sorted.
differing() {
	for t in $NS_TYPES; do
		[ "$(readlink "/proc/$1/ns/$t")" != "$(readlink "/proc/self/ns/$t")" ] && echo "$t"
	done | sort | tr '\n' ' '
}

start_unshare_ctr || bail "cannot start an unshare container"
plain=$CTR_PID plain_host=$CTR_HOSTNAME plain_root=$CTR_ROOTFS
check_joined "unshare container"
is "$(dry_run_types "$plain")" "$(differing "$plain")" \
	"unshare container: the default plan lists the namespaces that differ"

start_unshare_ctr --user || bail "cannot start an unshare container with a user namespace"
check_joined "unshare --user container"
is "$(dry_run_types "$CTR_PID")" "$(differing "$CTR_PID")" \
	"unshare --user container: the default plan lists the namespaces that differ"
rx "$(cfg "$CTR_PID")" -- sh -c 'grep "^Uid:" /proc/self/status; cat /proc/self/uid_map'
like "$OUT" "Uid:	0	0	0	0*0 *0 *1" "unshare --user container: uid 0 through the container's uid map"

start_runc_ctr
case $? in
0)
	check_joined "runc container"
	is "$(dry_run_types "$CTR_PID")" "$(differing "$CTR_PID")" \
		"runc container: the default plan lists the namespaces that differ"
	;;
2) skip "runc container" "runc is not installed" ;;
*) fail "runc container starts" ;;
esac

# --- only the listed namespaces
host=$(ns_links $$)
want=$(ns_links "$plain")
pick() { echo "$1" | grep "^$2 "; }

rx "$(cfg "$plain" '"namespaces":["uts"]')" -- sh -c "$NS_SCRIPT; hostname"
is_rc 0 'namespaces ["uts"]: runs'
for t in $NS_TYPES; do
	if [ "$t" = uts ]; then
		is "$(pick "$OUT" "$t")" "$(pick "$want" "$t")" 'namespaces ["uts"]: uts is the container'"'"'s'
	else
		is "$(pick "$OUT" "$t")" "$(pick "$host" "$t")" 'namespaces ["uts"]: '"$t is rtexec's own"
	fi
done
is "$(echo "$OUT" | tail -n 1)" "$plain_host" 'namespaces ["uts"]: hostname is the container'"'"'s'

rx "$(cfg "$plain" '"namespaces":["network","ipc"]')" -- sh -c "$NS_SCRIPT"
is_rc 0 'namespaces ["network","ipc"]: runs'
is "$(pick "$OUT" net)" "$(pick "$want" net)" 'namespaces ["network","ipc"]: net is the container'"'"'s'
is "$(pick "$OUT" ipc)" "$(pick "$want" ipc)" 'namespaces ["network","ipc"]: ipc is the container'"'"'s'
is "$(pick "$OUT" mnt)" "$(pick "$host" mnt)" 'namespaces ["network","ipc"]: mnt is not joined'
is "$(pick "$OUT" uts)" "$(pick "$host" uts)" 'namespaces ["network","ipc"]: uts is not joined'

# (mnt alone would leave /proc/self unresolvable: the container's /proc is for its pid ns)
rx "$(cfg "$plain" '"namespaces":["net","mnt","pid"]')" -- sh -c "$NS_SCRIPT"
is_rc 0 'namespaces ["net","mnt","pid"] (aliases): runs'
is "$(pick "$OUT" net)" "$(pick "$want" net)" 'namespaces ["net","mnt","pid"]: net is the container'"'"'s'
is "$(pick "$OUT" mnt)" "$(pick "$want" mnt)" 'namespaces ["net","mnt","pid"]: mnt is the container'"'"'s'
is "$(pick "$OUT" pid)" "$(pick "$want" pid)" 'namespaces ["net","mnt","pid"]: pid is the container'"'"'s'
is "$(pick "$OUT" uts)" "$(pick "$host" uts)" 'namespaces ["net","mnt","pid"]: uts is not joined'

rx "$(cfg "$plain" '"namespaces":[{"type":"uts"}]')" -- sh -c "$NS_SCRIPT"
is_rc 0 'namespaces [{"type":"uts"}] (an object without path): runs'
is "$(pick "$OUT" uts)" "$(pick "$want" uts)" 'namespaces [{"type":"uts"}]: the target'"'"'s uts'
is "$(pick "$OUT" net)" "$(pick "$host" net)" 'namespaces [{"type":"uts"}]: net is not joined'

rx "$(cfg "$plain" '"namespaces":[]')" -- sh -c "$NS_SCRIPT"
is_rc 0 'namespaces []: runs'
is "$OUT" "$host" 'namespaces []: joins none (the command runs in rtexec'"'"'s namespaces)'

rx "$(cfg "$plain" '"namespaces":["uts","uts"]')" -- sh -c 'echo ran'
is_rc 125 'a namespace type given twice: 125'
err_one_line 'a namespace type given twice: one line'
rx "$(cfg "$plain" '"namespaces":["net","network"]')" -- sh -c 'echo ran'
is_rc 125 'a namespace type given twice under two names: 125'

# --- by path
rx "$(cfg "$plain" "\"namespaces\":[{\"type\":\"network\",\"path\":\"/proc/$plain/ns/net\"}]")" \
	-- sh -c "$NS_SCRIPT"
is_rc 0 'namespaces [{"type":"network","path":...}]: runs'
is "$(pick "$OUT" net)" "$(pick "$want" net)" 'namespace by path: net is the one of the path'
is "$(pick "$OUT" uts)" "$(pick "$host" uts)" 'namespace by path: uts is not joined'

# A bind mount of a namespace file, as /run/netns/NAME is (made in a private mount
# namespace, so that nothing stays mounted on the host even if this test is killed).
touch "$T/netns"
cfg "$plain" "\"namespaces\":[{\"type\":\"network\",\"path\":\"$T/netns\"},\"uts\"]" >"$T/netns.cfg"
# shellcheck disable=SC2016
unshare -m --propagation private sh -c 'mount --bind "/proc/$1/ns/net" "$2" && exec "$3" -f "$4" -- sh -c "$5"' \
	sh "$plain" "$T/netns" "$RTEXEC" "$T/netns.cfg" "$NS_SCRIPT" </dev/null >"$T/netns.out" 2>&1
RC=$? OUT=$(cat "$T/netns.out") ERR=
is_rc 0 'namespace by a bind-mounted path (as /run/netns/NAME): runs'
is "$(pick "$OUT" net)" "$(pick "$want" net)" 'namespace by bind-mounted path: net joined'
is "$(pick "$OUT" uts)" "$(pick "$want" uts)" 'namespace by bind-mounted path: uts joined too'

# The mount namespace by path: the command's HOME from that namespace's passwd, and the dry
# run's the same (it reads it through the target's root, the one root it can see)
sed -i 's|^root:x:0:0:root:/root:|root:x:0:0:root:/ctrhome:|' "$plain_root/etc/passwd"
mc=$(cfg "$plain" "\"namespaces\":[{\"type\":\"mount\",\"path\":\"/proc/$plain/ns/mnt\"}]")
rx "$mc" -- sh -c 'echo $HOME'
is "$RC/$OUT" "0//ctrhome" "mount namespace by path: HOME from its passwd"
rx "$mc" --dry-run -- true
like "$(echo "$OUT" | jq -c .process.env)" '*"HOME=/ctrhome"*' "mount namespace by path: the dry run says the same"
sed -i 's|^root:x:0:0:root:/ctrhome:|root:x:0:0:root:/root:|' "$plain_root/etc/passwd"

# --- bad paths
rx "$(cfg "$plain" "\"namespaces\":[{\"type\":\"network\",\"path\":\"/proc/$plain/ns/uts\"}]")" \
	-- sh -c 'echo ran'
is_rc 125 'namespace path of the wrong type: 125'
err_one_line 'namespace path of the wrong type: one line naming it' "*/proc/$plain/ns/uts*"
like "$ERR" "*network*" 'namespace path of the wrong type: the message says which type was wanted'
is "$OUT" "" 'namespace path of the wrong type: the command did not run'

rx "$(cfg "$plain" '"namespaces":[{"type":"uts","path":"/etc/passwd"}]')" -- sh -c 'echo ran'
is_rc 125 'namespace path that is not a namespace: 125'
err_one_line 'namespace path that is not a namespace: one line naming it' "*/etc/passwd*"
is "$OUT" "" 'namespace path that is not a namespace: the command did not run'

rx "$(cfg "$plain" "\"namespaces\":[{\"type\":\"uts\",\"path\":\"$T/no-such-ns\"}]")" -- sh -c 'echo ran'
is_rc 125 'namespace path that does not exist: 125'
err_one_line 'namespace path that does not exist: one line naming it' "*$T/no-such-ns*"

rx "$(cfg "$plain" '"namespaces":["bogus"]')" -- true
is_rc 125 'unknown namespace type: 125'
err_one_line 'unknown namespace type: one line naming it' '*bogus*'

# --- a target in rtexec's own namespaces: nothing to join, the command runs on the host.
sleep 600 &
hostsleep=$!
defer kill -9 "$hostsleep"
rx "$(cfg "$hostsleep")" -- sh -c "$NS_SCRIPT; hostname"
is_rc 0 'target in rtexec'"'"'s own namespaces: runs (joins none, not even its own user ns)'
is "$(echo "$OUT" | sed '$d')" "$(ns_links $$)" 'target in rtexec'"'"'s own namespaces: the command runs on the host'
is "$(echo "$OUT" | tail -n 1)" "$(hostname)" 'target in rtexec'"'"'s own namespaces: host hostname'
is "$(dry_run_types "$hostsleep")" "" 'target in rtexec'"'"'s own namespaces: the plan joins none'

# Explicitly listing a namespace the target shares with rtexec is not an error either.
rx "$(cfg "$hostsleep" '"namespaces":["user","uts"]')" -- true
is_rc 0 'listing namespaces rtexec is already in: runs'
