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
is "$(echo "$OUT" | jq -c '.seccomp | [.mode, .source, .filters, (.instructions | length)]')" \
	'["inherit","target",1,1]' "dry-run: one filter, from the target"
ok "dry-run: its instruction count" [ "$(echo "$OUT" | jq '.seccomp.instructions[0]')" -gt 3 ]
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
is "$(echo "$OUT" | jq -c '[.seccomp.filters, (.seccomp.instructions | length)]')" "[2,2]" \
	"stacked: dry-run shows 2 filters"
ok "stacked: the oldest (runc's, longer) first, then the init's (10 instructions)" \
	[ "$(echo "$OUT" | jq '.seccomp.instructions[1]')" = 10 ]

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
