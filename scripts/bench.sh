#!/bin/sh
# make bench: what rtexec costs, side by side in one hyperfine run per group (shared machines
# are noisy: compare ratios of one run, never absolute times across runs). Every command
# joins the same runc busybox container and executes its static /bin/true:
#   floor            bench/floor.c: only the unavoidable work (the physical limit)
#   rtexec           as built, on a writable file: it runs from a sealed copy (CVE-2019-5736)
#   rtexec (immut.)  the same binary made immutable: no copy needed (as on an appliance)
#   rtexec annotated the isolated-CPU annotation "temporary" (immutable binary)
#   nsenter -a       util-linux, namespaces only
#   runc exec, crun exec
# then the same into a user-namespaced container, and into one with a seccomp filter; back to
# back and spaced out (50 ms apart: the cgroup moves' RCU tail). Also: stripped size, peak
# RSS (/usr/bin/time -v), syscall counts (strace -c -f) and instructions (valgrind
# --tool=callgrind) of rtexec and the floor.
# Results: build/bench.md, build/bench.png (gnuplot), build/bench-*.json (hyperfine).
# Usage: scripts/bench.sh (as root); N=runs SPACED_N=runs WARMUP=runs.
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
	chattr -i "$tmp/imm/rtexec" 2>/dev/null || true
	if [ -n "$hugetlb" ]; then
		umount "$hugetlb" 2>/dev/null || true
		umount "$hugetlb" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p build "$tmp/imm"

musl-gcc -static -O2 -isystem build/uapi -o "$tmp/floor" bench/floor.c
cp "$rtexec" "$tmp/imm/rtexec"
chattr +i "$tmp/imm/rtexec" || { echo "bench: chattr +i failed" >&2; exit 1; }
imm=$tmp/imm/rtexec
strip -o "$tmp/stripped" "$rtexec"

# bundle DIR ID [JQ]: a busybox bundle running sleep, with a cgroup namespace.
bundle() {
	mkdir -p "$1/rootfs/bin" "$1/rootfs/proc" "$1/rootfs/dev" "$1/rootfs/tmp"
	cp /bin/busybox "$1/rootfs/bin/busybox"
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
start() { # DIR ID RUNTIME
	ids="$ids $2"
	"$3" run -d --bundle "$1" --pid-file "$1/init.pid" "$2" </dev/null >/dev/null 2>&1 ||
		{ echo "bench: $3 run $2 failed" >&2; exit 1; }
	cat "$1/init.pid"
}
# The cgroup files of a process, as the floor takes them.
cgroup_args() {
	sed -n 's/^[0-9]*:\([^:]*\):\(.*\)$/\1 \2/p' "/proc/$1/cgroup" | while read -r c p; do
		if [ -z "$c" ]; then
			d=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)$p
			[ -d "$d" ] && echo "v2:$d"
		else
			d=/sys/fs/cgroup/${c#name=}$p
			[ -f "$d/tasks" ] && echo "$d/tasks"
		fi
	done | tr '\n' ' '
}

bundle "$tmp/r" r
pid=$(start "$tmp/r" "rtx-bench-r-$$" runc)
rid=rtx-bench-r-$$
printf '{"target":{"pid":%d},"process":{"args":["/bin/true"]}}\n' "$pid" >"$tmp/true.json"
printf '{"target":{"pid":%d},"annotations":{"org.opencontainers.runc.exec.isolated-cpu-affinity-transition":"temporary"},"process":{"args":["/bin/true"]}}\n' \
	"$pid" >"$tmp/annot.json"
floor_cmd="$tmp/floor $pid $(cgroup_args "$pid")-- /bin/true"

# crun on this hybrid host: only with hugetlb out of cgroup2 (TESTBED.md).
crun_cmd=
if command -v crun >/dev/null 2>&1; then
	hugetlb=$tmp/hugetlb
	mkdir -p "$hugetlb"
	if mount -t cgroup -o hugetlb cgroup "$hugetlb" 2>/dev/null; then
		bundle "$tmp/c" c
		if start "$tmp/c" "rtx-bench-c-$$" crun >/dev/null; then
			crun_cmd="crun exec rtx-bench-c-$$ /bin/true"
		fi
	else
		hugetlb=
	fi
fi

set -- -n floor "$floor_cmd" \
	-n rtexec "$rtexec -f $tmp/true.json" \
	-n "rtexec (immutable)" "$imm -f $tmp/true.json" \
	-n "rtexec annotated" "$imm -f $tmp/annot.json" \
	-n "nsenter -a" "nsenter -t $pid -a /bin/true" \
	-n "runc exec" "runc exec $rid /bin/true"
[ -n "$crun_cmd" ] && set -- "$@" -n "crun exec" "$crun_cmd"
for cmd in "$floor_cmd" "$rtexec -f $tmp/true.json" "$imm -f $tmp/annot.json"; do
	$cmd || { echo "bench: fails before measuring: $cmd" >&2; exit 1; }
done
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json build/bench-b2b.json "$@"
hyperfine -N --warmup 3 --runs "$spaced" --prepare 'sleep 0.05' --export-json build/bench-spaced.json "$@"

# A user-namespaced container (rootless spec: its own user namespace, root mapped).
bundle "$tmp/u" u rootless
jq '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
	.linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]' \
	"$tmp/u/config.json" >"$tmp/u/c.new" && mv "$tmp/u/c.new" "$tmp/u/config.json"
chown -R 100000:100000 "$tmp/u/rootfs"
upid=$(start "$tmp/u" "rtx-bench-u-$$" runc)
printf '{"target":{"pid":%d},"process":{"args":["/bin/true"]}}\n' "$upid" >"$tmp/user.json"
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json build/bench-user.json \
	-n "floor (user ns)" "$tmp/floor -U $upid $(cgroup_args "$upid")-- /bin/true" \
	-n "rtexec (user ns)" "$rtexec -f $tmp/user.json" \
	-n "rtexec (immutable, user ns)" "$imm -f $tmp/user.json" \
	-n "nsenter -a (user ns)" "nsenter -t $upid -a /bin/true"

# A container with a seccomp filter (the issue's: noNewPrivileges, mkdir denied): rtexec
# copies it from the interrupted init (ptrace) and installs it; the same container without.
bundle "$tmp/s" s
jq '.process.noNewPrivileges = true | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
	"architectures": ["SCMP_ARCH_X86_64"], "syscalls": [{"names": ["mkdir", "mkdirat"],
	"action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}' "$tmp/s/config.json" >"$tmp/s/c.new" &&
	mv "$tmp/s/c.new" "$tmp/s/config.json"
spid=$(start "$tmp/s" "rtx-bench-s-$$" runc)
grep -q '^Seccomp_filters:[[:space:]]*1' "/proc/$spid/status" ||
	{ echo "bench: the seccomp container runs without its filter" >&2; exit 1; }
printf '{"target":{"pid":%d},"process":{"args":["/bin/true"]}}\n' "$spid" >"$tmp/seccomp.json"
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json build/bench-seccomp.json \
	-n "rtexec (immutable, no filter)" "$imm -f $tmp/true.json" \
	-n "rtexec (immutable, filter copied)" "$imm -f $tmp/seccomp.json"

# Size, memory, syscalls, instructions.
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'; }
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
insns() { # instructions of a process and its children up to their exec of the command
	rm -f "$tmp"/callgrind.out.*
	valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind.out.%p" "$@" >/dev/null 2>&1
	cat "$tmp"/callgrind.out.* | awk '/^summary:/ { s += $2 } END { print s }'
}
ins_imm=$(insns "$imm" -f "$tmp/true.json")
ins_floor=$(insns $floor_cmd)

median() { jq -r --arg n "$2" '.results[] | select(.command == $n) | .median * 1000' "$1"; }
p95() { jq -r --arg n "$2" '.results[] | select(.command == $n) | .times | sort | .[(length * 0.95 | floor)] * 1000' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
names="floor|rtexec|rtexec (immutable)|rtexec annotated|nsenter -a|runc exec${crun_cmd:+|crun exec}"
{
	echo "# rtexec benchmark"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), kernel $(uname -r), $(nproc) CPUs; hyperfine -N, $runs runs after $warmup warm-up (back to back), $spaced runs 50 ms apart (spaced). Times in ms."
	echo
	echo "| command | median | p95 | spaced median | spaced p95 | ratio to floor | ratio to nsenter -a | ratio to runc exec |"
	echo "|---|---|---|---|---|---|---|---|"
	echo "$names" | tr '|' '\n' | while read -r n; do
		m=$(median build/bench-b2b.json "$n")
		echo "| $n | $(printf %.3f "$m") | $(printf %.3f "$(p95 build/bench-b2b.json "$n")") | $(printf %.3f "$(median build/bench-spaced.json "$n")") | $(printf %.3f "$(p95 build/bench-spaced.json "$n")") | $(ratio "$m" "$(median build/bench-b2b.json floor)") | $(ratio "$m" "$(median build/bench-b2b.json "nsenter -a")") | $(ratio "$m" "$(median build/bench-b2b.json "runc exec")") |"
	done
	echo
	if [ -n "$crun_cmd" ]; then
		echo "rtexec / crun exec (median): $(ratio "$(median build/bench-b2b.json rtexec)" "$(median build/bench-b2b.json "crun exec")"), immutable: $(ratio "$(median build/bench-b2b.json "rtexec (immutable)")" "$(median build/bench-b2b.json "crun exec")")"
	fi
	echo "The annotation adds $(awk -v a="$(median build/bench-b2b.json "rtexec annotated")" -v b="$(median build/bench-b2b.json "rtexec (immutable)")" 'BEGIN { printf "%.1f", (a / b - 1) * 100 }') % (median, immutable binary both)."
	echo
	echo "User namespace:"
	echo
	echo "| command | median | p95 | ratio to floor |"
	echo "|---|---|---|---|"
	for n in "floor (user ns)" "rtexec (user ns)" "rtexec (immutable, user ns)" "nsenter -a (user ns)"; do
		m=$(median build/bench-user.json "$n")
		echo "| $n | $(printf %.3f "$m") | $(printf %.3f "$(p95 build/bench-user.json "$n")") | $(ratio "$m" "$(median build/bench-user.json "floor (user ns)")") |"
	done
	echo
	echo "Seccomp (a container whose init runs with one filter; rtexec copies and installs it):"
	echo
	echo "| command | median | p95 |"
	echo "|---|---|---|"
	for n in "rtexec (immutable, no filter)" "rtexec (immutable, filter copied)"; do
		echo "| $n | $(printf %.3f "$(median build/bench-seccomp.json "$n")") | $(printf %.3f "$(p95 build/bench-seccomp.json "$n")") |"
	done
	echo
	echo "The filter's copy adds $(awk -v a="$(median build/bench-seccomp.json "rtexec (immutable, filter copied)")" -v b="$(median build/bench-seccomp.json "rtexec (immutable, no filter)")" 'BEGIN { printf "%.1f", (a / b - 1) * 100 }') % (median)."
	echo
	echo "| | rtexec (sealed copy) | rtexec (immutable) | floor |"
	echo "|---|---|---|---|"
	echo "| stripped size (bytes) | $(stat -c %s "$tmp/stripped") | | $(stat -c %s "$tmp/floor") |"
	echo "| peak RSS (KiB) | $rss_rt | $rss_imm | $rss_floor |"
	echo "| syscalls (strace -c -f) | $sys_rt | $sys_imm | $sys_floor |"
	echo "| instructions (callgrind, until the exec) | | $ins_imm | $ins_floor |"
} >"$out"

# The plot: medians with p95 whiskers, back to back and spaced.
echo "$names" | tr '|' '\n' | while read -r n; do
	printf '"%s" %s %s %s %s\n' "$n" "$(median build/bench-b2b.json "$n")" "$(p95 build/bench-b2b.json "$n")" \
		"$(median build/bench-spaced.json "$n")" "$(p95 build/bench-spaced.json "$n")"
done >"$tmp/plot.dat"
gnuplot <<G
set terminal pngcairo size 1000,520 font ",11"
set output "build/bench.png"
set title "rtexec: join a runc busybox container and exec /bin/true ($(uname -r), $(nproc) CPUs)"
set ylabel "ms (median, whisker: p95)"
set logscale y
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set boxwidth 0.9
set xtics rotate by -20 noenhanced
set key top left
set grid ytics
plot "$tmp/plot.dat" using 2:3:xtic(1) title "back to back", "" using 4:5 title "50 ms apart"
G
cat "$out"
echo "results: $out, build/bench.png"
