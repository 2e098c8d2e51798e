#!/bin/sh
# Measures what rtexec costs: the size of the stripped static binary, and, side by side in
# one hyperfine run (shared machines are noisy: compare ratios, not absolute times), rtexec
# against `nsenter -a` joining the same runc busybox container to run the static busybox
# `true`. Results go to build/bench.md (and build/bench.json).
# Usage: scripts/bench.sh (as root); N=runs WARMUP=runs to change the counts.
set -eu
cd "$(dirname "$0")/.."
rtexec=$PWD/rtexec
runs=${N:-300}
warmup=${WARMUP:-20}
out=build/bench.md

if [ "$(id -u)" != 0 ]; then
	echo "bench: must run as root (it starts a container with runc and joins it)" >&2
	exit 1
fi
[ -x "$rtexec" ] || { echo "bench: $rtexec is missing: run make first" >&2; exit 1; }

id=rtexec-bench-$$
tmp=
cleanup() {
	trap '' INT TERM
	runc delete -f "$id" >/dev/null 2>&1 || true
	[ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tmp=$(mktemp -d /tmp/rtexec-bench.XXXXXX)

mkdir -p build
strip -o "$tmp/rtexec.stripped" "$rtexec"
size=$(stat -c %s "$rtexec")
stripped=$(stat -c %s "$tmp/rtexec.stripped")

mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/proc" "$tmp/rootfs/dev"
cp /bin/busybox "$tmp/rootfs/bin/busybox"
ln -s busybox "$tmp/rootfs/bin/sleep"
ln -s busybox "$tmp/rootfs/bin/true"
runc spec --bundle "$tmp"
jq '.process.terminal = false | .process.args = ["sleep", "1000000"] |
	.hostname = "rtexec-bench" | .linux.namespaces += [{"type": "cgroup"}]' \
	"$tmp/config.json" >"$tmp/config.new"
mv "$tmp/config.new" "$tmp/config.json"
if ! runc run -d --bundle "$tmp" --pid-file "$tmp/init.pid" "$id" \
	</dev/null >/dev/null 2>"$tmp/runc.err"; then
	echo "bench: runc run failed:" >&2
	cat "$tmp/runc.err" >&2
	exit 1
fi
pid=$(cat "$tmp/init.pid")
printf '{"target": {"pid": %d}, "process": {"args": ["/bin/true"]}}\n' "$pid" >"$tmp/true.json"

# Both join every namespace of the container that differs from ours and exec the same
# static binary in it; -N runs them without a shell, so no shell start-up is measured.
rtexec_cmd="$rtexec -f $tmp/true.json"
nsenter_cmd="nsenter -t $pid -a /bin/true"
if ! $rtexec_cmd || ! $nsenter_cmd; then
	echo "bench: a command fails before measuring" >&2
	exit 1
fi
hyperfine -N --warmup "$warmup" --runs "$runs" \
	--export-json "$tmp/bench.json" --export-markdown "$tmp/table.md" \
	-n rtexec "$rtexec_cmd" -n "nsenter -a" "$nsenter_cmd"
cp "$tmp/bench.json" build/bench.json
# Spaced out, as an init script or a shim calls it: a cgroup move that takes the global
# threadgroup lock pays an RCU grace period once the lock has gone idle, which back-to-back
# runs hide.
spaced=${SPACED_N:-60}
hyperfine -N --warmup 3 --runs "$spaced" --prepare 'sleep 0.05' \
	--export-json "$tmp/spaced.json" --export-markdown "$tmp/spaced.md" \
	-n rtexec "$rtexec_cmd" -n "nsenter -a" "$nsenter_cmd"

ratio() { jq -r "(.results[0].$1 / .results[1].$1 * 1000 | round) / 1000" "${2:-$tmp/bench.json}"; }
{
	echo "# rtexec benchmark"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), kernel $(uname -r), $(nproc) CPUs, $runs runs after $warmup warm-up runs."
	echo
	echo "- rtexec binary: $size bytes, stripped: **$stripped bytes**"
	echo "- time of rtexec / nsenter -a: mean **$(ratio mean)**, median **$(ratio median)**, min $(ratio min)"
	echo "- both join every namespace of a runc busybox container that differs from the host's and"
	echo "  exec its /bin/true (static busybox); rtexec also joins the container's cgroups, checks"
	echo "  the target, closes fds and looks up HOME, which nsenter $(nsenter -V | awk '{ print $NF }') does not"
	echo
	cat "$tmp/table.md"
	echo
	echo "Spaced out ($spaced runs, 50 ms apart): rtexec / nsenter -a mean **$(ratio mean "$tmp/spaced.json")**, median **$(ratio median "$tmp/spaced.json")**"
	echo
	cat "$tmp/spaced.md"
} >"$out"
echo
sed -n '/^- /,$p' "$out"
echo
echo "results: $out, build/bench.json"
