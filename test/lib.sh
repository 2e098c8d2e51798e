# Sourced by every integration test (test/integration/*.sh): TAP output, a cleanup stack, and
# throwaway containers to run rtexec against. POSIX sh (dash). Needs root.
#
# TAP:       ok NAME CMD [ARG]...     passes if CMD succeeds
#            is GOT WANT NAME         passes if the strings are equal (diagnostics otherwise)
#            like GOT GLOB NAME       passes if GOT matches the case(1) glob
#            pass NAME / fail NAME / skip NAME REASON / skip_limit NAME REASON / diag MSG / bail MSG
#            skip: this machine lacks something an install gives (a tool, root, runc);
#            with RTEXEC_MUST_WORK=1 (set by .ci/run) it is a failure instead.
#            skip_limit: a limit of the host that no install lifts (no CAP_SYS_RESOURCE,
#            AppArmor off): a skip everywhere.
#            The plan "1..N" is printed at exit; the exit status is 1 if any test failed,
#            else the script's own (so a script must not end on a failing command).
#            Each helper returns 0 if its test passed, 1 if it failed.
# Cleanup:   defer CMD [ARG]...       run at exit (also on INT/TERM/HUP), last in first out;
#                                     the words are joined and evaluated then.
# rtexec:    rx CONFIG [ARG]...       runs $RTEXEC with CONFIG on stdin; sets RC, OUT, ERR
#            is_rc WANT NAME          RC is WANT (prints OUT and ERR otherwise)
#            err_one_line NAME [GLOB] stderr is exactly one line "rtexec: ..." (matching GLOB)
#            cfg PID [MEMBERS]        a config: {"target":{"pid":PID},MEMBERS}
# Containers: build_rootfs DIR; start_unshare_ctr [--user]; start_mapped_ctr; start_runc_ctr
#            Each start_* sets CTR_PID (host pid of the container's init), CTR_HOSTNAME,
#            CTR_ROOTFS (host path of its root), CTR_MARK (its init runs "sleep $CTR_MARK"),
#            CTR_ID (runc only) and removes the container at exit.
#            leftovers [CTR_PID]...   lists rtexec processes of this test that still run,
#                                     and processes in those containers other than their init.

set -u

TEST_NAME=$(basename "$0" .sh)
REPO=$(cd "$(dirname "$0")/../.." && pwd)
RTEXEC=${RTEXEC:-$REPO/rtexec}
# Every rtexec this test starts inherits this: leftovers() tells them from other runs by it.
RTEXEC_TEST_TAG="rtexec-test-$$-$(date +%s%N)"
export RTEXEC_TEST_TAG

_tap_n=0
_tap_failed=0
_tap_planned=
_defer_n=0
_ctr_n=0

# ---------------------------------------------------------------- TAP

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

pass() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

fail() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	return 1
}

skip() {
	if [ "${RTEXEC_MUST_WORK:-0}" = 1 ]; then
		fail "$1 (must run here, RTEXEC_MUST_WORK=1: $2)"
		return 1
	fi
	skip_limit "$@"
}

skip_limit() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

ok() {
	_ok_name=$1
	shift
	if "$@"; then
		pass "$_ok_name"
	else
		fail "$_ok_name"
		diag "  command failed: $*"
		return 1
	fi
}

_show() {
	printf '%s\n' "$2" | sed "s/^/#   $1/"
}

is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3"
		_show "got:  " "$1"
		_show "want: " "$2"
		return 1
	fi
}

like() {
	# shellcheck disable=SC2254
	case $1 in
	$2) pass "$3" ;;
	*)
		fail "$3"
		_show "got:  " "$1"
		_show "want: " "$2 (glob)"
		return 1
		;;
	esac
}

bail() {
	echo "Bail out! $*"
	exit 1
}

# The whole file is skipped (e.g. not root): a plan of 0 and status 0; with
# RTEXEC_MUST_WORK=1 a failure.
skip_all() {
	if [ "${RTEXEC_MUST_WORK:-0}" = 1 ]; then
		echo "not ok 1 - $TEST_NAME must run here (RTEXEC_MUST_WORK=1): $*"
		echo "1..1"
		_tap_planned=1
		exit 1
	fi
	echo "1..0 # SKIP $*"
	_tap_planned=1
	exit 0
}

# ---------------------------------------------------------------- cleanup

defer() {
	_defer_n=$((_defer_n + 1))
	eval "_defer_$_defer_n=\$*"
}

_run_defers() {
	while [ "$_defer_n" -gt 0 ]; do
		eval "_defer_cmd=\$_defer_$_defer_n"
		_defer_n=$((_defer_n - 1))
		eval "$_defer_cmd" </dev/null >/dev/null 2>&1 || true
	done
}

_on_exit() {
	_rc=$?
	trap - EXIT INT TERM HUP
	_run_defers
	[ -n "$_tap_planned" ] && exit "$_rc"
	echo "1..$_tap_n"
	[ "$_tap_failed" -gt 0 ] && exit 1
	exit "$_rc"
}

_on_signal() {
	echo "# interrupted by SIG$1: cleaning up"
	exit "$2"
}

trap _on_exit EXIT
trap '_on_signal INT 130' INT
trap '_on_signal TERM 143' TERM
trap '_on_signal HUP 129' HUP

# ---------------------------------------------------------------- preconditions

[ "$(id -u)" = 0 ] || skip_all "integration tests need root"
for _c in unshare nsenter jq timeout; do
	command -v "$_c" >/dev/null 2>&1 || skip_all "$_c is not installed (scripts/deps.sh test)"
done
[ -x "$RTEXEC" ] || bail "no rtexec binary at $RTEXEC (run make)"
RTEXEC_REAL=$(readlink -f "$RTEXEC")
BUSYBOX=
for _c in /bin/busybox /usr/bin/busybox; do
	[ -x "$_c" ] && BUSYBOX=$_c && break
done
[ -n "$BUSYBOX" ] || skip_all "busybox is not installed (busybox-static)"

T=$(mktemp -d "${TMPDIR:-/tmp}/rtexec-$TEST_NAME.XXXXXX") || bail "mktemp failed"
chmod 755 "$T"
defer rm -rf "$T"

# ---------------------------------------------------------------- running rtexec

# rx CONFIG [ARG]...: rtexec with CONFIG on stdin and ARGs; RC, OUT, ERR (stdout and stderr
# are also in $T/rx.out, $T/rx.err). A hang is cut short after RX_TIMEOUT seconds (30; RC is
# then 124, or 137 if SIGTERM was not enough).
rx() {
	_rx_cfg=$1
	shift
	printf '%s\n' "$_rx_cfg" | timeout -k 5 "${RX_TIMEOUT:-30}" "$RTEXEC" "$@" \
		>"$T/rx.out" 2>"$T/rx.err"
	RC=$?
	OUT=$(cat "$T/rx.out")
	ERR=$(cat "$T/rx.err")
}

is_rc() {
	if [ "$RC" = "$1" ]; then
		pass "$2"
	else
		fail "$2"
		diag "  exit status $RC, want $1"
		_show "stdout: " "$OUT"
		_show "stderr: " "$ERR"
		return 1
	fi
}

# Exactly one line on stderr, starting with "rtexec: " (and matching GLOB if given).
err_one_line() {
	_eol_n=$(grep -c '' "$T/rx.err")
	_eol_glob=${2:-*}
	# shellcheck disable=SC2254
	case $ERR in
	"rtexec: "$_eol_glob)
		if [ "$_eol_n" = 1 ]; then
			pass "$1"
			return 0
		fi
		;;
	esac
	fail "$1"
	diag "  want one line \"rtexec: $_eol_glob\", got $_eol_n line(s):"
	_show "stderr: " "$ERR"
	return 1
}

cfg() {
	printf '{"target":{"pid":%s}%s}' "$1" "${2:+,$2}"
}

# ns_links PID: "type link" for each namespace type, as read on the host.
NS_TYPES="cgroup ipc mnt net pid time user uts"
ns_links() {
	for _t in $NS_TYPES; do
		echo "$_t $(readlink "/proc/$1/ns/$_t")"
	done
}
# The same, printed by a busybox/coreutils shell inside (a command line for rx).
NS_SCRIPT="for t in $NS_TYPES; do echo \"\$t \$(readlink /proc/self/ns/\$t)\"; done"

# The value of field 22 of /proc/PID/stat (start time).
start_time() {
	sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f20
}

# children PID: pids of PID's children (zombies included).
children() {
	cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | sed '/^$/d'
}

# held_by_strace LOG PID: PID, traced by strace -o LOG with a SIGSTOP injected, is held:
# strace has logged it "stopped by SIGSTOP" and it is still in a tracing stop. Its state
# alone is no proof: under strace every syscall passes through a tracing stop ("t") too, and
# a process caught in one of those takes a SIGCONT too early, then stops for good.
# (strace pads the pid column.)
held_by_strace() {
	grep -q "^$2  *--- stopped by SIGSTOP" "$1" 2>/dev/null &&
		grep -q '^State:[[:space:]]*t' "/proc/$2/status" 2>/dev/null
}

# wait_for SECONDS CMD [ARG]...: polls CMD every 20 ms until it succeeds.
wait_for() {
	_wf_end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -gt "$_wf_end" ] && return 1
		sleep 0.02
	done
}

# ---------------------------------------------------------------- containers

# build_rootfs DIR: busybox with a symlink per applet, /etc/passwd with root and u (1000).
build_rootfs() {
	if [ ! -d "$T/.rootfs" ]; then
		_r="$T/.rootfs.tmp"
		mkdir -p "$_r/bin" "$_r/etc" "$_r/proc" "$_r/dev" "$_r/sys" "$_r/tmp" "$_r/root" \
			"$_r/home/u" || return 1
		chmod 1777 "$_r/tmp"
		: >"$_r/dev/null"
		chown 1000:1000 "$_r/home/u"
		cp "$BUSYBOX" "$_r/bin/busybox" || return 1
		for _a in $("$BUSYBOX" --list); do
			[ -e "$_r/bin/$_a" ] || ln -s busybox "$_r/bin/$_a"
		done
		printf 'root:x:0:0:root:/root:/bin/sh\nu:x:1000:1000:u:/home/u:/bin/sh\n' \
			>"$_r/etc/passwd"
		printf 'root:x:0:\nu:x:1000:\n' >"$_r/etc/group"
		mv "$_r" "$T/.rootfs"
	fi
	mkdir -p "$(dirname "$1")" && cp -a "$T/.rootfs" "$1"
}

# The init of a container is "sleep MARK": ready once its cmdline says so.
_ctr_ready() {
	[ "$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline")" = "sleep $2 " ]
}

_unshare_child() {
	_uc=$(children "$1" | head -n 1)
	[ -n "$_uc" ] && _ctr_ready "$_uc" "$2"
}

# Kills the container's init (its pid namespace goes with it), lets unshare reap it.
_gone_or_zombie() {
	[ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}
_kill_unshare() {
	for _k in $(children "$1"); do
		kill -9 "$_k"
	done
	wait_for 2 _gone_or_zombie "$1"
	kill -9 "$1"
	wait "$1"
}

# Should this shell die without running its cleanup (SIGKILL), unshare dies with it, and
# with unshare (--kill-child) the container.
_PDEATH=
setpriv --help 2>/dev/null | grep -q -e --pdeathsig && _PDEATH="setpriv --pdeathsig KILL"

# start_unshare_ctr [--user]: own pid, mnt (pivot_root into a busybox rootfs, a fresh
# /proc), uts, ipc, net, cgroup and time namespaces; with --user also a user namespace
# (root mapped to root). CTR_INIT_PREFIX: words the init runs "sleep MARK" through (a
# helper copied into the rootfs by CTR_SETUP, a command run on the rootfs's path first).
start_unshare_ctr() {
	_ctr_n=$((_ctr_n + 1))
	_dir="$T/ctr$_ctr_n"
	_user=
	[ "${1:-}" = --user ] && _user="--user --map-root-user"
	CTR_ROOTFS="$_dir/rootfs"
	CTR_HOSTNAME="rtx-u$_ctr_n-$$"
	CTR_MARK=$((900000000 + ($$ % 100000) * 100 + _ctr_n))
	CTR_ID=
	build_rootfs "$CTR_ROOTFS" || return 1
	[ -z "${CTR_SETUP:-}" ] || $CTR_SETUP "$CTR_ROOTFS" || return 1
	# shellcheck disable=SC2086,SC2016
	$_PDEATH unshare --fork --kill-child --pid --mount --uts --ipc --net --cgroup --time $_user \
		--propagation private sh -c '
		set -e
		mount --bind "$1" "$1"
		mount --bind /dev/null "$1/dev/null"
		cd "$1"
		mkdir -p .oldroot
		pivot_root . .oldroot
		exec /bin/busybox sh -c "set -e; mount -t proc proc /proc; umount -l /.oldroot;
			rmdir /.oldroot; hostname $2; exec $4 sleep $3"' \
		sh "$CTR_ROOTFS" "$CTR_HOSTNAME" "$CTR_MARK" "${CTR_INIT_PREFIX:-}" \
		</dev/null >"$_dir/log" 2>&1 &
	_upid=$!
	defer _kill_unshare "$_upid"
	if ! wait_for 10 _unshare_child "$_upid" "$CTR_MARK"; then
		diag "container did not start:"
		diag "$(cat "$_dir/log")"
		return 1
	fi
	CTR_PID=$(children "$_upid" | head -n 1)
	export CTR_PID CTR_HOSTNAME CTR_ROOTFS CTR_MARK CTR_ID
}

# start_mapped_ctr: like start_unshare_ctr --user, but the user namespace maps 65536 ids
# shifted: 0 -> host 100000 (uid 1 inside is host uid 100001). Without newuidmap: the
# namespace's first process keeps its capabilities (--keep-caps) until the host has
# written the maps, then becomes its root (setpriv) and sets the container up.
start_mapped_ctr() {
	command -v setpriv >/dev/null 2>&1 || return 2
	unshare --help 2>&1 | grep -q -- --keep-caps || return 2
	_ctr_n=$((_ctr_n + 1))
	_dir="$T/ctr$_ctr_n"
	CTR_ROOTFS="$_dir/rootfs"
	CTR_HOSTNAME="rtx-m$_ctr_n-$$"
	CTR_MARK=$((900000000 + ($$ % 100000) * 100 + _ctr_n))
	# shellcheck disable=SC2034
	CTR_ID=
	build_rootfs "$CTR_ROOTFS" || return 1
	chown -R 100000:100000 "$CTR_ROOTFS" && chown -R 101000:101000 "$CTR_ROOTFS/home/u" ||
		return 1
	# shellcheck disable=SC2016
	unshare --user --keep-caps --fork --kill-child --pid --mount --uts --ipc --net --cgroup \
		--time --propagation private sh -c '
		while ! grep -q 100000 /proc/self/gid_map; do sleep 0.02; done
		exec setpriv --reuid=0 --regid=0 --clear-groups sh -c "
		set -e
		mount --bind \"\$1\" \"\$1\"
		mount --bind /dev/null \"\$1/dev/null\"
		cd \"\$1\"
		mkdir -p .oldroot
		pivot_root . .oldroot
		exec /bin/busybox sh -c \"set -e; mount -t proc proc /proc; umount -l /.oldroot;
			rmdir /.oldroot; hostname \$2; exec sleep \$3\"" sh "$@"' \
		sh "$CTR_ROOTFS" "$CTR_HOSTNAME" "$CTR_MARK" </dev/null >"$_dir/log" 2>&1 &
	_upid=$!
	defer _kill_unshare "$_upid"
	# shellcheck disable=SC2016
	wait_for 10 eval '[ -n "$(children "$_upid")" ]' || return 1
	_c=$(children "$_upid" | head -n 1)
	echo "0 100000 65536" >"/proc/$_c/uid_map" && echo "0 100000 65536" >"/proc/$_c/gid_map" ||
		return 1
	if ! wait_for 10 _unshare_child "$_upid" "$CTR_MARK"; then
		diag "mapped container did not start:"
		diag "$(cat "$_dir/log")"
		return 1
	fi
	CTR_PID=$(children "$_upid" | head -n 1)
}

# start_runc_ctr: a runc busybox container running "sleep MARK". RUNC_JQ: a jq filter that
# edits its config.json further (e.g. '.process.args = ["/helper", "--"] + .process.args').
start_runc_ctr() {
	command -v runc >/dev/null 2>&1 || return 2
	_ctr_n=$((_ctr_n + 1))
	_dir="$T/runc$_ctr_n"
	CTR_ROOTFS="$_dir/rootfs"
	CTR_HOSTNAME="rtx-r$_ctr_n-$$"
	CTR_MARK=$((900000000 + ($$ % 100000) * 100 + _ctr_n))
	CTR_ID="rtexec-test-$$-$_ctr_n"
	build_rootfs "$CTR_ROOTFS" || return 1
	(cd "$_dir" && runc spec) || return 1
	[ -z "${CTR_SETUP:-}" ] || $CTR_SETUP "$CTR_ROOTFS" || return 1
	jq --arg h "$CTR_HOSTNAME" --arg m "$CTR_MARK" \
		".process.terminal = false | .process.args = [\"sleep\", \$m] | .hostname = \$h
		 | .root.readonly = false ${RUNC_JQ:+| $RUNC_JQ}" "$_dir/config.json" >"$_dir/config.new" &&
		mv "$_dir/config.new" "$_dir/config.json" || return 1
	defer runc delete -f "$CTR_ID"
	if ! runc run -d --pid-file "$_dir/pid" -b "$_dir" "$CTR_ID" </dev/null >/dev/null \
		2>"$_dir/log"; then
		diag "runc run failed:"
		diag "$(cat "$_dir/log")"
		return 1
	fi
	CTR_PID=$(cat "$_dir/pid")
	if ! wait_for 10 _ctr_ready "$CTR_PID" "$CTR_MARK"; then
		diag "runc container $CTR_ID did not start"
		return 1
	fi
	export CTR_PID CTR_HOSTNAME CTR_ROOTFS CTR_MARK CTR_ID
}

# start_ctr: a runc container, or where runc is missing an unshare one (bails otherwise).
start_ctr() {
	start_runc_ctr
	case $? in
	0) ;;
	2)
		diag "runc is not installed: using an unshare container"
		start_unshare_ctr || bail "cannot start an unshare container"
		;;
	*) bail "cannot start a runc container" ;;
	esac
}

# leftovers [CTR_PID]...: one line per process that should not be there: rtexec processes
# started by this test (its exe is the rtexec binary or its sealed copy, its environment
# has our tag), and
# any live process in the pid namespace of each CTR_PID other than CTR_PID itself, and
# zombie children of its init (which never reaps them). (A process that joined the pid
# namespace with setns is reparented to the host's init when its parent dies, which reaps
# it: its zombie, if still there, is not listed.)
leftovers() {
	# shellcheck disable=SC2012
	ls -l /proc/[0-9]*/exe 2>/dev/null |
		sed -n 's|^.* /proc/\([0-9]*\)/exe -> \(.*\)$|\1 \2|p' |
		while read -r _p _e; do
			# The binary, or the sealed copy it runs from (CVE-2019-5736, selfexe.c).
			[ "$_e" = "$RTEXEC_REAL" ] || [ "$_e" = "$RTEXEC_REAL (deleted)" ] ||
				[ "$_e" = "/memfd:rtexec (deleted)" ] || continue
			tr '\0' '\n' 2>/dev/null <"/proc/$_p/environ" |
				grep -qx "RTEXEC_TEST_TAG=$RTEXEC_TEST_TAG" || continue
			echo "rtexec process $_p: $(tr '\0' ' ' 2>/dev/null <"/proc/$_p/cmdline")"
		done
	for _c in "$@"; do
		_ns=$(readlink "/proc/$_c/ns/pid") || continue
		# shellcheck disable=SC2012
		ls -l /proc/[0-9]*/ns/pid 2>/dev/null |
			sed -n 's|^.* /proc/\([0-9]*\)/ns/pid -> \(.*\)$|\1 \2|p' |
			while read -r _p _n; do
				[ "$_n" = "$_ns" ] && [ "$_p" != "$_c" ] || continue
				# A zombie is dead: its parent (or the host's init) reaps it. Only
				# zombie children of the container's init stay, listed below.
				grep -q '^State:[[:space:]]*Z' "/proc/$_p/status" 2>/dev/null && continue
				echo "process $_p in container $_c: $(tr '\0' ' ' 2>/dev/null <"/proc/$_p/cmdline")"
			done
		for _p in $(children "$_c"); do
			_st=$(sed -n 's/^State:[[:space:]]*//p' "/proc/$_p/status" 2>/dev/null)
			case $_st in
			Z*) echo "zombie child $_p of container init $_c" ;;
			esac
		done
	done
}

# no_leftovers NAME [CTR_PID]...
no_leftovers() {
	_nl_name=$1
	shift
	# A killed process takes a moment to be gone on a loaded machine: what is still there
	# after 3 s is a real leftover.
	_nl_ctrs="$*"
	# shellcheck disable=SC2086 # container pids, one word each
	wait_for 3 eval '[ -z "$(leftovers $_nl_ctrs)" ]' || true
	is "$(leftovers "$@")" "" "$_nl_name"
}

# ns_pid_of HOSTPID: the pid of HOSTPID in its own (innermost) pid namespace.
ns_pid_of() {
	sed -n 's/^NSpid:.*[[:space:]]\([0-9]*\)$/\1/p' "/proc/$1/status"
}
