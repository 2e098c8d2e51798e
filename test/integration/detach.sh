#!/bin/sh
# Detach and pid files: -d / "detach": true return 0 once the command runs; the pid file
# holds the command's pid, written only once exec has succeeded, and an unusable pid file
# path fails before anything runs.
. "$(dirname "$0")/../lib.sh"

start_unshare_ctr || bail "cannot start an unshare container"
C=$(cfg "$CTR_PID")
ctr_ns=$(readlink "/proc/$CTR_PID/ns/pid")

# The processes of the container other than its init, as "PID cmdline".
ctr_procs() {
	leftovers "$CTR_PID" | sed -n 's/^process \([0-9]*\) in container [0-9]*: \(.*\)$/\1 \2/p'
}

# kill_ctr_procs: ends whatever a test left running in the container.
kill_ctr_procs() {
	for p in $(ctr_procs | cut -d' ' -f1); do
		kill -9 "$p"
	done
	wait_for 5 eval '[ -z "$(ctr_procs)" ]'
}
defer kill_ctr_procs

# is_cmd PID ARGS: PID runs "ARGS" in the container.
is_cmd() {
	[ "$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline")" = "$2 " ] &&
		[ "$(readlink "/proc/$1/ns/pid")" = "$ctr_ns" ]
}

elapsed_since() {
	echo $(($(date +%s) - $1))
}

# --- detach
mark=4000
for how in json flag long; do
	mark=$((mark + 1))
	t0=$(date +%s)
	case $how in
	json) rx "$(cfg "$CTR_PID" '"detach":true')" -- sleep "$mark" ;;
	flag) rx "$C" -d -- sleep "$mark" ;;
	long) rx "$C" --detach -- sleep "$mark" ;;
	esac
	is_rc 0 "detach ($how): rtexec exits 0"
	ok "detach ($how): at once (the command sleeps $mark s)" [ "$(elapsed_since "$t0")" -lt 10 ]
	is "$(ctr_procs | cut -d' ' -f2-)" "sleep $mark " "detach ($how): the command keeps running in the container"
	no_leftovers "detach ($how): rtexec itself is gone"
	kill_ctr_procs
done

# --- pid file, detached
rx "$(cfg "$CTR_PID" "\"detach\":true,\"pidFile\":\"$T/d1.pid\"")" -- sleep 4101
is_rc 0 'detach + pidFile: exits 0'
pid=$(cat "$T/d1.pid" 2>/dev/null)
ok "detach + pidFile: the file holds the command's pid (host pid namespace)" is_cmd "$pid" "sleep 4101"
is "$(ls -A "$T" | grep -c 'd1\.pid')" 1 "detach + pidFile: no temporary file is left beside it"
kill_ctr_procs

mkdir "$T/pf"
rx "$C" -d --pid-file "$T/pf/cli.pid" -- sleep 4102
is_rc 0 '-d --pid-file: exits 0'
pid=$(cat "$T/pf/cli.pid" 2>/dev/null)
ok "-d --pid-file: the file holds the command's pid" is_cmd "$pid" "sleep 4102"
is "$(ls -A "$T/pf")" "cli.pid" "-d --pid-file: nothing else in its directory"
ok "-d --pid-file: the pid file ends without garbage" grep -qx '[0-9]*' "$T/pf/cli.pid"
kill_ctr_procs

rx "$C" -d --pid-file="$T/pf/eq.pid" -- sleep 4103
pid=$(cat "$T/pf/eq.pid" 2>/dev/null)
ok "-d --pid-file=FILE: the file holds the command's pid" is_cmd "$pid" "sleep 4103"
kill_ctr_procs

# An existing pid file is replaced.
echo 999999 >"$T/pf/old.pid"
rx "$C" -d --pid-file "$T/pf/old.pid" -- sleep 4104
is_rc 0 "an existing pid file: exits 0"
pid=$(cat "$T/pf/old.pid" 2>/dev/null)
ok "an existing pid file is replaced" is_cmd "$pid" "sleep 4104"
kill_ctr_procs

# --- pid file, foreground: written once the command runs, the command is rtexec's child
printf '%s\n' "$C" >"$T/fg.cfg"
"$RTEXEC" -f "$T/fg.cfg" --pid-file "$T/pf/fg.pid" -- sleep 4105 </dev/null >/dev/null 2>&1 &
rpid=$!
defer kill -9 "$rpid"
if wait_for 10 test -s "$T/pf/fg.pid"; then
	pid=$(cat "$T/pf/fg.pid")
	ok "foreground --pid-file: the file holds the command's pid" is_cmd "$pid" "sleep 4105"
	is "$(children "$rpid")" "$pid" "foreground --pid-file: that pid is rtexec's child"
	kill -TERM "$pid"
	wait "$rpid"
	is "$?" 143 "foreground --pid-file: rtexec waits for the command (143 after SIGTERM to it)"
else
	fail "foreground --pid-file: no pid file"
fi
rm -f "$T/pf/fg.pid"

rx "$(cfg "$CTR_PID" "\"pidFile\":\"$T/pf/fg2.pid\"")" -- sh -c 'exit 3'
is "$RC" 3 'foreground pidFile: the command status'
ok 'foreground pidFile: the file exists after the command exited' test -s "$T/pf/fg2.pid"

# --- the pid file appears only once exec has succeeded: the child of rtexec is held with
# strace right after its chdir (the last step before exec)
if command -v strace >/dev/null 2>&1; then
	mkdir "$T/held"
	# (strace itself stays as long as the command it traces: rtexec's status is read from
	# its log)
	strace -f -q -o "$T/strace.log" -e trace=chdir -e inject=chdir:signal=SIGSTOP \
		"$RTEXEC" -f "$T/fg.cfg" -d --pid-file "$T/held/x.pid" -- sleep 4106 \
		</dev/null >/dev/null 2>&1 &
	spid=$!
	defer kill -9 "$spid"
	held() {
		R=$(children "$spid")
		K=$(children "$R")
		[ -n "$K" ] && held_by_strace "$T/strace.log" "$K"
	}
	if wait_for 10 held; then
		is "$(ls "$T/held")" "" "before exec: no pid file yet"
		kill -CONT "$K"
		wait_for 10 grep -q "^$R  *+++ exited" "$T/strace.log"
		is "$(sed -n "s/^$R  *+++ exited with \([0-9]*\) +++\$/\1/p" "$T/strace.log")" 0 \
			"-d, held before exec, then let go: rtexec exits 0"
		ok "after exec: the pid file holds the command's pid" is_cmd "$(cat "$T/held/x.pid")" "sleep 4106"
		is "$(ls -A "$T/held")" "x.pid" "after exec: nothing else in its directory"
		kill -9 "$spid"
		{ wait "$spid"; } 2>/dev/null
		kill_ctr_procs
	else
		fail "pid file before exec: could not hold rtexec's child"
	fi
else
	skip "pid file before exec" "strace is not installed"
fi

# --- no pid file when exec fails
for mode in fg detach; do
	d="$T/nopid-$mode"
	mkdir "$d"
	extra=
	[ $mode = detach ] && extra=-d
	# shellcheck disable=SC2086
	rx "$C" $extra --pid-file "$d/x.pid" -- rtx-no-such-command
	is_rc 127 "$mode: command not found: 127"
	is "$(ls -A "$d")" "" "$mode: command not found: no pid file, no temporary file"
	# shellcheck disable=SC2086
	rx "$C" $extra --pid-file "$d/x.pid" -- /etc/passwd
	is_rc 126 "$mode: command not executable: 126"
	is "$(ls -A "$d")" "" "$mode: command not executable: no pid file, no temporary file"
	# shellcheck disable=SC2086
	rx "$(cfg "$CTR_PID" '"process":{"args":["true"],"cwd":"/no/such/dir"}')" $extra \
		--pid-file "$d/x.pid"
	is_rc 125 "$mode: bad cwd: 125"
	is "$(ls -A "$d")" "" "$mode: bad cwd: no pid file, no temporary file"
done

# --- a pid file that cannot be written: 125 before anything runs in the container
unwritable() { # NAME PATH
	rm -f "$CTR_ROOTFS/tmp/evidence"
	rx "$C" --pid-file "$2" -- touch /tmp/evidence
	is_rc 125 "pid file $1: 125"
	err_one_line "pid file $1: one line naming it" "*$2*"
	ok "pid file $1: the command did not run" test ! -e "$CTR_ROOTFS/tmp/evidence"
	no_leftovers "pid file $1: nothing remains" "$CTR_PID"
	kill_ctr_procs || true
}
unwritable "in a missing directory" "$T/no/such/dir/x.pid"
unwritable "under /proc" "/proc/rtexec-test.pid"
mkdir "$T/a-dir.pid"
unwritable "that is a directory" "$T/a-dir.pid"
