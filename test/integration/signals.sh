#!/bin/sh
# Signals: in the foreground rtexec forwards what it receives to the command and exits
# with the command's status.
. "$(dirname "$0")/../lib.sh"

start_unshare_ctr || bail "cannot start an unshare container"
C=$(cfg "$CTR_PID")

# bg_rtexec [WRAPPER]... -- ARG...: rtexec in the background, config $C from a file, with
# default signal dispositions (a background job of sh would ignore SIGINT and SIGQUIT).
# Sets RPID (the pid of rtexec, or of the wrapper). Output in $T/bg.out, $T/bg.err.
bg_rtexec() {
	printf '%s\n' "$C" >"$T/bg.cfg"
	env --default-signal "$@" <"$T/bg.cfg" >"$T/bg.out" 2>"$T/bg.err" &
	RPID=$!
	defer kill -9 "$RPID"
}

_exited() {
	[ ! -e "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# wait_rtexec: RC of RPID (killed after 20 s if it hangs).
wait_rtexec() {
	wait_for 20 _exited "$RPID" || {
		diag "rtexec $RPID hangs: killing it"
		kill -9 "$RPID"
	}
	wait "$RPID"
	RC=$?
	OUT=$(cat "$T/bg.out")
	ERR=$(cat "$T/bg.err")
}

ready() {
	grep -q "^${1:-ready}\$" "$T/bg.out"
}

# The command: traps SIG (prints "got SIG" and exits CODE), reaps its own child.
trap_script() { # SIG CODE [SECONDS]
	echo "trap '{ kill \$p; wait \$p; } 2>/dev/null; echo got $1; exit $2' $1; sleep ${3:-30} & p=\$!; echo ready;
		while kill -0 \$p 2>/dev/null; do wait \$p; done; echo not-signalled; exit 99"
}

# SIGABRT and SIGSYS sent by kill too (a watchdog, timeout -s ABRT): they killed
# rtexec (a core dump), the command ran on without it.
for s in TERM:3 INT:4 HUP:5 USR1:6 USR2:7 QUIT:8 ABRT:9 SYS:10; do
	sig=${s%:*} code=${s#*:}
	bg_rtexec "$RTEXEC" -- sh -c "$(trap_script "$sig" "$code")"
	if ! wait_for 10 ready; then
		fail "SIG$sig to rtexec: the command did not start"
		diag "$(cat "$T/bg.err")"
		kill -9 "$RPID"
		wait "$RPID"
		continue
	fi
	kill -"$sig" "$RPID"
	wait_rtexec
	is "$RC" "$code" "SIG$sig sent to rtexec reaches the command; rtexec exits with its status"
	is "$OUT" "ready
got $sig" "SIG$sig: the command's trap ran"
	is "$ERR" "" "SIG$sig: rtexec says nothing"
	no_leftovers "SIG$sig: nothing remains" "$CTR_PID"
done

# Non-terminating signals are forwarded each time, and the command keeps running.
bg_rtexec "$RTEXEC" -- sh -c "trap 'echo usr1' USR1; trap 'echo winch' WINCH;
	$(trap_script TERM 3)"
wait_for 10 ready || fail "USR1/WINCH: the command did not start"
kill -USR1 "$RPID"
wait_for 5 ready usr1
kill -WINCH "$RPID"
wait_for 5 ready winch
kill -USR1 "$RPID"
wait_for 5 sh -c "[ \$(grep -c '^usr1\$' '$T/bg.out') = 2 ]"
kill -TERM "$RPID"
wait_rtexec
is "$RC" 3 "USR1, WINCH, USR1, then TERM: the command exits from its TERM trap"
is "$OUT" "ready
usr1
winch
usr1
got TERM" "USR1, WINCH, USR1, TERM: each reached the command once, in order"

# Without a trap the command dies of the signal: 128+N.
bg_rtexec "$RTEXEC" -- sh -c 'echo ready; exec sleep 30'
wait_for 10 ready || fail "TERM, no trap: the command did not start"
kill -TERM "$RPID"
wait_rtexec
is "$RC" 143 "SIGTERM to rtexec, the command has no trap: 143"
is "$ERR" "" "SIGTERM, no trap: rtexec says nothing"

# SIGKILL of the command itself: 137.
bg_rtexec "$RTEXEC" -- sh -c 'echo ready; exec sleep 30'
wait_for 10 ready || fail "SIGKILL: the command did not start"
cmd=$(children "$RPID")
kill -9 "$cmd"
wait_rtexec
is "$RC" 137 "the command killed with SIGKILL: rtexec exits 137"
is "$ERR" "" "the command killed with SIGKILL: rtexec says nothing"
no_leftovers "the command killed with SIGKILL: nothing remains" "$CTR_PID"

# SIGSTOP/SIGCONT of the command are not rtexec's exit: it waits for the real end.
bg_rtexec "$RTEXEC" -- sh -c 'echo ready; sleep 1; exit 9'
wait_for 10 ready || fail "SIGSTOP: the command did not start"
cmd=$(children "$RPID")
kill -STOP "$cmd"
sleep 0.3
ok "the command stopped: rtexec is still waiting" eval '! _exited "$RPID"'
kill -CONT "$cmd"
wait_rtexec
is "$RC" 9 "the command stopped and continued: rtexec exits with its status"

# --- the moments around exec, held open with strace: the child of rtexec gets a SIGSTOP
# right after its chdir, the last step before exec.
state() {
	sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null
}
# Sets R (rtexec) and K (its child) once the child is held before exec (a SIGSTOP injected
# at its chdir; by its state alone, a child caught in another tracing stop took the SIGCONT
# below too early: 1 run in 40 under ASan).
held() {
	R=$(children "$RPID")
	K=$(children "$R")
	[ -n "$K" ] && held_by_strace "$T/strace.log" "$K"
}
if command -v strace >/dev/null 2>&1; then
	STRACE="strace -f -qq -o $T/strace.log -e trace=chdir -e inject=chdir:signal=SIGSTOP"

	# A terminating signal before the exec: the command never runs, rtexec fails with 125
	# and leaves nothing behind.
	# shellcheck disable=SC2086
	bg_rtexec $STRACE "$RTEXEC" -- sh -c 'echo ran'
	if wait_for 10 held; then
		kill -TERM "$R"
		wait_rtexec
		is "$RC" 125 "SIGTERM before the command started: 125"
		is "$OUT" "" "SIGTERM before the command started: the command did not run"
		like "$ERR" "rtexec: *" "SIGTERM before the command started: rtexec says so"
		no_leftovers "SIGTERM before the command started: nothing remains" "$CTR_PID"
	else
		fail "SIGTERM before the command started: could not hold the child before exec"
	fi
	kill -9 "$RPID" 2>/dev/null
	{ wait "$RPID"; } 2>/dev/null || true

	# A signal that arrives after the exec but before rtexec has looked at it (rtexec is
	# stopped while the command starts): the command runs, so the signal is its own.
	# shellcheck disable=SC2086
	# (strace waits for every process it traces: the command's sleep is kept short)
	bg_rtexec $STRACE "$RTEXEC" -- sh -c "$(trap_script TERM 3 4)"
	if wait_for 10 held; then
		kill -STOP "$R"
		wait_for 5 eval '[ "$(state "$R")" = t ]'
		kill -CONT "$K"
		wait_for 10 ready
		kill -TERM "$R"
		sleep 0.1
		kill -CONT "$R"
		wait_rtexec
		is "$RC" 3 "SIGTERM just after exec, before rtexec saw the exec: forwarded to the command"
		is "$OUT" "ready
got TERM" "SIGTERM just after exec: the command's trap ran"
		is "$ERR" "" "SIGTERM just after exec: rtexec says nothing"
		no_leftovers "SIGTERM just after exec: nothing remains" "$CTR_PID"
	else
		fail "SIGTERM just after exec: could not hold the child before exec"
	fi
	kill -9 "$RPID" 2>/dev/null
	{ wait "$RPID"; } 2>/dev/null || true
else
	skip "signals around exec" "strace is not installed"
fi

# A caller that ignores SIGCHLD (kept across exec): the kernel would reap the command and
# its status would be lost, rtexec waiting for ever; rtexec sets SIGCHLD back to its
# default, which the command gets too.
bg_rtexec perl -e '$SIG{CHLD} = "IGNORE"; exec @ARGV or die' -- "$RTEXEC" -- \
	sh -c 'ign=0x$(sed -n "s/^SigIgn:[[:space:]]*//p" /proc/self/status)
		echo "SIGCHLD ignored: $(((ign >> 16) & 1))"; exit 7'
wait_rtexec
is "$RC $OUT" "7 SIGCHLD ignored: 0" \
	"SIGCHLD ignored by the caller: the command's status comes back, SIGCHLD not ignored in it"

# nohup: a signal the caller ignores is not forwarded (the command, which gets every signal
# at its default, would die of the SIGHUP that rtexec itself ignores).
sh -c 'trap "" HUP; exec "$0" -- sh -c "sleep 1; echo survived"' "$RTEXEC" <"$T/bg.cfg" >"$T/nohup.out" 2>&1 &
np=$!
defer kill -9 "$np"
wait_for 5 eval '[ -n "$(children "$np")" ]'
sleep 0.2
kill -HUP "$np"
wait "$np"
is "$?/$(cat "$T/nohup.out")" "0/survived" "a caller ignoring SIGHUP (nohup), SIGHUP to rtexec: the command goes on"

# A stop of rtexec's job stops rtexec, as the kernel decides: in an orphaned process group
# (a daemon's) SIGTSTP is dropped and both go on (rtexec stopped itself there for good).
setsid sh -c 'exec "$0" -- sh -c "sleep 1; echo done"' "$RTEXEC" <"$T/bg.cfg" >"$T/orph.out" 2>&1 &
op=$!
wait_for 5 eval '[ -n "$(children "$op")" ]'
kill -TSTP "$op"
wait_for 10 eval '! kill -0 "$op" 2>/dev/null || grep -q "^State:.*Z" "/proc/$op/status"' ||
	kill -9 "$(children "$op")" "$op"
wait "$op"
is "$?/$(cat "$T/orph.out")" "0/done" "SIGTSTP to rtexec in an orphaned process group: dropped, the command ends"

# Any other signal the caller ignores is the caller's: the command starts with every signal
# at its default, as from runc (a caller that ignored SIGTERM and SIGPIPE, as python's
# os.execv and services do, handed that on: the command could not be stopped by SIGTERM).
sh -c "trap '' PIPE INT HUP TERM USR1 QUIT; exec \"\$0\" -- sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status" \
	"$RTEXEC" <"$T/bg.cfg" >"$T/ign.out" 2>&1
is "$?/$(cat "$T/ign.out")" "0/0000000000000000" \
	"a caller ignoring SIGPIPE, SIGINT, SIGHUP, SIGTERM, SIGUSR1, SIGQUIT: the command ignores none"
