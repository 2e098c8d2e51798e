#!/bin/sh
# Exec latency through real engines: `ctr task exec` (containerd 1.6, runc shim v2) and
# `podman exec` (podman 4.3 + conmon), plus `runc exec` alone for scale, for each runtime
# given (default: runc). Starts a private containerd and an isolated podman (test/engines.sh),
# one container per engine and runtime, runs hyperfine, removes everything.
# Usage: scripts/bench-engines.sh [RUNTIME...]   (RUNS=30 WARMUP=3; needs root)
# Run it under the shared lock on shared machines: flock /tmp/rtexec-heavy.lock ...
set -u
cd "$(dirname "$0")/.." || exit 2
# lib.sh is the tests' harness (cleanup stack, containers; it wants ./rtexec built); its TAP
# plan line "1..0" at exit is harmless here.
RTEXEC=${RTEXEC:-$(pwd)/rtexec}
. test/lib.sh
. test/engines.sh
command -v hyperfine >/dev/null 2>&1 || bail "hyperfine is not installed (scripts/deps.sh bench)"
[ $# -gt 0 ] || set -- "$(command -v runc)"
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}

ctd_start || bail "cannot start containerd"
ctd_import || bail "ctr image import failed"
pm_setup || bail "cannot set up podman"
pm_import || bail "podman load failed"

set -- "$@" --
n=0
while [ "$1" != -- ]; do
	rt=$1
	shift
	n=$((n + 1))
	ctd_run "b$n" "$rt" || bail "ctr run with $rt failed"
	pm_run "b$n" "$rt" || bail "podman run with $rt failed"
	# The same command lines as an engine user types (no wrapper scripts in between).
	set -- "$@" \
		"ctr -a $CTD_SOCK -n $CTD_NS task exec --fifo-dir $CTD_DIR/fifo --exec-id x b$n true" \
		"env CONTAINERS_CONF=$PM_DIR/containers.conf CONTAINERS_STORAGE_CONF=$PM_DIR/storage.conf CONTAINERS_REGISTRIES_CONF=$PM_DIR/registries.conf podman exec b$n true" \
		"$rt --root $CTD_RUNC_ROOT/$CTD_NS exec b$n true"
	diag "runtime $n: $rt"
done
shift
hyperfine -N --runs "$RUNS" --warmup "$WARMUP" --export-markdown "$T/bench.md" "$@" >&2 ||
	bail "hyperfine failed"
cat "$T/bench.md"
