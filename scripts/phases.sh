#!/bin/sh
# scripts/phases.sh BIN CONFIG RUNS -- FLOOR...: where a join's time goes, step by step, in
# the real binary on the real kernel. BIN is an rtexec with its symbols (the build's, not the
# stripped install) on a file it need not copy (on squashfs, bench.sh: a sealed copy is a
# memfd the probes do not see); FLOOR is the floor's command line.
#
# The kernel timestamps (trace_clock mono, one clock for every CPU) the entry of rtexec's
# step functions with uprobes, and the fork, exec and exit of every process with the sched
# tracepoints, in a tracing instance of its own (nothing of the global trace is touched).
# The difference between one step's entry and the next is that step's time; printed are the
# medians over RUNS joins, as a markdown table, then the floor's steps the same way. Each
# probe hit costs a trap (a few us): the totals with and without the probes are both shown.
# Usage (root): scripts/phases.sh build/imm/rtexec cfg.json 300 -- ./floor PID ... -- /noop
set -eu
[ "$#" -ge 5 ] && [ "$4" = -- ] || {
	echo "usage: $0 BIN CONFIG RUNS -- FLOOR-COMMAND..." >&2
	exit 2
}
bin=$(readlink -f "$1") cfg=$2 runs=$3
shift 4
tracefs=/sys/kernel/tracing
# A machine whose init mounted no tracefs (a microVM): mount it here, and unmount at the end.
mounted_tracefs=
if [ ! -e "$tracefs/uprobe_events" ] && grep -qw tracefs /proc/filesystems &&
	mount -t tracefs nodev "$tracefs" 2>/dev/null; then
	mounted_tracefs=1
fi
[ -w "$tracefs/uprobe_events" ] || {
	[ -z "$mounted_tracefs" ] || umount "$tracefs"
	echo "phases: no $tracefs/uprobe_events (tracefs not mounted, or a kernel without uprobes)" >&2
	exit 1
}
inst=$tracefs/instances/rtexec-phases-$$
group=rtxph$$
tmp=$(mktemp -d /tmp/rtexec-phases.XXXXXX)

# The step functions, parent then child, in the order they run. Each probe sits on the
# function's first push, which the kernel emulates at a hit; any other instruction would be
# single-stepped, which costs tens of us in a virtual machine (the first push follows at most
# a test and a branch; a function left before it, e.g. with nothing to do, shows as n/a).
# join_mask is the setns of the pid, time, mount, network, IPC and UTS namespaces in the parent
# (before the fork) and of the user and cgroup namespaces in the child.
parent_steps="main selfexe_protect config_parse target_open cg_plan_open ns_plan_open
cg_effective_cpus placement_resolve confinement_self confinement_read attrs_resolve
seccomp_resolve target_check sync_channel join_mask child_release child_wait_exec cg_plan_close
supervise"
child_steps="child_main cg_join_v1_self sync_expect attrs_apply_privileged env_build
attrs_caps_before_uid attrs_caps_after_uid enter_cwd attrs_apply_last"

cleanup() {
	trap '' INT TERM
	[ -d "$inst" ] && {
		echo 0 >"$inst/tracing_on"
		echo 0 >"$inst/events/enable"
		rmdir "$inst"
	}
	for f in $parent_steps $child_steps; do
		echo "-:$group/$f" >>"$tracefs/uprobe_events" 2>/dev/null || true
	done
	rm -rf "$tmp"
	[ -z "$mounted_tracefs" ] || umount "$tracefs" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A function's file offset: its address in the executable LOAD segment, less that
# segment's address, plus the segment's offset in the file.
seg=$(readelf -lW "$bin" | awk '$1 == "LOAD" && / R E / { print $2, $3, $6; exit }')
[ -n "$seg" ] || { echo "phases: $bin: no executable segment" >&2; exit 1; }
read -r seg_off seg_va seg_size <<EOF
$seg
EOF
readelf -sW "$bin" | awk '$4 == "FUNC" { print $8, $2, $3 }' >"$tmp/syms"
mkdir "$inst"
for f in $parent_steps $child_steps; do
	sym=$(awk -v f="$f" '$1 == f || index($1, f ".") == 1 { print $2, $3; exit }' "$tmp/syms")
	a=${sym% *} size=${sym#* }
	[ -n "$sym" ] && [ $((0x$a)) -ge $((seg_va)) ] && [ $((0x$a)) -lt $((seg_va + seg_size)) ] || {
		echo "phases: $bin has no function $f (stripped, or it was renamed)" >&2
		exit 1
	}
	# The first push within the function's first 32 bytes (not the next function's: a
	# small function may have none).
	[ "$size" -lt 32 ] || size=32
	push=$(objdump -d --start-address=0x$a --stop-address=$((0x$a + size)) "$bin" |
		awk -F '\t' '/^ +[0-9a-f]+:/ && $3 ~ /^push/ { sub(/:.*/, "", $1); print $1; exit }' | tr -d ' ')
	[ -n "$push" ] || {
		echo "phases: $f has no push near its start: its probe would be single-stepped" >&2
		exit 1
	}
	a=$push
	printf 'p:%s/%s %s:0x%x\n' "$group" "$f" "$bin" $((0x$a - seg_va + seg_off)) >>"$tracefs/uprobe_events"
done
echo mono >"$inst/trace_clock"
echo 8192 >"$inst/buffer_size_kb"
for e in sched_process_fork sched_process_exec sched_process_exit; do
	echo 1 >"$inst/events/sched/$e/enable"
done

# trace RUNS CMD...: run CMD RUNS times with the instance recording; its trace into stdout.
trace() {
	n=$1
	shift
	echo >"$inst/trace"
	echo 1 >"$inst/tracing_on"
	i=0
	while [ "$i" -lt "$n" ]; do
		"$@" >/dev/null 2>&1 || { echo "phases: fails: $*" >&2; exit 1; }
		i=$((i + 1))
	done
	echo 0 >"$inst/tracing_on"
	cat "$inst/trace"
}

# One line per event: time (us), pid, event, detail (exec: the file; fork: the child's pid).
events() {
	awk '
	/^#/ { next }
	{
		for (i = 1; i <= NF; i++) if ($i ~ /^\[[0-9]+\]$/) break
		pid = $(i - 1); sub(/.*-/, "", pid)
		for (j = i + 1; j <= NF; j++) if ($j ~ /^[0-9]+\.[0-9]+:$/) break
		t = $j; sub(/:$/, "", t)
		ev = $(j + 1); sub(/:$/, "", ev)
		d = ""
		if (ev == "sched_process_exec") { d = $(j + 2); sub(/^filename=/, "", d) }
		if (ev == "sched_process_fork") { d = $NF; sub(/^child_pid=/, "", d) }
		printf "%.3f %s %s %s\n", t * 1e6, pid, ev, d
	}'
}

# Steps of one kind of run. The tool is the process that executes BIN (or the floor); its
# child is the one it forks; "exec" and "exit" are the child's command, "end" the tool's exit.
# Prints "label median" lines, in the order of the labels.
steps() { # BINPATH LABELS (label=from=to, space separated; from, to: event names)
	awk -v tool="$1" -v labels="$2" '
	function med(arr, n,   i, j, x) {
		for (i = 2; i <= n; i++) { x = arr[i]; for (j = i - 1; j >= 1 && arr[j] > x; j--) arr[j + 1] = arr[j]; arr[j + 1] = x }
		return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
	}
	function finish(p,   k, a, n) {
		for (k = 1; k <= nl; k++) {
			split(lab[k], a, "=")
			if ((p SUBSEP a[2]) in at && (p SUBSEP a[3]) in at) {
				n = ++cnt[k]; val[k, n] = at[p, a[3]] - at[p, a[2]]
			}
		}
		delete kid[kidof[p]]
	}
	BEGIN { nl = split(labels, lab, " ") }
	$3 == "sched_process_exec" && $4 == tool { run[$2] = 1; at[$2, "start"] = $1; next }
	$3 == "sched_process_fork" && ($2 in run) && !(($2 SUBSEP "fork") in at) {
		at[$2, "fork"] = $1; kid[$4] = $2; kidof[$2] = $4; next
	}
	($2 in kid) && $3 == "sched_process_exec" { at[kid[$2], "exec"] = $1; next }
	($2 in kid) && $3 == "sched_process_exit" { at[kid[$2], "exit"] = $1; next }
	($2 in kid) { if (!((kid[$2] SUBSEP "c." $3) in at)) at[kid[$2], "c." $3] = $1; next }
	($2 in run) && $3 == "sched_process_exit" { at[$2, "end"] = $1; finish($2); delete run[$2]; next }
	($2 in run) { if (!(($2 SUBSEP $3) in at)) at[$2, $3] = $1 }
	END {
		for (k = 1; k <= nl; k++) {
			split(lab[k], a, "=")
			n = cnt[k]; for (i = 1; i <= n; i++) v[i] = val[k, i]
			printf "%s %.1f %d\n", a[1], n ? med(v, n) : -1, n
		}
	}'
}

# The labels: what runs between two events (label=from=to; underscores print as spaces).
rt_labels="whole_run=start=end
parent:_exec_to_main=start=main
parent:_command_line=main=selfexe_protect
parent:_binary_check,_read_the_config=selfexe_protect=config_parse
parent:_parse_the_config=config_parse=target_open
parent:_target_(pidfd,_/proc/PID,_stat)=target_open=cg_plan_open
parent:_cgroup_plan_(cgroup,_mountinfo,_open_tasks,_frozen?)=cg_plan_open=ns_plan_open
parent:_namespace_plan_(16_readlinks)=ns_plan_open=cg_effective_cpus
parent:_cpuset_CPUs=cg_effective_cpus=placement_resolve
parent:_placement_(cmdline,_isolated,_affinity)=placement_resolve=confinement_self
parent:_own_limits_and_task_attributes=confinement_self=confinement_read
parent:_target_confinement_(status,_limits,_oom,_sched,_slack)=confinement_read=attrs_resolve
parent:_attributes=attrs_resolve=seccomp_resolve
parent:_seccomp=seccomp_resolve=target_check
parent:_target_still_alive,_signals,_pid_file=target_check=sync_channel
parent:_socketpair,_pin,_v1_freezer_recheck=sync_channel=join_mask
parent:_setns_pid,_mnt,_net,_ipc,_uts,_clone3_to_fork_done=join_mask=fork
parent:_fork_done_to_clone3_return,_back_to_own_mounts,_v2_join=fork=child_release
parent:_say_go=child_release=child_wait_exec
parent:_wait_for_the_exec=child_wait_exec=cg_plan_close
parent:_close_cgroup_fds=cg_plan_close=supervise
parent:_command_exit_to_own_exit=exit=end
child:_fork_done_to_first_step=fork=c.child_main
child:_harden=c.child_main=c.cg_join_v1_self
child:_v1_cgroup_writes=c.cg_join_v1_self=c.sync_expect
child:_wait_for_go=c.sync_expect=c.attrs_apply_privileged
child:_oom_score_adj,_limits=c.attrs_apply_privileged=c.join_mask
child:_setns_user,_cgroup,_close_fds=c.join_mask=c.env_build
child:_environment,_passwd=c.env_build=c.attrs_caps_before_uid
child:_bounding_set_(one_prctl_a_capability)=c.attrs_caps_before_uid=c.attrs_caps_after_uid
child:_capset,_umask=c.attrs_caps_after_uid=c.enter_cwd
child:_cwd,_affinity=c.enter_cwd=c.attrs_apply_last
child:_last_attributes,_execve_to_exec_done=c.attrs_apply_last=exec
command:_exec_to_exit=exec=exit"
floor_labels="whole_run=start=end
floor:_exec_to_fork_(pidfd,_open_cgroups,_setns)=start=fork
child:_fork_to_exec_done_(v1_writes,_setns,_execve)=fork=exec
command:_exec_to_exit=exec=exit
floor:_command_exit_to_own_exit=exit=end"
rt_labels=$(echo "$rt_labels" | tr '\n' ' ')
floor_labels=$(echo "$floor_labels" | tr '\n' ' ')

echo 1 >"$inst/events/$group/enable"
trace "$runs" "$bin" -f "$cfg" >"$tmp/raw"
events <"$tmp/raw" >"$tmp/probed"
echo 0 >"$inst/events/$group/enable"
trace "$runs" "$bin" -f "$cfg" >"$tmp/raw"
events <"$tmp/raw" >"$tmp/plain"
trace "$runs" "$@" >"$tmp/raw"
events <"$tmp/raw" >"$tmp/floor"
steps "$bin" "$rt_labels" <"$tmp/probed" >"$tmp/rt"
steps "$bin" "whole_run=start=end" <"$tmp/plain" >"$tmp/rt-plain"
steps "$1" "$floor_labels" <"$tmp/floor" >"$tmp/fl"

show() { awk '{ l = $1; gsub(/_/, " ", l); printf "| %s | %s | %d |\n", l, $2 < 0 ? "n/a" : $2, $3 }' "$1"; }
echo "rtexec (squashfs), medians of $runs joins, in us (from the kernel's"
echo "timestamps; each row is the median of its own, so rows need not add up to the whole run):"
echo
echo "| step | median us | runs |"
echo "|---|---|---|"
show "$tmp/rt"
echo
plain=$(awk '{ print $2 }' "$tmp/rt-plain")
probed=$(awk 'NR == 1 { print $2 }' "$tmp/rt")
least=$(awk 'NR > 1 && $2 >= 0 && (m == "" || $2 < m) { m = $2 } END { print m }' "$tmp/rt")
echo "Each row includes one probe hit, which the smallest row ($least us, a step that does next to" \
	"nothing) bounds. The whole run took $probed us with the probes, $plain us without them" \
	"(the kernel also copies every probed page of the binary at each exec)."
echo
echo "The floor, the same way:"
echo
echo "| step | median us | runs |"
echo "|---|---|---|"
show "$tmp/fl"
