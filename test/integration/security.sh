#!/bin/sh
# Security: the joining child cannot be inspected from the container before exec; no host
# directory leaks in as the cwd (CVE-2024-21626); the command is the container's binary.
. "$(dirname "$0")/../lib.sh"

start_unshare_ctr --user || bail "cannot start an unshare --user container"
P=$CTR_PID
C=$(cfg "$P")

# inside CMD...: runs CMD as root of the container (all its namespaces, its user namespace
# included, so without the host's capabilities), as a process of the container would.
inside() {
	nsenter -t "$P" -a "$@"
}

# --- the child is not dumpable until exec (CVE-2016-9962): a process of the container,
# even its root, cannot read /proc/CHILD/exe, fd/N or environ of it. The child is held
# with strace right after its chdir, the last step before exec; the readers run as root
# of a user-namespace container whose root is the host's uid 0, so that only the dumpable
# flag stands in their way.
if command -v strace >/dev/null 2>&1; then
	printf '%s\n' "$C" >"$T/c.cfg"
	strace -f -qq -o "$T/held.log" -e trace=chdir -e inject=chdir:signal=SIGSTOP \
		"$RTEXEC" -f "$T/c.cfg" -- sh -c 'echo ran' </dev/null >"$T/held.out" 2>&1 &
	spid=$!
	defer kill -9 "$spid"
	held() {
		R=$(children "$spid")
		K=$(children "$R")
		[ -n "$K" ] && held_by_strace "$T/held.log" "$K"
	}
	if wait_for 10 held; then
		kpid=$(ns_pid_of "$K")
		is "$(readlink "/proc/$K/exe")" "/memfd:rtexec (deleted)" \
			"held child: still rtexec's sealed copy (before exec), seen from the host"
		ok "held child: in the container's pid namespace (pid $kpid there)" \
			[ "$(readlink "/proc/$K/ns/pid")" = "$(readlink "/proc/$P/ns/pid")" ]
		ok "held child: the container sees it in its /proc" inside test -e "/proc/$kpid/status"
		out=$(inside readlink "/proc/$kpid/exe" 2>&1)
		is "$out" "" "held child: the container cannot read its /proc/PID/exe"
		out=$(inside readlink "/proc/$kpid/fd/0" 2>&1)
		is "$out" "" "held child: the container cannot read its /proc/PID/fd/0"
		out=$(inside cat "/proc/$kpid/environ" 2>/dev/null | tr '\0' '\n' | head -n 3)
		is "$out" "" "held child: the container cannot read its /proc/PID/environ"
		ok "held child: the container cannot open its /proc/PID/mem" \
			eval "! inside sh -c 'exec 3</proc/$kpid/mem' 2>/dev/null"
		kill -CONT "$K"
		wait "$spid"
		is "$?/$(cat "$T/held.out")" "0/ran" "held child: once let go, it runs the command"
	else
		fail "could not hold rtexec's child before exec"
		kill -9 "$spid"
		wait "$spid"
	fi

	# Control: a child that joined the same way but is dumpable (nsenter's, held before
	# its exec) can be read by the container. Without this the checks above prove nothing.
	strace -f -qq -o /dev/null -e trace=execve -e inject=execve:delay_enter=3000000:when=2+ \
		nsenter -t "$P" -a true </dev/null >/dev/null 2>&1 &
	npid=$!
	defer kill -9 "$npid"
	nsenter_held() {
		N=$(children "$npid")
		K=$(children "$N")
		[ -n "$K" ] && [ "$(readlink "/proc/$K/exe")" = "$(command -v nsenter)" ] &&
			[ "$(readlink "/proc/$K/ns/pid")" = "$(readlink "/proc/$P/ns/pid")" ]
	}
	if wait_for 10 nsenter_held; then
		out=$(inside readlink "/proc/$(ns_pid_of "$K")/exe" 2>&1)
		is "$out" "$(command -v nsenter)" "control: a dumpable joined child can be read by the container"
	else
		skip "control: a dumpable joined child can be read" "could not hold nsenter's child"
	fi
	kill -9 "$npid"
	{ wait "$npid"; } 2>/dev/null
else
	skip "the child is not dumpable until exec" "strace is not installed"
fi

# --- CVE-2024-21626: a host directory fd of the caller must not become the cwd
mkdir -p "$T/hostdir"
echo "host secret" >"$T/hostdir/secret"
rx "$(cfg "$P" '"process":{"args":["sh","-c","pwd; cat secret"],"cwd":"/proc/self/fd/3"}')" 3<"$T/hostdir"
is_rc 125 "cwd /proc/self/fd/3, the caller's fd 3 a host directory, preserveFds 0: 125"
is "$OUT" "" "... the command did not run (no host cwd)"
err_one_line "... one line naming the cwd" "*/proc/self/fd/3*"

rx "$(cfg "$P" '"process":{"args":["sh","-c","pwd; cat secret"],"cwd":"/proc/self/fd/7"}')" 7<"$T/hostdir"
is_rc 125 "cwd /proc/self/fd/7, a host directory fd not preserved: 125"
is "$OUT" "" "... the command did not run"

rx "$(cfg "$P" '"preserveFds":1,"process":{"args":["sh","-c","pwd; cat secret"],"cwd":"/proc/self/fd/3"}')" \
	3<"$T/hostdir"
is_rc 125 "cwd /proc/self/fd/3, fd 3 a preserved host directory: 125"
is "$OUT" "" "... the command did not run (no host cwd)"
err_one_line "... one line saying it is outside the container" "*outside the container*"

# A preserved host directory fd itself is the caller's explicit choice; the cwd is not.
rx "$(cfg "$P" '"preserveFds":1,"process":{"args":["sh","-c","pwd; ls /proc/self/fd/3/"]}')" \
	3<"$T/hostdir"
is "$RC/$OUT" "0//
secret" "preserveFds 1 with a host directory, default cwd: cwd is / (the container's)"

# --- the command is the container's binary, not rtexec
rx "$C" -- sh -c 'readlink /proc/$$/exe; stat -L -c %d:%i /proc/$$/exe'
is "$(echo "$OUT" | head -n 1)" "/bin/busybox" "/proc/self/exe of the command is /bin/busybox of the container"
is "$(echo "$OUT" | tail -n 1)" "$(stat -c %d:%i "$CTR_ROOTFS/bin/busybox")" \
	"... the container's file (same device and inode), not the host's or rtexec"
ok "... and not rtexec's" [ "$(echo "$OUT" | tail -n 1)" != "$(stat -L -c %d:%i "$RTEXEC")" ]

rx "$C" -- sh -c 'sed -n "s/^PPid:[[:space:]]*//p" /proc/$$/status'
is "$OUT" 0 "the command's parent (rtexec) is outside the container's pid namespace"

# --- the container's /etc/passwd pointed at a file of the kernel's: /proc/kmsg, which the
# container's root may not read (no CAP_SYSLOG). rtexec looks HOME up with the host's
# privileges (the child before it drops them; the dry run always) and must not read it: a
# read consumes the host's kernel log. HOME falls back to "/".
if command -v strace >/dev/null 2>&1 && start_runc_ctr; then
	ln -sf /proc/kmsg "$CTR_ROOTFS/etc/passwd"
	printf '%s\n' "$(cfg "$CTR_PID")" >"$T/kmsg.json"
	# (runc exec itself reads /etc/passwd: the precondition goes through rtexec's command)
	RX_TIMEOUT=10 rx "$(cfg "$CTR_PID")" -- cat /etc/passwd
	like "$OUT$ERR" "*Operation not permitted*" \
		"passwd -> /proc/kmsg: the container's root may not read it (precondition)"
	strace -f -qq -y -e trace=read -o "$T/kmsg.log" "$RTEXEC" -f "$T/kmsg.json" -- \
		sh -c 'echo HOME=$HOME' >"$T/kmsg.out" 2>&1
	is "$(cat "$T/kmsg.out")" "HOME=/" "passwd -> /proc/kmsg: HOME is /"
	is "$(grep -c 'kmsg>' "$T/kmsg.log")" 0 "passwd -> /proc/kmsg: never read by the child"
	strace -f -qq -y -e trace=read -o "$T/kmsg.log" "$RTEXEC" -f "$T/kmsg.json" --dry-run \
		-- true >"$T/kmsg.out" 2>&1
	like "$(jq -c .process.env "$T/kmsg.out")" '*"HOME=/"*' "passwd -> /proc/kmsg: the dry run says HOME=/"
	is "$(grep -c 'kmsg>' "$T/kmsg.log")" 0 "passwd -> /proc/kmsg: never read by the dry run"
	# A device node as /etc/passwd (a container with CAP_MKNOD can make one): the dry run,
	# host root outside the container's device cgroup, must not even open it (opening a
	# watchdog or a serial port has effects): O_PATH only.
	rm -f "$CTR_ROOTFS/etc/passwd"
	mknod "$CTR_ROOTFS/etc/passwd" c 1 11
	strace -f -qq -y -e trace=openat,openat2 -o "$T/dev.log" "$RTEXEC" -f "$T/kmsg.json" \
		--dry-run -- true >"$T/dev.out" 2>&1
	like "$(jq -c .process.env "$T/dev.out")" '*"HOME=/"*' "passwd a device: the dry run says HOME=/"
	is "$(grep 'etc/passwd' "$T/dev.log" | grep -v O_PATH | grep -c '= [0-9]')" 0 \
		"passwd a device: the dry run opens it O_PATH only"
	ok "... and it did look (O_PATH)" grep -q 'etc/passwd.*O_PATH' "$T/dev.log"
fi

# --- the child is visible in the container's pid namespace from its birth; /proc/CHILD/
# mountinfo, net/ and cmdline need no ptrace access. A process of the container (root of a
# runc container, no user namespace) finds the child held at its very first step (strace
# delays its first prctl 1.5 s: the one process there, besides the init and the spy's own,
# whose parent is outside) and reads them: it must see its own container's mounts and
# network, never the host's (the child was born in the host's and joined the container's
# later), and not rtexec's arguments (host paths, a runtime's ids).
if command -v strace >/dev/null 2>&1 && start_runc_ctr; then
	printf '%s\n' "$(cfg "$CTR_PID")" >"$T/born.json"
	strace -f -qq -o /dev/null -e trace=prctl -e inject=prctl:delay_enter=1500000:when=1 \
		"$RTEXEC" -f "$T/born.json" -- true >/dev/null 2>&1 &
	spid=$!
	defer "kill -9 $spid"
	# shellcheck disable=SC2016
	spy='for d in /proc/[0-9]*; do p=${d#/proc/}; [ "$p" = 1 ] || [ "$p" = $$ ] && continue
		[ "$(sed -n "s/^PPid:[[:space:]]*//p" "$d/status" 2>/dev/null)" = 0 ] || continue
		m=$(cat "$d/mountinfo"); n=$(cut -d: -f1 "$d/net/dev"); c=$(tr -d "\0" <"$d/cmdline")
		[ -n "$m" ] || continue
		[ "$m" = "$(cat /proc/1/mountinfo)" ] && echo "mounts: the container'"'"'s" ||
			echo "mounts: OTHER ($(echo "$m" | wc -l) lines)"
		[ "$n" = "$(cut -d: -f1 /proc/1/net/dev)" ] && echo "network: the container'"'"'s" ||
			echo "network: OTHER:" $n
		echo "cmdline: $c"
		exit 0; done; exit 1'
	# (rtexec's own first prctl is held too: the child comes after 1.5 s)
	seen=
	i=0
	while [ $i -lt 60 ] && ! seen=$(runc exec "$CTR_ID" sh -c "$spy"); do
		i=$((i + 1))
		sleep 0.05
	done
	is "$seen" "mounts: the container's
network: the container's
cmdline: rtexec" \
		"the child at its first step, seen from the container: its mounts and network, not the host's; no arguments"
	wait "$spid"
	is "$?" 0 "... and the join goes on"
fi

# --- a container allowed to ptrace (CAP_SYS_PTRACE in the host's user namespace: no user
# namespace of its own, its root the host's) takes the fds of rtexec's child with pidfd_getfd
# and opens host files through them. The child held the parent's way back (the host's root,
# the caller's cwd, its mount namespace), the host's /proc (whose 1/root is the host's root)
# the target's /proc/PID (../PID/root of any host process) and the pid file's directory until
# its last step; it now drops them first. Its init
# (test/helpers/fdgrab) grabs every new process 300 ms after it appears, while strace holds
# the child 1.5 s at its setns into the user and cgroup namespaces (the parent's first setns
# is held too). What a container with that capability can still do: win the race for the
# child's first instructions, or inject code into it (as into runc init): README, Security.
musl-gcc -static -O2 -o "$T/fdgrab" "$REPO/test/helpers/fdgrab.c" || bail "cannot build test/helpers/fdgrab.c"
if command -v strace >/dev/null 2>&1; then
	: >"$T/hostmarker"
	mkdir -p "$T/pids"
	rel=${T#/}
	fdgrab_setup() {
		cp "$T/fdgrab" "$1/fdgrab"
	}
	# Through the host's root, the host's /proc, a /proc/PID directory (../PID/root: this
	# shell's root is the host's), the pid file's directory.
	CTR_SETUP=fdgrab_setup CTR_INIT_PREFIX="/fdgrab 300 /grab.out $rel/hostmarker $$/root/$rel/hostmarker ../$$/root/$rel/hostmarker ../hostmarker --" \
		start_unshare_ctr || bail "cannot start a container with fdgrab"
	gp=$CTR_PID
	printf '%s\n' "$(cfg "$gp")" >"$T/grab.json"
	i=0
	while [ $i -lt 3 ]; do
		i=$((i + 1))
		timeout -k 5 30 strace -f -qq -o /dev/null -e trace=setns -e inject=setns:delay_enter=1500000:when=1 \
			"$RTEXEC" --pid-file "$T/pids/x.pid" -f "$T/grab.json" -- true >/dev/null 2>&1
	done
	ok "fdgrab: the container's grabber runs (precondition)" [ -n "$(children "$gp")" ]
	is "$(cat "$CTR_ROOTFS/grab.out" 2>/dev/null)" "" \
		"a container with CAP_SYS_PTRACE taking the child's fds (3 joins): no host file reached through them"
fi

# --- the container's /etc/passwd, read for HOME, points at a file of the host's root of mode
# 0600 that the container can see (here in its rootfs), which its own root may not read: in
# a user namespace that maps the host's root to nobody, rtexec's child, still the host's uid
# 0 before its switch of user, read it all the same and put field 6 of the line of uid 1000
# into the command's HOME. It now reads it as the container's root.
start_mapped_ctr || bail "cannot start a container with shifted ids"
sp=$CTR_PID
printf 'u:x:1000:1000::/secret-home:/bin/sh\n' >"$CTR_ROOTFS/secret"
chmod 600 "$CTR_ROOTFS/secret"
ln -sf /secret "$CTR_ROOTFS/etc/passwd"
ok "shifted ids: the container's root may not read /secret (precondition)" \
	sh -c "! nsenter -t $sp -a cat /secret >/dev/null 2>&1"
rx "$(cfg "$sp" '"process":{"user":{"uid":1000,"gid":1000}}')" -- sh -c 'echo "$HOME"'
is_rc 0 "shifted ids, passwd a host-root file of mode 0600: the command runs"
ok "... its HOME is not read from that file ($OUT)" [ "$OUT" != /secret-home ]

# --- what the caller holds beyond its credentials never reaches the command: its session
# keyring (the host's keys), its session and process group, its supplementary groups. The
# container: a user namespace that maps its root to the host's (setgroups "deny", as
# unshare -r and rootless runtimes leave it), so its root may signal host root's processes.
musl-gcc -static -O2 -o "$T/keyring" "$REPO/test/helpers/keyring.c" || bail "cannot build test/helpers/keyring.c"
start_unshare_ctr --user || bail "cannot start an unshare --user container"
kp=$CTR_PID
kc=$(cfg "$kp")
cp "$T/keyring" "$CTR_ROOTFS/keyring"
if "$T/keyring" plant rtexec-secret hunter2 "$T/keyring" find rtexec-secret >"$T/key.pre" 2>&1 &&
	[ "$(cat "$T/key.pre")" = hunter2 ]; then
	"$T/keyring" plant rtexec-secret hunter2 sh -c 'printf "%s\n" "$1" | "$2" -- /keyring find rtexec-secret' \
		sh "$kc" "$RTEXEC" >"$T/key.out" 2>&1
	is "$?/$(cat "$T/key.out")" "0/none" \
		"a key in the caller's session keyring: the command cannot find it (a session keyring of its own)"
	"$T/keyring" plant rtexec-secret hunter2 sh -c 'printf "%s\n" "$1" | "$2" -- /keyring name' \
		sh "$kc" "$RTEXEC" >"$T/key.out" 2>&1
	is "$?/$(cat "$T/key.out")" "0/_ses" "... a new anonymous one"
else
	skip_limit "the caller's session keyring" "no session keyrings here: $(cat "$T/key.pre")"
fi

rx "$kc" -- sh -c 'echo $$ $(cut -d" " -f5,6 /proc/self/stat)'
set -- $OUT
is "$RC/${2:-}/${3:-}" "0/$1/$1" "the command leads a session and process group of its own (as from runc)"
# The attack: kill 0 from the container reached the caller's whole process group.
setsid sh -c 'sleep 300 & echo $! >"$1/grp.sleep"; printf "%s\n" "$2" | "$3" -- sh -c "kill -TERM 0"; echo survived' \
	sh "$T" "$kc" "$RTEXEC" >"$T/grp.out" 2>&1
gs=$(cat "$T/grp.sleep")
is "$(cat "$T/grp.out")" survived "the command's kill 0: the caller's shell survives"
ok "... and so does another process of the caller's group" kill -0 "$gs"
kill "$gs" 2>/dev/null

# The caller's groups: the namespace's setgroups is "deny", so the child drops them while
# still the host's root. A host file of an unmapped owner, readable by group disk alone.
echo disk-secret >"$CTR_ROOTFS/grpsecret"
chown 12345:6 "$CTR_ROOTFS/grpsecret" && chmod 040 "$CTR_ROOTFS/grpsecret"
is "$(cat "/proc/$kp/setgroups")" deny "the container's setgroups is deny (precondition)"
printf '%s\n' "$kc" | setpriv --groups 6 "$RTEXEC" -- sh -c 'grep "^Groups:" /proc/self/status; cat /grpsecret' \
	>"$T/grp.out" 2>&1
like "$(cat "$T/grp.out")" "Groups:*cat: can't open '/grpsecret': Permission denied" \
	"a caller in group disk: the command has no supplementary group and cannot read a file of that group"
ok "... (the caller's group does read it: precondition)" \
	sh -c 'setpriv --groups 6 --reuid 12346 cat "$1" >/dev/null' sh "$CTR_ROOTFS/grpsecret"
is "$(grep '^Groups:' "$T/grp.out" | tr -d ' \t')" "Groups:" "... no group at all"

# --- the dry run reads the container's passwd itself, as host root: a FUSE file system the
# container serves there and never answers held it for ever (a process waiting for a taken
# request cannot be interrupted, not even by SIGKILL). The lookup now has 2 s of a process
# of its own. test/helpers/fusehang, mounted on the container's /etc from inside its mount
# namespace, answers nothing.
musl-gcc -static -O2 -isystem "$REPO/build/uapi" -o "$CTR_ROOTFS/fusehang" "$REPO/test/helpers/fusehang.c" ||
	bail "cannot build test/helpers/fusehang.c"
if [ -c /dev/fuse ]; then
	nsenter -t "$kp" -m -r /fusehang /etc 3 3<>/dev/fuse >"$T/fuse.out" 2>&1 &
	fp=$!
	defer kill -9 "$fp"
	if wait_for 5 grep -q ready "$T/fuse.out"; then
		s0=$(date +%s)
		# Read through a pipe, as a caller does ($(...)): the lookup process left behind
		# must not hold it (the caller waited for its end until the FUSE server went).
		plan=$(printf '%s\n' "$kc" | timeout -k 2 20 "$RTEXEC" --dry-run -- true 2>"$T/fuse.err" |
			timeout 15 cat)
		is "$?/$(printf '%s\n' "$plan" | jq -c '.process.env' | grep -o '"HOME=[^"]*"')" '0/"HOME=/"' \
			"passwd on a FUSE server that never answers: the dry run ends, HOME shown as /"
		ok "... its output read to the end within 10 s ($(($(date +%s) - s0)) s)" [ $(($(date +%s) - s0)) -lt 10 ]
		like "$(cat "$T/fuse.err")" "*passwd did not answer within 2000 ms*" "... and says why"
	else
		fail "fusehang mounted on the container's /etc (precondition): $(cat "$T/fuse.out")"
	fi
	kill -9 "$fp"
	wait "$fp" 2>/dev/null
	# Its server gone, the kernel fails the waiting lookup: nothing of rtexec stays.
	wait_for 5 eval '[ -z "$(leftovers)" ]'
	no_leftovers "the FUSE server gone: no lookup process left" "$kp"
else
	skip_limit "a dry run against a FUSE passwd" "no /dev/fuse here"
fi
