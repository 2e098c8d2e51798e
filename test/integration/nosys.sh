#!/bin/sh
# ENOSYS fallbacks: on a kernel without pidfd_open (< 5.3), close_range (< 5.9), openat2
# (< 5.6) or faccessat2 (< 5.8), rtexec still joins the container and the command sees the same as on a recent
# one. The old kernel is faked with test/helpers/nosys (a seccomp filter answering ENOSYS);
# strace shows that the fallback really is another path than the normal one.
# shellcheck source=test/lib.sh disable=SC2016 # the $HOME of the commands is the container's
. "$(dirname "$0")/../lib.sh"

command -v gcc >/dev/null 2>&1 || skip_all "gcc is not installed (needed to build test/helpers/nosys)"
command -v strace >/dev/null 2>&1 || skip_all "strace is not installed (scripts/deps.sh test)"
NOSYS=$T/nosys
gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$NOSYS" "$REPO/test/helpers/nosys.c" ||
	bail "cannot build test/helpers/nosys.c"

start_ctr
C=$(cfg "$CTR_PID")
want_ns=$(ns_links "$CTR_PID")

# nx SYSCALLS CONFIG [ARG]...: as rx, with rtexec under "nosys SYSCALLS".
# shellcheck disable=SC2034 # RC, OUT and ERR are read by lib.sh's is_rc and err_one_line
nx() {
	_nx_calls=$1 _nx_cfg=$2
	shift 2
	printf '%s\n' "$_nx_cfg" | timeout -k 5 "${RX_TIMEOUT:-30}" \
		"$NOSYS" "$_nx_calls" -- "$RTEXEC" "$@" >"$T/rx.out" 2>"$T/rx.err"
	RC=$?
	OUT=$(cat "$T/rx.out")
	ERR=$(cat "$T/rx.err")
}

# trace CALLS [nosys SYSCALLS]: runs rtexec (config C, command true) under strace -f -y
# for CALLS, and under nosys if given; the trace is in TRACE.
trace() {
	_tr_calls=$1
	shift
	[ $# -gt 0 ] && set -- "$NOSYS" "$2" --
	printf '%s\n' "$C" | timeout -k 5 30 strace -f -y -qq -o "$T/trace" -e trace="$_tr_calls" \
		"$@" "$RTEXEC" -- true >/dev/null 2>&1
	TRACE=$(cat "$T/trace")
}

# joined NAME: the command's namespaces (OUT of NS_SCRIPT) are the container's.
joined() {
	is_rc 0 "$1: rtexec runs the command"
	is "$OUT" "$want_ns" "$1: the command is in every namespace of the container"
}

# --- the normal path, for comparison: setns on a pidfd, several namespaces at once
trace pidfd_open,setns
pidfd=$(echo "$TRACE" | sed -n 's/.*pidfd_open([0-9]*, 0) *= \([0-9][0-9]*\).*/\1/p')
like "$pidfd" "[0-9]*" "normal: pidfd_open gives rtexec a pidfd"
back="<$(readlink /proc/self/ns/mnt)>, CLONE_NEWNS)"
is "$(echo "$TRACE" | grep 'setns(' | grep -v "setns(${pidfd}[<,]" | grep -vcF "$back")" 0 \
	"normal: every setns is on the pidfd, none on a /proc/PID/ns file (but the parent's way back into its own mount namespace)"
is "$(echo "$TRACE" | grep -cF "$back")" 1 \
	"normal: the parent goes back into its own mount namespace after the fork, once"
like "$TRACE" "*setns($pidfd*CLONE_NEW*|CLONE_NEW*" "normal: one setns joins several namespaces"

# --- pidfd_open: ENOSYS, so rtexec joins namespace by namespace, per /proc/PID/ns file
trace pidfd_open,setns nosys pidfd_open
like "$TRACE" "*pidfd_open(*= -1 ENOSYS*" "nosys pidfd_open: pidfd_open answers ENOSYS"
nsfile='setns([0-9]*<\(cgroup\|ipc\|mnt\|net\|pid\|time\|user\|uts\):\[[0-9]*\]>, CLONE_NEW[A-Z]*)'
is "$(echo "$TRACE" | grep 'setns(' | grep -vc "$nsfile")" 0 \
	"nosys pidfd_open: every setns is on a namespace file, one namespace each"
like "$TRACE" "*setns(*" "nosys pidfd_open: ... and there are such setns calls"
nx pidfd_open "$C" -- sh -c "$NS_SCRIPT"
joined "nosys pidfd_open"
nx pidfd_open "$C" -- hostname
is "$OUT" "$CTR_HOSTNAME" "nosys pidfd_open: the hostname is the container's"
nx pidfd_open "$C" -- sh -c 'tr "\0" " " </proc/1/cmdline'
like "$OUT" "sleep $CTR_MARK*" "nosys pidfd_open: pid 1 inside is the container's init"

# --- close_range: ENOSYS, so the fds are closed one by one. The caller leaves 3, 5 and 9
# open (not close-on-exec); busybox ls lists its own directory fd too (the lowest free).
fds() { echo "$OUT" | tr '\n' ' '; }
OUT=$("$BUSYBOX" ls /proc/self/fd 3</dev/null 5</dev/null 9</dev/null)
is "$(echo "$OUT" | grep -x '[359]' | tr '\n' ' ')" "3 5 9 " \
	"the caller's fds 3, 5 and 9 reach its children (the set-up works)"
trace close_range nosys close_range
like "$TRACE" "*close_range(*= -1 ENOSYS*" "nosys close_range: close_range answers ENOSYS"
nx close_range "$C" -- ls /proc/self/fd 3</dev/null 5</dev/null 9</dev/null
is_rc 0 "nosys close_range: rtexec runs the command"
is "$(fds)" "0 1 2 3 " "nosys close_range: the command has only fds 0-2 (3 is ls's own)"
nx close_range "$(cfg "$CTR_PID" '"preserveFds":1')" -- ls /proc/self/fd \
	3</dev/null 5</dev/null 9</dev/null
is "$(fds)" "0 1 2 3 4 " "nosys close_range, preserveFds 1: fd 3 passes, 5 and 9 do not"
rx "$C" -- ls /proc/self/fd 3</dev/null 5</dev/null 9</dev/null
is "$(fds)" "0 1 2 3 " "normal (close_range): the command has only fds 0-2 too"

# --- openat2: ENOSYS, so HOME comes from /etc/passwd opened with openat (in the container's
# mount namespace and root by then)
trace openat2
like "$(echo "$TRACE" | grep passwd)" "*openat2(*etc/passwd*= [0-9]*" "normal: HOME is looked up with openat2"
trace openat2,openat nosys openat2
like "$(echo "$TRACE" | grep passwd)" "*openat2(*etc/passwd*= -1 ENOSYS*openat(*etc/passwd*= [0-9]*" \
	"nosys openat2: openat2 answers ENOSYS, openat opens etc/passwd instead"
nx openat2 "$C" -- sh -c 'echo "$HOME"'
is_rc 0 "nosys openat2: rtexec runs the command"
is "$OUT" /root "nosys openat2: HOME of root is /root, from the container's /etc/passwd"
nx openat2 "$(cfg "$CTR_PID" '"process":{"user":{"uid":1000,"gid":1000}}')" -- sh -c 'echo "$HOME"'
is "$OUT" /home/u "nosys openat2: HOME of uid 1000 is /home/u"

# --- all three at once, given by number (pidfd_open 434, close_range 436, openat2 437)
nx 434,436,437 "$C" -- sh -c "$NS_SCRIPT; echo \"\$HOME\"; ls /proc/self/fd" 5</dev/null
is_rc 0 "nosys 434,436,437: rtexec runs the command"
is "$(echo "$OUT" | head -n 8)" "$want_ns" "nosys 434,436,437: in every namespace of the container"
is "$(echo "$OUT" | sed -n 9p)" /root "nosys 434,436,437: HOME is /root"
is "$(echo "$OUT" | sed 1,9d | tr '\n' ' ')" "0 1 2 3 " "nosys 434,436,437: only fds 0-2"

# --- clone3 is not needed; setns is, and without it rtexec fails cleanly
nx clone3 "$C" -- sh -c "$NS_SCRIPT"
joined "nosys clone3"
nx setns "$C" -- sh -c 'echo ran'
is_rc 125 "nosys setns: rtexec cannot join: 125"
err_one_line "nosys setns: one line naming the join" "join *namespace*Function not implemented"
is "$OUT" "" "nosys setns: the command did not run"

# --- faccessat2 (< 5.8): the command's lookup before a filter installed last (a filter file
# with noNewPrivileges; the filter allows everything) asks access() instead
printf '\006\000\000\000\000\000\377\177' >"$T/allow.bpf" # BPF_RET|BPF_K SECCOMP_RET_ALLOW
F=$(cfg "$CTR_PID" "\"seccomp\":\"$T/allow.bpf\",\"process\":{\"noNewPrivileges\":true}")
nx faccessat2 "$F" -- sh -c 'grep Seccomp_filters /proc/self/status | tr -d "\t"'
is "$RC/$OUT" "0/Seccomp_filters:2" "nosys faccessat2: the command found in PATH, under the filter (and nosys's)"
nx faccessat2 "$F" -- rtx-no-such-cmd
is_rc 127 "nosys faccessat2: a command not in PATH: 127"
printf '%s\n' "$F" | timeout -k 5 30 strace -f -qq -o "$T/trace" -e trace=access,faccessat,faccessat2 \
	"$NOSYS" faccessat2 -- "$RTEXEC" -- sh -c true >/dev/null 2>&1
like "$(cat "$T/trace")" "*faccessat2(AT_FDCWD, \"/bin/sh\", X_OK, AT_EACCESS)*= -1 ENOSYS*access(\"/bin/sh\", X_OK)*= 0*" \
	"nosys faccessat2: strace shows the fallback to access()"

# --- a file system without O_TMPFILE (NFS, vfat; faked: "nosys tmpfile" answers EOPNOTSUPP):
# the pid file is written under a temporary name and renamed; a failure after that name
# exists removes it on rtexec's way out (die -> log_exit -> the pid file's cleanup)
d=$T/notmpfile
mkdir -p "$d"
nx tmpfile "$C" --pid-file "$d/ok.pid" -- true
is_rc 0 "no O_TMPFILE: rtexec runs the command"
is "$(ls -A "$d" | tr '\n' ' ')" "ok.pid " "no O_TMPFILE: the pid file is in place, nothing beside it"
like "$(cat "$d/ok.pid")" "[1-9]*" "no O_TMPFILE: it holds a pid"
rm -f "$d/ok.pid"
printf '%s\n' "$C" | timeout -k 5 30 strace -f -qq -y -o "$T/trace" -e trace=openat,renameat,renameat2 \
	"$NOSYS" tmpfile -- "$RTEXEC" --pid-file "$d/ok.pid" -- true >/dev/null 2>&1
like "$(grep "$d" "$T/trace")" "*O_TMPFILE*EOPNOTSUPP*.ok.pid.rtexec-*O_CREAT*rename*(*$d*.ok.pid.rtexec-*$d*ok.pid*" \
	"no O_TMPFILE: the unnamed file refused, a named temporary renamed into place (in the directory's fd)"
rm -f "$d/ok.pid"
# A named temporary of rtexec's own pid, left by a killed run long ago that had the same pid
# (the pid of this one, as "exec" keeps it): it does not block the run, and it is gone.
printf '%s\n' "$C" | timeout -k 5 30 sh -c ': >"$1/.ok.pid.rtexec-$$"; exec "$2" tmpfile -- "$3" --pid-file "$1/ok.pid" -- true' \
	sh "$d" "$NOSYS" "$RTEXEC" >/dev/null 2>"$T/rx.err"
is "$?" 0 "no O_TMPFILE, a stale temporary of rtexec's own pid: rtexec runs the command"
is "$(ls -A "$d" | tr '\n' ' ')" "ok.pid " "... the pid file is in place, the stale temporary gone"
rm -f "$d/ok.pid"
for how in "command not found:127:rtx-no-such-command" "not executable:126:/etc/passwd"; do
	nx tmpfile "$C" --pid-file "$d/x.pid" -- "${how##*:}"
	what=${how%%:*} rc=${how#*:}
	is_rc "${rc%%:*}" "no O_TMPFILE, $what: ${rc%%:*}"
	is "$(ls -A "$d")" "" "no O_TMPFILE, $what: no pid file, no temporary file left"
done

# --- keyctl refused: a kernel without keys (ENOSYS), or a seccomp filter around rtexec that
# refuses it (EPERM: Docker's default profile, a pod's RuntimeDefault). The command, under
# the same filter, cannot reach the caller's keyring either: rtexec goes on.
# (keyctl 250, add_key 248, request_key 249)
for how in ENOSYS:38 EPERM:1; do
	NOSYS_ERRNO=${how#*:} nx 248,249,250 "$C" -- echo ran
	is "$RC/$OUT" "0/ran" "keyctl, add_key, request_key answering ${how%:*}: the command runs"
	# keyctl alone refused: the command could still reach the caller's keys (request_key)
	NOSYS_ERRNO=${how#*:} nx 250 "$C" -- echo ran
	is_rc 125 "keyctl alone answering ${how%:*}: refused, the caller's keyring would stay"
	err_one_line "... one line saying why" "*join a session keyring*"
done

no_leftovers "no rtexec process nor a stray one in the container is left" "$CTR_PID"
