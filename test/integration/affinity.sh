#!/bin/sh
# CPU placement on the real kernel: the 6.2+ affinity leak, the isolated-CPU transition
# annotation with a fake nohz_full (a file bind-mounted over /proc/cmdline in a private mount
# namespace), execCPUAffinity, the scheduler, and --dry-run plans against fake cpuset files.
. "$(dirname "$0")/../lib.sh"

command -v taskset >/dev/null 2>&1 || skip_all "taskset is not installed"
command -v chrt >/dev/null 2>&1 || skip_all "chrt is not installed"
ONLINE=$(cat /sys/devices/system/cpu/online)
[ "$ONLINE" = 0 ] && skip_all "one CPU only: no placement to observe"
start_runc_ctr || bail "cannot start a runc container"
CPUSET=/sys/fs/cgroup/cpuset/$CTR_ID
[ -f "$CPUSET/cpuset.effective_cpus" ] || bail "no v1 cpuset cgroup $CPUSET for the container"
C=$(cat "$CPUSET/cpuset.effective_cpus")
FIRST=${C%%[-,]*}
TAN='"annotations":{"org.opencontainers.runc.exec.isolated-cpu-affinity-transition":'
GET='grep Cpus_allowed_list /proc/self/status | cut -f2'

# fake FILE=CONTENT...: a wrapper that runs rtexec in a private mount namespace where each
# FILE shows CONTENT (bind mounts vanish with the namespace: nothing to clean up).
fake() {
	_w="$T/fake$(date +%s%N)"
	{
		echo '#!/bin/sh'
		echo 'set -e'
		for _kv in "$@"; do
			_f=${_kv%%=*}
			_src="$_w.$(echo "$_f" | tr / _)"
			printf '%s\n' "${_kv#*=}" >"$_src"
			echo "mount --bind '$_src' '$_f'"
		done
		echo "exec '$RTEXEC' \"\$@\""
	} >"$_w.inner"
	printf '#!/bin/sh\nexec unshare -m --propagation private sh %s "$@"\n' "$_w.inner" >"$_w"
	chmod +x "$_w"
	echo "$_w"
}
after_join() { # the affinity rtexec's debug log shows right after the cgroup join
	echo "$ERR" | sed -n 's/.*CPU affinity after joining the cgroup: //p'
}
cpus_of() { # the command's Cpus_allowed_list, with RTEXEC=$1 and a config
	_r=$1
	shift
	RTEXEC=$_r rx "$@" -- sh -c "$GET"
}

# ---- the caller's affinity never leaks into the container (Linux >= 6.2)
printf '%s\n' "$(cfg "$CTR_PID")" >"$T/plain.json"
got=$(taskset -c "$FIRST" "$RTEXEC" -f "$T/plain.json" -- sh -c "$GET")
is "$got" "$C" "taskset -c $FIRST rtexec: the command gets the cpuset's CPUs ($C)"
got=$(taskset -c "$FIRST" sh -c "echo \$\$ >$CPUSET/cgroup.procs; $GET")
diag "for comparison, a plain cgroup.procs write under taskset -c $FIRST gives: $got"

# ---- the transition annotation, with nohz_full faked on the kernel command line
NOHZ_LAST=$(fake "/proc/cmdline=ro nohz_full=1 quiet" "/sys/devices/system/cpu/isolated=")
NOHZ_FIRST=$(fake "/proc/cmdline=ro nohz_full=0 quiet" "/sys/devices/system/cpu/isolated=")
NOHZ_ALL=$(fake "/proc/cmdline=nohz_full=$ONLINE" "/sys/devices/system/cpu/isolated=")
NOHZ_NONE=$(fake "/proc/cmdline=ro quiet" "/sys/devices/system/cpu/isolated=")

cpus_of "$NOHZ_LAST" "$(cfg "$CTR_PID" "$TAN\"temporary\"}")"
is "$OUT" "$C" "temporary, nohz_full=1: the final affinity is the cpuset"
RTEXEC=$NOHZ_LAST rx "$(cfg "$CTR_PID" "$TAN\"temporary\"}")" --log-level debug -- true
is "$(after_join)" 0 "temporary, nohz_full=1: pinned to CPU 0 across the join"
cpus_of "$NOHZ_LAST" "$(cfg "$CTR_PID" "$TAN\"definitive\"}")"
is "$OUT" 0 "definitive, nohz_full=1: stays on the eligible CPU 0"
cpus_of "$NOHZ_FIRST" "$(cfg "$CTR_PID" "$TAN\"definitive\"}")"
is "$OUT" 1 "definitive, nohz_full=0: the first housekeeping CPU is 1"
cpus_of "$NOHZ_ALL" "$(cfg "$CTR_PID" "$TAN\"definitive\"}")"
is "$OUT" 0 "definitive, every CPU isolated: the cpuset's first CPU"
cpus_of "$NOHZ_NONE" "$(cfg "$CTR_PID" "$TAN\"definitive\"}")"
is "$OUT" "$C" "definitive, nothing isolated: reset to the cpuset"
RTEXEC=$NOHZ_NONE rx "$(cfg "$CTR_PID" "$TAN\"definitive\"}")" --log-level debug -- true
is "$(echo "$ERR" | sed -n 's/.*CPU affinity before joining the cgroup: //p')" "$ONLINE" \
	"nothing isolated: no pin before the join"
# Safe by default (README): a child that moves itself into a v1 cpuset is pinned to E first
# even without the annotation, and ends up with the whole cpuset.
RTEXEC=$NOHZ_LAST rx "$(cfg "$CTR_PID")" --log-level debug -- sh -c "$GET"
is "$(echo "$ERR" | sed -n 's/.*CPU affinity before joining the cgroup: //p')" 0 \
	"no annotation, nohz_full=1, v1 cpuset: pinned to E (CPU 0) before the join"
is "$OUT" "$C" "no annotation, nohz_full=1: the final affinity is the cpuset"
cpus_of "$NOHZ_LAST" "$(cfg "$CTR_PID" "$TAN\"definitive\"},\"isolatedCpus\":\"\"")"
is "$OUT" "$C" "isolatedCpus \"\" overrides nohz_full: nothing isolated"
cpus_of "$NOHZ_NONE" "$(cfg "$CTR_PID" "$TAN\"definitive\"},\"isolatedCpus\":\"0\"")"
is "$OUT" 1 "isolatedCpus 0 overrides detection: eligible CPU 1"

rx "$(cfg "$CTR_PID" "$TAN\"Temporary\"}")" -- true
is_rc 125 "a bad annotation value is refused"
err_one_line "bad annotation: names it and the value" \
	'*org.opencontainers.runc.exec.isolated-cpu-affinity-transition*"Temporary"*'
rx "$(cfg "$CTR_PID" '"isolatedCpus":"99999"')" -- true
is_rc 125 "a CPU beyond the kernel's limit is refused"
err_one_line "beyond the limit: says so" "*beyond the kernel's limit*"

# ---- execCPUAffinity
ECA() { echo "\"process\":{\"args\":[\"true\"],\"execCPUAffinity\":{$1}}"; }
cpus_of "$RTEXEC" "$(cfg "$CTR_PID" "$(ECA '"initial":"1"')")"
is "$OUT" 1 "initial 1 without final nor annotation: the kernel keeps it"
cpus_of "$RTEXEC" "$(cfg "$CTR_PID" "$(ECA '"initial":"1","final":"0"')")"
is "$OUT" 0 "initial 1, final 0: final wins"
cpus_of "$RTEXEC" "$(cfg "$CTR_PID" "$(ECA '"final":"1"')")"
is "$OUT" 1 "final 1 alone"
cpus_of "$NOHZ_LAST" "$(cfg "$CTR_PID" "$TAN\"temporary\"},$(ECA '"initial":"1"')")"
is "$OUT" "$C" "initial 1 with temporary: reset after the join"
RTEXEC=$NOHZ_LAST rx "$(cfg "$CTR_PID" "$TAN\"temporary\"},$(ECA '"initial":"1"')")" --log-level debug -- true
is "$(after_join)" 1 "initial 1 wins over the eligible CPU 0"
cpus_of "$NOHZ_LAST" "$(cfg "$CTR_PID" "$TAN\"definitive\"},$(ECA '"initial":"1"')")"
is "$OUT" 0 "initial 1 with definitive: final is the eligible CPU"

# ---- the scheduler, after the final affinity (SCHED_DEADLINE needs the full mask)
RT=/sys/fs/cgroup/cpu/$CTR_ID/cpu.rt_runtime_us
[ -f "$RT" ] && echo 10000 >"$RT" 2>/dev/null
# sched_of RTEXEC SCHEDULER-JSON [EXTRA]: chrt -p of the running command, read on the host;
# rtexec stays in the foreground so that it reaps the command we kill.
sched_of() {
	rm -f "$T/sched.pid"
	_x=
	[ -n "${3:-}" ] && _x="$3,"
	cfg "$CTR_PID" "$_x\"pidFile\":\"$T/sched.pid\",\"process\":{\"args\":[\"sleep\",\"30\"],\"scheduler\":$2}" |
		"$1" >"$T/sched.out" 2>&1 &
	_bg=$!
	if wait_for 10 test -s "$T/sched.pid"; then
		chrt -p "$(cat "$T/sched.pid")"
		kill -9 "$(cat "$T/sched.pid")"
	fi
	wait "$_bg"
	cat "$T/sched.out"
}
got=$(sched_of "$RTEXEC" '{"policy":"SCHED_FIFO","priority":10}')
like "$got" "*policy: SCHED_FIFO*priority: 10*" "SCHED_FIFO 10 seen with chrt -p"
got=$(sched_of "$RTEXEC" '{"policy":"SCHED_DEADLINE","runtime":1000000,"deadline":10000000,"period":10000000}')
like "$got" "*policy: SCHED_DEADLINE*1000000/10000000/10000000*" "SCHED_DEADLINE seen with chrt -p"
got=$(sched_of "$NOHZ_LAST" '{"policy":"SCHED_DEADLINE","runtime":1000000,"deadline":10000000,"period":10000000}' "$TAN\"temporary\"}")
like "$got" "*policy: SCHED_DEADLINE*" "SCHED_DEADLINE after a pinned join: set after the final affinity"
got=$(sched_of "$RTEXEC" '{"policy":"SCHED_BATCH","nice":5}')
like "$got" "*policy: SCHED_BATCH*" "SCHED_BATCH seen with chrt -p"
got=$(sched_of "$RTEXEC" '{"policy":"SCHED_IDLE"}')
like "$got" "*policy: SCHED_IDLE*" "SCHED_IDLE seen with chrt -p"
[ -f "$RT" ] && echo 0 >"$RT" 2>/dev/null
rx "$(cfg "$CTR_PID" '"process":{"args":["true"],"scheduler":{"policy":"SCHED_FIFO","priority":10}}')"
if [ -f "$RT" ]; then
	is_rc 125 "SCHED_FIFO in a cgroup without RT runtime: refused"
	err_one_line "no RT runtime: the kernel's reason and a hint" "*Operation not permitted*rt_runtime_us*"
fi

# ---- --dry-run against fake cpuset files, CPU numbers this machine lacks included
plan_cpus() { # plan_cpus CPUSET ISOLATED ANNOTATION [EXTRA]: the plan's cpus block
	_r=$(fake "$CPUSET/cpuset.effective_cpus=$1" "/sys/devices/system/cpu/isolated=$2" \
		"/proc/cmdline=ro quiet" "/sys/devices/system/cpu/kernel_max=8191")
	_a=
	[ -n "$3" ] && _a="$TAN\"$3\"},"
	RTEXEC=$_r rx "$(cfg "$CTR_PID" "$_a\"process\":{\"args\":[\"true\"]${4:-}}")" --dry-run
	echo "$OUT" | jq -c .cpus
}
is "$(plan_cpus 0-15 2-15 temporary)" \
	'{"cgroup":"0-15","isolated":"2-15","transition":"temporary","initial":"0","final":"0-15"}' \
	"plan: temporary on a 16-CPU cpuset"
is "$(plan_cpus 4-7,200-8191 200-8191 definitive)" \
	'{"cgroup":"4-7,200-8191","isolated":"200-8191","transition":"definitive","initial":"4","final":"4"}' \
	"plan: definitive up to CPU 8191"
is "$(plan_cpus 5000-5001 0-8191 definitive)" \
	'{"cgroup":"5000-5001","isolated":"0-8191","transition":"definitive","initial":"5000","final":"5000"}' \
	"plan: all isolated, beyond 1024: the cpuset's first CPU"
is "$(plan_cpus 8-9 100 temporary)" \
	'{"cgroup":"8-9","isolated":"100","transition":"temporary","initial":null,"final":"8-9"}' \
	"plan: disjoint: no pin, reset shown as the cpuset"
is "$(plan_cpus 0-3 "" "")" \
	'{"cgroup":"0-3","isolated":"","transition":null,"initial":null,"final":"0-3"}' \
	"plan: nothing given: reset"
is "$(plan_cpus 0-3 2-3 "" ',"execCPUAffinity":{"initial":"3"}')" \
	'{"cgroup":"0-3","isolated":"2-3","transition":null,"initial":"3","final":null}' \
	"plan: initial without final nor annotation: final unchanged (null)"
is "$(leftovers "$CTR_PID")" "" "nothing of rtexec is left running"
