#!/bin/sh
# Confined like the container: where the config is silent, the command gets the init's
# NoNewPrivs, seccomp filters (copied, same order, same flags), rlimits, oom_score_adj (and
# LSM label where one is active); every row equals what `runc exec` gives. The config wins
# where it speaks; a filter that cannot be copied is an error, never an unconfined run;
# the target is left exactly as it was, even when rtexec is killed while it holds it.
# shellcheck source=test/lib.sh disable=SC2016
. "$(dirname "$0")/../lib.sh"

command -v runc >/dev/null 2>&1 || skip_all "runc is not installed (scripts/deps.sh test)"
command -v musl-gcc >/dev/null 2>&1 || skip_all "musl-gcc is not installed (musl-tools)"
musl-gcc -static -O2 -isystem "$REPO/build/uapi" -o "$T/seccomp_stack" \
	"$REPO/test/helpers/seccomp_stack.c" || bail "cannot build test/helpers/seccomp_stack.c"
"$T/seccomp_stack" dump "$T/chmod.bpf" || bail "cannot write a BPF file"
musl-gcc -static -O2 -isystem "$REPO/build/uapi" -o "$T/inhcap" "$REPO/test/helpers/inhcap.c" ||
	bail "cannot build test/helpers/inhcap.c"

# What the command sees of its confinement, one line each.
PROBE='grep -E "^(NoNewPrivs|Seccomp|Seccomp_filters):" /proc/self/status | tr -s "\t " " "
grep -E "^Max (open files|processes) " /proc/self/limits | tr -s " " " "
echo "oom_score_adj $(cat /proc/self/oom_score_adj)"
mkdir /x 2>/dev/null && echo "mkdir ok" || echo "mkdir refused"; rmdir /x 2>/dev/null
chmod 700 /tmp 2>/dev/null && echo "chmod ok" || echo "chmod refused"
touch /tmp/t && echo "touch ok"'

seccomp_copy() {
	cp "$T/seccomp_stack" "$1/seccomp_stack"
}

# --- the issue's container: noNewPrivileges, oomScoreAdj 300, NOFILE 1000/2000, NPROC
# 500/600, a seccomp profile that denies mkdir with EPERM.
RUNC_JQ='.process.noNewPrivileges = true | .process.oomScoreAdj = 300
 | .process.rlimits = [{"type":"RLIMIT_NOFILE","soft":1000,"hard":2000},
                       {"type":"RLIMIT_NPROC","soft":500,"hard":600}]
 | .linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],
     "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
export RUNC_JQ
start_runc_ctr || bail "cannot start a runc container with seccomp"
unset RUNC_JQ
P=$CTR_PID
runc_sees=$(runc exec "$CTR_ID" sh -c "$PROBE" 2>&1)
diag "runc exec sees:"
diag "$runc_sees"
like "$runc_sees" "*Seccomp_filters: 1*mkdir refused*" "runc exec: the container's filter holds (precondition)"
# One row differs by design: runc's Go runtime raises its own soft RLIMIT_NOFILE to the hard
# limit, and runc exec passes that on (2000/2000); the container's own is 1000/2000.
init_nofile=$(grep -E "^Max open files " "/proc/$P/limits" | tr -s " " " ")
want=$(printf '%s\n' "$runc_sees" | sed "s/^Max open files .*/$init_nofile/")
is "$init_nofile" "Max open files 1000 2000 files " "the container's init: NOFILE 1000/2000"
rx "$(cfg "$P")" -- sh -c "$PROBE"
is "$OUT" "$want" "rtexec, config silent: every row equals runc exec's (NoNewPrivs, seccomp, NPROC, oom_score_adj, mkdir), NOFILE the container's"
is "$RC" 0 "... and it ran"
rx "$(cfg "$P")" --dry-run -- true
is "$(echo "$OUT" | jq -c '.seccomp | [.mode, .source, .filters, .instructions]')" \
	'["inherit","target",1,null]' "dry-run: one filter, from the target, counted, not read (the init is not stopped)"
is "$(echo "$OUT" | jq -c '.process.sources')" \
	'{"capabilities":"target","noNewPrivileges":"target","oomScoreAdj":"target"}' \
	"dry-run: capabilities, NoNewPrivs, oom_score_adj from the target"
is "$(echo "$OUT" | jq -c '[.rlimits[] | select(.type == "RLIMIT_NOFILE" or .type == "RLIMIT_NPROC") | [.type, .soft, .hard, .source]]')" \
	'[["RLIMIT_NPROC",500,600,"target"],["RLIMIT_NOFILE",1000,2000,"target"]]' \
	"dry-run: the target's rlimits"
is "$(echo "$OUT" | jq '[.rlimits[]] | length')" 16 "dry-run: every rlimit type is set"
is "$(echo "$OUT" | jq -c '[.process.noNewPrivileges, .process.oomScoreAdj]')" '[true,300]' \
	"dry-run: NoNewPrivs true, oom_score_adj 300"

# --- the config wins, each value alone
expect_row() { # NAME MEMBERS GLOB
	rx "$(cfg "$P" "$2")" -- sh -c "$PROBE"
	like "$RC $OUT" "0 $3" "config wins: $1"
}
expect_row "noNewPrivileges false" '"process":{"noNewPrivileges":false}' "NoNewPrivs: 0*"
expect_row "oomScoreAdj 500" '"process":{"oomScoreAdj":500}' "*oom_score_adj 500*"
expect_row "RLIMIT_NOFILE 100/200 (NPROC still the target's)" \
	'"process":{"rlimits":[{"type":"RLIMIT_NOFILE","soft":100,"hard":200}]}' \
	"*Max processes 500 600 processes*Max open files 100 200 files*"
expect_row "seccomp none: unconfined" '"seccomp":"none"' "*Seccomp: 0*Seccomp_filters: 0*mkdir ok*"
expect_row "seccomp from a BPF file (chmod denied, mkdir not)" "\"seccomp\":\"$T/chmod.bpf\"" \
	"*Seccomp_filters: 1*mkdir ok*chmod refused*"
rx "$(cfg "$P" "\"seccomp\":\"$T/chmod.bpf\"")" --dry-run -- true
is "$(echo "$OUT" | jq -c '.seccomp | [.mode, .source, .path, .filters, .instructions]')" \
	"[\"file\",\"config\",\"$T/chmod.bpf\",1,[10]]" "dry-run: the file's filter, 10 instructions"

# --- what cannot be applied: 125, one line, nothing left
failed() { # NAME MEMBERS GLOB
	rm -f "$CTR_ROOTFS/tmp/t"
	rx "$(cfg "$P" "$2")" -- sh -c "$PROBE"
	is_rc 125 "$1: 125"
	err_one_line "$1: one line naming seccomp" "$3"
	ok "$1: the command did not run" test ! -e "$CTR_ROOTFS/tmp/t"
	no_leftovers "$1: nothing left" "$P"
}
failed "a missing BPF file" "\"seccomp\":\"$T/nope.bpf\"" "seccomp: $T/nope.bpf: No such file*"
head -c 13 "$T/chmod.bpf" >"$T/cut.bpf"
failed "a BPF file cut short" "\"seccomp\":\"$T/cut.bpf\"" "seccomp: $T/cut.bpf: 13 bytes*"
# The last instruction (RET ALLOW) replaced by a jump past the end.
head -c 72 "$T/chmod.bpf" >"$T/bad.bpf"
printf '\005\000\000\000\040\000\000\000' >>"$T/bad.bpf"
failed "a BPF program with a jump out of it" "\"seccomp\":\"$T/bad.bpf\"" \
	"seccomp: $T/bad.bpf: instruction 9: a jump out of the program"
failed "seccomp a word that is no mode" '"seccomp":"inheritt"' "config: seccomp: \"inheritt\"*"
# A traced target: rtexec cannot seize it to read its filters, and must not run unconfined.
strace -qq -o /dev/null -p "$P" &
tr=$!
defer kill "$tr"
wait_for 5 eval '[ "$(sed -n "s/^TracerPid:[[:space:]]*//p" /proc/$P/status)" != 0 ]'
failed "a target that someone else traces" "" "seccomp: copy the target's filters: ptrace seize*"
kill "$tr"
wait "$tr" 2>/dev/null

# --- paused while the copy waits for the init to stop (the v1 freezer holds it where no
# ptrace interrupt reaches; strace holds rtexec 1.5 s before its seize, after the plan's
# frozen check, at the setitimer that arms the seize's own 1 s bound): refused by the copy's
# 100 ms checks, not held for as long as the pause
if command -v strace >/dev/null 2>&1; then
	printf '%s\n' "$(cfg "$P")" >"$T/pz.json"
	strace -f -qq -o /dev/null -e trace=setitimer -e inject=setitimer:delay_enter=1500000:when=1 \
		"$RTEXEC" -f "$T/pz.json" -- true >"$T/pz.out" 2>"$T/pz.err" &
	spid=$!
	defer "runc resume $CTR_ID; kill -9 $spid"
	sleep 0.5
	runc pause "$CTR_ID"
	pz_gone() { ! kill -0 "$spid" 2>/dev/null; }
	wait_for 6 pz_gone
	ok "paused while the copy waits: rtexec ends within 6 s, the container still paused" pz_gone
	runc resume "$CTR_ID"
	wait "$spid"
	is "$?" 125 "paused while the copy waits: 125"
	like "$(cat "$T/pz.err")" "rtexec: *paused*" "paused while the copy waits: says paused"
	is "$(sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$P/status")" 0 \
		"paused while the copy waits: the init is let go"
fi

# --- targets that are hard to stop or easy to disturb (host processes under a filter of
# their own, seccomp_stack hold)
# A vfork parent waits where no ptrace interrupt reaches: the copy gives up after 1 s
# with one line (it waited for ever).
"$T/seccomp_stack" hold vfork 60 &
hp=$!
defer "kill -9 $hp"
wait_for 5 eval 'grep -q "^State:.*D\|^State:.*S" /proc/$hp/status && [ -n "$(children $hp)" ]'
RX_TIMEOUT=8 rx "$(cfg "$hp")" -- true
is_rc 125 "a target in a vfork wait: 125, not a hang"
err_one_line "a target in a vfork wait: one line" "seccomp: copy the target's filters: target $hp does not stop for ptrace*"
is "$(sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$hp/status")" 0 "a target in a vfork wait: let go"
kill -9 $(children "$hp") "$hp"
wait "$hp" 2>/dev/null
# The same wait under a storm: its vfork child stops and continues it without end, and its
# second thread, taking part, tells rtexec (the first one's tracer) each time with a SIGCHLD
# that is no stop. The copy still gives up by the clock (it waited as long as the storm:
# the old build joined after 13 s of a 15 s storm).
"$T/seccomp_stack" hold storm 20 &
hp=$!
defer "kill -9 $hp"
wait_for 5 eval 'grep -q "^Threads:.*2" /proc/$hp/status && [ -n "$(children $hp)" ]'
s0=$(date +%s)
RX_TIMEOUT=30 rx "$(cfg "$hp")" -- true
took=$(($(date +%s) - s0))
is_rc 125 "a target in a vfork wait, stopped and continued without end: 125"
err_one_line "... one line" "seccomp: copy the target's filters: target $hp does not stop for ptrace*"
ok "... by its 1 s deadline, not when the 20 s storm ends (took ${took} s)" [ "$took" -lt 8 ]
is "$(sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$hp/status")" 0 "... the target let go"
kill -9 $(children "$hp") "$hp"
wait "$hp" 2>/dev/null
# A dry run does not stop the target: an epoll_wait, which the kernel does not restart
# after a ptrace interrupt, is left alone (a join's copy interrupts it: documented).
"$T/seccomp_stack" hold epoll "$T/ep.out" &
hp=$!
defer "kill -9 $hp"
wait_for 5 eval 'grep -q "^Seccomp_filters:.*1" /proc/$hp/status'
sleep 0.2
rx "$(cfg "$hp")" --dry-run -- true
is "$RC $(echo "$OUT" | jq -c '[.seccomp.filters, .seccomp.instructions]')" "0 [1,null]" \
	"dry run: the filter counted"
sleep 0.2
ok "dry run: the target's epoll_wait goes on, undisturbed" [ ! -e "$T/ep.out" ]
ok "dry run: the target still runs" kill -0 "$hp"
rx "$(cfg "$hp")" -- true
is "$RC" 0 "join: the filters copied"
wait_for 3 test -e "$T/ep.out"
is "$(cat "$T/ep.out" 2>/dev/null)" "EINTR" \
	"join: the interrupt returns EINTR from the target's epoll_wait (README: the known effect)"
kill -9 "$hp"
wait "$hp" 2>/dev/null
# A signal that comes for the target between rtexec's seize and its interrupt (strace holds
# the interrupt 1 s) stops it first (a signal-delivery-stop): it is handed back at the
# detach, not swallowed.
"$T/seccomp_stack" hold usr1 "$T/usr1.out" &
hp=$!
defer "kill -9 $hp"
wait_for 5 eval 'grep -q "^Seccomp_filters:.*1" /proc/$hp/status'
if command -v strace >/dev/null 2>&1; then
	printf '%s\n' "$(cfg "$hp")" >"$T/u.json"
	strace -f -qq -o /dev/null -e trace=ptrace -e inject=ptrace:delay_enter=1000000:when=2 \
		"$RTEXEC" -f "$T/u.json" -- true >/dev/null 2>"$T/u.err" &
	spid=$!
	sleep 0.5
	kill -USR1 "$hp"
	wait "$spid"
	is "$?" 0 "a signal for the target while it is held: the join goes on"
	wait_for 3 test -s "$T/usr1.out"
	is "$(cat "$T/usr1.out" 2>/dev/null)" "usr1" "... and the target gets its SIGUSR1 once let go"
fi
kill -9 "$hp"
wait "$hp" 2>/dev/null

# --- the filters and NoNewPrivs of one moment. An init that sets NoNewPrivs and adds a
# filter after rtexec planned gives the command both, never that filter without NoNewPrivs
# (the build before read NoNewPrivs when planning: "NoNewPrivs 0, 2 filters", a setuid
# program then runs under a filter meant for a process that cannot gain privileges). strace
# holds rtexec 800 ms where it says, the init adds both meanwhile:
#   late:  the init itself, before the seize (at the setitimer that arms the seize's bound);
#   tsync: its second thread, to both threads (SECCOMP_FILTER_FLAG_TSYNC), before the seize;
#   tsync, held on the way back from the copy's last PTRACE_SECCOMP_GET_FILTER (index 1, no
#   such filter): the first thread is stopped and gets both all the same; the status then
#   says NoNewPrivs, and the filter asked for again at index 1 is there, so the copy is made
#   again (10 PTRACE_SECCOMP_GET_FILTER calls: 4 in the first round, 6 in the second).
#   Without that round the command got NoNewPrivs with one filter, the new one lost; the
#   build before gave it the planned moment's NoNewPrivs and filter.
# x86_64 syscall numbers (setitimer 38, ptrace 101), and a kernel that counts filters (5.9).
LPROBE='grep -E "^(NoNewPrivs|Seccomp_filters):" /proc/self/status | tr -s "\t\n" "  "
mkdir /x 2>/dev/null && echo "mkdir ok" || echo "mkdir refused"; rmdir /x 2>/dev/null; :'
late_join() { # MODE STRACE-INJECTION HELD-AT WHAT
	rm -f "$T/late.out"
	"$T/seccomp_stack" hold "$1" "$T/late.out" &
	hp=$!
	defer "kill -9 $hp"
	wait_for 5 eval 'grep -q "^Seccomp_filters:.*1" /proc/$hp/status'
	printf '%s\n' "$(cfg "$hp")" >"$T/late.json"
	strace -f -qq -o "$T/late.strace" -e trace=ptrace,setitimer -e "inject=$2" \
		"$RTEXEC" -f "$T/late.json" -- sh -c "$LPROBE" >"$T/late.stdout" 2>"$T/late.err" &
	spid=$!
	# held: rtexec in a tracing stop in the call named (its /proc/PID/syscall's first fields)
	held_at=$(echo "$3" | sed "s/TID/$(printf '0x%x' "$hp")/")
	wait_for 10 eval 'rp=$(children $spid | head -1); [ -n "$rp" ] &&
		grep -q "^State:.*t" /proc/$rp/status 2>/dev/null &&
		case "$(cat /proc/$rp/syscall 2>/dev/null)" in "$held_at"*) true ;; *) false ;; esac'
	held=$?
	kill -USR1 "$hp"
	wait_for 3 test -s "$T/late.out"
	wait "$spid"
	lrc=$?
	diag "$4: $(cat "$T/late.err")"
	is "$held $lrc $(cat "$T/late.out") $(tr -s ' ' ' ' <"$T/late.stdout" | tr '\n' ' ')" \
		"0 0 late NoNewPrivs: 1 Seccomp_filters: 2 mkdir refused " \
		"$4: NoNewPrivs and both filters"
	is "$(sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$hp/status") $(grep -c late "$T/late.out")" \
		"0 1" "... the target let go, changed once"
	kill -9 "$hp"
	wait "$hp" 2>/dev/null
}
if ! command -v strace >/dev/null 2>&1; then
	skip "strace is not installed: the late NoNewPrivs checks need it to hold rtexec"
elif [ "$(uname -m)" != x86_64 ] || ! grep -q "^Seccomp_filters:" /proc/self/status; then
	skip_limit "the late NoNewPrivs checks: x86_64 syscall numbers and a kernel that counts filters (5.9) wanted" \
		"$(uname -m) $(uname -r)"
else
	late_join late setitimer:delay_enter=800000:when=1 "38 " \
		"the init sets NoNewPrivs and a filter before the seize"
	late_join tsync setitimer:delay_enter=800000:when=1 "38 " \
		"its second thread, to both (TSYNC), before the seize"
	late_join tsync ptrace:delay_exit=800000:when=6 "101 0x420c TID 0x1 " \
		"its second thread, to both, while the copy holds the first"
	is "$(grep -c PTRACE_SECCOMP_GET_FILTER "$T/late.strace")" 10 \
		"... the filter at the copy's end asked for again found: copied again"
fi

# --- the target is left as it was: not traced, not stopped, still running; also when
# rtexec is killed while it holds the target (strace delays its PTRACE_SECCOMP_GET_FILTER)
state_of() {
	echo "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$P/status") $(sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$P/status")"
}
before=$(state_of)
like "$before" "S 0" "the target sleeps, untraced"
rx "$(cfg "$P")" -- true
is "$(state_of)" "$before" "after a join: the same state, untraced"
i=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	printf '%s\n' "$(cfg "$P")" >"$T/k.cfg"
	strace -f -qq -o /dev/null -e trace=ptrace -e inject=ptrace:delay_enter=300000:when=3 \
		"$RTEXEC" -f "$T/k.cfg" -- true >/dev/null 2>&1 &
	sp=$!
	sleep "0.$(od -An -N1 -tu1 /dev/urandom | tr -d ' ' | cut -c1)"
	kill -9 "$sp" 2>/dev/null
	wait "$sp" 2>/dev/null
	pkill -9 -f "$T/k.cfg" 2>/dev/null
	wait_for 3 eval '[ "$(state_of)" = "$before" ]'
	[ "$(state_of)" = "$before" ] || break
done
is "$(state_of)" "$before" "20 rtexec killed at random moments while holding it: the target is as it was"
is "$(tr '\0' ' ' <"/proc/$P/cmdline")" "sleep $CTR_MARK " "... and still the same running process"

# --- two stacked filters: the init adds one (chmod denied) to runc's (mkdir denied)
CTR_SETUP=seccomp_copy
RUNC_JQ='.process.noNewPrivileges = true | .process.args = ["/seccomp_stack", "chmod", "--"] + .process.args
 | .linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],
     "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
export CTR_SETUP RUNC_JQ
start_runc_ctr || bail "cannot start a runc container with two filters"
unset RUNC_JQ
like "$(grep Seccomp_filters "/proc/$CTR_PID/status")" "*2" "stacked: the init runs under 2 filters"
rx "$(cfg "$CTR_PID")" -- sh -c "$PROBE"
like "$RC $OUT" "0 *Seccomp_filters: 2*mkdir refused*chmod refused*" \
	"stacked: the command gets both, in force (mkdir and chmod refused)"
rx "$(cfg "$CTR_PID")" --dry-run -- true
is "$(echo "$OUT" | jq -c '[.seccomp.filters, .seccomp.instructions]')" "[2,null]" \
	"stacked: dry-run counts 2 filters"

# --- the order: two filters that answer alike (runc's mkdir EPERM, then the init's EACCES),
# where the newest decides the errno, as in the container's own processes
RUNC_JQ='.process.noNewPrivileges = true | .process.args = ["/seccomp_stack", "mkdir", "--"] + .process.args
 | .linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],
     "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
export RUNC_JQ
start_runc_ctr || bail "cannot start a runc container with two filters answering alike"
unset RUNC_JQ
like "$(runc exec "$CTR_ID" mkdir /x 2>&1)" "*Operation not permitted*" \
	"order: runc exec, under runc's filter alone, gets EPERM (precondition)"
rx "$(cfg "$CTR_PID")" -- sh -c 'mkdir /x 2>&1; cat /proc/self/status'
like "$OUT" "*Permission denied*Seccomp_filters:*2*" \
	"order: the command gets EACCES too, the init's filter newest (not EPERM: runc's last)"

# --- a user-namespace container whose init runs under a filter of its own
CTR_INIT_PREFIX="/seccomp_stack chmod --"
export CTR_INIT_PREFIX
start_unshare_ctr --user || bail "cannot start an unshare --user container"
like "$(grep Seccomp_filters "/proc/$CTR_PID/status")" "*1" "user ns: the init runs under 1 filter"
rx "$(cfg "$CTR_PID")" -- sh -c "$PROBE"
like "$RC $OUT" "0 NoNewPrivs: 1*Seccomp_filters: 1*chmod refused*" \
	"user ns: the command gets the filter and NoNewPrivs"

# --- a filter that notifies a listener cannot be copied
CTR_INIT_PREFIX="/seccomp_stack notify --"
start_unshare_ctr || bail "cannot start a container with a notifying filter"
unset CTR_INIT_PREFIX CTR_SETUP
P=$CTR_PID
failed "a user-notification filter" "" \
	"seccomp: the target's filter 0: instruction 2: a user-notification return*"

# --- a target whose inheritable set holds a capability its bounding set does not (raised,
# then dropped from the bounding set: legal, and capset refuses the other order): the
# command gets both sets as they are (rtexec sets the inheritable set before it cuts the
# bounding set; it failed with "capset: Operation not permitted")
"$T/inhcap" 13 -- sleep 1000 &
hp=$!
defer "kill -9 $hp"
wait_for 5 eval '[ "$(tr "\0" " " <"/proc/$hp/cmdline")" = "sleep 1000 " ]'
want=$(grep -E "^Cap(Inh|Bnd):" "/proc/$hp/status")
like "$want" "*CapInh:*0000000000002000*" "the target: CAP_NET_RAW inheritable, not in its bounding set (precondition)"
rx "$(cfg "$hp")" -- sh -c 'grep -E "^Cap(Inh|Bnd):" /proc/self/status'
is "$RC $OUT" "0 $want" "inheritable beyond the bounding set: the command gets the target's two sets"
kill -9 "$hp"
wait "$hp" 2>/dev/null

# --- a container whose init is chrooted inside its mount namespace (unshare --root, as an
# appliance's init script may do), or chrooted in the host's mount namespace: the command
# is confined to the same root, sees none of the files outside it (a marker on the host),
# and takes HOME from that root's passwd, as the dry run says (it saw the whole namespace)
echo host-only >"$T/host-marker"
for how in "--mount" ""; do
	k="chroot${how:+ in its mount namespace}"
	build_rootfs "$T/croot$how" || bail "cannot build a rootfs"
	sed -i 's|^root:x:0:0:root:/root:|root:x:0:0:root:/croothome:|' "$T/croot$how/etc/passwd"
	# shellcheck disable=SC2086
	unshare $how --pid --fork --kill-child --root="$T/croot$how" /bin/busybox sleep 1007 &
	up=$!
	defer "kill -9 $up"
	wait_for 5 eval '[ -n "$(children $up)" ]'
	cp=$(children "$up" | head -n 1)
	defer "kill -9 $cp"
	is "$(readlink "/proc/$cp/root")" "$T/croot$how" "$k: the init's root (precondition)"
	rx "$(cfg "$cp")" -- sh -c "cat $T/host-marker 2>&1; echo HOME=\$HOME; ls /bin/busybox"
	like "$RC $OUT" "0 *No such file*HOME=/croothome*/bin/busybox" \
		"$k: the command is in the init's root (no host file, its passwd)"
	rx "$(cfg "$cp")" --dry-run -- true
	like "$(echo "$OUT" | jq -c .process.env)" '*"HOME=/croothome"*' "$k: the dry run says the same HOME"
	kill -9 "$cp" "$up"
	wait "$up" 2>/dev/null || true
done

# --- a container whose init has no no_new_privs and CAP_SYS_ADMIN installs a filter that
# answers setresuid, setresgid, setgroups and capset with a success that did nothing
# (SECCOMP_RET_ERRNO|0). Copied, it is installed before rtexec's switch (it needs
# CAP_SYS_ADMIN then): the command asked to run as uid 1000 stayed host root, with every
# capability. The credentials are now read back where no filter can write: refused.
fakecreds_setup() {
	cp "$T/seccomp_stack" "$1/seccomp_stack"
}
CTR_SETUP=fakecreds_setup CTR_INIT_PREFIX="/seccomp_stack fakecreds --" start_unshare_ctr ||
	bail "cannot start a container with the fakecreds filter"
fp=$CTR_PID
is "$(sed -n 's/^Seccomp:[[:space:]]*//p' "/proc/$fp/status") $(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "/proc/$fp/status")" "2 0" \
	"fakecreds: the init runs under a filter, without no_new_privs (precondition)"
for who in '"uid":1000,"gid":1000' '"uid":1000,"gid":1000,"additionalGids":[5]'; do
	rx "$(cfg "$fp" "\"process\":{\"user\":{$who}}")" -- sh -c 'id; grep -E "^(Uid|Gid|CapEff)" /proc/self/status'
	is_rc 125 "fakecreds, user {$who}: refused (125)"
	err_one_line "... one line saying why" "*not set (the container's seccomp filter answered for *)"
	is "$OUT" "" "... the command did not run"
done
no_leftovers "fakecreds: nothing left in the container" "$fp"

# --- the same with the open-files limit, which the child sets last (it needs its fds until
# then): a filter answering prlimit64 with a success that did nothing left the command the
# caller's soft limit (2000 here), which the container may not change itself (its init's
# filter fakes it). Read back. (The hard limit stays this shell's: the machine may lack
# CAP_SYS_RESOURCE, without which no hard limit is raised.)
CTR_SETUP=fakecreds_setup CTR_INIT_PREFIX="/seccomp_stack fakelimit --" start_unshare_ctr ||
	bail "cannot start a container with the fakelimit filter"
lp=$CTR_PID
is "$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "/proc/$lp/status") $(awk '/^Max open files/ { print $4 ":" $5 }' "/proc/$lp/limits")" \
	"0 $(ulimit -Sn):$(ulimit -Hn)" "fakelimit: the init runs under a filter, without no_new_privs, with this shell's open-files limit (precondition)"
printf '%s\n' "$(cfg "$lp")" >"$T/fakelimit.json"
OUT=$(prlimit --nofile=2000:"$(ulimit -Hn)" "$RTEXEC" -f "$T/fakelimit.json" -- sh -c 'ulimit -Sn; ulimit -Hn' 2>"$T/rx.err")
RC=$? ERR=$(cat "$T/rx.err")
is_rc 125 "fakelimit, a caller with a soft open-files limit of 2000: refused (125)"
err_one_line "... one line saying why" "*RLIMIT_NOFILE: not set (the container's seccomp filter answered for prlimit64)"
is "$OUT" "" "... the command did not run"
no_leftovers "fakelimit: nothing left in the container" "$lp"

# --- the caller's own capability state never reaches a command of another uid: its
# inheritable set (a file's inheritable capabilities are not bounded by the bounding set, so
# a binary the container marked +ei got them) and, under SECBIT_NO_SETUID_FIXUP, its ambient
# set (kept across the switch, granted to any binary). A container without a user namespace
# (joining one clears them).
start_unshare_ctr || bail "cannot start an unshare container"
if command -v setpriv >/dev/null 2>&1; then
	printf '%s\n' "$(cfg "$CTR_PID" '"process":{"user":{"uid":1000,"gid":1000}}')" >"$T/u1000.json"
	for bits in "" "--securebits +no_setuid_fixup" "--securebits +no_setuid_fixup,+no_setuid_fixup_locked"; do
		# shellcheck disable=SC2086
		out=$(setpriv $bits --inh-caps +sys_admin,+sys_module --ambient-caps +sys_admin,+sys_module \
			"$RTEXEC" -f "$T/u1000.json" -- grep -E '^Cap(Inh|Prm|Eff|Amb)' /proc/self/status 2>&1)
		is "$(echo "$out" | tr -s ' \t\n' '   ')" "CapInh: 0000000000000000 CapPrm: 0000000000000000 CapEff: 0000000000000000 CapAmb: 0000000000000000 " \
			"a caller with inheritable and ambient CAP_SYS_ADMIN,CAP_SYS_MODULE${bits:+ and $bits}: the uid 1000 command has no capability"
	done
	# Securebits the caller locked cannot be cleared: they stay, and the run goes on (the
	# first reset of them refused every run of such a caller).
	for bits in +noroot_locked +no_setuid_fixup_locked +keep_caps_locked; do
		out=$(setpriv --securebits "$bits" "$RTEXEC" -f "$T/u1000.json" -- id -u 2>&1)
		is "$?:$out" "0:1000" "a caller with $bits: the uid 1000 command runs"
	done
else
	skip_limit "the caller's capabilities" "no setpriv"
fi

# --- a target stuck in its own execve (a thread of it traced by a process that never reaps
# it; a FUSE file that never answers does the same): it holds its exec lock, which ptrace's
# seize waits for, and the kernel restarts that wait after a signal handler. rtexec hung
# there for ever (seccomp "inherit", the default); a 1 s timer now jumps out: 125, one line.
gcc -O2 -pthread -o "$T/execlock" "$REPO/test/helpers/execlock.c" || bail "cannot build test/helpers/execlock.c"
"$T/execlock" >"$T/execlock.out" 2>&1 &
xp=$!
defer "pkill -9 -P $xp; kill -9 $xp"
if wait_for 5 grep -q ready "$T/execlock.out"; then
	s0=$(date +%s)
	RX_TIMEOUT=20 rx "$(cfg "$xp")" -- true
	took=$(($(date +%s) - s0))
	is_rc 125 "a target stuck in its execve: 125, not a hang"
	err_one_line "... one line saying so" "*ptrace seize $xp (stuck in an execve?)*"
	ok "... within 5 s ($took s)" [ "$took" -lt 5 ]
	rx "$(cfg "$xp")" --dry-run -- true
	is_rc 0 "... a dry run does not seize: it answers"
else
	fail "execlock did not get ready: $(cat "$T/execlock.out")"
fi
pkill -9 -P "$xp" 2>/dev/null
wait "$xp" 2>/dev/null || true

# --- a caller that leaves SIGALRM blocked and pending (kept across exec): the seize's timer
# handler was set up after SIGALRM was unblocked, so the pending one killed rtexec (signal
# 14, no word). It is taken first now, and handed back blocked for the signalfd.
gcc -O2 -o "$T/pendsig" "$REPO/test/helpers/pendsig.c" || bail "cannot build test/helpers/pendsig.c"
"$T/seccomp_stack" hold usr1 "$T/alrm.out" &
hp=$!
defer "kill -9 $hp"
wait_for 5 eval 'grep -q "^Seccomp_filters:.*1" /proc/$hp/status'
out=$(printf '%s\n' "$(cfg "$hp")" | "$T/pendsig" 14 "$RTEXEC" -- sh -c 'echo ran' 2>&1)
is "$?:$out" "0:ran" "a caller with SIGALRM blocked and pending: the filters copied, the command runs"
kill -9 "$hp"
wait "$hp" 2>/dev/null || true

# --- a container whose filter, installed last (its no_new_privs), refuses sendto and
# sendmsg: a failed exec after the filter could not be reported, and the run read as an
# exec (-d: 0, a pid file naming a process already gone). The command is looked up before
# the filter now, as runc does: not found and not executable are reported (127, 126).
CTR_SETUP=seccomp_copy
RUNC_JQ='.process.noNewPrivileges = true
 | .linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],
     "syscalls":[{"names":["sendto","sendmsg"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
export CTR_SETUP RUNC_JQ
start_runc_ctr || bail "cannot start a runc container whose filter refuses sendto"
unset RUNC_JQ
rx "$(cfg "$CTR_PID")" -- sh -c 'grep -E "^(NoNewPrivs|Seccomp_filters)" /proc/self/status | tr -s "\t\n" "  "'
is "$RC/$OUT" "0/NoNewPrivs: 1 Seccomp_filters: 1 " \
	"a filter refusing sendto, installed last: the command runs under it (precondition)"
rm -f "$T/nosend.pid"
rx "$(cfg "$CTR_PID")" -d --pid-file "$T/nosend.pid" -- rtx-no-such-cmd
is_rc 127 "... a command not in PATH: 127, not an exec"
err_one_line "... one line" "*exec rtx-no-such-cmd: command not found in PATH*"
ok "... no pid file" [ ! -e "$T/nosend.pid" ]
rx "$(cfg "$CTR_PID")" -d -- /rtx/no/such
is_rc 127 "... a path that is not there: 127"
rx "$(cfg "$CTR_PID")" -d -- /etc/passwd
is_rc 126 "... a file that is not executable: 126"
err_one_line "... one line" "*exec /etc/passwd: Permission denied*"
mkdir -p "$CTR_ROOTFS/pa"
printf '#!/bin/sh\necho wrong\n' >"$CTR_ROOTFS/pa/sh"
chmod 644 "$CTR_ROOTFS/pa/sh"
rx "$(cfg "$CTR_PID" '"process":{"args":["sh","-c","echo found"],"env":["PATH=/pa:/bin"]}')"
is "$RC/$OUT" "0/found" "... PATH's first sh not executable: the next one runs, as execvp"
chmod 744 "$CTR_ROOTFS/pa/sh"
rx "$(cfg "$CTR_PID" '"process":{"args":["sh","-c","echo found"],"env":["PATH=/pa:/bin"],"user":{"uid":1000,"gid":1000}}')"
is "$RC/$OUT" "0/found" "... uid 1000, PATH's first sh executable by its owner (root) only: the next one runs"
# Where a capability decides (uid 1000 with CAP_DAC_OVERRIDE may run a root file of mode
# 0700), the lookup asks as execve does (faccessat2 AT_EACCESS): access() drops the
# capabilities of a uid other than 0, and the lookup ran a later file of the same name.
mkdir -p "$CTR_ROOTFS/pb"
musl-gcc -static -O2 -o "$CTR_ROOTFS/pa/x" "$REPO/bench/noop.c" || bail "cannot build bench/noop.c"
chmod 700 "$CTR_ROOTFS/pa/x"
printf '#!/bin/sh\necho second\n' >"$CTR_ROOTFS/pb/x"
chmod 755 "$CTR_ROOTFS/pb/x"
DAC='"bounding":["CAP_DAC_OVERRIDE"],"effective":["CAP_DAC_OVERRIDE"],"permitted":["CAP_DAC_OVERRIDE"]'
rx "$(cfg "$CTR_PID" "\"process\":{\"args\":[\"x\"],\"env\":[\"PATH=/pa:/pb:/bin\"],\"user\":{\"uid\":1000,\"gid\":1000},\"capabilities\":{$DAC}}")"
is "$RC/$OUT" "0/" "... uid 1000 with CAP_DAC_OVERRIDE: PATH's first x (root, 0700) runs, as execvp runs it"
rx "$(cfg "$CTR_PID" '"process":{"args":["x"],"env":["PATH=/pa:/pb:/bin"],"user":{"uid":1000,"gid":1000}}')"
is "$RC/$OUT" "0/second" "... without it: the next x, as execvp"
unset CTR_SETUP
