# Real container engines for the integration tests: a private containerd, an isolated podman,
# a busybox image built here, and a runtime wrapper that records what the engines pass to
# their OCI runtime. POSIX sh (dash), sourced after test/lib.sh (uses T, defer, wait_for,
# build_rootfs, diag, _ctr_ready). Needs root. What these engines do on this machine, and
# why each setting below exists, is in test/engines-notes.md.
#
# Runtime wrapper (runc's command line in, runc's command line out):
#   rt_wrapper DIR REAL [NAME]  writes DIR/NAME (default "runc": podman picks features by the
#                               runtime's base name); each call is recorded in DIR/calls/ and
#                               then REAL runs with the same argv, stdio and environment.
#   rt_calls DIR [SUB]          the record dirs, oldest first (only subcommand SUB if given).
#                               A record holds: sub, argv (JSON array), cwd, env, fds (what
#                               the runtime got: "N -> target"), process (a copy of
#                               --process), rc, pidfile (od -c of --pid-file after the
#                               call), logtail (last --log line), strace (mode strace).
#   rt_last DIR SUB             the last record of SUB ("" if none)
#   rt_subs DIR                 the subcommands called so far, space separated, in order
#   rt_argv REC                 the argv of record REC, one shell-quoted line (ids and paths
#                               are left as they are)
#   rt_mode DIR MODE [VALUE]    fail-exec MSG: every exec fails with status 1: "MSG [stderr]"
#                               on stderr, and {"level":"error","msg":"MSG [log]"} appended
#                               to --log (when given) unless mode nolog is on; pid-newline:
#                               append "\n" to the pid file after a successful exec; strace: run
#                               the real runtime under strace -f (connect, sendmsg, ioctl, memfd_create,
#                               openat); clear: all modes off. Modes stay until cleared.
#   rt_reset DIR                forget the records so far
# Image:
#   oci_image OUT NAME          an OCI image archive of build_rootfs's busybox tree
# containerd (containerd 1.6, the runc v2 shim):
#   ctd_start                   a private containerd; CTD_DIR, CTD_SOCK, CTD_NS, CTR (a ctr
#                               command bound to it, also usable from script(1)); stopped
#                               and everything it left removed at exit (or by ctd_stop)
#   ctd_import                  builds and imports the busybox image: CTD_IMAGE
#   ctd_run ID RUNTIME [OPT]... ctr run -d --runc-binary RUNTIME ... IMAGE ID sleep MARK:
#                               CTR_ID, CTR_PID, CTR_MARK, CTD_BUNDLE, CTD_STATE (runc's
#                               state.json), CTD_LOG (the --log file the shim passes)
#   ctd_exec [-t|-d] ID CMD...  ctr task exec; RC OUT ERR (with -t: under a new pty of
#                               PTY_ROWS x PTY_COLS, OUT = the terminal's output, ERR empty)
#   ctd_stop                    stops everything now (idempotent)
# podman (podman 4.3 + conmon):
#   pm_setup                    isolated storage, config and runtime state; PM_DIR, PODMAN
#                               (a podman command with that isolation); cleaned at exit
#   pm_import                   podman load of the busybox image: PM_IMAGE
#   pm_run NAME RUNTIME [OPT]...  podman --runtime RUNTIME run -d ... sleep MARK: CTR_ID
#                               (full container id), CTR_PID, CTR_MARK, PM_STATE
#   pm_exec [-t] [OPT]... NAME CMD...  podman exec; RC OUT ERR (-t first: under a new pty,
#                               as ctd_exec)
#   pm_stop                     removes everything now (idempotent)
# Helpers:
#   in_pty CMD [ARG]...         CMD under a new pty (script(1)) of PTY_ROWS x PTY_COLS
#                               (default 30 x 100); RC, OUT (\r removed), ERR empty. stdin
#                               is /dev/null: script(1) turns that EOF into one byte on the
#                               terminal (a NUL once ctr has made it raw), which a command
#                               reading its terminal through ctr -t will see.
#   engine_mark                 a new number for "sleep MARK" (ENGINE_MARK), cleaned up with
#                               the engines' processes
#   pid_of_cmdline WORDS        the host pid of the process whose argv is exactly WORDS
#   engines_snapshot / engine_leftovers   what the engines left behind since the snapshot
#                               (taken by the first ctd_start/pm_setup if not before):
#                               processes, mounts (under the test dir, /run, /var, /dev,
#                               /sys/fs/cgroup), cgroups, runtime state, netns, links, temp
#                               files (one line each; empty = clean)

ENGINE_TIMEOUT=${ENGINE_TIMEOUT:-60}
# $CLOSEFDS CMD ARG...: CMD with only fds 0-2 open (the engines pass their own fds to the
# runtime: what the test's caller left open must not show up among them). dash cannot name
# fds above 9; perl-base is essential in Debian.
CLOSEFDS=$T/.closefds
cat >"$CLOSEFDS" <<'EOF'
#!/usr/bin/perl
use POSIX ();
POSIX::close($_) for 3 .. 1023;
exec { $ARGV[0] } @ARGV or die "closefds: $ARGV[0]: $!\n";
EOF
chmod 755 "$CLOSEFDS"
PTY_ROWS=${PTY_ROWS:-30}
PTY_COLS=${PTY_COLS:-100}
_eng_n=0
ENGINE_MARKS=
CTD_DIR=
PM_DIR=

# shquote ARG...: the arguments as one line of shell words.
shquote() {
	_sq=
	for _a; do
		_sq="$_sq '$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")'"
	done
	printf '%s' "${_sq# }"
}

engine_mark() {
	_eng_n=$((_eng_n + 1))
	ENGINE_MARK=$((800000000 + ($$ % 100000) * 100 + _eng_n))
	ENGINE_MARKS="$ENGINE_MARKS $ENGINE_MARK"
}

pid_of_cmdline() {
	for _p in /proc/[0-9]*; do
		[ "$(tr '\0' ' ' 2>/dev/null <"$_p/cmdline")" = "$1 " ] && echo "${_p#/proc/}" && return 0
	done
	return 1
}

# ---------------------------------------------------------------- runtime wrapper

rt_wrapper() {
	mkdir -p "$1/calls" || return 1
	{
		echo '#!/bin/sh'
		echo '# Written by test/engines.sh: records this call, then runs the real runtime.'
		printf "real='%s' dir='%s'\n" "$2" "$1"
		cat <<'EOF'
rec="$dir/calls/$(date +%s%N).$$"
mkdir "$rec" || exit 125
# The fds the caller passed, listed by a child before this shell redirects or substitutes
# anything (dash does both in the parent, on fds of its own, and keeps this script open).
perl -e 'opendir(my $d, "/proc/$ARGV[0]/fd") or exit 1; open(my $o, ">", $ARGV[1]) or exit 1;
	for (sort { $a <=> $b } grep { /^\d+$/ } readdir $d) {
		my $l = readlink("/proc/$ARGV[0]/fd/$_");
		print $o "$_ -> $l\n" unless $l eq $ARGV[2];
	}' "$$" "$rec/fds" "$(readlink -f "$0")"
proc= pidf= logf= sub= prev=
for a; do
	case $prev in
	--process) proc=$a ;;
	--pid-file) pidf=$a ;;
	--log) logf=$a ;;
	esac
	case $a in
	--process=*) proc=${a#*=} ;;
	--pid-file=*) pidf=${a#*=} ;;
	--log=*) logf=${a#*=} ;;
	esac
	# The subcommand: the first word that is neither an option nor a global option's value.
	if [ -z "$sub" ]; then
		case $prev:$a in
		--root:* | --log:* | --log-format:* | --criu:* | --rootless:* | *:-*) ;;
		*) sub=$a ;;
		esac
	fi
	prev=$a
done
echo "$sub" >"$rec/sub"
jq -cn '$ARGS.positional' --args -- "$@" >"$rec/argv"
pwd >"$rec/cwd"
tr '\0' '\n' </proc/$$/environ >"$rec/env"
[ -n "$proc" ] && cp "$proc" "$rec/process"
if [ "$sub" = exec ] && [ -f "$dir/mode.fail-exec" ]; then
	msg=$(cat "$dir/mode.fail-exec")
	printf '%s [stderr]\n' "$msg" >&2
	if [ -n "$logf" ] && [ ! -f "$dir/mode.nolog" ]; then
		jq -cn --arg m "$msg [log]" '{level: "error", msg: $m, time: "2000-01-01T00:00:00Z"}' \
			>>"$logf"
	fi
	echo 1 >"$rec/rc"
	exit 1
fi
if [ -f "$dir/mode.strace" ]; then
	strace -f -qq -s 512 -e trace=connect,sendmsg,ioctl,openat,memfd_create -o "$rec/strace" "$real" "$@"
else
	"$real" "$@"
fi
rc=$?
echo "$rc" >"$rec/rc"
if [ -n "$pidf" ] && [ -f "$pidf" ]; then
	od -An -c "$pidf" >"$rec/pidfile"
	[ "$sub" = exec ] && [ "$rc" = 0 ] && [ -f "$dir/mode.pid-newline" ] && echo >>"$pidf"
fi
[ -n "$logf" ] && [ -f "$logf" ] && tail -n 1 "$logf" >"$rec/logtail"
exit "$rc"
EOF
	} >"$1/${3:-runc}" && chmod 755 "$1/${3:-runc}"
}

rt_calls() {
	for _r in "$1"/calls/*; do
		[ -d "$_r" ] || continue
		[ -z "${2:-}" ] || [ "$(cat "$_r/sub" 2>/dev/null)" = "$2" ] || continue
		echo "$_r"
	done
}

rt_last() {
	rt_calls "$1" "$2" | tail -n 1
}

rt_subs() {
	for _r in $(rt_calls "$1"); do
		printf '%s ' "$(cat "$_r/sub")"
	done | sed 's/ $//'
}

rt_argv() {
	jq -r 'map(@sh) | join(" ")' "$1/argv"
}

rt_mode() {
	case $2 in
	clear) rm -f "$1"/mode.* ;;
	fail-exec) printf '%s\n' "$3" >"$1/mode.fail-exec" ;;
	nolog | pid-newline | strace) : >"$1/mode.$2" ;;
	*) bail "rt_mode: unknown mode $2" ;;
	esac
}

rt_reset() {
	rm -rf "$1/calls" && mkdir -p "$1/calls"
}

# ---------------------------------------------------------------- image

# _blob DIR FILE: moves FILE into DIR/blobs/sha256/ under its digest; prints "DIGEST SIZE".
_blob() {
	_b_d=$(sha256sum "$2" | cut -d' ' -f1)
	_b_s=$(stat -c %s "$2")
	mv "$2" "$1/blobs/sha256/$_b_d" && echo "sha256:$_b_d $_b_s"
}

# oci_image OUT NAME: one uncompressed layer, a config with a PATH, a manifest and an index
# whose annotations name the image for ctr (io.containerd.image.name) and podman
# (org.opencontainers.image.ref.name). No registry is involved.
oci_image() {
	_oi=$T/.oci
	rm -rf "$_oi" && mkdir -p "$_oi/blobs/sha256" || return 1
	build_rootfs "$_oi/rootfs" || return 1
	tar -C "$_oi/rootfs" --numeric-owner -cf "$_oi/layer" . || return 1
	# shellcheck disable=SC2046 # "DIGEST SIZE": two words on purpose
	set -- "$1" "$2" $(_blob "$_oi" "$_oi/layer")
	jq -cn --arg l "$3" '{architecture: "amd64", os: "linux",
		config: {Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
			Cmd: ["sh"]},
		rootfs: {type: "layers", diff_ids: [$l]}}' >"$_oi/config" || return 1
	# shellcheck disable=SC2046
	set -- "$@" $(_blob "$_oi" "$_oi/config")
	jq -cn --arg l "$3" --argjson ls "$4" --arg c "$5" --argjson cs "$6" '{schemaVersion: 2,
		mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
		layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l,
			size: $ls}]}' >"$_oi/manifest" || return 1
	# shellcheck disable=SC2046
	set -- "$@" $(_blob "$_oi" "$_oi/manifest")
	jq -cn --arg m "$7" --argjson ms "$8" --arg n "$2" '{schemaVersion: 2, manifests: [{
		mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms,
		platform: {architecture: "amd64", os: "linux"},
		annotations: {"io.containerd.image.name": $n,
			"org.opencontainers.image.ref.name": $n}}]}' >"$_oi/index.json" || return 1
	echo '{"imageLayoutVersion":"1.0.0"}' >"$_oi/oci-layout"
	tar -C "$_oi" -cf "$1" oci-layout index.json blobs && rm -rf "$_oi"
}

_image() {
	[ -f "$T/busybox-oci.tar" ] || oci_image "$T/busybox-oci.tar" localhost/rtexec-busybox:test
}

# ---------------------------------------------------------------- helpers for cleanup

# Mount points at or below DIR, deepest first.
_mounts_under() {
	awk -v d="$1/" '{ m = $5; gsub(/\\040/, " ", m); if (index(m "/", d) == 1) print m }' \
		/proc/self/mountinfo | sort -r
}

_umount_under() {
	for _i in 1 2 3; do
		_m=$(_mounts_under "$1")
		[ -z "$_m" ] && return 0
		echo "$_m" | while read -r _mp; do umount "$_mp" 2>/dev/null || umount -l "$_mp"; done
	done
}

# Pids whose command line contains STRING (not this shell's own).
_pids_matching() {
	for _p in /proc/[0-9]*; do
		_p=${_p#/proc/}
		[ "$_p" = "$$" ] && continue
		case $(tr '\0' ' ' 2>/dev/null <"/proc/$_p/cmdline") in
		*"$1"*) echo "$_p" ;;
		esac
	done
}

# _cg_remove NAME: every cgroup NAME (relative to each hierarchy's root) and below: kills
# what still runs there, then removes the directories, deepest first.
_cg_remove() {
	_cg=$1
	for _h in /sys/fs/cgroup/*; do
		[ -d "$_h/$_cg" ] || continue
		for _f in $(find "$_h/$_cg" -name cgroup.procs 2>/dev/null); do
			for _p in $(cat "$_f" 2>/dev/null); do kill -9 "$_p" 2>/dev/null; done
		done
	done
	for _h in /sys/fs/cgroup/*; do
		[ -d "$_h/$_cg" ] || continue
		# (wait_for runs its command with its own positional parameters: variables only.)
		wait_for 5 eval \
			'find "$_h/$_cg" -depth -type d -exec rmdir {} \; 2>/dev/null; [ ! -d "$_h/$_cg" ]' ||
			true
	done
}

_kill_pids() {
	for _p in "$@"; do kill -9 "$_p" 2>/dev/null; done
}

_kill_marks() {
	for _m in $ENGINE_MARKS; do
		_p=$(pid_of_cmdline "sleep $_m") && kill -9 "$_p" 2>/dev/null
	done
	return 0
}

# ---------------------------------------------------------------- containerd

# The shim's ttrpc socket: containerd 1.6 puts it under /run/containerd/s/ whatever its own
# state dir, named sha256(address/namespace/id).
_ctd_shim_socket() {
	echo "/run/containerd/s/$(printf '%s' "$CTD_SOCK/$CTD_NS/$1" | sha256sum | cut -d' ' -f1)"
}

ctd_start() {
	for _c in containerd ctr containerd-shim-runc-v2; do
		command -v "$_c" >/dev/null 2>&1 || return 2
	done
	engines_snapshot
	CTD_DIR=$T/containerd
	CTD_SOCK=$CTD_DIR/containerd.sock
	CTD_NS=rtexec-test-$$
	CTD_RUNC_ROOT=$CTD_DIR/runc
	CTD_IDS=
	mkdir -p "$CTD_DIR/tmp" "$CTD_DIR/fifo" "$CTD_DIR/bin" "$CTD_RUNC_ROOT" || return 1
	# Directories outside the test dir that containerd creates and never removes: ours to
	# remove at the end only if they did not exist before.
	_ctd_made=
	for _d in /run/containerd /run/containerd/s; do
		[ -e "$_d" ] || _ctd_made="$_d $_ctd_made"
	done
	cat >"$CTD_DIR/config.toml" <<EOF
version = 2
root = "$CTD_DIR/root"
state = "$CTD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CTD_SOCK"
[ttrpc]
  address = "$CTD_SOCK.ttrpc"
[debug]
  address = ""
  level = "warn"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$CTD_DIR/opt"
EOF
	printf '#!/bin/sh\nexec ctr -a %s -n %s "$@"\n' "$CTD_SOCK" "$CTD_NS" >"$CTD_DIR/bin/ctr"
	chmod 755 "$CTD_DIR/bin/ctr"
	CTR=$CTD_DIR/bin/ctr
	defer ctd_stop
	# A known environment: the shims and runtimes inherit it (the runtime wrapper records
	# it). TMPDIR keeps the shim's process files and console sockets in the test dir.
	# shellcheck disable=SC2086
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		TMPDIR="$CTD_DIR/tmp" $_PDEATH "$CLOSEFDS" containerd --config "$CTD_DIR/config.toml" \
		</dev/null >"$CTD_DIR/containerd.log" 2>&1 &
	CTD_PID=$!
	if ! wait_for 20 eval '"$CTR" version >/dev/null 2>&1'; then
		diag "containerd did not start:"
		diag "$(tail -n 20 "$CTD_DIR/containerd.log")"
		return 1
	fi
}

ctr_() {
	timeout -k 5 "$ENGINE_TIMEOUT" "$CTR" "$@"
}

ctd_import() {
	_image || return 1
	if ! ctr_ image import "$T/busybox-oci.tar" >"$CTD_DIR/import.log" 2>&1; then
		diag "ctr image import failed:"
		diag "$(cat "$CTD_DIR/import.log")"
		return 1
	fi
	CTD_IMAGE=localhost/rtexec-busybox:test
}

ctd_run() {
	_cr_id=$1 _cr_rt=$2
	shift 2
	engine_mark
	CTR_MARK=$ENGINE_MARK CTR_ID=$_cr_id
	CTD_IDS="$CTD_IDS $_cr_id"
	if ! ctr_ run -d --null-io --fifo-dir "$CTD_DIR/fifo" --runc-binary "$_cr_rt" \
		--runc-root "$CTD_RUNC_ROOT" "$@" "$CTD_IMAGE" "$_cr_id" sleep "$CTR_MARK" \
		>"$CTD_DIR/run.log" 2>&1; then
		diag "ctr run failed:"
		diag "$(cat "$CTD_DIR/run.log")"
		return 1
	fi
	CTR_PID=$(ctr_ task ls | awk -v id="$_cr_id" '$1 == id { print $2 }')
	if [ -z "$CTR_PID" ] || ! wait_for 10 _ctr_ready "$CTR_PID" "$CTR_MARK"; then
		diag "containerd task $_cr_id did not start"
		return 1
	fi
	CTD_BUNDLE=$CTD_DIR/state/io.containerd.runtime.v2.task/$CTD_NS/$_cr_id
	CTD_LOG=$CTD_BUNDLE/log.json
	# The shim passes --root ROOT/NAMESPACE.
	CTD_STATE=$CTD_RUNC_ROOT/$CTD_NS/$_cr_id/state.json
	export CTR_PID CTR_MARK CTR_ID
}

ctd_exec() {
	_ce_t='' _ce_d=''
	while :; do
		case $1 in
		-t) _ce_t=-t ;;
		-d) _ce_d=-d ;;
		*) break ;;
		esac
		shift
	done
	_eng_n=$((_eng_n + 1))
	CTD_EXEC_ID=exec$_eng_n
	set -- "$CTR" task exec --fifo-dir "$CTD_DIR/fifo" --exec-id "$CTD_EXEC_ID" $_ce_t $_ce_d "$@"
	if [ -n "$_ce_t" ]; then
		in_pty "$@"
		return
	fi
	timeout -k 5 "$ENGINE_TIMEOUT" "$@" </dev/null >"$T/engine.out" 2>"$T/engine.err"
	RC=$?
	OUT=$(cat "$T/engine.out")
	ERR=$(cat "$T/engine.err")
}

ctd_stop() {
	[ -n "$CTD_DIR" ] || return 0
	if [ -e "/proc/$CTD_PID" ]; then
		for _id in $(ctr_ containers ls -q 2>/dev/null); do
			ctr_ task rm -f "$_id" >/dev/null 2>&1
			ctr_ containers rm "$_id" >/dev/null 2>&1
		done
		kill "$CTD_PID" 2>/dev/null
		wait_for 10 eval '! kill -0 "$CTD_PID" 2>/dev/null' || kill -9 "$CTD_PID" 2>/dev/null
		wait "$CTD_PID" 2>/dev/null
	fi
	# Whatever survived a containerd that failed or was killed: shims, containers (runc's own
	# state), exec'd processes (in the containers' cgroups), mounts, sockets.
	# shellcheck disable=SC2046 # pids
	_kill_pids $(_pids_matching "$CTD_SOCK")
	for _s in "$CTD_RUNC_ROOT/$CTD_NS"/*/state.json; do
		[ -f "$_s" ] || continue
		_id=$(basename "$(dirname "$_s")")
		runc --root "$CTD_RUNC_ROOT/$CTD_NS" delete -f "$_id" >/dev/null 2>&1
	done
	_kill_marks
	_cg_remove "$CTD_NS"
	_umount_under "$CTD_DIR"
	for _id in $CTD_IDS; do
		rm -f "$(_ctd_shim_socket "$_id")"
	done
	for _d in $_ctd_made; do
		rmdir "$_d" 2>/dev/null
	done
	CTD_DIR=
}

# ---------------------------------------------------------------- podman

pm_setup() {
	for _c in podman conmon runc; do
		command -v "$_c" >/dev/null 2>&1 || return 2
	done
	engines_snapshot
	PM_DIR=$T/podman
	PM_CGPARENT=rtexec-test-pm-$$
	PM_CIDS=
	mkdir -p "$PM_DIR/tmp" "$PM_DIR/bin" || return 1
	_pm_made=
	[ -e /var/lib/containers ] || _pm_made=/var/lib/containers
	ls -d /tmp/conmon-term.* >"$PM_DIR/conmon-term.before" 2>/dev/null
	# nofile/nproc: podman asks for 1048576 of each for a root container, and lowers its own
	# (and so conmon's and the runtime's) RLIMIT_NPROC to 32768 first; without
	# CAP_SYS_RESOURCE (not in this machine's bounding set) runc cannot raise either and the
	# container fails to start. Asking for what the runtime already has always works.
	_pm_nofile=$(awk '/^Max open files/ { print $5 }' /proc/self/limits)
	_pm_nproc=$(awk '/^Max processes/ { print $4 }' /proc/self/limits)
	[ "$_pm_nproc" = unlimited ] || [ "$_pm_nproc" -gt 32768 ] && _pm_nproc=32768
	cat >"$PM_DIR/containers.conf" <<EOF
[containers]
netns = "none"
log_driver = "k8s-file"
default_ulimits = ["nofile=$_pm_nofile:$_pm_nofile", "nproc=$_pm_nproc:$_pm_nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "none"
lock_type = "file"
tmp_dir = "$PM_DIR/tmp"
volume_path = "$PM_DIR/volumes"
static_dir = "$PM_DIR/root/libpod"
runtime = "runc"
[network]
network_config_dir = "$PM_DIR/net"
EOF
	cat >"$PM_DIR/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$PM_DIR/root"
runroot = "$PM_DIR/runroot"
EOF
	: >"$PM_DIR/registries.conf"
	cat >"$PM_DIR/bin/podman" <<EOF
#!/bin/sh
export CONTAINERS_CONF=$PM_DIR/containers.conf CONTAINERS_STORAGE_CONF=$PM_DIR/storage.conf
export CONTAINERS_REGISTRIES_CONF=$PM_DIR/registries.conf TMPDIR=$PM_DIR/tmp
exec $CLOSEFDS podman "\$@"
EOF
	chmod 755 "$PM_DIR/bin/podman"
	PODMAN=$PM_DIR/bin/podman
	defer pm_stop
}

pm_() {
	timeout -k 5 "$ENGINE_TIMEOUT" "$PODMAN" "$@"
}

pm_import() {
	_image || return 1
	if ! pm_ load -q -i "$T/busybox-oci.tar" >"$PM_DIR/load.log" 2>&1; then
		diag "podman load failed:"
		diag "$(cat "$PM_DIR/load.log")"
		return 1
	fi
	PM_IMAGE=localhost/rtexec-busybox:test
}

pm_run() {
	_pr_name=$1 _pr_rt=$2
	shift 2
	engine_mark
	CTR_MARK=$ENGINE_MARK
	if ! pm_ --runtime "$_pr_rt" run -d --name "$_pr_name" --cgroup-parent "/$PM_CGPARENT" \
		"$@" "$PM_IMAGE" sleep "$CTR_MARK" >"$PM_DIR/run.out" 2>"$PM_DIR/run.log"; then
		diag "podman run failed:"
		diag "$(cat "$PM_DIR/run.log")"
		return 1
	fi
	CTR_ID=$(cat "$PM_DIR/run.out")
	PM_CIDS="$PM_CIDS $CTR_ID"
	CTR_PID=$(pm_ inspect -f '{{.State.Pid}}' "$_pr_name")
	if [ -z "$CTR_PID" ] || ! wait_for 10 _ctr_ready "$CTR_PID" "$CTR_MARK"; then
		diag "podman container $_pr_name did not start"
		return 1
	fi
	# podman calls the runtime without --root: runc's default.
	PM_STATE=/run/runc/$CTR_ID/state.json
	export CTR_PID CTR_MARK CTR_ID
}

pm_exec() {
	if [ "$1" = -t ]; then
		in_pty "$PODMAN" exec "$@"
		return
	fi
	timeout -k 5 "$ENGINE_TIMEOUT" "$PODMAN" exec "$@" </dev/null >"$T/engine.out" 2>"$T/engine.err"
	RC=$?
	OUT=$(cat "$T/engine.out")
	ERR=$(cat "$T/engine.err")
}

pm_stop() {
	[ -n "$PM_DIR" ] || return 0
	pm_ rm -f -a -t 0 >/dev/null 2>&1
	# podman container cleanup (conmon's exit command) may still be running.
	# shellcheck disable=SC2046 # pids
	wait_for 10 eval '[ -z "$(_pids_matching "$PM_DIR/")" ]' || _kill_pids $(_pids_matching "$PM_DIR/")
	for _id in $PM_CIDS; do
		[ -d "/run/runc/$_id" ] && runc delete -f "$_id" >/dev/null 2>&1
	done
	_kill_marks
	_cg_remove "$PM_CGPARENT"
	_umount_under "$PM_DIR"
	# podman load writes containers/image's blob-info cache there whatever the storage root.
	[ -n "$_pm_made" ] && rm -rf "$_pm_made"
	# conmon makes its console socket in /tmp whatever TMPDIR, and leaves it there when the
	# runtime fails an exec -t before connecting to it.
	ls -d /tmp/conmon-term.* 2>/dev/null | grep -vxF -f "$PM_DIR/conmon-term.before" |
		while read -r _s; do rm -rf "$_s"; done
	PM_DIR=
}

# ---------------------------------------------------------------- pty

# in_pty CMD [ARG]...: script(1) gives CMD a new pty as its controlling terminal and stdio;
# the window size is set on it before CMD starts. The exit status is CMD's (script -e).
in_pty() {
	timeout -k 5 "$ENGINE_TIMEOUT" script -qec \
		"stty rows $PTY_ROWS cols $PTY_COLS; exec $(shquote "$@")" /dev/null \
		</dev/null >"$T/pty.out" 2>&1
	RC=$?
	OUT=$(tr -d '\r' <"$T/pty.out")
	ERR=
}

# ---------------------------------------------------------------- leftovers

_tmp_entries() {
	ls -d /tmp/runc-process* /tmp/pty[0-9]* /tmp/conmon-term.* 2>/dev/null
}

engines_snapshot() {
	[ -f "$T/.before.tmp" ] && return 0
	ls /run/netns 2>/dev/null >"$T/.before.netns"
	ls /sys/class/net >"$T/.before.links"
	_sys_mounts >"$T/.before.mounts"
	_tmp_entries >"$T/.before.tmp"
}

# Mount points where engines put theirs outside the test dir (CNI makes /run/netns a shared
# bind mount of itself, netns files are mounted in it, podman/containerd mount under /run and
# /var; other tests' mounts in /tmp are not ours to judge).
_sys_mounts() {
	awk '{ print $5 }' /proc/self/mountinfo | grep -E '^/(run|var|dev|sys/fs/cgroup)(/|$)' | sort -u
}

engine_leftovers() {
	for _p in $(_pids_matching "$T/"); do
		echo "process $_p: $(tr '\0' ' ' 2>/dev/null <"/proc/$_p/cmdline")"
	done
	for _m in $ENGINE_MARKS; do
		_p=$(pid_of_cmdline "sleep $_m") && echo "container process $_p: sleep $_m"
	done
	for _m in $(_mounts_under "$T"); do echo "mount $_m"; done
	_sys_mounts | grep -vxF -f "$T/.before.mounts" | sed 's/^/mount /'
	for _g in ${CTD_NS:-} ${PM_CGPARENT:-}; do
		for _h in /sys/fs/cgroup/*; do
			[ -d "$_h/$_g" ] && echo "cgroup $_h/$_g"
		done
	done
	for _id in ${PM_CIDS:-}; do
		[ -e "/run/runc/$_id" ] && echo "runc state /run/runc/$_id"
	done
	for _id in ${CTD_IDS:-}; do
		_s=$(_ctd_shim_socket "$_id")
		[ -e "$_s" ] && echo "shim socket $_s"
	done
	for _d in ${_ctd_made:-} ${_pm_made:-}; do
		[ -e "$_d" ] && echo "directory $_d"
	done
	ls /run/netns 2>/dev/null | grep -vxF -f "$T/.before.netns" | sed 's/^/netns /'
	ls /sys/class/net | grep -vxF -f "$T/.before.links" | sed 's/^/link /'
	_tmp_entries | grep -vxF -f "$T/.before.tmp" | sed 's/^/temp file /'
	return 0
}
