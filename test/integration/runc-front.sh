#!/bin/sh
# rtexec-runc, runc's command line: exec done by rtexec from runc's state.json (checked
# against the live process), runc's flags and process file (unknown fields ignored), errors
# where runc writes them (JSON or text, --log or stderr, exit 255), and every other command
# handed to the real runc unchanged.
# shellcheck source=test/lib.sh disable=SC2016
. "$(dirname "$0")/../lib.sh"

command -v runc >/dev/null 2>&1 || skip_all "runc is not installed (scripts/deps.sh test)"
mkdir -p "$T/bin"
ln -s "$RTEXEC" "$T/bin/rtexec-runc"
RR=$T/bin/rtexec-runc
start_runc_ctr || bail "cannot start a runc container"
ID=$CTR_ID

# rr ARG...: rtexec-runc; RC, OUT, ERR.
rr() {
	timeout -k 5 30 "$RR" "$@" </dev/null >"$T/rr.out" 2>"$T/rr.err"
	RC=$?
	OUT=$(cat "$T/rr.out")
	ERR=$(cat "$T/rr.err")
}

# --- other commands: the real runc's, the same argv
rr --version
is "$RC/$OUT" "0/$(runc --version)" "--version: the real runc's answer"
rr state "$ID"
is "$(echo "$OUT" | jq -r .status)/$(echo "$OUT" | jq -r .pid)" "running/$CTR_PID" "state ID: runc's state"
rr --root /run/runc list -q
like "$OUT" "*$ID*" "--root ROOT list -q: runc's list"
RTEXEC_RUNC=$RR rr list
is "$RC" 255 "RTEXEC_RUNC naming this binary: 255"
like "$ERR" "*RTEXEC_RUNC=$RR is this binary: it would execute itself*" "... it says it would execute itself"
env PATH="$T/bin" "$RR" list >/dev/null 2>"$T/rr.err"
like "$?/$(cat "$T/rr.err")" "255/*no runc in PATH*" "no runc in PATH but itself: 255, it says so"

# --- exec: the container's namespaces, its cgroups, the command's status
rr exec "$ID" sh -c "$NS_SCRIPT"
is "$RC/$OUT" "0/$(ns_links "$CTR_PID")" "exec: the container's namespaces (from state.json's config.namespaces)"
rr exec "$ID" cat /proc/self/cgroup
is "$OUT" "$(cat "/proc/$CTR_PID/cgroup")" "exec: the container's cgroups"
rr exec "$ID" sh -c 'exit 7'
is "$RC" 7 "exec, foreground: the command's status"
rr exec --env FOO=bar -e BAZ=qux --cwd /tmp -u 1000:1000 --additional-gids 10 "$ID" \
	sh -c 'echo "$FOO $BAZ $(pwd) $(id -u):$(id -g) $(id -G)"'
is "$OUT" "bar qux /tmp 1000:1000 1000 10" "exec flags: --env (twice), --cwd, --user, --additional-gids"
rr exec --detach --pid-file "$T/e.pid" "$ID" sleep 4242
is "$RC/$(tr -d '0-9' <"$T/e.pid")" "0/" "exec --detach --pid-file: 0, a pid without a newline"
is "$(tr '\0' ' ' <"/proc/$(cat "$T/e.pid")/cmdline")" "sleep 4242 " "... the pid file holds the command"
kill "$(cat "$T/e.pid")"

# --- the session keyring: the container's ("_ses.ID"), as runc exec joins it, never the caller's
musl-gcc -static -O2 -o "$CTR_ROOTFS/keyring" "$REPO/test/helpers/keyring.c" ||
	bail "cannot build test/helpers/keyring.c"
rr exec "$ID" /keyring name
is "$RC/$OUT" "0/$(runc exec "$ID" /keyring name 2>&1)" "exec: the session keyring runc's exec joins"
is "$OUT" "_ses.$ID" "... the container's: _ses.ID"
# that keyring itself, not a new one of the same name: its serial, and a key that runc
# exec adds to it
rr exec "$ID" /keyring id
is "$RC/$OUT" "0/$(runc exec "$ID" /keyring id 2>&1)" "exec: runc exec's session keyring itself (its serial)"
runc exec "$ID" /keyring add rtexec-test from-runc
rr exec "$ID" /keyring find rtexec-test
is "$RC/$OUT" "0/from-runc" "... a key runc exec added to it is there"

# --- the umask: the container's (config.umask, from its spec's process.user.umask) as runc
# 1.2's exec gives it, over a --process file's; never the caller's (runc 1.1 gave the caller's)
umask 0002
rr exec "$ID" sh -c umask
umask 0022
is "$RC/$OUT" "0/0022" "a container without a umask, a caller at 0002: the command at 0022"
printf '{"args":["sh","-c","umask"],"cwd":"/","user":{"uid":0,"gid":0,"umask":7}}' >"$T/um.json"
rr exec --process "$T/um.json" "$ID"
is "$RC/$OUT" "0/0007" "... a --process file's umask 0007: taken"
first_id=$ID first_pid=$CTR_PID first_rootfs=$CTR_ROOTFS
RUNC_JQ='.process.user.umask = 63' start_runc_ctr || bail "cannot start a runc container"
is "$(jq -c .config.umask "/run/runc/$CTR_ID/state.json")" 63 \
	"a container made with process.user.umask 0077: state.json's config.umask (precondition)"
umask 0002
rr exec "$CTR_ID" sh -c umask
umask 0022
is "$RC/$OUT" "0/0077" "... exec: the container's umask 0077, not the caller's 0002"
rr exec --process "$T/um.json" "$CTR_ID"
is "$RC/$OUT" "0/0077" "... with a --process file's umask 0007: still the container's, as runc 1.2"
ID=$first_id CTR_PID=$first_pid CTR_ROOTFS=$first_rootfs

# --- exec's flags on the bundle's process, as runc applies them: --env replaces a variable
# the process has (it was appended: the command saw the old value first), --user UID keeps
# the process's gid, --additional-gids adds to its groups; boolean flags as Go parses them,
# an empty value as none; an unknown --cap is ignored with a warning
jq '.process.env += ["A=1"] | .process.user.gid = 7 | .process.user.additionalGids = [5] | .process.noNewPrivileges = true' \
	"$(dirname "$CTR_ROOTFS")/config.json" >"$T/cfg.new" && cp "$(dirname "$CTR_ROOTFS")/config.json" "$T/cfg.orig" &&
	cp "$T/cfg.new" "$(dirname "$CTR_ROOTFS")/config.json"
rr exec -e A=2 "$ID" env
is "$RC/$(echo "$OUT" | grep '^A=')" "0/A=2" "--env A=2: in place of the process's A=1 (the command's environment holds one A)"
rr exec -e PATH=/nonexistent "$ID" sh -c true
is "$RC" 255 "--env PATH=/nonexistent: the command is looked up in that PATH (not found), as runc"
rr exec -u 1000 -g 9 "$ID" sh -c 'echo "$(id -u):$(id -g) $(id -G)"'
is "$RC/$OUT" "0/1000:7 7 5 9" "--user 1000 keeps the process's gid 7; --additional-gids 9 adds to its [5]"
rr exec --detach=0 "$ID" sh -c 'exit 3'
is "$RC" 3 "--detach=0: not detached (Go's ParseBool), the command's status"
rr exec --detach=xyz "$ID" true
like "$RC/$ERR" '255/*invalid boolean value *xyz* for -detach*' "--detach=xyz: refused, as runc"
rr exec --pid-file "" --cwd "" "$ID" pwd
is "$RC/$OUT" "0//" "--pid-file \"\" --cwd \"\": as if not given"
(cd "$T" && rr --root= exec "$ID" true)
is "$RC" 0 "--root= (empty): the default root, /run/runc"
nnp='sed -n "s/^NoNewPrivs:[[:space:]]*//p" /proc/self/status'
rr exec "$ID" sh -c "$nnp"
is "$RC/$OUT" "0/1" "the bundle's noNewPrivileges true: the command has no_new_privs"
rr exec --no-new-privs=false "$ID" sh -c "$nnp"
is "$RC/$OUT" "0/0" "--no-new-privs=false: clears the bundle's (runc's IsSet)"
rr exec --cap CAP_NO_SUCH "$ID" true
like "$RC/$ERR" '0/*--cap: unknown capability *CAP_NO_SUCH*: ignored*' "an unknown --cap: a warning, the command runs (runc)"
cp "$T/cfg.orig" "$(dirname "$CTR_ROOTFS")/config.json"

# --- a "runc" in PATH that is a wrapper running rtexec-runc: handed over once, then refused
# (it handed over to itself for ever)
mkdir -p "$T/wrap"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$RR" >"$T/wrap/runc"
chmod 755 "$T/wrap/runc"
PATH="$T/wrap:$PATH" timeout 10 "$T/wrap/runc" list >"$T/wrap.out" 2>&1
like "$?/$(cat "$T/wrap.out")" "255/*runs rtexec-runc again (a wrapper?)*" \
	"a runc wrapper in PATH that runs rtexec-runc: refused at once, not a loop"

# --- the process file: the OCI rule (unknown fields ignored), flags not applied on top
cat >"$T/p.json" <<'J'
{"args":["sh","-c","echo $X; pwd"],"env":["X=from-file"],"cwd":"/etc","user":{"uid":0,"gid":0},
 "someFutureField":{"a":1},"capabilities":{"bounding":[],"effective":[],"permitted":[]},
 "noNewPrivileges":true}
J
rr --debug --log "$T/dbg.log" exec --process "$T/p.json" --env X=flag "$ID"
is "$RC/$OUT" "0/from-file
/etc" "--process: its args, env and cwd (flags are not applied on top, as runc)"
like "$(cat "$T/dbg.log")" '*process.someFutureField: unknown, ignored (OCI)*' \
	"--process: an unknown field is ignored, noted at debug level"
printf '{"target":{"pid":%s},"process":{"args":["true"],"someFutureField":1}}' "$CTR_PID" >"$T/strict.json"
"$RTEXEC" -f "$T/strict.json" 2>"$T/strict.err"
like "$?/$(cat "$T/strict.err")" "125/*process.someFutureField: unknown key" "rtexec's own config stays strict"

# --- errors: where and how runc writes them
: >"$T/log.json"
rr --log "$T/log.json" --log-format json exec "$ID" rtx-no-such-cmd
runc --log "$T/runc-log.json" --log-format json exec "$ID" rtx-no-such-cmd </dev/null >/dev/null 2>"$T/runc.err"
is "$RC/$OUT/$ERR" "255//$(cat "$T/runc.err")" \
	"a missing command, --log json: 255, nothing on stdout; on stderr runc's bare error line, as runc's (conmon hands podman its stderr when the log does not parse)"
like "$ERR" 'exec failed: unable to start container process: exec: "rtx-no-such-cmd": executable file not found in $PATH' \
	"... runc's words"
is "$(tail -n 1 "$T/log.json" | jq -r '[.level, .msg] | join(" ")')" \
	'error exec failed: unable to start container process: exec: "rtx-no-such-cmd": executable file not found in $PATH' \
	"... runc's own words in one JSON error line of --log"
ok "... with a time" eval 'tail -n 1 "$T/log.json" | jq -e ".time | test(\"^20\")" >/dev/null'
rr exec "$ID" /rtx/no/such
is "$RC" 255 "a missing path, no --log: 255"
like "$ERR" 'time="*" level=error msg="exec failed: unable to start container process: exec: \\"/rtx/no/such\\": stat /rtx/no/such: no such file or directory"' \
	"... runc's text line on stderr"
rr exec "$ID" /etc/passwd
like "$RC/$ERR" '255/*exec: \\"/etc/passwd\\": permission denied"' "not executable: permission denied (126's words)"
rr exec --cwd /rtx-none "$ID" true
like "$RC/$ERR" '255/*msg="exec failed: rtexec: chdir /rtx-none: No such file or directory"' \
	"an error of rtexec's own: exec failed: rtexec: ..."
rr --log-format json exec "$ID" rtx-no-such-cmd
is "$RC/$(printf '%s' "$ERR" | jq -r .level)" "255/error" "--log-format json without --log: a JSON line on stderr, as runc's"
rr --log "$T/no/such/dir/log" exec "$ID" rtx-no-such-cmd
is "$RC/$(printf '%s\n' "$ERR" | wc -l)" "255/1" "--log that cannot be opened: the error once on stderr, not twice"
like "$ERR" '*rtx-no-such-cmd*' "... that line is the error"
rr --log "$T/log2.json" exec --user 0:5:6 "$ID" id
like "$RC/$ERR" '255/*--user: "5:6": not a number*' "--user 0:5:6: refused (runc: parsing 5:6 as int for gid failed)"
rr --log "$T/log2.json" exec --additional-gids 5:9 "$ID" id
like "$RC/$ERR" '255/*--additional-gids: "5:9": not a number*' "--additional-gids 5:9: refused, as runc"
rr exec --user 0:5 --additional-gids 7 "$ID" id
like "$RC/$OUT" '0/uid=0(root) gid=5*groups=*7*' "--user 0:5 --additional-gids 7: taken"
rr exec --bogus "$ID" true
like "$RC/$ERR" '255/*flag provided but not defined: --bogus*' "an unknown flag: 255, runc's words"
rr exec --ignore-paused "$ID" true
like "$RC/$ERR" '255/*--ignore-paused: rtexec never joins a paused container*' \
	"--ignore-paused: refused, with the reason"
rr exec rtx-no-such-ctr true
like "$RC/$ERR" "255/*/run/runc/rtx-no-such-ctr/state.json: No such file or directory*" \
	"an unknown container: 255"

# --- the default --root, as runc's: $XDG_RUNTIME_DIR/runc for a caller that is not the
# host's root (another euid, or uid 0 of a user namespace whose USER is not root: rootless
# podman passes no --root); the host's root keeps /run/runc
mkdir -p "$T/xdg"
XDG_RUNTIME_DIR="$T/xdg" rr exec "$ID" true
is "$RC" 0 "the host's root with XDG_RUNTIME_DIR set: /run/runc (runc's backward compatibility)"
env -u USER XDG_RUNTIME_DIR="$T/xdg" timeout 30 unshare -U -r "$RR" exec "$ID" true \
	</dev/null >/dev/null 2>"$T/xdg.err"
like "$?/$(cat "$T/xdg.err")" "255/*$T/xdg/runc/$ID/state.json: No such file or directory*" \
	"uid 0 of a user namespace, USER unset: \$XDG_RUNTIME_DIR/runc"
env USER=root XDG_RUNTIME_DIR="$T/xdg" timeout 30 unshare -U -r "$RR" exec rtx-no-ctr true \
	</dev/null >/dev/null 2>"$T/xdg.err"
like "$?/$(cat "$T/xdg.err")" "255/*/run/runc/rtx-no-ctr/state.json*" \
	"... USER=root: /run/runc"
env XDG_RUNTIME_DIR="$T/xdg" timeout 30 setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$RR" exec rtx-no-ctr true </dev/null >/dev/null 2>"$T/xdg.err"
like "$?/$(cat "$T/xdg.err")" "255/*$T/xdg/runc/rtx-no-ctr/state.json*" "another euid: \$XDG_RUNTIME_DIR/runc"

# --- state.json is checked against the live process
mkdir -p "$T/root/$ID"
jq '.init_process_start = 12345' "/run/runc/$ID/state.json" >"$T/root/$ID/state.json"
rr --root "$T/root" exec "$ID" true
like "$RC/$ERR" "255/*start time is * not 12345 (the pid was reused)*" \
	"state.json's start time differs from the live process's: refused"
for bad in 1e300 -1 0 4194305 '"1"' 1.5; do
	jq ".init_process_pid = $bad" "/run/runc/$ID/state.json" >"$T/root/$ID/state.json"
	rr --root "$T/root" exec "$ID" true
	like "$RC/$ERR" "255/*state.json*init_process_pid*" \
		"state.json's init_process_pid $bad: refused, 255, named"
	is "$(printf '%s\n' "$ERR" | grep -c .)" 1 "  in one line"
done
jq '.init_process_start = -5' "/run/runc/$ID/state.json" >"$T/root/$ID/state.json"
rr --root "$T/root" exec "$ID" true
like "$RC/$ERR" "255/*state.json*init_process_start*" "a negative init_process_start: refused"
# Without config.namespaces the command joined none: it ran in the host's namespaces.
for edit in 'del(.config.namespaces)' '.config.namespaces = {}'; do
	jq "$edit" "/run/runc/$ID/state.json" >"$T/root/$ID/state.json"
	rr --root "$T/root" exec "$ID" readlink /proc/self/ns/mnt
	like "$RC/$OUT/$ERR" "255//*state.json: config.namespaces: missing or not a list*" \
		"state.json with $edit: refused, the command not run"
done

# --- the --log file is runc's caller's, on the host: a container that plants a symlink at
# the same path in its own root (to a file it could not otherwise write as host root) gets
# no line of it; every debug line, the parent's and the child's, is in the host's file
mkdir -p "$CTR_ROOTFS$T/plant"
ln -s /planted "$CTR_ROOTFS$T/plant/dbg.log"
mkdir -p "$T/plant"
rr --debug --log "$T/plant/dbg.log" exec "$ID" true
is "$RC" 0 "--debug --log: the exec runs"
ok "--log: no file written through the container's symlink" [ ! -e "$CTR_ROOTFS/planted" ]
like "$(cat "$T/plant/dbg.log")" "*before joining the cgroup*after joining the cgroup*" \
	"--log: the parent's and the child's debug lines in the host's file"

# --- ... and the child does not hold that file: a container allowed to ptrace
# (CAP_SYS_PTRACE, no user namespace) took it with pidfd_getfd and could write into the
# caller's log. Its init (test/helpers/fdgrab) grabs every new process's fds 300 ms after it
# appears, while strace holds the child 1.5 s at its setns into the cgroup namespace. The
# child's debug lines still reach the file, through the parent.
if command -v strace >/dev/null 2>&1; then
	musl-gcc -static -O2 -o "$T/fdgrab" "$REPO/test/helpers/fdgrab.c" ||
		bail "cannot build test/helpers/fdgrab.c"
	fdgrab_setup() {
		cp "$T/fdgrab" "$1/fdgrab"
	}
	first_pid=$CTR_PID
	CTR_SETUP=fdgrab_setup RUNC_JQ='.process.args = ["/fdgrab", "300", "/grab.out", "x", "--"] + .process.args
		| .process.capabilities |= with_entries(.value += ["CAP_SYS_PTRACE"])
		| .linux.namespaces += [{"type": "cgroup"}]' start_runc_ctr ||
		bail "cannot start a runc container with fdgrab"
	mkdir -p "$T/grablog"
	i=0
	while [ $i -lt 2 ]; do
		i=$((i + 1))
		timeout -k 5 30 strace -f -qq -o /dev/null -e trace=setns \
			-e inject=setns:delay_enter=1500000:when=1 \
			"$RR" --debug --log "$T/grablog/dbg.log" exec "$CTR_ID" true >/dev/null 2>&1
		is "$?" 0 "a container grabbing fds, exec $i: it runs"
	done
	ok "fdgrab: the container's grabber runs (precondition)" [ -n "$(children "$CTR_PID")" ]
	is "$(cat "$CTR_ROOTFS/grab.out" 2>/dev/null)" "" \
		"a container with CAP_SYS_PTRACE taking the child's fds: no --log file among them"
	like "$(cat "$T/grablog/dbg.log")" "*before joining the cgroup*after joining the cgroup*" \
		"... the child's debug lines in the host's file all the same (through the parent)"
	# ... nor can it flood the parent with the child's log lines through the channel it took:
	# the parent relays a few, escaped, at the level asked for, and keeps its deadline
	# (10 s, then 125). test/helpers/syncflood takes the child's end of the channel, as the
	# grabber above could, and sends error lines with a forged line after a newline.
	musl-gcc -static -O2 -o "$T/syncflood" "$REPO/test/helpers/syncflood.c" ||
		bail "cannot build test/helpers/syncflood.c"
	: >"$T/grablog/flood.log"
	s0=$(date +%s)
	# (strace holds the child 30 s at its setsid, which only the child calls)
	strace -f -qq -o /dev/null -e trace=setsid -e inject=setsid:delay_enter=30000000 \
		"$RR" --log "$T/grablog/flood.log" exec "$CTR_ID" true >/dev/null 2>&1 &
	fl=$!
	defer kill -9 "$fl"
	wait_for 5 eval '[ -n "$(children "$(children "$fl")")" ]'
	rp=$(children "$fl")
	"$T/syncflood" "$rp" 15 >"$T/flood.out" 2>&1 &
	sf=$!
	sleep 4
	nfd=$(ls "/proc/$rp/fd" 2>/dev/null | wc -l)
	# rtexec-runc itself (strace, which waits for the held child, ends later)
	wait_for 30 eval '! kill -0 "$rp" 2>/dev/null'
	rt=$(($(date +%s) - s0))
	wait "$sf"
	wait "$fl"
	frc=$?
	diag "syncflood: $(cat "$T/flood.out"), rtexec-runc ended with $frc after $rt s"
	like "$(cat "$T/flood.out")" "sent [1-9]*" "syncflood took the child's channel and sent (precondition)"
	is "$frc" 255 "a flood of the child's log lines: rtexec-runc ends by its deadline all the same (255)"
	ok "... within 14 s (the deadline is 10 s), not when the flood stops (15 s)" [ "$rt" -lt 14 ]
	ok "... each message's fd closed: rtexec-runc holds $nfd fds 4 s into the flood (not one a message)" \
		eval '[ "$nfd" -gt 0 ] && [ "$nfd" -lt 32 ]'
	ok "... at most 64 lines relayed ($(wc -l <"$T/grablog/flood.log"))" [ "$(wc -l <"$T/grablog/flood.log")" -le 66 ]
	is "$(grep -vc '^time="[0-9]' "$T/grablog/flood.log")" 0 \
		"... each escaped: every line is one of rtexec's (no forged line after a newline)"
	CTR_PID=$first_pid
fi

# --- runc's --pidfd-socket (runc 1.2): a pidfd of the process that becomes the command, "setns"
# beside it, sent before the command starts (as runc's init sends it); a listener that is not
# there, or a kernel without pidfd_open: 255 and nothing runs. A relative path (this one, and
# --console-socket's) as runc resolves it: from the bundle, which it moves into to read
# config.json, unless --process is given; "@NAME": an abstract socket, as Go dials it
gcc -O2 -Wall -o "$T/pidfdsock" "$REPO/test/helpers/pidfdsock.c" || bail "cannot build pidfdsock"
gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -o "$T/nosys" "$REPO/test/helpers/nosys.c" ||
	bail "cannot build nosys"
# pidfd_listen PATH [kill FILE]: the helper in the background (PL), once it listens.
pidfd_listen() {
	case $1 in @*) ;; *) rm -f "$1" ;; esac
	rm -f "$T/pl.out"
	"$T/pidfdsock" "$@" >"$T/pl.out" 2>&1 &
	PL=$!
	wait_for 5 grep -q listening "$T/pl.out" || bail "pidfdsock did not listen"
}
rm -f "$T/pf.pid"
pidfd_listen "$T/pidfd.sock" kill "$T/pf.pid"
rr exec -d --pidfd-socket "$T/pidfd.sock" --pid-file "$T/pf.pid" "$ID" sleep 4243
wait "$PL"
is "$RC" 0 "exec -d --pidfd-socket: 0"
pl=$(cat "$T/pl.out")
like "$pl" "*payload: setns*" "... the 5 bytes \"setns\" with the fd, as runc's exec sends them"
ok "... a pidfd of the command, the pid file's process" grep -qx "pid: $(cat "$T/pf.pid")" "$T/pl.out"
like "$pl" "*exited*" "... which the engine killed through it (pidfd_send_signal)"
ok "... the command is gone (reaped by whoever it was left to)" \
	wait_for 5 eval '! kill -0 "$(cat "$T/pf.pid")" 2>/dev/null'
# the command's fds, but ls's own directory
FDS='ls -l /proc/self/fd | grep -v " /proc/[0-9]*/fd$" | sed -n "s|^.* \([0-9]*\) -> .*|\1|p" | tr "\n" " "'
pidfd_listen "@rtexec-test-pidfd-$$"
rr exec --pidfd-socket "@rtexec-test-pidfd-$$" "$ID" sh -c "$FDS; sleep 1; exit 3"
wait "$PL"
is "$RC/$OUT" "3/0 1 2 " "foreground, an abstract --pidfd-socket: the command's status, only its stdio"
like "$(cat "$T/pl.out")" "*payload: setns*pid: [1-9]*exited*" \
	"... the engine got a pidfd of the running command, saw it exit"
ROOTFS=/proc/$CTR_PID/root
rm -f "$T/pidfd.sock" "$ROOTFS/pf-ran" "$T/pf.pid"
rr exec -d --pid-file "$T/pf.pid" --pidfd-socket "$T/pidfd.sock" "$ID" touch /pf-ran
like "$RC/$ERR" "255/*pidfd socket $T/pidfd.sock: connect: No such file or directory*" \
	"--pidfd-socket with nobody listening: 255, it says so"
ok "... before anything ran, no pid file" [ ! -e "$ROOTFS/pf-ran" ] && [ ! -e "$T/pf.pid" ]
pidfd_listen "$T/pidfd.sock"
timeout -k 5 30 "$T/nosys" pidfd_open -- "$RR" exec -d --pid-file "$T/pf.pid" \
	--pidfd-socket "$T/pidfd.sock" "$ID" touch /pf-ran </dev/null >/dev/null 2>"$T/rr.err"
like "$?/$(cat "$T/rr.err")" "255/*exec failed: --pidfd-socket requires >= v5.3 kernel*" \
	"a kernel without pidfd_open (nosys): 255, runc's words"
ok "... the command never started, no pid file" [ ! -e "$ROOTFS/pf-ran" ] && [ ! -e "$T/pf.pid" ]
# A listener that accepts and closes at once, before rtexec sends (strace holds its
# pidfd_open 1 s): the send fails, and the command, not started yet, never runs.
if command -v strace >/dev/null 2>&1; then
	pidfd_listen "$T/pidfd.sock" close
	strace -f -qq -o /dev/null -e trace=pidfd_open -e inject=pidfd_open:delay_enter=1000000 \
		"$RR" exec -d --pid-file "$T/pf.pid" --pidfd-socket "$T/pidfd.sock" "$ID" touch /pf-ran \
		</dev/null >/dev/null 2>"$T/rr.err"
	like "$?/$(cat "$T/rr.err")" "255/*pidfd socket: send: Broken pipe*" \
		"a listener that closes before the pidfd comes: 255, the send failed"
	ok "... the command never started, no pid file" [ ! -e "$ROOTFS/pf-ran" ] && [ ! -e "$T/pf.pid" ]
	wait "$PL"
fi
kill "$PL" 2>/dev/null
wait "$PL" 2>/dev/null
bundle=$(jq -r '.config.labels[] | select(startswith("bundle=")) | .[7:]' "/run/runc/$ID/state.json")
here=$PWD
cd "$T" || bail "cd $T"
pidfd_listen "$bundle/rel.sock"
rr exec -d --pidfd-socket rel.sock "$ID" true
wait "$PL"
like "$RC/$(cat "$T/pl.out")" "0/*payload: setns*" "a relative --pidfd-socket: in the bundle, as runc's exec finds it"
printf '{"args":["true"],"cwd":"/","user":{"uid":0,"gid":0}}' >"$T/true.json"
pidfd_listen "$T/rel.sock"
rr exec -d --pidfd-socket rel.sock --process "$T/true.json" "$ID"
wait "$PL"
like "$RC/$(cat "$T/pl.out")" "0/*payload: setns*" "... with --process: in the caller's directory, as runc"
gcc -O2 -Wall -o "$T/consock" "$REPO/test/helpers/consock.c" || bail "cannot build consock"
rm -f "$bundle/con.sock"
"$T/consock" "$bundle/con.sock" >"$T/cs.out" 2>&1 &
cs=$!
wait_for 5 grep -q listening "$T/cs.out" || bail "consock did not listen"
rr exec -d -t --console-socket con.sock "$ID" echo via-bundle-socket
wait "$cs"
like "$RC/$(tr -d '\r' <"$T/cs.out")" "0/*payload: /dev/ptmx*via-bundle-socket*" \
	"a relative --console-socket: in the bundle too"
cd "$here" || bail "cd $here"
rm -f "$bundle/rel.sock" "$bundle/con.sock" "$T/rel.sock"

# --- what runc's exec refuses before it starts anything, refused alike (255, its words)
rr exec -t --console-socket "$T/pidfd.sock" "$ID" touch /pf-ran
like "$RC/$ERR" "255/*exec failed: cannot use console socket if runc will not detach or allocate tty*" \
	"foreground -t with --console-socket: refused as runc refuses it"
rr exec -d --console-socket "$T/pidfd.sock" "$ID" touch /pf-ran
like "$RC/$ERR" "255/*exec failed: cannot use console socket if runc will not detach or allocate tty*" \
	"--console-socket without a terminal: the same"
rr exec -d -t "$ID" touch /pf-ran
like "$RC/$ERR" "255/*exec failed: cannot allocate tty if runc will detach without setting console socket*" \
	"-d -t without --console-socket: runc's words"
timeout -k 5 30 "$RR" exec --preserve-fds 2 "$ID" touch /pf-ran 3</dev/null 4<&- </dev/null >"$T/rr.out" 2>"$T/rr.err"
like "$?/$(cat "$T/rr.err")" "255/*exec failed: unable to stat preserved-fd 1 (of 2): no such file or directory*" \
	"--preserve-fds 2 with fd 4 closed: refused as runc refuses it"
ok "... none of them ran" [ ! -e "$ROOTFS/pf-ran" ]
timeout -k 5 30 "$RR" exec --preserve-fds 2 "$ID" sh -c "$FDS" 3</dev/null 4</dev/null \
	</dev/null >"$T/rr.out" 2>"$T/rr.err"
is "$?/$(cat "$T/rr.out")" "0/0 1 2 3 4 " "--preserve-fds 2 with both open: 3 and 4 passed"

no_leftovers "nothing left in the container" "$CTR_PID"
