#!/bin/sh
# make soak: 10,000 joins in a row into one runc busybox container, then two streams of 1,000
# side by side. Every exit status is checked; afterwards nothing may be left: no process or
# zombie in the container, no rtexec process, no new mount (host or container), no
# temporary pid file, no extra member of the container's cgroups, no fd gained by the
# container's init; and the peak RSS of rtexec (first runs against last) stays flat.
# Results in build/soak.md; exit status 0 only if every check held.
# Usage: scripts/soak.sh (as root); N=joins STREAM=joins per stream to change the counts.
set -u
cd "$(dirname "$0")/.." || exit 2
rtexec=$PWD/rtexec
n=${N:-10000}
per=${STREAM:-1000}
out=build/soak.md
[ "$(id -u)" = 0 ] || { echo "soak: must run as root" >&2; exit 2; }
[ -x "$rtexec" ] || { echo "soak: $rtexec is missing: run make first" >&2; exit 2; }

id=rtexec-soak-$$
tmp=$(mktemp -d /tmp/rtexec-soak.XXXXXX)
cleanup() {
	runc delete -f "$id" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/proc" "$tmp/rootfs/dev" "$tmp/rootfs/tmp" build
cp /bin/busybox "$tmp/rootfs/bin/busybox"
for a in sh sleep true; do ln -s busybox "$tmp/rootfs/bin/$a"; done
# The peak RSS is rtexec's: the command is a static no-op (busybox is 1.3 MB) and maxrss
# does not add its own, as /usr/bin/time does (bench/maxrss.c).
musl-gcc -static -O2 -s -o "$tmp/rootfs/noop" bench/noop.c &&
	musl-gcc -static -O2 -o "$tmp/maxrss" bench/maxrss.c ||
	{ echo "soak: cannot build bench/noop.c, bench/maxrss.c" >&2; exit 2; }
runc spec --bundle "$tmp"
jq '.process.terminal = false | .process.args = ["sleep", "1000000"] | .hostname = "soak"
	| .linux.namespaces += [{"type": "cgroup"}]' "$tmp/config.json" >"$tmp/c.new" &&
	mv "$tmp/c.new" "$tmp/config.json"
runc run -d --bundle "$tmp" --pid-file "$tmp/init.pid" "$id" </dev/null >/dev/null 2>&1 ||
	{ echo "soak: runc run failed" >&2; exit 2; }
pid=$(cat "$tmp/init.pid")
printf '{"target":{"pid":%d},"process":{"args":["/bin/true"]}}\n' "$pid" >"$tmp/true.json"
printf '{"target":{"pid":%d},"process":{"args":["/noop"]}}\n' "$pid" >"$tmp/noop.json"
mkdir "$tmp/pids"

# What must not change.
snapshot() {
	echo "host mounts $(wc -l </proc/self/mountinfo)"
	echo "container mounts $(wc -l <"/proc/$pid/mountinfo")"
	echo "init fds $(ls "/proc/$pid/fd" | wc -l)"
	echo "container processes $(ls -l /proc/[0-9]*/ns/pid 2>/dev/null | grep -cF "$(readlink "/proc/$pid/ns/pid")")"
	for f in $(sed -n 's/^[0-9]*:\([^:]*\):\(.*\)$/\1 \2/p' "/proc/$pid/cgroup" | while read -r c p; do
		[ -z "$c" ] && c=unified
		d=/sys/fs/cgroup/${c#name=}$p
		[ -f "$d/cgroup.procs" ] && echo "$d/cgroup.procs"
	done); do
		echo "members of $f $(wc -l <"$f")"
	done
	echo "pid file dir $(ls -A "$tmp/pids" | grep -v '^p[0-9]*\.pid$' | wc -l) temporaries"
}
rss() { # N runs: the largest peak RSS (KiB) of rtexec running the static no-op
	_m=0
	for _i in $(seq "$1"); do
		_r=$("$tmp/maxrss" "$rtexec" -f "$tmp/noop.json" 2>/dev/null)
		[ "$_r" -gt "$_m" ] && _m=$_r
	done
	echo "$_m"
}

failures=0
check() { # NAME CONDITION...
	_n=$1
	shift
	if "$@"; then echo "ok - $_n"; else echo "not ok - $_n"; failures=$((failures + 1)); fi
}

before=$(snapshot)
rss_first=$(rss 50)
start=$(date +%s)
bad=0
i=0
while [ "$i" -lt "$n" ]; do
	i=$((i + 1))
	if [ $((i % 10)) = 0 ]; then
		want=$((i % 200))
		printf '{"target":{"pid":%d},"process":{"args":["sh","-c","exit %d"]}}' "$pid" "$want" |
			"$rtexec" --pid-file "$tmp/pids/p$((i % 7)).pid" >/dev/null 2>&1
	else
		want=0
		"$rtexec" -f "$tmp/true.json" >/dev/null 2>&1
	fi
	rc=$?
	[ "$rc" = "$want" ] || { bad=$((bad + 1)); echo "join $i: exit $rc, want $want" >&2; }
done
seq_time=$(($(date +%s) - start))
stream() { # NAME: STREAM joins, each exit status checked; the count of wrong ones on stdout
	_bad=0
	for _i in $(seq "$per"); do
		printf '{"target":{"pid":%d},"process":{"args":["sh","-c","exit %d"]}}' "$pid" $((_i % 100)) |
			"$rtexec" >/dev/null 2>&1
		[ $? = $((_i % 100)) ] || _bad=$((_bad + 1))
	done
	echo "$_bad" >"$tmp/stream.$1"
}
start=$(date +%s)
stream a &
stream b &
wait
par_time=$(($(date +%s) - start))
rss_last=$(rss 50)
sleep 1 # the last commands' exit is reaped by then
after=$(snapshot)
left=$(ls -l /proc/[0-9]*/exe 2>/dev/null | grep -c 'memfd:rtexec\|/rtexec$')

{
	echo "# rtexec soak"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), kernel $(uname -r), $(nproc) CPUs."
	echo
	echo "- $n joins in a row: $seq_time s, $bad wrong exit statuses"
	echo "- 2 streams of $per side by side: $par_time s, $(cat "$tmp/stream.a") + $(cat "$tmp/stream.b") wrong"
	echo "- peak RSS of rtexec: $rss_first KiB over the first 50 runs, $rss_last KiB over the last 50"
	echo
	echo "before and after:"
	echo
	paste -d'|' "$(printf '%s\n' "$before" >"$tmp/b"; echo "$tmp/b")" \
		"$(printf '%s\n' "$after" >"$tmp/a"; echo "$tmp/a")" | sed 's/^/    /'
	echo
	check "every exit status of the $n joins in a row" [ "$bad" = 0 ]
	check "every exit status of the two streams" [ "$(cat "$tmp/stream.a")$(cat "$tmp/stream.b")" = 00 ]
	check "nothing changed: mounts, init fds, processes, cgroup members, temporaries" \
		[ "$before" = "$after" ]
	check "no rtexec process left" [ "$left" = 0 ]
	check "no zombie in the container" \
		[ -z "$(cat /proc/"$pid"/task/*/children 2>/dev/null | tr -d ' \n')" ]
	check "peak RSS flat (last 50 runs within 16 KiB of the first 50)" \
		[ $((rss_last - rss_first)) -le 16 ]
} | tee "$out"
[ "$failures" = 0 ]
