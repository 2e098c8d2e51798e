#!/bin/sh
# Exit status: the command's own, 128+N for signal N, 126/127 for exec failures, 125 for
# rtexec's own failures; every failure says so in exactly one line on stderr.
. "$(dirname "$0")/../lib.sh"

start_unshare_ctr || bail "cannot start an unshare container"
C=$(cfg "$CTR_PID")

# --- the command's own status, all 256 of them
bad=
i=0
while [ $i -le 255 ]; do
	rx "$C" -- sh -c "exit $i"
	[ "$RC" = "$i" ] && [ -z "$ERR" ] || bad="$bad $i(got $RC${ERR:+, stderr: $ERR})"
	i=$((i + 1))
done
is "$bad" "" "exit statuses 0..255 of the command pass through, with nothing on stderr"

# Statuses that rtexec also uses for itself: passed through without a message.
for i in 125 126 127; do
	rx "$C" -- sh -c "echo out; exit $i"
	is "$RC/$OUT/$ERR" "$i/out/" "a command exiting $i: rtexec exits $i and says nothing"
done

# --- killed by a signal
for sig in 1 2 6 9 10 15; do
	rx "$C" -- sh -c "kill -$sig \$\$; sleep 5; exit 99"
	is "$RC" "$((128 + sig))" "a command killed by signal $sig: 128+$sig"
done
# busybox sh ignores SIGQUIT, so the signal comes from busybox timeout, which execs the
# program in its own process and kills it from a child.
rx "$C" -- timeout -s QUIT 1 sleep 5
is "$RC" 131 "a command killed by signal 3: 128+3"
rx "$C" -- sh -c 'trap "" TERM; kill -TERM $$; exit 7'
is "$RC" 7 "a command ignoring the signal it sends itself: its own status"

# --- 126: found but cannot be executed
rx "$C" -- /etc/passwd
is_rc 126 "a non-executable file: 126"
err_one_line "a non-executable file: one line" "*/etc/passwd*"
rx "$C" -- /tmp
is_rc 126 "a directory: 126"
err_one_line "a directory: one line" "*/tmp*"
printf 'not a program\n' >"$CTR_ROOTFS/bin/rtx-noexec"
chmod 644 "$CTR_ROOTFS/bin/rtx-noexec"
rx "$C" -- rtx-noexec
is_rc 126 "a non-executable file found in PATH: 126"
err_one_line "a non-executable file found in PATH: one line" "*rtx-noexec*"

# --- 127: not found
rx "$C" -- rtx-no-such-command
is_rc 127 "a command not in PATH: 127"
err_one_line "a command not in PATH: one line" "*rtx-no-such-command*"
rx "$C" -- /no/such/file
is_rc 127 "a missing absolute path: 127"
err_one_line "a missing absolute path: one line" "*/no/such/file*"
rx "$C" -- "$(command -v jq)"
is_rc 127 "a program that exists on the host only: 127 (exec happens in the container)"
err_one_line "a program that exists on the host only: one line"

# --- 125: bad config
check_config() { # NAME CONFIG [ARG]...
	_name=$1 _c=$2
	shift 2
	rx "$_c" "$@"
	is_rc 125 "bad config, $_name: 125"
	err_one_line "bad config, $_name: one line"
	is "$OUT" "" "bad config, $_name: the command did not run"
}
check_config "not JSON" "{\"target\":{\"pid\":$CTR_PID}" -- echo ran
check_config "empty input" "" -- echo ran
check_config "an array" "[]" -- echo ran
check_config "unknown top-level key" "$(cfg "$CTR_PID" '"bogus":1')" -- echo ran
check_config "unknown key in process" "$(cfg "$CTR_PID" '"process":{"args":["echo","ran"],"bogus":1}')"
check_config "no target" '{"process":{"args":["echo","ran"]}}'
check_config "both pid and pidFile" \
	"{\"target\":{\"pid\":$CTR_PID,\"pidFile\":\"/x\"},\"process\":{\"args\":[\"echo\",\"ran\"]}}"
check_config "pid 0" '{"target":{"pid":0}}' -- echo ran
check_config "pid as a string" "{\"target\":{\"pid\":\"$CTR_PID\"}}" -- echo ran
check_config "no args" "$(cfg "$CTR_PID" '"process":{}')"
check_config "a key given twice" "$(cfg "$CTR_PID" '"detach":false,"detach":false')" -- echo ran
check_config "relative cwd" "$(cfg "$CTR_PID" '"process":{"args":["echo","ran"],"cwd":"tmp"}')"
check_config "bad option" "$C" --bogus-option -- echo ran
check_config "unreadable -f file" "$C" -f "$T/no-such-config" -- echo ran

# --- 125: target gone, zombie, reused
true &
dead=$!
wait "$dead"
rx "$(cfg "$dead")" -- echo ran
is_rc 125 "a target that has exited: 125"
err_one_line "a target that has exited: one line naming it" "*$dead*"

sh -c 'true & exec sleep 600' &
zparent=$!
defer kill -9 "$zparent"
zombie=
wait_for 5 sh -c "grep -q '^State:.*Z' /proc/\$(cat /proc/$zparent/task/*/children | tr -d ' ')/status" &&
	zombie=$(children "$zparent")
if [ -n "$zombie" ]; then
	rx "$(cfg "$zombie")" -- echo ran
	is_rc 125 "a zombie target: 125"
	err_one_line "a zombie target: one line naming it" "*$zombie*"
else
	fail "a zombie target (could not make one)"
fi

st=$(start_time "$CTR_PID")
rx "{\"target\":{\"pid\":$CTR_PID,\"startTime\":$st}}" -- echo ran
is "$RC/$OUT" "0/ran" "target.startTime that matches: runs"
rx "{\"target\":{\"pid\":$CTR_PID,\"startTime\":$((st + 1))}}" -- echo ran
is_rc 125 "target.startTime that differs (pid reused): 125"
err_one_line "target.startTime that differs: one line naming the pid" "*$CTR_PID*"
is "$OUT" "" "target.startTime that differs: the command did not run"

# --- target.pidFile
echo "$CTR_PID" >"$T/ctr.pid"
rx "{\"target\":{\"pidFile\":\"$T/ctr.pid\"}}" -- hostname
is "$RC/$OUT" "0/$CTR_HOSTNAME" "target.pidFile: runs in the container of the pid it holds"
printf '%s' "$CTR_PID" >"$T/ctr-nonl.pid"
rx "{\"target\":{\"pidFile\":\"$T/ctr-nonl.pid\"}}" -- hostname
is "$RC/$OUT" "0/$CTR_HOSTNAME" "target.pidFile without a final newline (as runc writes it)"
rx "{\"target\":{\"pidFile\":\"$T/no-such.pid\"}}" -- echo ran
is_rc 125 "target.pidFile missing: 125"
err_one_line "target.pidFile missing: one line naming it" "*$T/no-such.pid*"
echo "garbage" >"$T/garbage.pid"
rx "{\"target\":{\"pidFile\":\"$T/garbage.pid\"}}" -- echo ran
is_rc 125 "target.pidFile without a pid: 125"
err_one_line "target.pidFile without a pid: one line naming it" "*$T/garbage.pid*"
echo "$dead" >"$T/dead.pid"
rx "{\"target\":{\"pidFile\":\"$T/dead.pid\"}}" -- echo ran
is_rc 125 "target.pidFile naming an exited process: 125"
err_one_line "target.pidFile naming an exited process: one line"

# --- the command's own stderr is its own: rtexec adds nothing to it
rx "$C" -- sh -c 'echo oops >&2; exit 3'
is "$RC/$ERR" "3/oops" "a failing command's stderr is passed as is"
