#!/bin/sh
# After a failure nothing of rtexec remains: no rtexec process, and the container holds
# only its init.
. "$(dirname "$0")/../lib.sh"

# failure KIND CONFIG WANT-STATUS [ARG]...: runs it, checks the status, one line on
# stderr, and that nothing remains (rtexec processes, processes in container $CTR_PID).
failure() {
	_k=$1 _c=$2 _want=$3
	shift 3
	rx "$_c" "$@"
	is_rc "$_want" "$kind, $_k: $_want"
	err_one_line "$kind, $_k: one line on stderr"
	no_leftovers "$kind, $_k: no rtexec process remains, the container holds only its init" \
		"$CTR_PID"
}

# The helper itself sees what it is meant to see.
start_unshare_ctr || bail "cannot start an unshare container"
rx "$(cfg "$CTR_PID")" -d -- sleep 4321
like "$(leftovers "$CTR_PID")" "process * in container $CTR_PID: sleep 4321 " \
	"leftovers() sees a process left in the container"
for p in $(leftovers "$CTR_PID" | sed -n 's/^process \([0-9]*\) .*/\1/p'); do
	kill -9 "$p"
done
printf '%s\n' "$(cfg "$CTR_PID")" >"$T/hold.cfg"
"$RTEXEC" -f "$T/hold.cfg" -- sleep 4322 </dev/null >/dev/null 2>&1 &
hold=$!
defer kill -9 "$hold"
wait_for 5 eval '[ -n "$(children "$hold")" ]'
like "$(leftovers)" "rtexec process $hold: *" "leftovers() sees a running rtexec of this test"
kill -9 "$(children "$hold")"
wait "$hold"

for kind in unshare unshare-user runc; do
	case $kind in
	unshare) start_unshare_ctr || bail "cannot start an unshare container" ;;
	unshare-user) start_unshare_ctr --user || bail "cannot start an unshare --user container" ;;
	runc)
		start_runc_ctr
		case $? in
		0) ;;
		2)
			skip "runc container" "runc is not installed"
			continue
			;;
		*)
			fail "runc container starts"
			continue
			;;
		esac
		;;
	esac
	P=$CTR_PID
	C=$(cfg "$P")

	no_leftovers "$kind: a fresh container holds only its init" "$P"
	rx "$C" -- sh -c 'echo fine'
	is "$RC/$OUT" "0/fine" "$kind: a command runs"
	no_leftovers "$kind: after a command that ran, nothing remains" "$P"

	failure "bad JSON" "{\"target\":{\"pid\":$P}," 125 -- true
	failure "unknown key" "$(cfg "$P" '"bogus":true')" 125 -- true
	failure "a field this host cannot honour (AppArmor off)" "$(cfg "$P" '"process":{"args":["true"],"apparmorProfile":"x"}')" 125
	failure "command not executable" "$C" 126 -- /etc/passwd
	failure "directory as command" "$C" 126 -- /
	failure "command not found" "$C" 127 -- rtx-no-such-command
	failure "absolute path not found" "$C" 127 -- /no/such/file
	failure "failing cwd" "$(cfg "$P" '"process":{"args":["true"],"cwd":"/no/such/dir"}')" 125
	failure "namespace path of the wrong type" \
		"$(cfg "$P" "\"namespaces\":[{\"type\":\"network\",\"path\":\"/proc/$P/ns/uts\"}]")" 125 -- true
	failure "namespace path that is not a namespace" \
		"$(cfg "$P" '"namespaces":[{"type":"ipc","path":"/etc/hostname"}]')" 125 -- true
	failure "startTime mismatch" \
		"{\"target\":{\"pid\":$P,\"startTime\":$(($(start_time "$P") + 1))}}" 125 -- true
	failure "pid file in a missing directory" "$C" 125 --pid-file "$T/no/dir/x.pid" -- sleep 1
	failure "detached, command not found" "$C" 127 -d -- rtx-no-such-command
	failure "detached, failing cwd" \
		"$(cfg "$P" '"detach":true,"process":{"args":["sleep","9"],"cwd":"/no/such/dir"}')" 125
	failure "cwd that is a file" \
		"$(cfg "$P" '"process":{"args":["true"],"cwd":"/etc/passwd","user":{"uid":1000}}')" 125
done

# A target that is gone: nothing is left either (no container to look into).
true &
dead=$!
wait "$dead"
kind="dead target"
rx "$(cfg "$dead")" -- true
is_rc 125 "dead target: 125"
err_one_line "dead target: one line on stderr"
no_leftovers "dead target: no rtexec process remains"

# The child stopped between its report of a failure and its exit (container root may send
# it SIGSTOP; strace makes its first exit_group fail and stops it): rtexec still says what
# failed at once (it waited for the stopped child for ever), and kills it.
if command -v strace >/dev/null 2>&1; then
	start_unshare_ctr || bail "cannot start an unshare container"
	printf '%s\n' "$(cfg "$CTR_PID" '"process":{"args":["true"],"cwd":"/no/such/dir"}')" \
		>"$T/stop.json"
	# strace's own complaints (it races the kill now and then: PTRACE_LISTEN EIO, "Failed to
	# tamper") go to a file of their own, rtexec's stderr to stop.err.
	# shellcheck disable=SC2016
	strace -f -qq -o "$T/stop.log" -e trace=exit_group \
		-e inject=exit_group:signal=SIGSTOP:error=ENOSYS:when=1 \
		sh -c 'exec "$0" -f "$1" 2>"$2"' "$RTEXEC" "$T/stop.json" "$T/stop.err" 2>"$T/strace.err" &
	spid=$!
	defer "kill -9 $spid"
	said() { [ -s "$T/stop.err" ]; }
	wait_for 5 said
	like "$(cat "$T/stop.err")" "rtexec: chdir /no/such/dir: *" \
		"child stopped after reporting its failure: the failure is said at once"
	# rtexec's child, stopped in its exit (it can end only by a signal), is gone or dead
	# soon: no process of this run but rtexec itself (strace's child) is left alive.
	# strace's own log of the kill is not relied on (under load it missed it now and then,
	# the tracee long dead).
	child_dead() {
		for p in $(pgrep -f "$T/stop.json"); do
			[ "$p" = "$spid" ] && continue # strace
			[ "$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)" = "$spid" ] &&
				continue
			grep -q '^State:[[:space:]]*[ZX]' "/proc/$p/status" 2>/dev/null ||
				[ ! -e "/proc/$p" ] || return 1
		done
	}
	wait_for 15 child_dead
	ok "... and the stopped child is killed" child_dead
	# rtexec's own exit_group is stopped the same way: let it go.
	for p in $(pgrep -f "$T/stop.json"); do
		kill -9 "$p"
	done
	wait "$spid" 2>/dev/null || true
fi
