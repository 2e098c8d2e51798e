#!/bin/sh
# The OCI process attributes, read by the command itself (/proc/self/limits, /proc/self/status,
# /proc/self/oom_score_adj, ionice) or from the host: rlimits (every type, unlimited, exact
# values beyond 2^53, raising and lowering), capabilities (each set), noNewPrivileges,
# oomScoreAdj, ioPriority, apparmorProfile/selinuxLabel, terminal, user (uid, additionalGids,
# umask); each alone and all together, in a runc container, an unshare --user container (only
# root mapped) and a user-namespace container with a shifted map (0 -> host 100000); the
# --dry-run plan; bad values (125, one line with the JSON path); nothing left behind after a
# failure.
. "$(dirname "$0")/../lib.sh"

UNLIMITED=18446744073709551615
LAST_CAP=$(cat /proc/sys/kernel/cap_last_cap)
ALL_CAPS=$(printf '%016x' $(((1 << (LAST_CAP + 1)) - 1)))

# ---------------------------------------------------------------- helpers

# hexmask BIT...: the /proc/PID/status rendering of a capability set.
hexmask() {
	_m=0
	for _b in "$@"; do
		_m=$((_m | (1 << _b)))
	done
	printf '%016x' "$_m"
}

# lim TEXT NAME: "soft hard" of the line NAME ("Max open files") of a /proc/PID/limits text.
lim() {
	printf '%s\n' "$1" | awk -v n="$2" '{ k = substr($0, 1, 25); sub(/ +$/, "", k) }
		k == n { s = substr($0, 27, 20); h = substr($0, 48, 20); gsub(/ /, "", s)
			 gsub(/ /, "", h); print s, h }'
}
# field NAME: the value of "NAME:" in the command's output ($OUT), whitespace squeezed.
field() {
	printf '%s\n' "$OUT" | sed -n "s/^$1:[[:space:]]*//p" | sed 's/[[:space:]]\{1,\}/ /g; s/ $//'
}
# The test shell's view: rtexec inherits its limits, oom_score_adj, capabilities.
CALLER_LIMITS=$(cat /proc/$$/limits)
caller_hard() {
	lim "$CALLER_LIMITS" "$1" | cut -d' ' -f2
}
caller_status() {
	sed -n "s/^$1:[[:space:]]*//p" /proc/$$/status
}
CALLER_OOM=$(cat /proc/$$/oom_score_adj)
CALLER_CAPEFF=$(caller_status CapEff)
has_sys_resource() { # CapEff bit 24 of the test shell
	[ $((0x$CALLER_CAPEFF >> 24 & 1)) = 1 ]
}
NO_SYS_RESOURCE="the test runner lacks CAP_SYS_RESOURCE (CapEff $CALLER_CAPEFF, bit 24 clear)"

# wrapper NAME SHELL-LINES: an rtexec that runs SHELL-LINES first (e.g. to lower a limit of
# the caller); it execs the real binary, so leftovers() still recognises it.
wrapper() {
	printf '#!/bin/sh\n%s\nexec "%s" "$@"\n' "$2" "$RTEXEC" >"$T/$1"
	chmod +x "$T/$1"
	echo "$T/$1"
}

# A script in each container that shows what the command sees.
# shellcheck disable=SC2016
SHOW='cat /proc/self/limits
grep -E "^(Uid|Gid|Groups|Umask|Cap[A-Za-z]+|NoNewPrivs):" /proc/self/status
echo "oom_score_adj: $(cat /proc/self/oom_score_adj)"
echo "ionice: $(ionice 2>&1)"'
IONICE_INSIDE=
"$BUSYBOX" --list | grep -qx ionice && IONICE_INSIDE=1

# show PROCESS-MEMBERS [TOP-MEMBERS] [RTEXEC-ARG]...: runs /show in container $P.
show() {
	_pm=$1 _tm=${2:-}
	shift
	[ $# -gt 0 ] && shift
	rx "$(cfg "$P" "${_tm:+$_tm,}\"process\":{\"args\":[\"sh\",\"/show\"]$_pm}")" "$@"
}

# host_view PROCESS-MEMBERS CMD...: starts "sleep 30" in container $P with the members, runs
# CMD PID on the host (PID from the pid file), then kills the command. rtexec stays in the
# foreground, so it reaps it.
host_view() {
	_pm=$1
	shift
	rm -f "$T/hv.pid"
	cfg "$P" "\"pidFile\":\"$T/hv.pid\",\"process\":{\"args\":[\"sleep\",\"30\"]$_pm}" |
		"$RTEXEC" >"$T/hv.out" 2>&1 &
	_hv=$!
	if wait_for 10 test -s "$T/hv.pid"; then
		"$@" "$(cat "$T/hv.pid")"
		kill -9 "$(cat "$T/hv.pid")"
	fi
	wait "$_hv"
	cat "$T/hv.out"
}
host_ionice() {
	ionice -p "$1"
}
host_ids() {
	sed -n 's/^\(Uid\|Gid\):[[:space:]]*//p' "/proc/$1/status" | sed 's/[[:space:]]\{1,\}/ /g'
}

# io_of PROCESS-MEMBERS: the I/O priority the command sees (busybox ionice inside, or
# util-linux ionice -p from the host where the container's busybox lacks it).
io_of() {
	if [ -n "$IONICE_INSIDE" ]; then
		show "$1"
		field ionice
	else
		host_view "$1" host_ionice
	fi
}

# noglob GLOB: GLOB with [ and ] matching themselves (JSON paths have indexes).
noglob() {
	printf '%s' "$1" | sed 's/[][]/\\&/g'
}

# failed NAME GLOB: the run just done failed cleanly: 125, one line matching GLOB, no
# rtexec process and nothing but the init in the container, no pid file (not even a
# temporary one) in $T/pf.
failed() {
	is_rc 125 "$1: 125"
	err_one_line "$1: one line on stderr" "$(noglob "$2")"
	no_leftovers "$1: nothing left running" "$P"
	is "$(ls -A "$T/pf")" "" "$1: no pid file left behind"
}
mkdir -p "$T/pf"
PF="\"pidFile\":\"$T/pf/exec.pid\""

# ---------------------------------------------------------------- every RLIMIT_* type

# TYPE|/proc/PID/limits name|soft|hard wanted (lowered to the caller's hard limit where
# that is lower: only a privileged caller may raise a hard limit).
RLIMIT_TABLE='RLIMIT_CPU|Max cpu time|3600|7200
RLIMIT_FSIZE|Max file size|1073741824|2147483648
RLIMIT_DATA|Max data size|1073741824|2147483648
RLIMIT_STACK|Max stack size|8388608|16777216
RLIMIT_CORE|Max core file size|0|1048576
RLIMIT_RSS|Max resident set|1073741824|2147483648
RLIMIT_NPROC|Max processes|4000|5000
RLIMIT_NOFILE|Max open files|512|1000
RLIMIT_MEMLOCK|Max locked memory|65536|131072
RLIMIT_AS|Max address space|2147483648|4294967296
RLIMIT_LOCKS|Max file locks|100|200
RLIMIT_SIGPENDING|Max pending signals|1000|2000
RLIMIT_MSGQUEUE|Max msgqueue size|8192|16384
RLIMIT_NICE|Max nice priority|5|10
RLIMIT_RTPRIO|Max realtime priority|5|10
RLIMIT_RTTIME|Max realtime timeout|500000|1000000'

fit() { # WANT LIMIT: the smaller ("unlimited" is the largest)
	if [ "$2" = unlimited ] || [ "$1" -le "$2" ]; then echo "$1"; else echo "$2"; fi
}
ALL_RLIMITS=
ALL_WANT=
while IFS='|' read -r type name soft hard; do
	hard=$(fit "$hard" "$(caller_hard "$name")")
	soft=$(fit "$soft" "$hard")
	ALL_RLIMITS="$ALL_RLIMITS${ALL_RLIMITS:+,}{\"type\":\"$type\",\"soft\":$soft,\"hard\":$hard}"
	ALL_WANT="$ALL_WANT$name: $soft $hard
"
done <<EOF
$RLIMIT_TABLE
EOF
ALL_WANT=$(printf '%s' "$ALL_WANT")
all_limits_seen() { # the lines of every type in $OUT, as "name: soft hard"
	printf '%s\n' "$RLIMIT_TABLE" | while IFS='|' read -r _t _n _s _h; do
		echo "$_n: $(lim "$OUT" "$_n")"
	done
}

# ---------------------------------------------------------------- per container

# attrs_alone KIND: each attribute alone, then all together, in container $P.
attrs_alone() {
	k=$1

	# --- nothing given: the container decides (its init's), never the caller
	show ''
	is "$RC" 0 "$k: a plain command runs"
	is "$(lim "$OUT" "Max open files")" "$(lim "$(cat "/proc/$P/limits")" "Max open files")" \
		"$k: no rlimits: RLIMIT_NOFILE is the container init's"
	is "$(field NoNewPrivs)" "$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "/proc/$P/status")" \
		"$k: no noNewPrivileges: the init's"
	is "$(field oom_score_adj)" "$(cat "/proc/$P/oom_score_adj")" "$k: no oomScoreAdj: the init's"
	[ -n "$IONICE_INSIDE" ] &&
		is "$(field ionice)" "$("$BUSYBOX" ionice)" "$k: no ioPriority: the caller's"
	is "$(field Umask)" 0022 "$k: no umask: 0022"

	# --- rlimits
	show ",\"rlimits\":[$ALL_RLIMITS]"
	is_rc 0 "$k: all 16 rlimit types at once"
	is "$(all_limits_seen)" "$ALL_WANT" "$k: every RLIMIT_* type: soft and hard exactly as given"

	# RLIMIT_CORE: only a core dump reads it (RLIMIT_FSIZE would turn a value >= 2^63
	# negative in the kernel's write checks and kill the command with SIGXFSZ).
	if [ "$(caller_hard "Max core file size")" = unlimited ]; then
		show ",\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":1152921504606846976,\"hard\":$UNLIMITED}]"
		is "$RC $(lim "$OUT" "Max core file size")" "0 1152921504606846976 unlimited" \
			"$k: RLIMIT_CORE soft 2^60 exactly, hard 18446744073709551615 = unlimited"
		show ",\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":18446744073709549568,\"hard\":$UNLIMITED}]"
		is "$RC $(lim "$OUT" "Max core file size")" "0 18446744073709549568 unlimited" \
			"$k: RLIMIT_CORE soft 2^64-2048 is a number, not unlimited"
		show ",\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":$UNLIMITED,\"hard\":$UNLIMITED}]"
		is "$RC $(lim "$OUT" "Max core file size")" "0 unlimited unlimited" \
			"$k: RLIMIT_CORE unlimited, unlimited"
	else
		skip_limit "$k: RLIMIT_CORE 2^60, 2^64-2048 and unlimited" \
			"the caller's RLIMIT_CORE hard limit is not unlimited"
	fi
	show ",\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":9007199254740994,\"hard\":9007199254740995}]"
	is "$RC" 125 "$k: RLIMIT_CORE hard 2^53+3 (not a double): refused"
	err_one_line "$k: ... naming the path and the number" \
		"$(noglob "config: process.rlimits[0].hard: 9007199254740995 *")"

	# Lowering a hard limit below the caller's needs no privilege, in any namespace.
	nofile_hard=$(caller_hard "Max open files")
	[ "$nofile_hard" = unlimited ] && nofile_hard=1048576
	low=$((nofile_hard / 2))
	show ",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":$((low / 2)),\"hard\":$low}]"
	is "$(lim "$OUT" "Max open files")" "$((low / 2)) $low" \
		"$k: RLIMIT_NOFILE hard lowered below the caller's ($nofile_hard -> $low)"

	# A soft limit raised up to the hard one needs no privilege either.
	RTEXEC=$(wrapper lowsoft "ulimit -Sn 64") show \
		",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":$nofile_hard,\"hard\":$nofile_hard}]"
	is "$(lim "$OUT" "Max open files")" "$nofile_hard $nofile_hard" \
		"$k: caller's soft RLIMIT_NOFILE 64: raised to the hard limit $nofile_hard"

	# A hard limit above the caller's: set with the host's privileges, before the user
	# namespace is entered.
	up=$((nofile_hard + 1000))
	up_cfg=",\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":0,\"hard\":0},{\"type\":\"RLIMIT_NOFILE\",\"soft\":$up,\"hard\":$up}]"
	if has_sys_resource; then
		show "$up_cfg"
		is "$(lim "$OUT" "Max open files")" "$up $up" \
			"$k: RLIMIT_NOFILE hard raised above the caller's ($nofile_hard -> $up)"
	else
		skip_limit "$k: RLIMIT_NOFILE hard raised above the caller's" "$NO_SYS_RESOURCE"
		show "$up_cfg" "$PF"
		failed "$k: hard limit above the caller's without CAP_SYS_RESOURCE" \
			"set RLIMIT_NOFILE soft $up hard $up: Operation not permitted"
	fi

	# --- noNewPrivileges
	show ',"noNewPrivileges":true'
	is "$(field NoNewPrivs)" 1 "$k: noNewPrivileges true: NoNewPrivs 1"
	show ',"noNewPrivileges":false'
	is "$(field NoNewPrivs)" 0 "$k: noNewPrivileges false: NoNewPrivs 0"

	# --- oomScoreAdj
	show ',"oomScoreAdj":500'
	is "$(field oom_score_adj)" 500 "$k: oomScoreAdj 500"
	show ',"oomScoreAdj":1000'
	is "$(field oom_score_adj)" 1000 "$k: oomScoreAdj 1000"
	RTEXEC=$(wrapper oom7 "echo 7 >/proc/self/oom_score_adj") show ''
	is "$(field oom_score_adj)" "$(cat "/proc/$P/oom_score_adj")" \
		"$k: no oomScoreAdj, caller at 7: the init's, not the caller's"
	RTEXEC=$(wrapper oom7 "echo 7 >/proc/self/oom_score_adj") show ',"oomScoreAdj":0'
	is "$(field oom_score_adj)" 0 "$k: oomScoreAdj 0, caller at 7: 0 (written)"
	if has_sys_resource; then
		show ',"oomScoreAdj":-500'
		is "$(field oom_score_adj)" -500 "$k: oomScoreAdj -500"
	else
		skip_limit "$k: negative oomScoreAdj" "$NO_SYS_RESOURCE"
		show ',"oomScoreAdj":-500' "$PF"
		failed "$k: oomScoreAdj -500 without CAP_SYS_RESOURCE" \
			"oom_score_adj: write /proc/self/oom_score_adj: *"
	fi

	# --- ioPriority (the RT class needs the host's CAP_SYS_ADMIN or CAP_SYS_NICE: set before
	# the user namespace is entered)
	is "$(io_of ',"ioPriority":{"class":"IOPRIO_CLASS_RT","priority":3}')" "realtime: prio 3" \
		"$k: ioPriority RT 3"
	is "$(io_of ',"ioPriority":{"class":"IOPRIO_CLASS_BE","priority":7}')" "best-effort: prio 7" \
		"$k: ioPriority BE 7"
	is "$(io_of ',"ioPriority":{"class":"IOPRIO_CLASS_BE"}')" "best-effort: prio 0" \
		"$k: ioPriority BE without priority: 0"
	is "$(io_of ',"ioPriority":{"class":"IOPRIO_CLASS_IDLE","priority":0}')" "idle" \
		"$k: ioPriority IDLE"
	if command -v ionice >/dev/null 2>&1; then
		got=$(host_view ',"ioPriority":{"class":"IOPRIO_CLASS_RT","priority":5}' host_ionice)
		is "$got" "realtime: prio 5" "$k: ioPriority RT 5, seen from the host (ionice -p)"
	else
		skip "$k: ioPriority seen from the host" "ionice is not installed on the host"
	fi

	# --- capabilities, as root of the container: after exec the kernel makes the permitted
	# and effective sets bounding | inheritable (root's exec rule)
	B='"CAP_CHOWN","CAP_KILL","CAP_NET_BIND_SERVICE","CAP_NET_RAW","CAP_SYS_CHROOT"'
	BM=$(hexmask 0 5 10 13 18)
	# (noNewPrivileges false: with the init's NoNewPrivs the exec could not gain them)
	show ",\"capabilities\":{\"bounding\":[$B]},\"noNewPrivileges\":false"
	is "$RC $(field CapBnd) $(field CapPrm) $(field CapEff) $(field CapInh) $(field CapAmb)" \
		"0 $BM $BM $BM $(hexmask) $(hexmask)" \
		"$k: bounding alone: CapBnd exact, permitted/effective = bounding, no inheritable/ambient"
	show ",\"capabilities\":{\"bounding\":[$B],\"effective\":[$B],\"permitted\":[$B],\"inheritable\":[\"CAP_KILL\",\"CAP_NET_RAW\"],\"ambient\":[\"CAP_KILL\"]}"
	is "$RC $(field CapBnd) $(field CapPrm) $(field CapEff) $(field CapInh) $(field CapAmb)" \
		"0 $BM $BM $BM $(hexmask 5 13) $(hexmask 5)" \
		"$k: all five sets as root: CapBnd, CapInh, CapAmb exact"
	show ',"capabilities":{}'
	is "$RC $(field CapBnd) $(field CapPrm) $(field CapEff) $(field CapInh) $(field CapAmb)" \
		"0 $(hexmask) $(hexmask) $(hexmask) $(hexmask) $(hexmask)" \
		"$k: capabilities {}: every set empty"
	show ''
	is "$(field CapBnd)" "$CAPBND_DEFAULT" "$k: no capabilities: the container init's bounding set ($CAPBND_DEFAULT), as runc exec"

	show ",\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_FOO\"]}"
	is "$RC $(field CapBnd)" "0 $(hexmask 5)" "$k: unknown capability CAP_FOO: runs, CAP_KILL kept"
	err_one_line "$k: ... one warning naming it" \
		"$(noglob 'warning: process.capabilities.bounding[1]: unknown capability "CAP_FOO"*')"
	show ",\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_FOO\"]}" "" --log-level error
	is "$RC/$ERR" "0/" "$k: ... no warning with --log-level error"
	if [ "$LAST_CAP" -lt 40 ]; then
		show ",\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_CHECKPOINT_RESTORE\"]}"
		is "$RC $(field CapBnd)" "0 $(hexmask 5)" \
			"$k: a capability this kernel lacks is dropped"
		err_one_line "$k: ... with a warning" "warning: *CAP_CHECKPOINT_RESTORE*"
	else
		skip_limit "$k: a capability the kernel lacks is warned about" \
			"this kernel knows every capability rtexec knows (cap_last_cap $LAST_CAP)"
	fi

	show ",\"capabilities\":{\"bounding\":[$B],\"effective\":[\"CAP_KILL\"],\"permitted\":[\"CAP_CHOWN\"]}" "$PF"
	failed "$k: effective not within permitted" "capset: Operation not permitted"
	show ",\"capabilities\":{\"bounding\":[$B],\"permitted\":[$B],\"inheritable\":[\"CAP_KILL\"],\"ambient\":[\"CAP_NET_RAW\"]}" "$PF"
	failed "$k: ambient not within inheritable" \
		"raise CAP_NET_RAW in the ambient set*: Operation not permitted"
	show ",\"capabilities\":{\"bounding\":[\"CAP_KILL\"],\"permitted\":[\"CAP_KILL\"],\"inheritable\":[\"CAP_NET_RAW\"]}" "$PF"
	failed "$k: inheritable beyond the bounding set" "capset: Operation not permitted"

	# --- user
	show ',"user":{"umask":7}'
	is "$(field Umask)" 0007 "$k: umask 7 alone: 0007"

	# --- LSM labels and terminal: refused where they cannot be honoured
	if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
		show ',"apparmorProfile":"unconfined"'
		is "$RC" 0 "$k: apparmorProfile unconfined: runs"
	else
		skip_limit "$k: apparmorProfile applied" "AppArmor is not enabled on this host"
		show ',"apparmorProfile":"rtexec-test"' "$PF"
		failed "$k: apparmorProfile without AppArmor" \
			"process.apparmorProfile: AppArmor is not enabled on this host"
	fi
	if [ -e /sys/fs/selinux/enforce ]; then
		label=$(tr -d '\0' </proc/$$/attr/current)
		rx "$(cfg "$P" "\"process\":{\"args\":[\"cat\",\"/proc/self/attr/current\"],\"selinuxLabel\":\"$label\"}")"
		is "$RC/$(printf '%s' "$OUT" | tr -d '\0')" "0/$label" "$k: selinuxLabel applied"
	else
		skip_limit "$k: selinuxLabel applied" "SELinux is not enabled on this host"
		show ',"selinuxLabel":"system_u:system_r:container_t:s0"' "$PF"
		failed "$k: selinuxLabel without SELinux" \
			"process.selinuxLabel: SELinux is not enabled on this host"
	fi
	show ',"terminal":true,"consoleSize":{"height":70000,"width":80}' "$PF"
	failed "$k: consoleSize out of range" "config: process.consoleSize.height: 70000 is out of range*"
}

# attrs_nonroot KIND: uid, groups and capabilities of a non-root user (a container where
# uids 1 and 1000 exist).
attrs_nonroot() {
	k=$1
	show ',"user":{"uid":1}'
	is "$RC $(field Uid) / $(field Gid) / $(field Groups)" "0 1 1 1 1 / 0 0 0 0 / " \
		"$k: uid 1 alone: uid 1 (never 0), gid 0, no groups"
	show ',"user":{"uid":1,"additionalGids":[3,4],"umask":7}'
	is "$(field Uid) / $(field Groups) / $(field Umask)" "1 1 1 1 / 3 4 / 0007" \
		"$k: uid 1, additionalGids [3,4], umask 7"
	show ',"user":{"uid":1000,"gid":1000}'
	is "$(field CapPrm) $(field CapEff) $(field CapBnd)" \
		"$(hexmask) $(hexmask) $CAPBND_DEFAULT" "$k: uid 1000 without capabilities: none, the init's bounding set"
	show ',"user":{"uid":1000,"gid":1000},"capabilities":{"bounding":["CAP_CHOWN","CAP_KILL","CAP_NET_RAW"],"effective":["CAP_KILL","CAP_CHOWN"],"permitted":["CAP_KILL","CAP_CHOWN","CAP_NET_RAW"],"inheritable":["CAP_KILL","CAP_NET_RAW"],"ambient":["CAP_KILL","CAP_NET_RAW"]}'
	is "$RC $(field CapBnd) $(field CapInh) $(field CapAmb) $(field CapPrm) $(field CapEff)" \
		"0 $(hexmask 0 5 13) $(hexmask 5 13) $(hexmask 5 13) $(hexmask 5 13) $(hexmask 5 13)" \
		"$k: uid 1000, all five sets: CapBnd, CapInh, CapAmb exact; permitted/effective = ambient"
	show ',"user":{"uid":1000,"gid":1000},"capabilities":{"bounding":["CAP_KILL"],"permitted":["CAP_KILL"],"effective":["CAP_KILL"]}'
	is "$RC $(field CapBnd) $(field CapPrm) $(field CapAmb)" "0 $(hexmask 5) $(hexmask) $(hexmask)" \
		"$k: uid 1000, no ambient: bounding kept, nothing permitted after exec"
}

# attrs_together KIND NONROOT: every attribute in one document.
attrs_together() {
	k=$1
	if [ "$2" = 1 ]; then
		user='"user":{"uid":1000,"gid":1000,"additionalGids":[5,7],"umask":23}'
		ids="1000 1000 1000 1000 / 1000 1000 1000 1000 / 5 7"
		caps="$(hexmask 5 10) $(hexmask 5) $(hexmask 5) $(hexmask 5) $(hexmask 5)"
	else
		user='"user":{"uid":0,"gid":0,"umask":23}'
		ids="0 0 0 0 / 0 0 0 0 / "
		caps="$(hexmask 5 10) $(hexmask 5) $(hexmask 5) $(hexmask 5 10) $(hexmask 5 10)"
	fi
	show ",$user,\"rlimits\":[$ALL_RLIMITS],\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],\"permitted\":[\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],\"effective\":[\"CAP_KILL\"],\"inheritable\":[\"CAP_KILL\"],\"ambient\":[\"CAP_KILL\"]},\"noNewPrivileges\":true,\"oomScoreAdj\":321,\"ioPriority\":{\"class\":\"IOPRIO_CLASS_BE\",\"priority\":6}"
	is_rc 0 "$k: all attributes together: runs"
	is "$(all_limits_seen)" "$ALL_WANT" "$k: together: every rlimit exact"
	is "$(field Uid) / $(field Gid) / $(field Groups)" "$ids" "$k: together: uid, gid, groups"
	is "$(field Umask)" 0027 "$k: together: umask 23 = 0027"
	is "$(field CapBnd) $(field CapInh) $(field CapAmb) $(field CapPrm) $(field CapEff)" "$caps" \
		"$k: together: capabilities"
	is "$(field NoNewPrivs)" 1 "$k: together: NoNewPrivs 1"
	is "$(field oom_score_adj)" 321 "$k: together: oom_score_adj 321"
	[ -n "$IONICE_INSIDE" ] && is "$(field ionice)" "best-effort: prio 6" "$k: together: ionice"
	no_leftovers "$k: nothing left running" "$P"
}

# ---------------------------------------------------------------- the containers

install_show() {
	printf '%s\n' "$SHOW" >"$CTR_ROOTFS/show" && chmod 755 "$CTR_ROOTFS/show"
}

# The capability sets an exec gets by default: the container init's (as runc exec).
init_capbnd() {
	sed -n 's/^CapBnd:[[:space:]]*//p' "/proc/$P/status"
}
popcount() {
	_v=$((0x$1)) _n=0
	while [ "$_v" -ne 0 ]; do
		_n=$((_n + (_v & 1)))
		_v=$((_v >> 1))
	done
	echo "$_n"
}

# runc: no user namespace, the host's root; rtexec's own bounding set is the caller's.
start_runc_ctr
case $? in
0)
	P=$CTR_PID
	install_show
	CAPBND_DEFAULT=$(init_capbnd)
	attrs_alone runc
	attrs_nonroot runc
	attrs_together runc 1
	;;
2) skip "runc container" "runc is not installed" ;;
*) fail "runc container starts" ;;
esac

# unshare --user: root of the container is the host's root (only uid 0 mapped).
start_unshare_ctr --user || bail "cannot start an unshare --user container"
P=$CTR_PID
USER_P=$P
install_show
CAPBND_DEFAULT=$(init_capbnd)
attrs_alone user
attrs_together user 0
# Only uid 0 exists there: another uid is refused, never silently 0.
show ',"user":{"uid":1}' "$PF"
failed "user: uid 1 where only uid 0 is mapped" "setuid 1: Invalid argument"
show ',"user":{"additionalGids":[3]}' "$PF"
failed "user: additionalGids where setgroups is denied" "setgroups: Operation not permitted"

# A user namespace that maps 0-65535 to host 100000-165535.
start_mapped_ctr
case $? in
0)
	P=$CTR_PID
	install_show
	CAPBND_DEFAULT=$(init_capbnd)
	attrs_alone mapped
	attrs_nonroot mapped
	attrs_together mapped 1
	got=$(host_view ',"user":{"uid":1,"gid":2}' host_ids)
	is "$got" "100001 100001 100001 100001
100002 100002 100002 100002" "mapped: uid 1, gid 2 are host uid 100001, gid 100002"
	;;
2) skip "user namespace with a shifted map" "unshare --keep-caps or setpriv is missing" ;;
*) fail "user namespace with a shifted map starts" ;;
esac

# ---------------------------------------------------------------- --dry-run

P=$USER_P
rx "$(cfg "$P" "\"process\":{\"args\":[\"true\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":$UNLIMITED,\"hard\":$UNLIMITED},{\"type\":\"RLIMIT_CPU\",\"soft\":1152921504606846976,\"hard\":$UNLIMITED},{\"type\":\"RLIMIT_CORE\",\"soft\":0,\"hard\":18446744073709549568}],\"user\":{\"uid\":1,\"additionalGids\":[3,4],\"umask\":7},\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_CHOWN\"],\"ambient\":[\"CAP_KILL\"]},\"noNewPrivileges\":true,\"oomScoreAdj\":-5,\"ioPriority\":{\"class\":\"IOPRIO_CLASS_IDLE\",\"priority\":0}}")" --dry-run
is_rc 0 "dry-run with every attribute: 0"
# jq would turn the numbers into doubles: the raw text is read.
raw=$(printf '%s' "$OUT" | tr -d ' \t\n' | sed -n 's/.*"rlimits":\(\[[^]]*\]\).*/\1/p')
like "$raw" "[{\"type\":\"RLIMIT_NOFILE\",\"soft\":$UNLIMITED,\"hard\":$UNLIMITED,\"source\":\"config\"},{\"type\":\"RLIMIT_CPU\",\"soft\":1152921504606846976,\"hard\":$UNLIMITED,\"source\":\"config\"},{\"type\":\"RLIMIT_CORE\",\"soft\":0,\"hard\":18446744073709549568,\"source\":\"config\"},{*" \
	"dry-run: rlimits exactly as given (18446744073709551615, 2^60, 2^64-2048 not rounded)"
is "$(printf '%s\n' "$OUT" | jq -c '[.rlimits[] | .source] | [length, (.[3:] | unique)]')" '[16,["target"]]' \
	"dry-run: the other 13 types from the target"
is "$(printf '%s\n' "$OUT" | jq -c '.process | del(.env)')" \
	'{"args":["true"],"cwd":"/","user":{"uid":1,"gid":0,"umask":7,"additionalGids":[3,4]},"capabilities":{"bounding":["CAP_CHOWN","CAP_KILL"],"effective":[],"inheritable":[],"permitted":[],"ambient":["CAP_KILL"]},"noNewPrivileges":true,"oomScoreAdj":-5,"ioPriority":{"class":"IOPRIO_CLASS_IDLE","priority":0},"sources":{"capabilities":"config","noNewPrivileges":"config","oomScoreAdj":"config","ioPriority":"config"}}' \
	"dry-run: the process block (user, capabilities, noNewPrivileges, oomScoreAdj, ioPriority)"
is "$(cat /proc/$$/oom_score_adj)" "$CALLER_OOM" "dry-run changed nothing (oom_score_adj of the caller)"
no_leftovers "dry-run: nothing running" "$P"

rx "$(cfg "$P" '"process":{"args":["true"]}')" --dry-run
is "$(printf '%s\n' "$OUT" | jq -c '[(.rlimits | map(.source) | unique), (.process | del(.env, .args, .cwd, .capabilities))]')" \
	"[[\"target\"],{\"user\":{\"uid\":0,\"gid\":0,\"umask\":18,\"additionalGids\":[]},\"noNewPrivileges\":false,\"oomScoreAdj\":$(cat "/proc/$P/oom_score_adj"),\"sources\":{\"capabilities\":\"target\",\"noNewPrivileges\":\"target\",\"oomScoreAdj\":\"target\"}}]" \
	"dry-run without attributes: the init's rlimits, NoNewPrivs, oom_score_adj; no ioPriority"
is "$(printf '%s\n' "$OUT" | jq '.process.capabilities.bounding | length')" "$(popcount "$(init_capbnd)")" \
	"dry-run without capabilities: the init's bounding set, as runc exec"
rx "$(cfg "$P" '"process":{"args":["true"],"ioPriority":{"class":"IOPRIO_CLASS_RT","priority":7},"oomScoreAdj":0}')" --dry-run
is "$(printf '%s\n' "$OUT" | jq -c '[.process.ioPriority, .process.oomScoreAdj]')" \
	'[{"class":"IOPRIO_CLASS_RT","priority":7},0]' "dry-run: ioPriority RT 7, oomScoreAdj 0 shown"

# ------------------------------------------- scheduling, I/O priority, personality
# Not in the config: the container's, as a process its init forks gets them, never the
# caller's (a caller at nice -15, in the real-time I/O class, under SCHED_FIFO or with
# ASLR off gave the command the same, which the container could never have set itself).
# sched_show: the command's nice, policy, I/O priority and personality.
sched_show='echo "$(cut -d" " -f19,41 /proc/self/stat) $(ionice) $(cat /proc/self/personality)"'
start_runc_ctr || bail "cannot start a runc container"
RP=$CTR_PID
want="$(cut -d' ' -f19,41 "/proc/$RP/stat") $(ionice -p "$RP") $(cat "/proc/$RP/personality")"
is "$want" "0 0 none: prio 0 00000000" "a runc container's init: nice 0, SCHED_OTHER, no I/O class, PER_LINUX (precondition)"
printf '%s\n' "$(cfg "$RP")" | nice -n -15 ionice -c1 -n2 setarch "$(uname -m)" -R "$RTEXEC" -- sh -c "$sched_show" \
	>"$T/sched.out" 2>&1
is "$?/$(cat "$T/sched.out")" "0/$want" \
	"caller at nice -15, I/O class realtime 2, ASLR off: the command has the init's values"
printf '%s\n' "$(cfg "$RP")" | chrt -f 10 "$RTEXEC" -- sh -c "$sched_show" >"$T/sched.out" 2>&1
is "$?/$(cat "$T/sched.out")" "0/$want" \
	"caller under SCHED_FIFO 10: the command runs (a v1 cpu cgroup without RT runtime), SCHED_OTHER"
# An init at nice 5, SCHED_BATCH, I/O class idle, PER_LINUX32: the command gets the same,
# whatever the caller's.
CTR_INIT_PREFIX=linux32 start_unshare_ctr || bail "cannot start an unshare container"
SP=$CTR_PID
renice -n 5 -p "$SP" >/dev/null && chrt -b -p 0 "$SP" && ionice -c3 -p "$SP" || bail "cannot set the init's scheduling"
want="$(cut -d' ' -f19,41 "/proc/$SP/stat") $(ionice -p "$SP") $(cat "/proc/$SP/personality")"
is "$want" "5 3 idle 00000008" "an init at nice 5, SCHED_BATCH, I/O class idle, PER_LINUX32 (precondition)"
rx "$(cfg "$SP")" -- sh -c "$sched_show"
is "$RC/$OUT" "0/$want" "the command: the init's nice, policy, I/O class and personality"
printf '%s\n' "$(cfg "$SP")" | nice -n -15 chrt -f 10 ionice -c1 -n2 setarch "$(uname -m)" -R "$RTEXEC" -- sh -c "$sched_show" \
	>"$T/sched.out" 2>&1
is "$?/$(cat "$T/sched.out")" "0/$want" "... from a caller with other values of each"
rx "$(cfg "$SP")" --dry-run -- true
is "$(printf '%s\n' "$OUT" | jq -c '.process | [.scheduler, .ioPriority.class, .sources.scheduler, .sources.ioPriority]')" \
	'[{"policy":"SCHED_BATCH","nice":5,"priority":0},"IOPRIO_CLASS_IDLE","target","target"]' \
	"dry-run: the init's scheduler and I/O priority, from the target"
rx "$(cfg "$SP" '"process":{"args":["sh","-c","cut -d\" \" -f19,41 /proc/self/stat"],"scheduler":{"policy":"SCHED_OTHER","nice":2}}')"
is "$RC/$OUT" "0/2 0" "a scheduler in the config wins over the init's"
# rtexec without CAP_SYS_NICE (as root of a user namespace) cannot lower its child's nice to
# the init's: the command keeps the lesser priority, with a warning (it failed with 125).
printf '%s\n' "$(cfg "$RP")" | nice -n 10 setpriv --bounding-set=-sys_nice --inh-caps=-sys_nice \
	"$RTEXEC" -- sh -c "$sched_show" >"$T/sched.out" 2>"$T/sched.err"
is "$?/$(cut -d' ' -f1,2 "$T/sched.out")" "0/10 0" \
	"without CAP_SYS_NICE, a caller at nice 10, an init at 0: the command runs, at nice 10"
like "$(cat "$T/sched.err")" "*warning: set scheduler SCHED_OTHER*the command keeps rtexec's scheduling*" "... with a warning"
# A real-time init: its policy is not the command's (a debug shell or a busy loop exec'd
# into a real-time container must not compete with its work), its nice is.
chrt -f -p 10 "$SP" || bail "cannot make the init SCHED_FIFO"
rx "$(cfg "$SP")" -- sh -c "$sched_show"
is "$RC/${OUT%% *}/$(echo "$OUT" | cut -d' ' -f2)" "0/5/0" "an init under SCHED_FIFO 10 at nice 5: the command SCHED_OTHER at nice 5"
printf '%s\n' "$(cfg "$SP")" | nice -n 5 chrt -f 10 "$RTEXEC" -- sh -c "$sched_show" >"$T/sched.out" 2>&1
is "$?/$(cut -d' ' -f1,2 "$T/sched.out")" "0/5 0" \
	"a caller under SCHED_FIFO 10 at nice 5 (its child born at nice 0): the command at the init's nice 5"
no_leftovers "scheduling: nothing left running" "$SP"

# ------------------------------------------- THP switch, timer slack, NUMA memory policy
# Not in OCI, and passed on by fork and execve: the init's, never the caller's (a caller's
# THP switch, timer slack or memory policy tuned the container's command). The memory policy
# is read where it matters: the caller's is not the default, or it may use several nodes.
musl-gcc -static -O2 -o "$T/taskattr" "$REPO/test/helpers/taskattr.c" ||
	bail "cannot build test/helpers/taskattr.c"
taskattr_setup() { cp "$T/taskattr" "$1/taskattr"; }
# task_show: the command's THP_enabled, timer slack and policy (of its first mapping)
task_show='echo "$(grep THP_enabled /proc/self/status | cut -f2) $(cat /proc/self/timerslack_ns) $(head -n 1 /proc/self/numa_maps | cut -d" " -f2)"'
task_of() { # PID: the same of a host process
	echo "$(grep THP_enabled "/proc/$1/status" | cut -f2) $(cat "/proc/$1/timerslack_ns") $(head -n 1 "/proc/$1/numa_maps" | cut -d' ' -f2)"
}
want=$(task_of "$RP")
like "$want" "1 * default" "a runc container's init: THP on, the default policy (precondition)"
printf '%s\n' "$(cfg "$RP")" | "$T/taskattr" thp-off slack 4321 mpol 2 1 -- "$RTEXEC" -- sh -c "$task_show" \
	>"$T/task.out" 2>&1
is "$?/$(cat "$T/task.out")" "0/$want" \
	"a caller with THP off, timer slack 4321 ns, bound to node 0: the command has the init's values"
CTR_SETUP=taskattr_setup CTR_INIT_PREFIX="/taskattr thp-off slack 777777 mpol 1 1 --" start_unshare_ctr ||
	bail "cannot start an unshare container"
TP=$CTR_PID
is "$(task_of "$TP")" "0 777777 prefer:0" "an init with THP off, timer slack 777777, preferring node 0 (precondition)"
printf '%s\n' "$(cfg "$TP")" | "$T/taskattr" slack 4321 mpol 2 1 -- "$RTEXEC" -- sh -c "$task_show" \
	>"$T/task.out" 2>&1
is "$?/$(cat "$T/task.out")" "0/0 777777 prefer:0" "... the command, from a caller with other values: the init's"
# A child's default slack is its parent's slack at the fork: the command that resets its own
# (PR_SET_TIMERSLACK 0) gets the init's, not the caller's.
printf '%s\n' "$(cfg "$TP")" | "$T/taskattr" slack 4321 -- "$RTEXEC" -- /taskattr slack 0 -- \
	cat /proc/self/timerslack_ns >"$T/task.out" 2>&1
is "$?/$(cat "$T/task.out")" "0/777777" "... the command resets its timer slack: the init's 777777, not the caller's 4321"
# Linux 6.18: THP off but where madvise asks, which /proc/PID/status shows as on (1).
if "$T/taskattr" thp-advised -- true 2>/dev/null; then
	printf '%s\n' "$(cfg "$TP")" | "$T/taskattr" thp-advised -- "$RTEXEC" -- sh -c "$task_show" \
		>"$T/task.out" 2>&1
	is "$?/$(cat "$T/task.out")" "0/0 777777 default" \
		"a caller with THP off but where advised, an init with THP off: the command's is off (the init's)"
	printf '%s\n' "$(cfg "$RP")" | "$T/taskattr" thp-advised -- "$RTEXEC" -- sh -c "$task_show" \
		>"$T/task.out" 2>&1
	is "$?/$(cat "$T/task.out")" "0/$want" \
		"a caller with THP off but where advised, an init with THP on: the command's is on"
else
	skip_limit "THP off but where advised" "the kernel has no PR_THP_DISABLE_EXCEPT_ADVISED (Linux 6.18)"
fi
rx "$(cfg "$TP")" -- sh -c "$task_show"
if [ "$(tr -c -d ',-' </sys/devices/system/node/online)" ]; then
	is "$RC/$OUT" "0/0 777777 prefer:0" "... from a caller with the defaults, on a host of several nodes: the same"
else
	is "$RC/$OUT" "0/0 777777 default" \
		"... from a caller with the defaults, on a host of one node: the init's policy not read (all place alike)"
fi
no_leftovers "task attributes: nothing left running" "$TP"

# ---------------------------------------------------------------- bad values

# bad NAME PROCESS-MEMBERS GLOB: refused before anything runs.
bad() {
	rx "$(cfg "$P" "$PF,\"process\":{\"args\":[\"true\"],$2}")"
	failed "bad value: $1" "config: $3"
}
bad "rlimits not an array" '"rlimits":{}' "process.rlimits: expected an array"
bad "rlimit entry not an object" '"rlimits":["RLIMIT_NOFILE"]' "process.rlimits[0]: expected an object"
bad "rlimit without soft" '"rlimits":[{"type":"RLIMIT_NOFILE","hard":1}]' \
	"process.rlimits[0].soft: is required"
bad "unknown rlimit type" \
	'"rlimits":[{"type":"RLIMIT_CORE","soft":0,"hard":0},{"type":"RLIMIT_FOO","soft":1,"hard":1}]' \
	'process.rlimits[1].type: unknown rlimit "RLIMIT_FOO"'
bad "rlimit type given twice" \
	'"rlimits":[{"type":"RLIMIT_CORE","soft":0,"hard":0},{"type":"RLIMIT_CORE","soft":0,"hard":0}]' \
	"process.rlimits[1].type: RLIMIT_CORE given twice"
bad "rlimit soft > hard" '"rlimits":[{"type":"RLIMIT_NOFILE","soft":2048,"hard":1024}]' \
	"process.rlimits[0]: soft limit 2048 exceeds hard limit 1024"
bad "negative rlimit" '"rlimits":[{"type":"RLIMIT_NOFILE","soft":-1,"hard":1024}]' \
	"process.rlimits[0].soft: -1 *"
bad "fractional rlimit" '"rlimits":[{"type":"RLIMIT_NOFILE","soft":1.5,"hard":1024}]' \
	"process.rlimits[0].soft: expected an integer"
bad "rlimit 2^53+1" '"rlimits":[{"type":"RLIMIT_NOFILE","soft":1,"hard":9007199254740993}]' \
	"process.rlimits[0].hard: 9007199254740993 is not exactly representable*"
bad "rlimit 2^64" '"rlimits":[{"type":"RLIMIT_NOFILE","soft":1,"hard":18446744073709551616}]' \
	"process.rlimits[0].hard: 18446744073709551616 *"
bad "capabilities not an object" '"capabilities":["CAP_KILL"]' \
	"process.capabilities: expected an object"
bad "unknown capability set" '"capabilities":{"bounding":[],"all":[]}' \
	"process.capabilities.all: unknown key"
bad "capability not a string" '"capabilities":{"ambient":["CAP_KILL",5]}' \
	"process.capabilities.ambient[1]: expected a string"
bad "noNewPrivileges not a bool" '"noNewPrivileges":"yes"' \
	"process.noNewPrivileges: expected true or false"
bad "oomScoreAdj 1001" '"oomScoreAdj":1001' "process.oomScoreAdj: 1001 is out of range (-1000..1000)"
bad "oomScoreAdj 1.5" '"oomScoreAdj":1.5' "process.oomScoreAdj: expected an integer"
bad "ioPriority without class" '"ioPriority":{"priority":1}' "process.ioPriority.class: is required"
bad "unknown ioPriority class" '"ioPriority":{"class":"IOPRIO_CLASS_NONE"}' \
	'process.ioPriority.class: unknown class "IOPRIO_CLASS_NONE"'
bad "ioPriority priority 8" '"ioPriority":{"class":"IOPRIO_CLASS_BE","priority":8}' \
	"process.ioPriority.priority: 8 is out of range (0..7)"
bad "apparmorProfile empty" '"apparmorProfile":""' "process.apparmorProfile: must not be empty"
bad "selinuxLabel not a string" '"selinuxLabel":1' "process.selinuxLabel: expected a string"
bad "uid -1" '"user":{"uid":-1}' "process.user.uid: -1 is out of range*"
