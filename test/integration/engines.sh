#!/bin/sh
# Real engines (containerd 1.6 + runc shim v2, podman 4.3 + conmon) calling their OCI runtime
# through a recording wrapper: what they pass (argv, process file, console socket, pid file),
# how they read the result (exit codes, errors, the pid file) and that everything they start
# is gone afterwards. With the real runc behind the wrapper this is the baseline that
# rtexec-runc must reproduce: ENGINE_RUNTIME=PATH puts PATH behind the wrapper instead.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engines.sh"

for _c in containerd ctr containerd-shim-runc-v2 podman conmon runc script perl strace; do
	command -v "$_c" >/dev/null 2>&1 || skip_all "$_c is not installed (scripts/deps.sh engines)"
done
RUNTIME=${ENGINE_RUNTIME:-$(command -v runc)}
diag "runtime behind the wrapper: $RUNTIME"
engines_snapshot

# sh -c script: the tty, then the window size once the engine has set it (ctr resizes the
# pty only after the process has started).
# (busybox stty prints nothing, status 0, for a 0x0 window.)
TTY_SCRIPT='tty; i=0; while s=$(stty size 2>/dev/null); [ -z "$s" ] || [ "$s" = "0 0" ]; do
[ $i -ge 100 ] && break; i=$((i + 1)); sleep 0.05; done; echo "size $s"; exit 4'

# state_checks STATE_JSON BUNDLE: what runc's state.json says about the container.
state_checks() {
	_e=$1
	is "$(jq .init_process_pid "$2")" "$CTR_PID" "$_e: state.json: init_process_pid"
	is "$(jq .init_process_start "$2")" "$(start_time "$CTR_PID")" \
		"$_e: state.json: init_process_start is field 22 of /proc/PID/stat"
	is "$(jq -r '.config.namespaces | map(.type) | sort | join(" ")' "$2")" \
		"NEWIPC NEWNET NEWNS NEWPID NEWUTS" "$_e: state.json: config.namespaces"
	is "$(jq -r --arg p "$CTR_PID" '.namespace_paths | to_entries
		| map(select(.value != "/proc/\($p)/ns/" + ({NEWCGROUP: "cgroup", NEWIPC: "ipc",
		  NEWNET: "net", NEWNS: "mnt", NEWPID: "pid", NEWUSER: "user", NEWUTS: "uts"}[.key])))
		| length' "$2")" 0 \
		"$_e: state.json: namespace_paths are /proc/PID/ns/* of the init (all 7 types)"
	_bad=
	for _d in $(jq -r '.cgroup_paths[]' "$2"); do
		grep -qx "$CTR_PID" "$_d/cgroup.procs" 2>/dev/null || _bad="$_bad $_d"
	done
	is "$_bad" "" "$_e: state.json: the init is in every cgroup of cgroup_paths"
	is "$(jq -r '.cgroup_paths | has("")' "$2")" true \
		"$_e: state.json: cgroup_paths has the v2 path under the key \"\""
	is "$(jq -r --arg b "bundle=$BUNDLE" '.config.labels | index($b) != null' "$2")" true \
		"$_e: state.json: config.labels holds bundle=DIR"
}

# in_ctr_checks ENGINE EXEC...: a process exec'd by EXEC (ctd_exec c1 / pm_exec p1) is in
# the container's namespaces and cgroups.
in_ctr_checks() {
	_e=$1
	shift
	"$@" sh -c "$NS_SCRIPT"
	is "$OUT" "$(ns_links "$CTR_PID")" "$_e: exec'd process has the container's namespaces"
	"$@" cat /proc/self/cgroup
	is "$OUT" "$(cat "/proc/$CTR_PID/cgroup")" "$_e: exec'd process is in the container's cgroups"
}

# ================================================================ containerd
ctd_start || bail "cannot start containerd"
ok "containerd: ctr image import of a busybox OCI archive built here" ctd_import ||
	bail "no image"
W=$T/ctd-rt
rt_wrapper "$W" "$RUNTIME"
ctd_run c1 "$W/runc" || bail "ctr run failed"
BUNDLE=$CTD_BUNDLE
R="--root $CTD_RUNC_ROOT/$CTD_NS --log $CTD_LOG --log-format json"

is "$(rt_subs "$W")" "create start" "containerd: ctr run -d calls create, then start"
is "$(jq -r 'join(" ")' "$(rt_last "$W" create)/argv")" \
	"$R create --bundle $BUNDLE --pid-file $BUNDLE/init.pid c1" "containerd: create argv"
is "$(jq -r 'join(" ")' "$(rt_last "$W" start)/argv")" "$R start c1" "containerd: start argv"
state_checks containerd "$CTD_STATE"

ctd_exec c1 sh -c 'echo out; echo err >&2; exit 3'
is "$RC/$OUT/$ERR" "3/out/err" "containerd: ctr task exec: exit status, stdout and stderr"
rec=$(rt_last "$W" exec)
like "$(jq -r 'join(" ")' "$rec/argv")" \
	"$R exec --process $CTD_DIR/tmp/runc-process* --detach --pid-file $BUNDLE/$CTD_EXEC_ID.pid c1" \
	"containerd: exec argv"
is "$(jq -c 'keys' "$rec/process")" \
	'["args","capabilities","cwd","env","noNewPrivileges","rlimits","user"]' \
	"containerd: the process file's fields (no terminal key without -t)"
is "$(jq -c '[.args, .cwd, .user, .noNewPrivileges]' "$rec/process")" \
	'[["sh","-c","echo out; echo err >&2; exit 3"],"/",{"uid":0,"gid":0,"additionalGids":[0]},true]' \
	"containerd: process file: args, cwd, user, noNewPrivileges"
like "$(tr -d ' ' <"$rec/pidfile")" "[1-9]*" "containerd: the exec pid file holds a pid"
is "$(tr -d ' 0-9' <"$rec/pidfile")" "" "containerd: ... with no trailing newline"
in_ctr_checks containerd ctd_exec c1

for st in 0 1 255; do
	ctd_exec c1 sh -c "exit $st"
	is "$RC" "$st" "containerd: exit status $st passes through"
done
ctd_exec c1 sh -c 'kill -TERM $$'
is "$RC" 143 "containerd: a command killed by SIGTERM: 143"

ctd_exec -t c1 sh -c "$TTY_SCRIPT"
is "$RC" 4 "containerd: ctr task exec -t: exit status"
# "*" first: the pty echoes what reaches its input before the command runs (once seen: a NUL,
# shown as ^@, ahead of the tty's name, with runc behind ctr).
like "$OUT" "*/dev/pts/[0-9]*size $PTY_ROWS $PTY_COLS*" \
	"containerd: -t: a tty, and the caller's window size (set by ctr after start)"
rec=$(rt_last "$W" exec)
like "$(jq -r 'join(" ")' "$rec/argv")" \
	"$R exec --process * --console-socket $CTD_DIR/tmp/pty*/pty.sock --detach --pid-file $BUNDLE/$CTD_EXEC_ID.pid c1" \
	"containerd: -t: exec argv has --console-socket"
is "$(jq -c '[.terminal, has("consoleSize")]' "$rec/process")" "[true,false]" \
	"containerd: -t: process file has terminal true, no consoleSize"

engine_mark
ctd_exec -d c1 sleep "$ENGINE_MARK"
is "$RC/$OUT/$ERR" "0//" "containerd: ctr task exec -d: exit 0 at once, no output"
if wait_for 10 pid_of_cmdline "sleep $ENGINE_MARK" >/dev/null; then
	p=$(pid_of_cmdline "sleep $ENGINE_MARK")
	is "$(ns_links "$p")" "$(ns_links "$CTR_PID")" "containerd: -d: the process has the container's namespaces"
	like "$(tr '\0' ' ' <"/proc/$(ps -o ppid= -p "$p" | tr -d ' ')/cmdline")" \
		"*containerd-shim-runc-v2 -namespace $CTD_NS -id c1 *" \
		"containerd: -d: its parent is the container's shim (subreaper)"
	ctr_ task kill --exec-id "$CTD_EXEC_ID" -s KILL c1
	ok "containerd: -d: ctr task kill --exec-id ends it" wait_for 10 eval '[ ! -e "/proc/$p" ]'
else
	fail "containerd: -d: the process runs"
fi

ctd_exec c1 rtx-no-such-cmd
is "$RC" 1 "containerd: a missing command: ctr exits 1"
like "$ERR" "ctr: OCI runtime exec failed: *rtx-no-such-cmd*" \
	"containerd: a missing command: the runtime's error in ctr's message"
like "$(cat "$(rt_last "$W" exec)/logtail")" '{"level":"error","msg":"*rtx-no-such-cmd*"*}' \
	"containerd: ... which the runtime appended to --log as a JSON error line"
ctd_exec c1 /etc/passwd
is "$RC" 1 "containerd: a non-executable file: ctr exits 1"

# Where containerd takes the error from: the last error line of the --log file, never stderr
# -- even when this exec wrote nothing there (the shared log still holds an older error).
rt_mode "$W" fail-exec "rtx-mark-1: failed"
ctd_exec c1 true
like "$ERR" "ctr: OCI runtime exec failed: rtx-mark-1: failed \[log\]*" \
	"containerd: a failed exec: the error line from --log, not stderr"
rt_mode "$W" fail-exec "rtx-mark-2: failed"
rt_mode "$W" nolog
ctd_exec c1 true
like "$RC/$ERR" "1/ctr: OCI runtime exec failed: rtx-mark-1: failed \[log\]*" \
	"containerd: a failed exec that logs nothing: the log's stale error, stderr ignored"
rt_mode "$W" clear

# The pid file is read as soon as the runtime has exited; a trailing newline is an error.
rt_mode "$W" pid-newline
ctd_exec c1 sh -c 'exit 5'
# (ctr's message really reads "exec pi: strconv.Atoi: parsing \"123\\n\": invalid syntaxd")
like "$RC/$ERR" "1/*failed to retrieve OCI runtime exec pi*strconv.Atoi*invalid syntax*" \
	"containerd: a pid file with a trailing newline is rejected"
rt_mode "$W" clear

rt_mode "$W" strace
ctd_exec -t c1 true
rt_mode "$W" clear
like "$(grep 'sendmsg(' "$(rt_last "$W" exec)/strace")" "*SCM_RIGHTS*" \
	"containerd: -t: the pty master is sent over the console socket with SCM_RIGHTS"
if [ -n "${ENGINE_EXPECT_RTEXEC:-}" ]; then
	ok "containerd: rtexec did the exec (its sealed copy, CVE-2019-5736)" \
		grep -q 'memfd_create("rtexec"' "$(rt_last "$W" exec)/strace"
	ctd_exec --cwd /rtx-no-such-dir c1 true
	like "$RC/$ERR" "1/ctr: OCI runtime exec failed: exec failed: rtexec: chdir /rtx-no-such-dir: No such file or directory*" \
		"containerd: rtexec's own error reaches ctr (not a stale one from the log)"
	ctd_exec c1 sh -c 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status | tr -s "\t" " "'
	is "$OUT" "$(grep -E "^(NoNewPrivs|Seccomp):" "/proc/$CTR_PID/status" | tr -s "\t" " ")" \
		"containerd: the exec'd process is confined like the init (NoNewPrivs, seccomp)"
fi

rt_reset "$W"
ctr_ task kill -s KILL c1 >/dev/null 2>&1
wait_for 10 eval '[ ! -e "/proc/$CTR_PID" ]'
ctr_ task rm c1 >/dev/null 2>&1
ctr_ containers rm c1 >/dev/null 2>&1
is "$(jq -r 'join(" ")' "$(rt_last "$W" kill)/argv")" "$R kill c1 9" \
	"containerd: ctr task kill -s KILL: kill argv (signal as a number)"
is "$(jq -r 'join(" ")' "$(rt_calls "$W" delete | head -n 1)/argv")" "$R delete c1" \
	"containerd: ctr task rm: delete argv"

ctd_stop

# ================================================================ podman
pm_setup || bail "cannot set up podman"
ok "podman: podman load of the same OCI archive" pm_import || bail "no image"
W=$T/pm-rt
rt_wrapper "$W" "$RUNTIME"
pm_run p1 "$W/runc" \
	--annotation org.opencontainers.runc.exec.isolated-cpu-affinity-transition=temporary ||
	bail "podman run failed"
P1_ID=$CTR_ID
U=$PM_DIR/root/vfs-containers/$CTR_ID/userdata
BUNDLE=$U
is "$(rt_subs "$W")" "create start" "podman: podman run -d calls create, then start"
is "$(jq -r 'join(" ")' "$(rt_last "$W" create)/argv")" \
	"--log-format=json --log $PM_DIR/runroot/vfs-containers/$CTR_ID/userdata/oci-log create --bundle $U --pid-file $PM_DIR/runroot/vfs-containers/$CTR_ID/userdata/pidfile $CTR_ID" \
	"podman: create argv (no --root: runc's default)"
state_checks podman "$PM_STATE"
is "$(jq -r '.config.labels | index("org.opencontainers.runc.exec.isolated-cpu-affinity-transition=temporary") != null' "$PM_STATE")" \
	true "podman: state.json: an OCI annotation is a KEY=VALUE label"
is "$(jq -r '.config.seccomp.default_action' "$PM_STATE")" 2 \
	"podman: state.json: podman's seccomp profile (default action errno)"

pm_exec p1 sh -c 'echo out; echo err >&2; exit 3'
is "$RC/$OUT/$ERR" "3/out/err" "podman: podman exec: exit status, stdout and stderr"
rec=$(rt_last "$W" exec)
like "$(jq -r 'join(" ")' "$rec/argv")" \
	"--log-format=json --log $U/*/oci-log exec --pid-file $U/*/exec_pid --process $U/*/exec-process-* --detach $CTR_ID" \
	"podman: exec argv"
is "$(jq -c 'keys' "$rec/process")" '["args","capabilities","cwd","env","rlimits","user"]' \
	"podman: the process file's fields (no terminal key, no noNewPrivileges)"
# (env: in a different order from one exec to the next)
is "$(jq -c '[.args, .cwd, .user, (.env | sort)]' "$rec/process")" \
	'[["sh","-c","echo out; echo err >&2; exit 3"],"/",{"uid":0,"gid":0},["HOME=/root","PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","TERM=xterm","container=podman"]]' \
	"podman: process file: args, cwd, user, env"
like "$(tr -d ' ' <"$rec/pidfile")" "[1-9]*" "podman: the exec pid file holds a pid"
in_ctr_checks podman pm_exec p1

for st in 0 1 255; do
	pm_exec p1 sh -c "exit $st"
	is "$RC" "$st" "podman: exit status $st passes through"
done
pm_exec p1 sh -c 'kill -TERM $$'
is "$RC" 143 "podman: a command killed by SIGTERM: 143"

pm_exec -t p1 sh -c "$TTY_SCRIPT"
is "$RC" 4 "podman: podman exec -t: exit status"
like "$OUT" "*/dev/pts/[0-9]*size $PTY_ROWS $PTY_COLS*" "podman: -t: a tty with the caller's window size"
rec=$(rt_last "$W" exec)
like "$(jq -r 'join(" ")' "$rec/argv")" \
	"* exec --pid-file * --process * --detach --tty --console-socket /tmp/conmon-term.* $CTR_ID" \
	"podman: -t: exec argv has --tty --console-socket"
is "$(jq -c '[.terminal, has("consoleSize")]' "$rec/process")" "[true,false]" \
	"podman: -t: process file has terminal true, no consoleSize"

engine_mark
pm_exec -d p1 sleep "$ENGINE_MARK"
like "$RC/$OUT" "0/????????????????????????????????????????????????????????????????" \
	"podman: podman exec -d: exit 0 at once, prints the exec session id"
if wait_for 10 pid_of_cmdline "sleep $ENGINE_MARK" >/dev/null; then
	p=$(pid_of_cmdline "sleep $ENGINE_MARK")
	is "$(ns_links "$p")" "$(ns_links "$CTR_PID")" "podman: -d: the process has the container's namespaces"
	is "$(cat "/proc/$(ps -o ppid= -p "$p" | tr -d ' ')/comm")" conmon \
		"podman: -d: its parent is the exec session's conmon (subreaper)"
	kill -9 "$p"
else
	fail "podman: -d: the process runs"
fi

pm_exec p1 rtx-no-such-cmd
is "$RC" 127 "podman: a missing command: 127"
like "$ERR" "*rtx-no-such-cmd*OCI runtime attempted to invoke a command that was not found" \
	"podman: a missing command: the runtime's error in podman's message"
pm_exec p1 /etc/passwd
is "$RC" 126 "podman: a non-executable file: 126"
like "$ERR" "*permission denied*: OCI permission denied" \
	"podman: a non-executable file: the runtime's error in podman's message"

# Where podman takes the error from: conmon passes the runtime's stderr on; podman prefers
# the last error line of --log (runtimes it knows to support JSON logs). The exit status comes
# from the message's wording.
rt_mode "$W" fail-exec "rtx-mark-3: failed"
pm_exec p1 true
like "$RC/$ERR" "255/*rtx-mark-3: failed \[log\]*" \
	"podman: a failed exec: the error line from --log, exit 255"
rt_mode "$W" nolog
pm_exec p1 true
like "$RC/$ERR" "255/*rtx-mark-3: failed \[stderr\]*" \
	"podman: a failed exec that logs nothing: the runtime's stderr"
rt_mode "$W" fail-exec "exec: \"x\": executable file not found in \$PATH"
pm_exec p1 true
is "$RC" 127 "podman: error wording 'executable file not found in \$PATH': 127"
rt_mode "$W" fail-exec "open /x: no such file or directory"
pm_exec p1 true
is "$RC" 127 "podman: error wording 'no such file or directory': 127"
rt_mode "$W" fail-exec "exec /x: permission denied"
pm_exec p1 true
is "$RC" 126 "podman: error wording 'permission denied': 126"
pm_exec -d p1 true
is "$RC" 125 "podman: exec -d, any failure: 125"
rt_mode "$W" fail-exec "rtx-mark-4: failed"
before=$(ls -d /tmp/conmon-term.* 2>/dev/null)
pm_exec -t p1 true
like "$RC/$OUT" "255/*rtx-mark-4: failed*" "podman: exec -t, a failure: 255, the error on the terminal"
is "$(ls -d /tmp/conmon-term.* 2>/dev/null | grep -cvxF -e "$before" -e '')" 1 \
	"podman: exec -t, a failure before the runtime connects: conmon leaves its console socket in /tmp"
rt_mode "$W" clear

rt_mode "$W" pid-newline
pm_exec p1 sh -c 'exit 5'
is "$RC" 5 "podman: a pid file with a trailing newline is accepted"
rt_mode "$W" clear

rt_mode "$W" strace
pm_exec -t p1 true
rt_mode "$W" clear
like "$(grep 'sendmsg(' "$(rt_last "$W" exec)/strace")" "*SCM_RIGHTS*" \
	"podman: -t: the pty master is sent over the console socket with SCM_RIGHTS"
if [ -n "${ENGINE_EXPECT_RTEXEC:-}" ]; then
	ok "podman: rtexec did the exec (its sealed copy, CVE-2019-5736)" \
		grep -q 'memfd_create("rtexec"' "$(rt_last "$W" exec)/strace"
	pm_exec -w /rtx-no-such-dir p1 true
	like "$ERR" "*rtexec: chdir /rtx-no-such-dir: No such file or directory*" \
		"podman: rtexec's own error reaches podman"
	pm_exec p1 sh -c 'grep -E "^(NoNewPrivs|Seccomp|Seccomp_filters):" /proc/self/status | tr -s "\t" " "'
	is "$OUT" "$(grep -E "^(NoNewPrivs|Seccomp|Seccomp_filters):" "/proc/$CTR_PID/status" | tr -s "\t" " ")" \
		"podman: the exec'd process runs under the init's seccomp filter"
fi

# A runtime whose base name podman does not know (runtime_supports_json) gets no --log.
W2=$T/pm-rt2
rt_wrapper "$W2" "$RUNTIME" rtexec-runc
pm_run p2 "$W2/rtexec-runc" || bail "podman run (rtexec-runc) failed"
pm_exec p2 rtx-no-such-cmd
is "$RC" 127 "podman, runtime named rtexec-runc: a missing command: 127 (from stderr)"
like "$(jq -r 'join(" ")' "$(rt_last "$W2" exec)/argv")" "exec --pid-file *" \
	"podman, runtime named rtexec-runc: exec argv has no --log/--log-format"

rt_reset "$W"
pm_ rm -f -t 0 p1 >/dev/null 2>&1
is "$(rt_subs "$W")" "kill delete" "podman: podman rm -f calls kill, then delete"
is "$(jq -r 'join(" ")' "$(rt_last "$W" kill)/argv")" "kill $P1_ID 9" "podman: kill argv"
is "$(jq -r 'join(" ")' "$(rt_last "$W" delete)/argv")" "delete --force $P1_ID" "podman: delete argv"

pm_stop
ctd_stop
is "$(engine_leftovers)" "" "nothing is left: processes, mounts, cgroups, runtime state, netns, links, temp files"
