#!/bin/sh
# make bench: what rtexec costs, side by side in one run per group, the commands taking turns
# (shared machines are noisy: compare ratios of one run, never absolute times across runs).
# Every command joins the same runc busybox container and executes a static no-op (bench/noop.c):
#   floor            bench/floor.c: only the unavoidable work (the physical limit)
#   rtexec           as built, on a writable file: it runs from a sealed copy (CVE-2019-5736)
#   rtexec (squashfs) the same binary on a squashfs image: no copy needed (as on an appliance;
#                    a read-only mount or an immutable file gets the copy: README, Security)
#   rtexec annotated the isolated-CPU annotation "temporary" (the squashfs binary)
#   nsenter -a       util-linux, namespaces only
#   runc exec, crun exec
# then the same into a user-namespaced container, into one with a seccomp filter, and on a
# host with 1,000 more mounts; back to back and spaced out (50 ms apart: the cgroup moves'
# RCU tail). Also: stripped size, peak RSS (/usr/bin/time -v), syscall counts (strace -c -f),
# instructions (valgrind --tool=callgrind; not the floor: valgrind 3.19 lacks its syscalls),
# and every step's time (scripts/phases.sh: the kernel's uprobes and sched tracepoints).
# Results: build/bench.md, build/bench.png (gnuplot), build/bench-*.json (hyperfine),
# build/bench-phases.md.
# bench/: floor.c, noop.c (the command), maxrss.c (peak RSS without /usr/bin/time's floor).
# Usage: scripts/bench.sh (as root); N=runs SPACED_N=runs WARMUP=runs ROUNDS=rounds.
set -eu
cd "$(dirname "$0")/.."
rtexec=$PWD/rtexec
runs=${N:-300}
spaced=${SPACED_N:-60}
warmup=${WARMUP:-20}
out=build/bench.md
[ "$(id -u)" = 0 ] || { echo "bench: must run as root" >&2; exit 1; }
[ -x "$rtexec" ] || { echo "bench: $rtexec is missing: run make first" >&2; exit 1; }

tmp=$(mktemp -d /tmp/rtexec-bench.XXXXXX)
ids=
hugetlb=
cleanup() {
	trap '' INT TERM
	for i in $ids; do
		runc delete -f "$i" >/dev/null 2>&1 || true
		crun delete -f "$i" >/dev/null 2>&1 || true
	done
	umount "$tmp/imm" 2>/dev/null || true
	[ -n "$hugetlb" ] && release_hugetlb
	rm -rf "$tmp"
}
# hugetlb goes back to cgroup v2 only once its v1 hierarchy is unmounted with no cgroup left
# in it; a deleted container's cgroup can take a moment to go (else every later join on this
# host would meet an unmounted hierarchy: rtexec warns, tests that expect no warning fail).
# (It runs from the EXIT trap, under set -e: every step may fail.)
release_hugetlb() {
	for _try in 1 2 3 4 5 6 7 8 9 10; do
		rmdir "$hugetlb"/rtx-bench-* 2>/dev/null || true
		umount "$hugetlb" 2>/dev/null || true
		sleep 0.5
		[ "$(awk '$1 == "hugetlb" { print $2 }' /proc/cgroups)" = 0 ] && return 0
		mount -t cgroup -o hugetlb cgroup "$hugetlb" 2>/dev/null || break
	done
	echo "bench: hugetlb is still a cgroup v1 hierarchy (see ../shared/TESTBED.md)" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p build "$tmp/imm"
chmod 755 "$tmp" # the user-namespaced container's root (host uid 100000) passes through it

musl-gcc -static -O2 -isystem build/uapi -o "$tmp/floor" bench/floor.c
musl-gcc -static -O2 -s -o "$tmp/noop" bench/noop.c
musl-gcc -static -O2 -o "$tmp/maxrss" bench/maxrss.c
mkdir -p "$tmp/sqsrc"
cp "$rtexec" "$tmp/sqsrc/rtexec"
mksquashfs "$tmp/sqsrc" "$tmp/rtexec.sqfs" -quiet -noappend >/dev/null &&
	mount -t squashfs -o loop,ro "$tmp/rtexec.sqfs" "$tmp/imm" ||
	{ echo "bench: cannot mount a squashfs image of rtexec" >&2; exit 1; }
imm=$tmp/imm/rtexec
strip -o "$tmp/stripped" "$rtexec"

# bundle DIR ID [JQ]: a busybox bundle running sleep, with a cgroup namespace.
bundle() {
	mkdir -p "$1/rootfs/bin" "$1/rootfs/proc" "$1/rootfs/dev" "$1/rootfs/tmp"
	cp /bin/busybox "$1/rootfs/bin/busybox"
	cp "$tmp/noop" "$1/rootfs/noop"
	for a in sh sleep true; do ln -sf busybox "$1/rootfs/bin/$a"; done
	(cd "$1" && runc spec ${3:+--rootless})
	jq '.process.terminal = false | .process.args = ["sleep", "1000000"] |
		.hostname = "bench" | .root.readonly = false' "$1/config.json" >"$1/c.new"
	mv "$1/c.new" "$1/config.json"
	if [ -z "${3:-}" ]; then
		jq '.linux.namespaces += [{"type": "cgroup"}]' "$1/config.json" >"$1/c.new"
		mv "$1/c.new" "$1/config.json"
	fi
}
start() { # DIR ID RUNTIME: the container's init pid in $started (ids kept for cleanup)
	ids="$ids $2"
	"$3" run -d --bundle "$1" --pid-file "$1/init.pid" "$2" </dev/null >"$1/run.log" 2>&1 ||
		{ echo "bench: $3 run $2 failed: $(tail -n 3 "$1/run.log")" >&2; exit 1; }
	started=$(cat "$1/init.pid")
}
# The cgroup files of a process, as the floor takes them. (IFS=: keeps the empty controller
# field of the v2 line "0::/path"; a whitespace split dropped it, and with it the v2 join.)
cgroup_args() {
	while IFS=: read -r _ c p; do
		if [ -z "$c" ]; then
			d=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)$p
			[ -d "$d" ] && echo "v2:$d"
		else
			d=/sys/fs/cgroup/${c#name=}$p
			[ -f "$d/tasks" ] && echo "$d/tasks"
		fi
	done <"/proc/$1/cgroup" | tr '\n' ' '
}

bundle "$tmp/r" r
start "$tmp/r" "rtx-bench-r-$$" runc
pid=$started
rid=rtx-bench-r-$$
printf '{"target":{"pid":%d},"process":{"args":["/noop"]}}\n' "$pid" >"$tmp/true.json"
printf '{"target":{"pid":%d},"annotations":{"org.opencontainers.runc.exec.isolated-cpu-affinity-transition":"temporary"},"process":{"args":["/noop"]}}\n' \
	"$pid" >"$tmp/annot.json"
floor_cmd="$tmp/floor $pid $(cgroup_args "$pid")-- /noop"

# crun on this hybrid host: only with hugetlb out of cgroup2 (TESTBED.md).
crun_cmd=
if command -v crun >/dev/null 2>&1; then
	hugetlb=$tmp/hugetlb
	mkdir -p "$hugetlb"
	if mount -t cgroup -o hugetlb cgroup "$hugetlb" 2>/dev/null; then
		bundle "$tmp/c" c
		if start "$tmp/c" "rtx-bench-c-$$" crun; then
			crun_cmd="crun exec rtx-bench-c-$$ /noop"
		fi
	else
		hugetlb=
	fi
fi

# hf OUT RUNS WARMUP [hyperfine options and commands]: hyperfine runs one command's runs in
# a block, so a drift of a shared machine would fall on one command; here it runs ROUNDS
# times with RUNS/ROUNDS runs each, the commands taking turns round by round, and OUT holds
# every run's time per command. With hf_wrap set, each round's hyperfine runs under it.
rounds=${ROUNDS:-10}
hf_wrap=
# The median of a command's times, in ms (jq), for hf's progress and the tables below.
median_ms='.times | sort | .[length / 2 | floor] * 1000'
hf() {
	hf_out=$1 hf_runs=$(($2 / rounds)) hf_warm=$((($3 + rounds - 1) / rounds))
	shift 3
	[ "$hf_runs" -ge 2 ] || hf_runs=2
	[ "$hf_warm" -ge 1 ] || hf_warm=1
	i=0
	while [ "$i" -lt "$rounds" ]; do
		$hf_wrap hyperfine -N --style none --warmup "$hf_warm" --runs "$hf_runs" \
			--export-json "$tmp/hf.$i.json" "$@" >/dev/null
		i=$((i + 1))
	done
	jq -s '{results: [range(0; .[0].results | length) as $k |
		{command: .[0].results[$k].command, times: [.[].results[$k].times[]]}]}' \
		"$tmp"/hf.*.json >"$hf_out"
	rm -f "$tmp"/hf.*.json
	jq -r ".results[] | \"\\(.command): median \\($median_ms) ms, \\(.times | length) runs\"" "$hf_out"
}

set -- -n floor "$floor_cmd" \
	-n rtexec "$rtexec -f $tmp/true.json" \
	-n "rtexec (squashfs)" "$imm -f $tmp/true.json" \
	-n "rtexec annotated" "$imm -f $tmp/annot.json" \
	-n "nsenter -a" "nsenter -t $pid -a /noop" \
	-n "runc exec" "runc exec $rid /noop"
[ -n "$crun_cmd" ] && set -- "$@" -n "crun exec" "$crun_cmd"
for cmd in "$floor_cmd" "$rtexec -f $tmp/true.json" "$imm -f $tmp/annot.json"; do
	$cmd || { echo "bench: fails before measuring: $cmd" >&2; exit 1; }
done
hf build/bench-b2b.json "$runs" "$warmup" "$@"
hf build/bench-spaced.json "$spaced" "$rounds" --prepare 'sleep 0.05' "$@"

# A user-namespaced container (rootless spec: its own user namespace, root mapped).
bundle "$tmp/u" u rootless
jq '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
	.linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]' \
	"$tmp/u/config.json" >"$tmp/u/c.new" && mv "$tmp/u/c.new" "$tmp/u/config.json"
chown -R 100000:100000 "$tmp/u/rootfs"
start "$tmp/u" "rtx-bench-u-$$" runc
upid=$started
printf '{"target":{"pid":%d},"process":{"args":["/noop"]}}\n' "$upid" >"$tmp/user.json"
hf build/bench-user.json "$runs" "$warmup" \
	-n "floor (user ns)" "$tmp/floor -U $upid $(cgroup_args "$upid")-- /noop" \
	-n "rtexec (user ns)" "$rtexec -f $tmp/user.json" \
	-n "rtexec (squashfs, user ns)" "$imm -f $tmp/user.json" \
	-n "nsenter -a (user ns)" "nsenter -t $upid -a /noop"

# A container with a seccomp filter (the issue's: noNewPrivileges, mkdir denied): rtexec
# copies it from the interrupted init (ptrace) and installs it; the same container without.
bundle "$tmp/s" s
jq '.process.noNewPrivileges = true | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
	"architectures": ["SCMP_ARCH_X86_64"], "syscalls": [{"names": ["mkdir", "mkdirat"],
	"action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}' "$tmp/s/config.json" >"$tmp/s/c.new" &&
	mv "$tmp/s/c.new" "$tmp/s/config.json"
start "$tmp/s" "rtx-bench-s-$$" runc
spid=$started
grep -q '^Seccomp_filters:[[:space:]]*1' "/proc/$spid/status" ||
	{ echo "bench: the seccomp container runs without its filter" >&2; exit 1; }
printf '{"target":{"pid":%d},"process":{"args":["/noop"]}}\n' "$spid" >"$tmp/seccomp.json"
hf build/bench-seccomp.json "$runs" "$warmup" \
	-n "rtexec (squashfs, no filter)" "$imm -f $tmp/true.json" \
	-n "rtexec (squashfs, filter copied)" "$imm -f $tmp/seccomp.json"

# A host with many mounts (a Kubernetes node has thousands): the same commands, each round in
# a mount namespace of its own with 1,000 tmpfs mounts after the cgroup ones (gone with it).
cat >"$tmp/mounts.sh" <<'EOF'
set -e
cd "$1"
shift
mkdir -p $(seq -f mm/%g 1000)
for d in mm/*; do mount -t tmpfs -o size=4k tmpfs "$d"; done
exec "$@"
EOF
hf_wrap="unshare -m --propagation private sh $tmp/mounts.sh $tmp"
hf build/bench-mounts.json "$runs" "$warmup" -n "floor (1,000 mounts)" "$floor_cmd" \
	-n "rtexec (squashfs, 1,000 mounts)" "$imm -f $tmp/true.json" \
	-n "nsenter -a (1,000 mounts)" "nsenter -t $pid -a /noop"
hf_wrap=

# Size, memory, syscalls, instructions.
# Peak RSS as /usr/bin/time -v reports it (never below time's own copy, about 440 KiB: the
# kernel keeps the peak of the image an exec replaces) and as bench/maxrss.c does (vfork).
rss() {
	t=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p')
	echo "$("$tmp/maxrss" "$@" 2>/dev/null) ($t with time -v)"
}
rss_rt=$(rss "$rtexec" -f "$tmp/true.json")
rss_imm=$(rss "$imm" -f "$tmp/true.json")
rss_floor=$(rss $floor_cmd)
calls() { # syscalls of a process and its children (the command's exec included)
	strace -f -c -o "$tmp/strace" "$@" >/dev/null 2>&1
	awk '$NF == "total" { print $4 }' "$tmp/strace"
}
sys_rt=$(calls "$rtexec" -f "$tmp/true.json")
sys_imm=$(calls "$imm" -f "$tmp/true.json")
sys_floor=$(calls $floor_cmd)
strace -f -c -o build/bench-strace-rtexec.txt "$imm" -f "$tmp/true.json" >/dev/null 2>&1
strace -f -c -o build/bench-strace-floor.txt $floor_cmd >/dev/null 2>&1
# Instructions of rtexec: its parent up to the fork, the child up to its exec of the
# command, the parent after the fork (callgrind dumps before fork_child and execve). The
# child writes its file inside the container, and so does the parent its dump before
# fork_child (it calls it from inside the container's mount namespace): the directory is
# made on both sides, and the files are told apart by pid (the parent's last file is on the
# host's side: it goes back before it exits).
# Valgrind 3.19 refuses a change of RLIMIT_NOFILE's hard limit (its own 12 fds sit under it,
# and getrlimit shows the program 12 less than the real limit): the caller starts with the
# container's NOFILE plus those 12, which rtexec then sees as the container's and leaves
# alone. Valgrind
# does not know pidfd_open and clone3 either (ENOSYS): rtexec takes its fallbacks there (a
# /proc/PID pin, fork and a cgroup.procs write); the floor has none and cannot run.
nofile=$(awk '/^Max open files/ { print $5 }' "/proc/$pid/limits")
insns() {
	rm -rf "$tmp/cg" "$tmp/r/rootfs$tmp/cg"
	mkdir -p "$tmp/cg" "$tmp/r/rootfs$tmp/cg"
	(ulimit -n "$((nofile + 12))" && valgrind --tool=callgrind --dump-before=fork_child* --dump-before=execve \
		--callgrind-out-file="$tmp/cg/out.%p" "$@" >/dev/null 2>"$tmp/cg.err") ||
		{ echo "bench: callgrind: $(tail -n 1 "$tmp/cg.err")" >&2; exit 1; }
	sum() { cat "$@" </dev/null | awk '/^summary:/ { s += $2 } END { print s + 0 }'; }
	all=$(ls "$tmp"/cg/out.* "$tmp/r/rootfs$tmp"/cg/out.* 2>/dev/null)
	ppid=$(ls "$tmp/cg" | sed -n 's/^out\.\([0-9]*\).*/\1/p' | head -n 1)
	before=$(sum $(echo "$all" | grep "/out\.$ppid\.1\$"))
	after=$(sum $(echo "$all" | grep "/out\.$ppid\(\.\|\$\)" | grep -v "/out\.$ppid\.1\$"))
	child=$(sum $(echo "$all" | grep -v "/out\.$ppid\(\.\|\$\)"))
	echo "$((before + child + after)) (parent before the fork $before, child $child, parent after $after)"
}
ins_imm=$(insns "$imm" -f "$tmp/true.json")
# Where the time goes: each step of rtexec (squashfs, so that the probes see the binary
# itself) and of the floor, timestamped by the kernel (scripts/phases.sh).
sh scripts/phases.sh "$imm" "$tmp/true.json" "$runs" -- $floor_cmd >build/bench-phases.md

median() { jq -r --arg n "$2" ".results[] | select(.command == \$n) | $median_ms" "$1"; }
p95() { jq -r --arg n "$2" '.results[] | select(.command == $n) | .times | sort | .[(length * 0.95 | floor)] * 1000' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
names="floor|rtexec|rtexec (squashfs)|rtexec annotated|nsenter -a|runc exec${crun_cmd:+|crun exec}"
{
	echo "# rtexec benchmark"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), kernel $(uname -r), $(nproc) CPUs; hyperfine -N in $rounds rounds, the commands taking turns: $runs runs each after $warmup warm-up (back to back), $spaced runs 50 ms apart (spaced). Times in ms."
	echo
	echo "| command | median | p95 | spaced median | spaced p95 | ratio to floor | ratio to nsenter -a | ratio to runc exec |"
	echo "|---|---|---|---|---|---|---|---|"
	echo "$names" | tr '|' '\n' | while read -r n; do
		m=$(median build/bench-b2b.json "$n")
		echo "| $n | $(printf %.3f "$m") | $(printf %.3f "$(p95 build/bench-b2b.json "$n")") | $(printf %.3f "$(median build/bench-spaced.json "$n")") | $(printf %.3f "$(p95 build/bench-spaced.json "$n")") | $(ratio "$m" "$(median build/bench-b2b.json floor)") | $(ratio "$m" "$(median build/bench-b2b.json "nsenter -a")") | $(ratio "$m" "$(median build/bench-b2b.json "runc exec")") |"
	done
	echo
	if [ -n "$crun_cmd" ]; then
		echo "rtexec / crun exec (median): $(ratio "$(median build/bench-b2b.json rtexec)" "$(median build/bench-b2b.json "crun exec")"), squashfs: $(ratio "$(median build/bench-b2b.json "rtexec (squashfs)")" "$(median build/bench-b2b.json "crun exec")")"
	fi
	echo "The annotation adds $(awk -v a="$(median build/bench-b2b.json "rtexec annotated")" -v b="$(median build/bench-b2b.json "rtexec (squashfs)")" 'BEGIN { printf "%.1f", (a / b - 1) * 100 }') % (median, squashfs binary both)."
	echo
	echo "User namespace:"
	echo
	echo "| command | median | p95 | ratio to floor |"
	echo "|---|---|---|---|"
	for n in "floor (user ns)" "rtexec (user ns)" "rtexec (squashfs, user ns)" "nsenter -a (user ns)"; do
		m=$(median build/bench-user.json "$n")
		echo "| $n | $(printf %.3f "$m") | $(printf %.3f "$(p95 build/bench-user.json "$n")") | $(ratio "$m" "$(median build/bench-user.json "floor (user ns)")") |"
	done
	echo
	echo "Seccomp (a container whose init runs with one filter; rtexec copies and installs it):"
	echo
	echo "| command | median | p95 |"
	echo "|---|---|---|"
	for n in "rtexec (squashfs, no filter)" "rtexec (squashfs, filter copied)"; do
		echo "| $n | $(printf %.3f "$(median build/bench-seccomp.json "$n")") | $(printf %.3f "$(p95 build/bench-seccomp.json "$n")") |"
	done
	echo
	echo "The filter's copy adds $(awk -v a="$(median build/bench-seccomp.json "rtexec (squashfs, filter copied)")" -v b="$(median build/bench-seccomp.json "rtexec (squashfs, no filter)")" 'BEGIN { printf "%.1f", (a / b - 1) * 100 }') % (median)."
	echo
	echo "A host with 1,000 more mounts (after the cgroup ones, in a mount namespace of their own):"
	echo
	echo "| command | median | p95 | ratio to floor |"
	echo "|---|---|---|---|"
	for n in "floor (1,000 mounts)" "rtexec (squashfs, 1,000 mounts)" "nsenter -a (1,000 mounts)"; do
		m=$(median build/bench-mounts.json "$n")
		echo "| $n | $(printf %.3f "$m") | $(printf %.3f "$(p95 build/bench-mounts.json "$n")") | $(ratio "$m" "$(median build/bench-mounts.json "floor (1,000 mounts)")") |"
	done
	echo
	echo "| | rtexec (sealed copy) | rtexec (squashfs) | floor |"
	echo "|---|---|---|---|"
	echo "| stripped size (bytes) | $(stat -c %s "$tmp/stripped") | | $(stat -c %s "$tmp/floor") |"
	echo "| peak RSS (KiB) | $rss_rt | $rss_imm | $rss_floor |"
	echo "| syscalls (strace -c -f) | $sys_rt | $sys_imm | $sys_floor |"
	echo "| instructions (callgrind, until the exec; fallback paths) | | $ins_imm | n/a (needs pidfd_open, clone3) |"
	echo
	echo "## Where the time goes (scripts/phases.sh)"
	echo
	cat build/bench-phases.md
} >"$out"

# The plot: medians with p95 whiskers, back to back and spaced.
echo "$names" | tr '|' '\n' | while read -r n; do
	printf '"%s" %s %s %s %s\n' "$n" "$(median build/bench-b2b.json "$n")" "$(p95 build/bench-b2b.json "$n")" \
		"$(median build/bench-spaced.json "$n")" "$(p95 build/bench-spaced.json "$n")"
done >"$tmp/plot.dat"
gnuplot <<G
set terminal pngcairo size 1000,520 font ",11"
set output "build/bench.png"
set title "rtexec: join a runc busybox container and exec /noop ($(uname -r), $(nproc) CPUs)"
set ylabel "ms (median, whisker: p95)"
set logscale y
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set boxwidth 0.9
set xtics rotate by -20 noenhanced
set key top left
set grid ytics
plot "$tmp/plot.dat" using 2:2:3:xtic(1) title "back to back", "" using 4:4:5 title "50 ms apart"
G
cat "$out"
echo "results: $out, build/bench.png"
