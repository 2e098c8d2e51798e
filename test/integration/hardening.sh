#!/bin/sh
# Faults a hostile container or a careless caller can cause, each done for real: the
# target's pid reused by a host process mid-join, the container paused at random moments,
# a FIFO or a device where a namespace or a pid file should be, 100,000 warnings, the
# child's reason racing its exit, SIGKILL at random moments with a pid file, RLIMIT_NOFILE
# 0 and 3, terminal escapes in the config, a kernel thread as target.
# shellcheck source=test/lib.sh disable=SC2016
. "$(dirname "$0")/../lib.sh"

command -v strace >/dev/null 2>&1 || skip_all "strace is not installed (scripts/deps.sh test)"

# rand N: a random number 0..N-1.
rand() {
	echo $(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1))
}

# ---------------------------------------------------------------- pid reuse (issue 8.2)
# A container whose init reaps: its child "sleep 4343" is the target; the namespaces are
# given by path (the init's), so nothing of the target is needed to join. rtexec is held
# (strace) after its plan; the target is killed, reaped, and its pid taken by a host
# process (ns_last_pid), which has every capability of the host. rtexec must notice: the
# target's files are read through its pinned /proc/PID, never the new process's.
reuse_ctr() {
	_rd="$T/reuse"
	mkdir -p "$_rd"
	$_PDEATH unshare --fork --kill-child --pid --mount-proc --uts --ipc --net sh -c \
		'sleep 4343 & wait; exec sleep 4344' </dev/null >/dev/null 2>&1 &
	RU=$!
	defer _kill_unshare "$RU"
	wait_for 5 eval '[ -n "$(children "$RU")" ]' || return 1
	RINIT=$(children "$RU")
	wait_for 5 eval '[ -n "$(children "$RINIT")" ]' || return 1
	RTGT=$(children "$RINIT")
	ok "pid reuse: the container runs its target (sleep 4343)" \
		[ "$(tr '\0' ' ' <"/proc/$RTGT/cmdline")" = "sleep 4343 " ]
}

# take_pid PID: a host process (sleep) with exactly that pid; its pid, or nothing.
take_pid() {
	for _try in 1 2 3 4 5 6 7 8; do
		echo $(($1 - 1)) >/proc/sys/kernel/ns_last_pid 2>/dev/null || return 1
		# Not on our stdout: the $(...) that called us would wait for it.
		sleep 600 </dev/null >/dev/null 2>&1 &
		if [ "$!" = "$1" ]; then
			echo "$!"
			return 0
		fi
		kill -9 "$!"
		wait "$!" 2>/dev/null
	done
	return 1
}

for round in 1 2 3; do
	if ! reuse_ctr; then
		fail "pid reuse: could not start a container whose init reaps"
		break
	fi
	nspaths=
	for t in mnt pid net ipc uts; do
		nspaths="$nspaths${nspaths:+,}{\"type\":\"$t\",\"path\":\"/proc/$RINIT/ns/$t\"}"
	done
	{
		printf '%s\n' "$(cfg "$RTGT" "\"namespaces\":[$nspaths]")" >"$T/reuse.cfg"
		strace -f -qq -o /dev/null -P /sys/devices/system/cpu/isolated -e trace=openat \
			-e inject=openat:delay_enter=1500000 "$RTEXEC" -f "$T/reuse.cfg" -- \
			sh -c 'grep CapEff /proc/self/status' >"$T/reuse.out" 2>"$T/reuse.err" &
		sp=$!
		sleep 0.5
		kill -9 "$RTGT"
		wait_for 5 eval '[ ! -e "/proc/$RTGT" ]'
		host=$(take_pid "$RTGT")
		wait "$sp"
		rc=$?
		if [ -n "$host" ]; then
			pass "pid reuse round $round: target $RTGT killed mid-join, a host process took its pid"
			is "$rc" 125 "pid reuse round $round: 125"
			is "$(cat "$T/reuse.out")" "" "pid reuse round $round: the command did not run (no host capabilities)"
			like "$(cat "$T/reuse.err")" "rtexec: target $RTGT*" \
				"pid reuse round $round: one line about the target"
			is "$(grep -c '' "$T/reuse.err")" 1 "pid reuse round $round: exactly one line"
			kill -9 "$host"
			wait "$host" 2>/dev/null
		else
			skip "pid reuse round $round" "could not give a host process pid $RTGT (ns_last_pid)"
		fi
	}
done

# ---------------------------------------------------------------- a kernel thread (8.10)
rx "$(cfg 2)" -- true
is_rc 125 "a kernel thread as target (pid 2): 125"
err_one_line "... one line saying so" "*target 2: is a kernel thread*"

# ---------------------------------------------------------------- namespace paths (8.4)
start_unshare_ctr || bail "cannot start an unshare container"
C=$(cfg "$CTR_PID")
mkfifo "$T/fifo"
: >"$T/regular"
for p in "$T/fifo:a FIFO" "/dev/null:a device" "$T/regular:a regular file"; do
	RX_TIMEOUT=5 rx "$(cfg "$CTR_PID" "\"namespaces\":[{\"type\":\"uts\",\"path\":\"${p%%:*}\"}]")" -- true
	is_rc 125 "namespace path that is ${p#*:}: 125 at once (no wait, no open for reading)"
	err_one_line "... one line: not a namespace file" "*uts namespace ${p%%:*}: not a namespace file"
done
RX_TIMEOUT=5 rx "$(printf '{"target":{"pidFile":"%s"},"process":{"args":["true"]}}' "$T/fifo")"
is_rc 125 "target.pidFile that is a FIFO: 125 at once"
err_one_line "... not a regular file" "*pid file $T/fifo: not a regular file"
RX_TIMEOUT=5 rx "" -f "$T/fifo" -- true
is_rc 125 "-f FIFO with no writer: 125 at once (an empty document), no wait"
RX_TIMEOUT=5 rx "" -f /dev/null -- true
err_one_line "-f a device: refused, not opened" "*config: open /dev/null: not a regular file or a pipe"
printf '%s\n' "$C" >"$T/c.json"
out=$(RX_TIMEOUT=5 "$RTEXEC" -f /dev/stdin -- echo piped <"$T/c.json" 2>&1)
is "$out" piped "-f /dev/stdin (a pipe or a file): still read"

# ---------------------------------------------------------------- warnings (8.5)
caps=$(awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%s\"CAP_NOPE_%d\"", i ? "," : "", i }')
printf '{"target":{"pid":%s},"process":{"args":["true"],"capabilities":{"bounding":[%s]}}}\n' \
	"$CTR_PID" "$caps" >"$T/warn.json"
"$RTEXEC" -f "$T/warn.json" >/dev/null 2>"$T/warn.err"
rc=$?
is "$rc" 0 "100,000 unknown capabilities: runs"
is "$(grep -c '' "$T/warn.err")" 11 "... 10 warning lines and one summary, not 100,000"
is "$(tail -n 1 "$T/warn.err")" "rtexec: warning: 99990 more warnings not shown" "... the summary line"
ok "... a few hundred bytes, not 10 MB" [ "$(wc -c <"$T/warn.err")" -lt 2000 ]
# A pid in range that no process has (pid_max - 1, or less if that one runs).
gone=$(($(cat /proc/sys/kernel/pid_max) - 1))
while [ -e "/proc/$gone" ]; do gone=$((gone - 1)); done
printf '{"target":{"pid":%s},"process":{"args":["true"],"capabilities":{"bounding":[%s]}}}\n' \
	"$gone" "$caps" >"$T/warn.json"
"$RTEXEC" -f "$T/warn.json" >/dev/null 2>"$T/warn.err"
rc=$?
is "$rc" 125 "warnings, then a failure: 125"
like "$(tail -n 1 "$T/warn.err")" "rtexec: target $gone*" "... the failure is the last line"
is "$(grep -vc '^rtexec: warning: ' "$T/warn.err")" 1 "... exactly one line that is not a warning"
dup='"CAP_NOPE","CAP_NOPE","CAP_NOPE"'
rx "$(cfg "$CTR_PID" "\"process\":{\"args\":[\"true\"],\"capabilities\":{\"bounding\":[$dup]}}")"
is "$(echo "$ERR" | grep -c 'CAP_NOPE')" 3 "three warnings about three entries (each names its index)"

# A config of 20,000 environment variables (1.4 MB: a namespace of many services): it runs,
# the command sees them all, and rtexec's peak memory stays near a few times the config's
# (its allocator once gave every block past its arena a mapping of its own: 302 MB here).
# The ASan build has its own allocator and shadow memory: a looser bound there.
musl-gcc -static -O2 -o "$T/maxrss" "$REPO/bench/maxrss.c" || bail "cannot build bench/maxrss.c"
awk -v pid="$CTR_PID" 'BEGIN {
	printf "{\"target\":{\"pid\":%s},\"process\":{\"args\":[\"sh\",\"-c\",\"env | grep -c ^SVC_\"],\"env\":[", pid
	for (i = 0; i < 20000; i++)
		printf "%s\"SVC_%05d_SERVICE_HOST=10.0.0.1-padding-padding-padding-padding\"", i ? "," : "", i
	print "]}}" }' >"$T/env.json"
"$T/maxrss" "$RTEXEC" -f "$T/env.json" >"$T/env.out" 2>"$T/env.err"
is "$?/$(head -n 1 "$T/env.out")" "0/20000" "20,000 environment variables: the command sees them all"
limit=16384
[ -n "${ASAN_OPTIONS:-}" ] && limit=262144
rss=$(tail -n 1 "$T/env.out")
ok "... rtexec's peak RSS ${rss} KiB, under $limit KiB" [ "${rss:-999999}" -lt "$limit" ]

# ---------------------------------------------------------------- escapes (8.9)
# The namespace path holds a C1 CSI (U+009B), a raw 0x9b byte, an invalid 0xff and a bidi
# override: none may reach the terminal as such.
bad=$(printf 'x\302\233[31m\233[2J\377\342\200\256y')
printf '{"target":{"pid":%s},"namespaces":[{"type":"uts","path":"/no/%s"}],"process":{"args":["true"]}}\n' \
	"$CTR_PID" "$bad" >"$T/esc.json"
"$RTEXEC" -f "$T/esc.json" >/dev/null 2>"$T/esc.err"
is "$(grep -c '' "$T/esc.err")" 1 "C1 and invalid UTF-8 in a path: one error line"
ok "... no byte >= 0x80 that is not part of a plain character, no ESC" \
	eval '! LC_ALL=C grep -q "$(printf "[\200-\237\377\033]")" "$T/esc.err"'
ok "... each such byte shown as \\xNN" \
	grep -qF '/no/x\xc2\x9b[31m\x9b[2J\xff\xe2\x80\xaey: No such file' "$T/esc.err"
printf '{"target":{"pid":%s},"namespaces":[{"type":"uts","path":"/no/caf\303\251"}],"process":{"args":["true"]}}\n' \
	"$CTR_PID" >"$T/esc.json"
"$RTEXEC" -f "$T/esc.json" >/dev/null 2>"$T/esc.err"
like "$(cat "$T/esc.err")" "*/no/café: No such file or directory" "plain UTF-8 (é) is shown as it is"

# ---------------------------------------------------------------- RLIMIT_NOFILE (8.8)
for n in 0 3; do
	rx "$(cfg "$CTR_PID" "\"process\":{\"args\":[\"sh\",\"-c\",\"ulimit -n; echo \$HOME\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":$n,\"hard\":$n}]}")"
	is "$RC/$OUT" "0/$n
/root" "RLIMIT_NOFILE $n: the command runs with it, HOME still from /etc/passwd"
done

# ---------------------------------------------------------------- pid files (8.7)
d=$T/pids
mkdir "$d"
i=0
while [ $i -lt 100 ]; do
	i=$((i + 1))
	printf '%s\n' "$C" | "$RTEXEC" --pid-file "$d/x.pid" -- true >/dev/null 2>&1 &
	p=$!
	sleep "0.00$(rand 10)"
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
done
is "$(ls -A "$d" | grep -v '^x.pid$')" "" "100 runs with a pid file SIGKILLed at random moments: no temporary left"
: >"$d/x.pid"
: >"$d/.x.pid.rtexec-999999999"
sleep 600 &
live=$!
: >"$d/.x.pid.rtexec-$live"
rx "$C" --pid-file "$d/x.pid" -- true
is "$RC" 0 "a run with that pid file again: 0"
is "$(ls -A "$d" | sort | tr '\n' ' ')" ".x.pid.rtexec-$live x.pid " \
	"... it removed the temporary of a dead rtexec, kept the one of a live process"
kill "$live"

# A pid file that exists, and a temporary of rtexec's own pid beside it, left by a killed run
# long ago that had the same pid ("exec" keeps the shell's): the run replaces the pid file
# all the same (linking the new one under that name failed: EEXIST, 125), and the stale
# temporary is gone.
: >"$d/y.pid"
printf '%s\n' "$C" | sh -c ': >"$1/.y.pid.rtexec-$$"; exec "$2" --pid-file "$1/y.pid" -- true' \
	sh "$d" "$RTEXEC" >/dev/null 2>"$T/y.err"
is "$?:$(cat "$T/y.err")" "0:" "an existing pid file, a stale temporary of rtexec's own pid: the run goes on"
like "$(cat "$d/y.pid")" "[1-9]*" "... the pid file is replaced"
is "$(ls -A "$d" | grep -c '^\.y\.pid\.rtexec-')" 0 "... no temporary left"

# The pid file's directory is a symlink the caller's side swaps while the command starts
# (strace holds rtexec's linkat for 1.5 s, the swap comes at 0.5 s): the file lands in the
# directory that was checked before the command ran, never in the one swapped in.
mkdir "$d/a" "$d/b"
ln -s a "$d/lnk"
printf '%s\n' "$C" | timeout -k 5 30 strace -f -qq -o /dev/null -e trace=linkat \
	-e inject=linkat:delay_enter=1500000 "$RTEXEC" --pid-file "$d/lnk/x.pid" -- true \
	>/dev/null 2>&1 &
p=$!
sleep 0.5
ln -s b "$d/lnk.new" && mv -T "$d/lnk.new" "$d/lnk"
wait "$p"
is "$?" 0 "pid file's directory swapped during the run: rtexec exits 0"
like "$(cat "$d/a/x.pid" 2>/dev/null)" "[1-9]*" "... the pid file is in the directory named at the start"
is "$(ls -A "$d/b")" "" "... nothing in the directory swapped in"
is "$(ls -A "$d/a" | tr '\n' ' ')" "x.pid " "... nor a temporary beside the pid file"

# ---------------------------------------------------------------- the child's reason (8.6)
# The child fails at its own v1 join after the parent said GO (unread): the cgroup is
# removed while strace holds the child before its first write.
V1=/sys/fs/cgroup/cpuset
if [ -f "$V1/tasks" ] && mkdir "$V1/rtx-$$-a" "$V1/rtx-$$-b" 2>/dev/null; then
	defer rmdir "$V1/rtx-$$-a" "$V1/rtx-$$-b"
	defer "echo $CTR_PID >$V1/cgroup.procs"
	for g in a b; do
		cat "$V1/cpuset.cpus" >"$V1/rtx-$$-$g/cpuset.cpus"
		cat "$V1/cpuset.mems" >"$V1/rtx-$$-$g/cpuset.mems"
	done
	round=0
	while [ $round -lt 5 ]; do
		round=$((round + 1))
		mkdir -p "$V1/rtx-$$-a"
		cat "$V1/cpuset.cpus" >"$V1/rtx-$$-a/cpuset.cpus"
		cat "$V1/cpuset.mems" >"$V1/rtx-$$-a/cpuset.mems"
		echo "$CTR_PID" >"$V1/rtx-$$-a/cgroup.procs"
		printf '%s\n' "$C" | strace -f -qq -o /dev/null -e trace=write \
			-e inject=write:delay_enter=800000:when=1 "$RTEXEC" -- true \
			>/dev/null 2>"$T/reset.err" &
		sp=$!
		sleep 0.4
		echo "$CTR_PID" >"$V1/rtx-$$-b/cgroup.procs"
		rmdir "$V1/rtx-$$-a"
		wait "$sp"
		rc=$?
		is "$rc/$(cat "$T/reset.err")" \
			"125/rtexec: join cgroup $V1/rtx-$$-a: No such device" \
			"cgroup removed before the child's join, round $round: the child's own reason"
	done
else
	skip "the child's reason after its cgroup was removed" "no v1 cpuset hierarchy at $V1"
fi

no_leftovers "nothing left in the container" "$CTR_PID"

# ---------------------------------------------------------------- paused mid-join (8.3)
# A runc container is paused and thawed every few milliseconds (v1 freezer.state, then v2
# cgroup.freeze) while rtexec joins it again and again: no join may hang, each ends in 0
# or in 125 with one line saying the container is paused, and after the last thaw nothing
# of rtexec is left in it.
toggle() { # FILE FROZEN THAWED
	while [ ! -e "$T/stop-freeze" ]; do
		echo "$2" >"$1"
		sleep "0.00$(($(rand 4) + 1))"
		echo "$3" >"$1"
		sleep "0.00$(($(rand 4) + 1))"
	done
	echo "$3" >"$1"
}

paused_joins() { # NAME FILE FROZEN THAWED
	rm -f "$T/stop-freeze"
	toggle "$2" "$3" "$4" &
	tp=$!
	defer kill "$tp"
	i=0 zero=0 paused=0 during=0 other=
	while [ $i -lt 100 ]; do
		i=$((i + 1))
		RX_TIMEOUT=15 rx "$C" -- true
		case $RC in
		0) zero=$((zero + 1)) ;;
		125)
			case $ERR in
			"rtexec: "*"the container is paused"*) paused=$((paused + 1)) ;;
			*) other="$other [125: $ERR]" ;;
			esac
			case $ERR in *"during the join"*) during=$((during + 1)) ;; esac
			[ "$(grep -c '' "$T/rx.err")" = 1 ] || other="$other [not one line: $ERR]"
			;;
		*) other="$other [$RC: $ERR]" ;;
		esac
	done
	touch "$T/stop-freeze"
	wait "$tp"
	diag "$1: 100 joins: $zero ran, $paused refused as paused ($during of them during the join)"
	is "$other" "" "$1: 100 joins while it is paused and thawed: each ran or said it was paused, none hung"
	ok "$1: some joins met the paused container" [ "$paused" -gt 0 ]
	no_leftovers "$1: after the thaw nothing of rtexec is left in the container" "$CTR_PID"

	# Paused for sure in the middle: with a scheduler the child, in the container's
	# cgroups already, waits for the parent, which strace holds in sched_setattr; the
	# container is paused meanwhile.
	sc=$(cfg "$CTR_PID" '"process":{"args":["true"],"scheduler":{"policy":"SCHED_OTHER"}}')
	printf '%s\n' "$sc" | timeout 15 strace -qq -o /dev/null -e trace=sched_setattr \
		-e inject=sched_setattr:delay_enter=1000000 "$RTEXEC" -- true >/dev/null 2>"$T/mid.err" &
	sp=$!
	sleep 0.5
	echo "$3" >"$2"
	wait "$sp"
	rc=$?
	echo "$4" >"$2"
	is "$rc" 125 "$1: paused while the child waits inside: 125, no hang"
	like "$(cat "$T/mid.err")" "rtexec: join cgroup *the container is paused*during the join" \
		"$1: ... one line: paused during the join"
	is "$(grep -c '' "$T/mid.err")" 1 "$1: ... exactly one line"
	no_leftovers "$1: ... after the thaw its child is gone" "$CTR_PID"
}

start_runc_ctr
case $? in
0)
	C=$(cfg "$CTR_PID")
	fz=$(sed -n 's/^[0-9]*:freezer:\(.*\)$/\1/p' "/proc/$CTR_PID/cgroup")
	if [ -n "$fz" ] && [ -f "/sys/fs/cgroup/freezer$fz/freezer.state" ]; then
		paused_joins "v1 freezer" "/sys/fs/cgroup/freezer$fz/freezer.state" FROZEN THAWED
	else
		skip "paused joins, v1 freezer" "the container has no v1 freezer cgroup"
	fi
	u=$(sed -n 's/^0::\(.*\)$/\1/p' "/proc/$CTR_PID/cgroup")
	U=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	if [ -n "$U" ] && [ -f "$U$u/cgroup.freeze" ] && [ "$u" != / ]; then
		paused_joins "v2 freezer" "$U$u/cgroup.freeze" 1 0
	else
		skip "paused joins, v2 freezer" "the container has no cgroup v2 cgroup with cgroup.freeze"
	fi
	;;
2) skip "paused joins" "runc is not installed" ;;
*) fail "paused joins: cannot start a runc container" ;;
esac

# ---------------------------------------------------------------- a child that is not reaped
# A process allowed to ptrace (a container's with CAP_SYS_PTRACE) seizes the child before its
# exec, kills it and never waits for it: the kernel tells rtexec of the death only once that
# tracer has waited or let go. rtexec's wait for it was without limit, SIGTERM blocked; it is
# now bounded (1 s), and rtexec ends with 125. strace holds the parent at its GO (1.5 s).
gcc -O2 -o "$T/seizekill" "$REPO/test/helpers/seizekill.c" || bail "cannot build test/helpers/seizekill.c"
if command -v strace >/dev/null 2>&1; then
	printf '%s\n' "$C" >"$T/sk.json"
	start=$(date +%s)
	strace -qq -o "$T/sk.strace" -e trace=sendto -e inject=sendto:delay_enter=1500000:when=1 \
		"$RTEXEC" -f "$T/sk.json" -- true >/dev/null 2>"$T/sk.err" &
	sp=$!
	if wait_for 10 eval '[ -n "$(children "$(children "$sp")")" ]'; then
		rp=$(children "$sp")
		"$T/seizekill" "$(children "$rp")" 30 &
		kp=$!
		defer "kill -9 $kp"
		wait "$sp"
		rc=$? took=$(($(date +%s) - start))
		is "$rc" 125 "child seized and killed by a tracer that never waits: 125"
		ok "... within 10 s, not when the tracer lets go (30 s): $took s" [ "$took" -lt 10 ]
		like "$(cat "$T/sk.err")" "rtexec: child *: gone before the command started, not reaped (traced?)" \
			"... one line saying so"
		kill -9 "$kp"
		wait "$kp" 2>/dev/null || true
	else
		fail "child seized and killed: rtexec's child did not show up"
		kill -9 "$sp"
	fi
fi
