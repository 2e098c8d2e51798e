#!/bin/sh
# File descriptors: the command gets 0, 1, 2 (and the preserved ones), nothing else of
# rtexec's or of its caller's; stdin reaches it when the config comes from a file.
. "$(dirname "$0")/../lib.sh"

# Lists the command's open fds, one "N target" per line, without the one ls itself opened
# to read /proc/self/fd (it points to that directory).
FD_SCRIPT='ls -l /proc/self/fd | sed -n "s|^.* \([0-9]*\) -> \(.*\)$|\1 \2|p" | grep -v " /proc/[0-9]*/fd$"'
fd_numbers() {
	echo "$1" | cut -d' ' -f1 | sort -n | tr '\n' ' '
}

echo one >"$T/one"
echo two >"$T/two"
echo three >"$T/three"
echo four >"$T/four"

for kind in plain user; do
	if [ $kind = user ]; then
		start_unshare_ctr --user || bail "cannot start an unshare --user container"
	else
		start_unshare_ctr || bail "cannot start an unshare container"
	fi
	C=$(cfg "$CTR_PID")

	rx "$C" -- sh -c "$FD_SCRIPT"
	is_rc 0 "$kind: fd listing runs"
	is "$(fd_numbers "$OUT")" "0 1 2 " "$kind: the command has fds 0, 1, 2 only"

	rx "$C" -- sh -c "$FD_SCRIPT" 3<"$T/one" 7<"$T/two" 8<"$T" 9>"$T/three"
	is "$(fd_numbers "$OUT")" "0 1 2 " "$kind: fds 3, 7, 8, 9 the caller passed are closed"
	is "$(echo "$OUT" | grep -v '^[012] ' | grep -c "$T")" 0 "$kind: no fd above 2 points into the host's files"

	# High numbers too (bash opens them: sh has fds 0-9 only).
	if command -v bash >/dev/null 2>&1; then
		cfg "$CTR_PID" | timeout 30 bash -c 'exec 100<"$0" 1000<"$0"; exec "$@"' "$T/one" \
			"$RTEXEC" -- sh -c "$FD_SCRIPT" >"$T/high.out" 2>/dev/null
		is "$(fd_numbers "$(cat "$T/high.out")")" "0 1 2 " "$kind: fds 100 and 1000 the caller passed are closed"
	else
		skip "$kind: high fds" "bash is not installed"
	fi

	# preserveFds: 2 keeps 3 and 4 (same files, same numbers) and closes the rest.
	rx "$(cfg "$CTR_PID" '"preserveFds":2')" -- sh -c "$FD_SCRIPT; cat <&3; cat <&4" \
		3<"$T/one" 4<"$T/two" 5<"$T/three" 8<"$T/four"
	is_rc 0 "$kind: preserveFds 2 runs"
	is "$(fd_numbers "$(echo "$OUT" | grep '^[0-9]* ')")" "0 1 2 3 4 " "$kind: preserveFds 2: fds 0-4 only"
	is "$(echo "$OUT" | grep -v '^[0-9]* ' | tr '\n' ' ')" "one two " \
		"$kind: preserveFds 2: fds 3 and 4 are the caller's files"

	# A preserved number the caller left closed stays closed (nothing of rtexec's lands there).
	rx "$(cfg "$CTR_PID" '"preserveFds":3')" -- sh -c "$FD_SCRIPT" 3<"$T/one" 5<"$T/three"
	is "$(fd_numbers "$OUT")" "0 1 2 3 5 " "$kind: preserveFds 3 with fd 4 closed: 3 and 5 only"
done

# --- stdin, stdout, stderr are the caller's
echo '{"target":{"pid":'"$CTR_PID"'}}' >"$T/cfg.json"
out=$(echo "data from stdin" | timeout 30 "$RTEXEC" -f "$T/cfg.json" -- cat)
is "$out" "data from stdin" "config from -f FILE: stdin reaches the command"
out=$(echo "data from stdin" | timeout 30 "$RTEXEC" --config "$T/cfg.json" -- cat)
is "$out" "data from stdin" "config from --config FILE: stdin reaches the command"
out=$(timeout 30 "$RTEXEC" -f "$T/cfg.json" -- cat <"$T/four")
is "$out" "four" "config from -f FILE: stdin redirected from a file reaches the command"

rx "$(cfg "$CTR_PID")" -- cat
is "$RC/$OUT" "0/" "config on stdin: the command's stdin is at its end (does not hang)"

rx "$(cfg "$CTR_PID")" -- sh -c 'echo to-stdout; echo to-stderr >&2'
is "$OUT|$ERR" "to-stdout|to-stderr" "stdout and stderr of the command are the caller's"

# The caller closed stdout: fd 1 of the command is /dev/null, not a file rtexec opened.
cfg "$CTR_PID" | timeout 30 "$RTEXEC" -- sh -c 'l=$(readlink /proc/$$/fd/1); echo "$l" >&2' 2>"$T/err" >&-
like "$(cat "$T/err")" "*/null" "stdout closed by the caller: the command's fd 1 is /dev/null"
