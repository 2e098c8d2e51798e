#!/bin/sh
# Terminals: "terminal": true (or -t) gives the command a new pty of the container's own
# devpts as its controlling terminal and stdio. In the foreground rtexec relays it to its
# own terminal (raw mode, window size, modes restored); with --console-socket the master
# goes to the engine as runc sends it. The caller's terminal never reaches the container.
# The caller's terminal here is a real pty (test/helpers/ptyrun).
# shellcheck source=test/lib.sh disable=SC2016
. "$(dirname "$0")/../lib.sh"

command -v runc >/dev/null 2>&1 || skip_all "runc is not installed (scripts/deps.sh test)"
command -v musl-gcc >/dev/null 2>&1 || skip_all "musl-gcc is not installed (musl-tools)"
for h in ptyrun consock; do
	gcc -O2 -Wall -o "$T/$h" "$REPO/test/helpers/$h.c" || bail "cannot build $h"
done
musl-gcc -static -O2 -o "$T/tiocsti" "$REPO/test/helpers/tiocsti.c" || bail "cannot build tiocsti"

tiocsti_copy() {
	cp "$T/tiocsti" "$1/tiocsti"
}
CTR_SETUP=tiocsti_copy
export CTR_SETUP
start_runc_ctr || bail "cannot start a runc container"
unset CTR_SETUP
P=$CTR_PID

# pty [PTYRUN OPTIONS] -- CMD...: runs CMD on a fresh terminal; OUT its screen (without
# \r), ERR ptyrun's report (status, modes, typed back).
pty() {
	"$T/ptyrun" "$@" >"$T/pty.out" 2>"$T/pty.err"
	OUT=$(tr -d '\r' <"$T/pty.out")
	ERR=$(cat "$T/pty.err")
}

# --- a shell inside answers
pty -a ':type:echo hello-$((6*7)); tty\n' -a 'hello-42:type:exit 7\n' -- \
	"$RTEXEC" -p "$P" -t -- sh
like "$OUT" "*hello-42*" "relay: an interactive shell inside answers what is typed"
like "$OUT" "*/dev/pts/0*" "relay: its terminal is the container's /dev/pts/0"
like "$ERR" "status 7*" "relay: rtexec exits with the shell's status"
like "$ERR" "*modes restored*" "relay: the caller's terminal modes are restored"

# --- session leader, controlling terminal, stdio
pty -- "$RTEXEC" -p "$P" -t -- sh -c 'set -- $(cat /proc/$$/stat); echo "pid=$1 sid=$6 tty=$7"; ls -l /proc/$$/fd/ | sed -n "s/.* \([0-9]*\) -> \(.*\)/fd\1=\2/p"'
like "$OUT" "pid=* sid=* tty=*" "the command's stat line"
pid=$(echo "$OUT" | sed -n 's/^pid=\([0-9]*\) .*/\1/p')
ok "it leads its own session (sid = pid), with a controlling terminal" \
	eval 'echo "$OUT" | grep -q "^pid=$pid sid=$pid tty=[1-9]"'
is "$(echo "$OUT" | grep '^fd[0-2]=' | sort)" "fd0=/dev/pts/0
fd1=/dev/pts/0
fd2=/dev/pts/0" "its stdin, stdout and stderr are the container's pty"
is "$(echo "$OUT" | grep '^fd' | grep -v '/dev/pts/0' | grep -cv 'pipe:')" 0 \
	"no other fd (but the pipe to ls): nothing of the caller's terminal"

# --- window size: the caller's at start, and every change
pty -s 30x90 -a 'ready:resize:40:100' -- "$RTEXEC" -p "$P" -t -- \
	sh -c 'stty size; trap "stty size; exit 0" WINCH; echo ready; while :; do sleep 0.1; done'
like "$OUT" "30 90*ready*" "window size: the caller's terminal's at start (30x90)"
like "$OUT" "*ready*40 100*" "window size: a change (40x100) reaches the command (SIGWINCH)"
like "$ERR" "status 0*modes restored*" "window size: exit 0, modes restored"
# The size is the pty's before the command runs: a command that asks at once, 30 times.
n=0
for i in $(seq 30); do
	pty -s 31x91 -- "$RTEXEC" -p "$P" -t -- stty size
	[ "$OUT" = "31 91" ] && n=$((n + 1))
done
is "$n" 30 "window size: set before the exec (stty size as the command: 31 91 in every run)"
# The relay mirrors the caller's terminal: its size wins over consoleSize, from the start;
# with no terminal on rtexec's side consoleSize is the pty's (a 0 in it included).
cfg "$P" '"process":{"args":["stty","size"],"terminal":true,"consoleSize":{"height":33,"width":77}}' >"$T/cs.json"
n=0
for i in $(seq 10); do
	pty -s 31x91 -- "$RTEXEC" -f "$T/cs.json"
	[ "$OUT" = "31 91" ] && n=$((n + 1))
done
is "$n" 10 "window size: the caller's 31x91, not consoleSize 33x77, from the start (10 runs)"
cfg "$P" '"process":{"args":["stty","size"],"terminal":true,"consoleSize":{"height":20,"width":77}}' >"$T/cs.json"
pty -- sh -c "\"\$0\" -f \"\$1\" </dev/null >\"\$2\" 2>&1" "$RTEXEC" "$T/cs.json" "$T/cs.out"
is "$(tr -d '\r' <"$T/cs.out")" "20 77" "window size: rtexec's stdio no terminal: consoleSize 20x77"

# --- Ctrl-C goes through the pty to the command; modes restored
pty -a 'ready:type:\003' -- "$RTEXEC" -p "$P" -t -- sh -c 'echo ready; exec sleep 30'
like "$ERR" "status 130*modes restored*" "Ctrl-C: the command dies of SIGINT (130), modes restored"

# --- a failure before the exec: one line, modes untouched
pty -- "$RTEXEC" -p "$P" -t -w /no/such/dir -- true
like "$OUT" "rtexec: chdir /no/such/dir: No such file or directory" "a failure before exec: one line"
like "$ERR" "status 125*modes restored*" "... 125, modes untouched"

# --- the console socket: the master as runc sends it, consoleSize honoured
sock="$T/console.sock"
"$T/consock" "$sock" >"$T/cons.out" 2>&1 &
cp=$!
defer kill "$cp"
wait_for 5 grep -q listening "$T/cons.out"
rx "$(cfg "$P" '"process":{"args":["sh","-c","tty; stty size; echo from-the-pty"],"terminal":true,"consoleSize":{"height":33,"width":77}}')" \
	--console-socket "$sock" -d --pid-file "$T/cons.pid"
is "$RC" 0 "console socket, detached: 0"
wait "$cp"
cons=$(tr -d '\r' <"$T/cons.out")
like "$cons" "*payload: /dev/ptmx*" "console socket: the 9 bytes /dev/ptmx with the fd, as runc"
like "$cons" "*size: 33 77*" "console socket: consoleSize 33x77 is the pty's"
like "$cons" "*/dev/pts/0*33 77*from-the-pty*" "console socket: the command's output comes through the master"
ok "console socket: the pid file holds the command" test -s "$T/cons.pid"

rx "$(cfg "$P")" -t -d -- true
is_rc 125 "a terminal, detached, without a console socket: 125"
err_one_line "... one line saying why" "*needs --console-socket*"
rx "$(cfg "$P")" --console-socket "$sock" -- true
err_one_line "a console socket without a terminal: one line" "*--console-socket is for a terminal*"
rx "$(cfg "$P")" -t --console-socket "$T/none.sock" -- true
is_rc 125 "a console socket nobody listens on: 125 before anything runs"
err_one_line "... one line naming it" "*console socket $T/none.sock: connect*"

# --- TIOCSTI: a process of the container pushes a command into its terminal's input. With
# -t that is the container's own pty. Without it the command's stdio is a pipe where the
# caller's is a terminal (below). Before, it had the caller's terminal, in a session of its
# own, where it is not the controlling terminal: the kernel refused TIOCSTI there, but not
# to a container holding CAP_SYS_ADMIN (a privileged one), whose command typed into the
# caller's shell. Kernels >= 6.2 allow TIOCSTI only with dev.tty.legacy_tiocsti = 1.
lt=/proc/sys/dev/tty/legacy_tiocsti
if [ -w "$lt" ]; then
	defer "echo $(cat "$lt") >$lt"
	echo 1 >"$lt"
fi
pty -- "$RTEXEC" -p "$P" -t -- /tiocsti 0 "echo PWNED"
if like "$OUT" "*pushed 10*" "-t: the command pushes into its terminal"; then
	ok "-t: nothing reaches the caller's terminal" eval '! echo "$ERR" | grep -q "typed back"'
	pty -- "$RTEXEC" -p "$P" -- /tiocsti 0 "echo PWNED"
	like "$OUT" "*refused Not a tty*" \
		"no terminal: the command's stdin is a pipe (below), no terminal to push into"
	ok "... nothing reaches the caller's terminal" eval '! echo "$ERR" | grep -q "typed back"'
	# A container holding CAP_SYS_ADMIN: the command gets it (the container decides).
	CTR_SETUP=tiocsti_copy RUNC_JQ='.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
	export CTR_SETUP RUNC_JQ
	start_runc_ctr || bail "cannot start a runc container with CAP_SYS_ADMIN"
	unset CTR_SETUP RUNC_JQ
	pty -- "$RTEXEC" -p "$CTR_PID" -- sh -c 'grep CapEff /proc/self/status; /tiocsti 1 "echo PWNED"'
	like "$OUT" "*CapEff:*refused Not a tty*" \
		"CAP_SYS_ADMIN, no terminal: the command's stdout is a pipe, no terminal to push into"
	ok "... nothing reaches the caller's terminal" eval '! echo "$ERR" | grep -q "typed back"'
else
	skip_limit "TIOCSTI into the caller's terminal" "this kernel refuses TIOCSTI ($OUT)"
fi

no_leftovers "nothing left in the container" "$P"

# In a container of their own (the process left behind stays a zombie of its init):
start_runc_ctr || bail "cannot start a runc container"
P=$CTR_PID
# --- Without -t the caller's terminal does not reach the container either: where rtexec's
# stdin, stdout or stderr is a terminal, the command gets a pipe in its place, which rtexec
# relays (runc's exec copies all three through pipes). The attack: the command leaves a
# process behind that reads its stdin once rtexec has exited, and the caller types next (a
# password for sudo). Before, that process had the caller's terminal: not its controlling
# terminal, which is no obstacle to reading; it got what was typed.
pty -a 'rtexec-done:type:s3cret\n' -- sh -c '"$0" -p "$1" -- sh -c "exec 3<&0; (sleep 1; cat <&3 >/stolen) &
	[ -t 0 ] || echo stdin-no-tty; [ -t 1 ] || echo stdout-no-tty; [ -t 2 ] || echo stderr-no-tty >&2
	exit 4"; echo "rtexec-done $?"; sleep 3' "$RTEXEC" "$P"
like "$OUT" "*stdin-no-tty*stdout-no-tty*rtexec-done 4*" \
	"no -t, the caller's terminal as stdio: the command's stdin and stdout are no terminal, its output and status reach the caller"
like "$OUT" "*stderr-no-tty*rtexec-done 4*" "... nor its stderr, relayed too"
is "$(cat "/proc/$P/root/stolen" 2>&1)" "" \
	"... a process it left behind reads nothing the caller types once rtexec has exited"
like "$ERR" "*typed back: s3cret*" "... what is typed stays in the caller's terminal"
# What is typed reaches a command that reads it; ^D is its end.
pty -a 'ask:type:abc\n' -a 'got-abc:type:\004' -- "$RTEXEC" -p "$P" -- \
	sh -c 'echo ask; read -r x; echo "got-$x"; cat; echo "eof-$?"'
like "$OUT" "*got-abc*eof-0*" "no -t: typed input reaches the command through the pipe, ^D ends it"
like "$ERR" "*status 0*modes restored*" "... status 0, the terminal's modes as they were"
# Another reader of the terminal in the same job (a pager, sudo's prompt) takes a key that
# woke both: rtexec's read must not then wait for the next key. strace holds rtexec 0.7 s
# after each of its polls returns; the key is typed while the command runs. rtexec read the
# caller's fd 0, blocking: it waited in that read, the command's exit unseen, until ptyrun's
# timeout; it reads a non-blocking description of its own now.
if command -v strace >/dev/null 2>&1; then
	pty -t 20 -a 'cmd-ready:type:x\n' -- sh -c '{ strace -qq -o /dev/null -e trace=poll,ppoll \
		-e inject=poll,ppoll:delay_exit=700000 "$0" -p "$1" -- sh -c "echo cmd-ready >&2; sleep 3; exit 3"
		echo "rtexec-rc $?" >&2; } | { dd bs=64 count=1 </dev/tty >/dev/null 2>&1; cat >/dev/null; }' \
		"$RTEXEC" "$P"
	like "$OUT" "*cmd-ready*rtexec-rc 3*" \
		"a key taken by another reader of the terminal: rtexec does not wait for the next one, the command's status 3"
	like "$ERR" "status 0*" "... the job ends (not ptyrun's timeout)"
else
	skip "strace is not installed: it holds rtexec's read while another reader takes the key"
fi
# A background job (job control on): the terminal is not read while rtexec's job is not its
# foreground one. rtexec read it at the first key typed for the shell, and stopped (SIGTTIN)
# with the command's exit unseen: wait waited for ever.
pty -t 15 -a 'bg-started:type:for-the-shell\n' -- sh -c 'set -m
	"$0" -p "$1" -- sh -c "sleep 2; exit 5" &
	echo bg-started; wait $!; echo "bg-rc $?"' "$RTEXEC" "$P"
like "$OUT" "*bg-rc 5*" "a background rtexec at a terminal: not stopped by a key typed for the shell, the command's status 5"
like "$ERR" "*typed back: for-the-shell*" "... the key stays the shell's"
# fg brings a running background rtexec back to the foreground: bash continues only a stopped
# job (no SIGCONT here), so nothing woke rtexec to read the terminal again, and the command
# waited for ever for what was typed; it looks again every 200 ms now.
if command -v bash >/dev/null 2>&1; then
	pty -t 20 -a 'fg-now:type:abc\n' -- bash -c 'set -m
		"$0" -p "$1" -- sh -c "read -r x; echo got-\$x; exit 6" &
		sleep 1; echo fg-now; fg %1; echo "fg-rc $?"' "$RTEXEC" "$P"
	like "$OUT" "*got-abc*fg-rc 6*" "fg of a running background rtexec: what is typed then reaches the command, status 6"
else
	skip "bash is not installed: its fg continues only a stopped job"
fi
# The child's own lines (here a debug line it writes after joining the cgroup) go through
# the parent: with -d at a terminal the child's stderr is /dev/null.
pty -- "$RTEXEC" -d --log-level debug -p "$P" -- true
like "$OUT" "*CPU affinity after joining the cgroup*" "-d at a terminal: the child's own log lines reach the caller (through the parent)"
# Stdio that is no terminal (a file, as an engine's pipes) reaches the command as it is.
"$RTEXEC" -p "$P" -- readlink /proc/self/fd/1 >"$T/asis.out" </dev/null 2>&1
like "$(cat "$T/asis.out")" "*/asis.out" "stdio that is no terminal (a file) is passed as it is"
# Detached, nobody relays: /dev/null in place of the terminal, and a warning.
rm -f "/proc/$P/root/fds"
pty -- "$RTEXEC" -d -p "$P" -- sh -c 'l="$(readlink /proc/$$/fd/0) $(readlink /proc/$$/fd/1)"
	echo "$l $(readlink /proc/$$/fd/2)" >/fds.new; mv /fds.new /fds'
wait_for 10 test -s "/proc/$P/root/fds"
is "$(cat "/proc/$P/root/fds")" "/dev/null /dev/null /dev/null" \
	"-d, the caller's terminal as stdio: the command gets /dev/null in its place"
like "$OUT" "*warning*the caller's terminal does not reach the container*stdin, stdout, stderr /dev/null*" \
	"... and rtexec says so"
# A process the command leaves behind keeps writing to the pty, faster than rtexec's reader
# takes it (a pipe read line by line): after the command's exit rtexec drains what is there
# and a bounded amount more, then exits with the command's status (it drained for ever).
# (The target is a host process: there the writer is certain to outlive the command.)
sleep 300 &
hp=$!
defer "kill -9 $hp"
s0=$(date +%s)
timeout -k 2 20 "$RTEXEC" -p "$hp" -t -- sh -c '(trap "" HUP; exec yes) & sleep 0.2; exit 3' \
	</dev/null 2>"$T/left.err" | (while read -r _l; do :; done; echo drained >"$T/left.out")
rc=$?
is "$rc/$(cat "$T/left.err")/$(cat "$T/left.out")" "0//drained" \
	"a writer left behind: the pipeline ends (not killed by timeout), rtexec silent"
ok "... within 10 s" [ $(($(date +%s) - s0)) -lt 10 ]
pkill -9 -f '^yes$' 2>/dev/null || true
kill -9 "$hp"
wait "$hp" 2>/dev/null || true
# The command closes its terminal and goes on (as a daemon does): the pty's hang-up, which
# poll reports whatever is asked, does not make rtexec spin (2-3 s of CPU in 3 s before).
"$RTEXEC" -p "$P" -t -- sh -c 'exec </dev/null >/dev/null 2>&1; sleep 2' </dev/null \
	>"$T/spin.out" 2>&1 &
rp=$!
sleep 1.5
# utime + stime, in clock ticks (fields 14 and 15; the command name has no space)
cpu=$(awk '{ print $14 + $15 }' "/proc/$rp/stat")
wait "$rp"
is "$?/$(cat "$T/spin.out")" "0/" "the command closed its terminal: it runs, rtexec silent"
ok "the command closed its terminal: rtexec used under 0.3 s of CPU in 1.5 s ($cpu ticks of $(getconf CLK_TCK))" \
	[ "$cpu" -lt $(($(getconf CLK_TCK) * 3 / 10)) ]
# stdin is a pipe whose reader is gone (rtexec's stdin its write end): poll reports only
# POLLERR, which was not taken for stdin's end, and the relay spun (100 % CPU) as long as the
# command ran.
(
	exec 3>&1 1>"$T/werr.out" 2>&1
	"$RTEXEC" -p "$P" -t -- sleep 2 0>&3 3>&- &
	echo $! >"$T/werr.pid"
	wait $!
	echo "rc $?"
) | true &
wp=$!
sleep 1.5
rp=$(cat "$T/werr.pid")
cpu=$(awk '{ print $14 + $15 }' "/proc/$rp/stat" 2>/dev/null || echo gone)
wait "$wp"
ok "stdin a broken pipe's write end: rtexec used under 0.3 s of CPU in 1.5 s ($cpu ticks of $(getconf CLK_TCK))" \
	[ "$cpu" -lt $(($(getconf CLK_TCK) * 3 / 10)) ]
is "$(tr -d '\r' <"$T/werr.out")" "rc 0" "... the command ran, status 0"
# A piped stdin whose last line has no end: the pty's end-of-file character after "abc"
# only hands the command that line; a second one is its end (the command waited for ever).
printf abc | timeout -k 2 10 "$RTEXEC" -p "$P" -t -- sh -c 'cat; echo "-eof"' >"$T/eof.out" 2>&1
like "$?/$(tr -d '\r' <"$T/eof.out" | tail -n 1)" "0/*abc-eof" \
	"a piped stdin without a last newline: the command reads it, then its end (not killed by timeout)"
# The reader of rtexec's stdout goes away before anything is written to it ("| true"): poll
# says so (POLLERR) without a write, so without a SIGPIPE. The command then writes 200 KiB
# to its terminal: rtexec reads on and drops it (it stopped reading once its buffer was
# full, the command blocked on its full terminal, and rtexec waited for it for ever).
{
	timeout -k 2 20 "$RTEXEC" -p "$P" -t -- sh -c 'sleep 0.5; i=0; while [ $i -lt 5000 ]; do
		echo "line $i ........................................"; i=$((i + 1)); done' </dev/null 2>"$T/gone.err"
	echo $? >"$T/gone.rc"
} | true
is "$(cat "$T/gone.rc")/$(cat "$T/gone.err")" "0/" \
	"stdout's reader gone before any output: the command writes on to its end, rtexec exits 0 (not killed by timeout)"
# The reader goes away while rtexec writes to it: the write fails (EPIPE) and the kernel
# sends rtexec a SIGPIPE as from rtexec itself. That signal is rtexec's, not the command's:
# the build before forwarded it, and the command died of it (rtexec 141). strace holds
# rtexec's first write to stdout at its entry (every write of rtexec and the command waits
# 300 ms: the only way to land between the relay's poll and its write), the reader (a sleep
# that never reads the FIFO) is killed then.
if command -v strace >/dev/null 2>&1; then
	rm -f "$T/pipe.fifo"
	mkfifo "$T/pipe.fifo"
	sleep 60 <"$T/pipe.fifo" &
	reader=$!
	defer "kill -9 $reader"
	strace -f -qq -o /dev/null -e trace=write -e inject=write:delay_enter=300000 \
		"$RTEXEC" -p "$P" -t -- sh -c 'echo x; sleep 2; exit 7' </dev/null \
		>"$T/pipe.fifo" 2>"$T/pipe.err" &
	spid=$!
	# held: rtexec (strace's child) in a tracing stop at a write to fd 1
	wait_for 10 eval 'rp=$(children $spid | head -1); [ -n "$rp" ] &&
		grep -q "^State:.*t" /proc/$rp/status 2>/dev/null &&
		[ "$(cut -d" " -f1-2 /proc/$rp/syscall 2>/dev/null)" = "1 0x1" ]'
	held=$?
	kill -9 "$reader"
	wait "$reader" 2>/dev/null
	wait "$spid"
	is "$held/$?/$(cat "$T/pipe.err")" "0/7/" \
		"stdout's reader gone during rtexec's write (EPIPE, rtexec's own SIGPIPE): the command not signalled, its status 7"
else
	skip "strace is not installed: it holds rtexec's write to land the reader's end inside it"
fi
# A slow reader of rtexec's stdout: the relay's buffer is full when the command exits. A full
# side was still polled, the kernel reported the pty's hang-up, and a read into no room (0
# bytes) ended the relay: what the pty still held was lost.
for i in 1 2 3; do
	n=$(timeout -k 2 60 "$RTEXEC" -p "$P" -t -- seq 1 20000 </dev/null 2>"$T/slow.err" |
		(sleep 0.5; n=0; while IFS= read -r l; do n=$((n + 1)); done; echo "$n"))
	[ "$n" = 20000 ] || break
done
is "$n/$(cat "$T/slow.err")" "20000/" "a slow reader of rtexec's stdout: all 20000 lines (3 runs)"
# A piped stdin larger than the pty takes, the command slow to read it: all of it reaches the
# command, then its end (a full buffer's 0-byte read was taken for the end of stdin, the rest
# dropped, and no end-of-file sent: the command and rtexec waited for ever).
out=$(awk 'BEGIN { for (i = 0; i < 3000; i++) printf "%099d\n", i }' |
	timeout -k 2 30 "$RTEXEC" -p "$P" -t -- sh -c 'sleep 1; wc -c' 2>&1 | tr -d '\r' | tail -n 1)
is "$out" "300000" "a piped stdin of 300,000 bytes to a slow reader: all of it, then its end"

# --- a user namespace with shifted ids (0 -> host 100000), and its hostile /dev/ptmx
# The child makes the pty before it switches to the command's user: as the host's uid 0 a
# pty of the container's devpts belonged to a uid the namespace does not map (no chown to
# the command's), and a /dev/ptmx pointed at a host-root file was opened by the host's uid
# 0, which the container's root may not open. The container's devpts is used, never its
# dev/ptmx.
if start_mapped_ctr; then
	M=$CTR_PID
	in_ctr() { nsenter -t "$M" -U -m -- "$@"; }
	mkdir -p "$CTR_ROOTFS/dev/pts" && chown 100000:100000 "$CTR_ROOTFS/dev/pts"
	rx "$(cfg "$M" '"process":{"args":["true"],"terminal":true}')"
	is_rc 125 "shifted ids, /dev/pts no devpts: refused"
	err_one_line "... one line naming it" "*the container's /dev/pts is no devpts"
	# as runc makes it: a devpts of its own, /dev/ptmx a link to its ptmx
	in_ctr sh -c 'mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts &&
		ln -s pts/ptmx /dev/ptmx' || bail "cannot mount a devpts in the container"
	pty -- "$RTEXEC" -p "$M" -t -- sh -c 'tty; stat -c "%u:%g %a" "$(tty)"'
	is "$OUT" "/dev/pts/0
0:0 620" "shifted ids: the command's terminal is its devpts' pts/0, owned by its uid 0"
	like "$ERR" "status 0*" "... rtexec exits 0"
	pty -- "$RTEXEC" -p "$M" -t -u 1000:1000 -- sh -c 'stat -c "%u:%g" "$(tty)"; id -u'
	is "$OUT" "1000:0
1000" "shifted ids, user 1000: the pty is uid 1000's"
	# The attack: a FIFO of the host's root (mode 0600), which the container's root may not
	# open, and /dev/ptmx a link to it. A host process waits to write into the FIFO: it
	# goes on only when someone opens the FIFO for reading.
	mkfifo -m 600 "$CTR_ROOTFS/dev/hostfifo"
	ok "the container's root may not open the host's FIFO (mode 0600, host uid 0)" \
		eval '! in_ctr sh -c "exec 3<>/dev/hostfifo" 2>/dev/null'
	in_ctr sh -c 'rm -f /dev/ptmx; ln -s hostfifo /dev/ptmx' || bail "cannot plant /dev/ptmx"
	(exec 3>"$CTR_ROOTFS/dev/hostfifo" && : >"$T/fifo.opened") 2>/dev/null &
	wp=$!
	defer "kill -9 $wp"
	for i in 1 2 3 4 5; do
		pty -- "$RTEXEC" -p "$M" -t -- tty
		[ "$OUT" = /dev/pts/0 ] || break
	done
	is "$OUT" "/dev/pts/0" "/dev/ptmx a link to a host-root FIFO: the command gets a pty of the devpts (5 runs)"
	sleep 0.3
	ok "... the host's FIFO was never opened (its writer still waits)" [ ! -e "$T/fifo.opened" ]
	kill -9 "$wp" 2>/dev/null
	wait "$wp" 2>/dev/null
	# Something else mounted over the devpts' ptmx: not opened either.
	in_ctr sh -c 'mount --bind /dev/null /dev/pts/ptmx' || bail "cannot cover pts/ptmx"
	rx "$(cfg "$M" '"process":{"args":["true"],"terminal":true}')"
	is_rc 125 "a bind mount over /dev/pts/ptmx: refused"
	err_one_line "... one line naming it" "*terminal: open the container's /dev/pts/ptmx*"
else
	skip "-t into a user namespace with shifted ids" "no container with shifted ids (setpriv, unshare --keep-caps)"
fi
