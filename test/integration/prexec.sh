#!/bin/sh
# A child killed before its exec (by the OOM killer, or by root of a container that sees it
# in its pid namespace) is a failure of rtexec's: 125, one line, no pid file, nothing left.
. "$(dirname "$0")/../lib.sh"

command -v strace >/dev/null 2>&1 || skip_all "strace is not installed"
start_runc_ctr || bail "cannot start a runc container"
printf '%s\n' "$(cfg "$CTR_PID" '"process":{"args":["sh","-c","echo ran"]}')" >"$T/c.json"

for mode in foreground detach; do
	flag=
	[ $mode = detach ] && flag=-d
	rm -f "$T/p.pid"
	# SIGKILL injected into the child at its uid switch, well before the exec.
	strace -f -qq -o /dev/null -e trace=setresuid -e inject=setresuid:signal=SIGKILL \
		"$RTEXEC" -f "$T/c.json" --pid-file "$T/p.pid" $flag >"$T/out" 2>"$T/rx.err"
	RC=$?
	ERR=$(cat "$T/rx.err")
	is "$RC" 125 "$mode: killed before exec: 125"
	is "$(cat "$T/out")" "" "$mode: the command did not run"
	err_one_line "$mode: one line saying so" "*killed by signal 9 before the command started"
	ok "$mode: no pid file" [ ! -e "$T/p.pid" ]
	is "$(ls -A "$T" | grep -c '\.rtexec-')" 0 "$mode: no temporary pid file left"
	is "$(leftovers "$CTR_PID")" "" "$mode: nothing left behind"
done
