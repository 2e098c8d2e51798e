#!/bin/sh
# process.user, cwd, env and PATH lookup inside the container.
. "$(dirname "$0")/../lib.sh"

start_unshare_ctr || bail "cannot start an unshare container"
P=$CTR_PID

# status_of CONFIG-MEMBERS: the Uid/Gid/Groups/Umask lines the command sees, one line each
# as "Uid:0 0 0 0".
status_of() {
	rx "$(cfg "$P" "\"process\":{\"args\":[\"cat\",\"/proc/self/status\"]$1}")"
	echo "$OUT" | grep -E '^(Uid|Gid|Groups|Umask):' | sed 's/[[:space:]]\{1,\}/ /g; s/ $//; s/: /:/'
}
field() { # STATUS NAME
	echo "$1" | sed -n "s/^$2://p"
}

s=$(status_of ',"user":{"uid":1000,"gid":1001,"additionalGids":[5,1002,7],"umask":23}')
is "$(field "$s" Uid)" "1000 1000 1000 1000" "user.uid 1000: real, effective, saved and fs uid"
is "$(field "$s" Gid)" "1001 1001 1001 1001" "user.gid 1001: real, effective, saved and fs gid"
is "$(field "$s" Groups)" "5 7 1002" "user.additionalGids [5,1002,7]: the supplementary groups"
is "$(field "$s" Umask)" "0027" "user.umask 23 (octal 027)"

s=$(status_of ',"user":{"uid":1000}')
is "$(field "$s" Uid)" "1000 1000 1000 1000" "uid only: uid 1000"
is "$(field "$s" Gid)" "0 0 0 0" "uid only: gid 0"
is "$(field "$s" Groups)" "" "uid only: no supplementary groups (not the caller's)"

s=$(status_of '')
is "$(field "$s" Uid)" "0 0 0 0" "no user: uid 0"
is "$(field "$s" Gid)" "0 0 0 0" "no user: gid 0"
is "$(field "$s" Umask)" "0022" "no user: umask 0022"
# The caller's groups and umask do not leak in.
cfg "$P" '"process":{"args":["cat","/proc/self/status"]}' >"$T/status.cfg"
s=$(umask 077 && setpriv --groups 4,6 "$RTEXEC" -f "$T/status.cfg" </dev/null |
	grep -E '^(Uid|Groups|Umask):' | sed 's/[[:space:]]\{1,\}/ /g; s/ $//; s/: /:/')
is "$(field "$s" Uid)" "0 0 0 0" "caller in groups 4 and 6 with umask 077: the command runs"
is "$(field "$s" Groups)" "" "no user, caller in groups 4 and 6: no supplementary groups"
is "$(field "$s" Umask)" "0022" "no user, caller with umask 077: umask 0022"

rx "$(cfg "$P" '"process":{"args":["sh","-c","touch /tmp/umask-test; stat -c %a /tmp/umask-test; rm /tmp/umask-test"],"user":{"umask":63}}')"
is "$OUT" 600 "user.umask 077: a new file gets mode 600"

# --- cwd
cd "$T" || bail "cd $T"
rx "$(cfg "$P" '"process":{"args":["pwd"]}')"
is "$OUT" "/" "no cwd: / (not the caller's cwd)"
rx "$(cfg "$P" '"process":{"args":["pwd"],"cwd":"/tmp"}')"
is "$OUT" "/tmp" "cwd /tmp"
mkdir -p "$CTR_ROOTFS/home/u/sub"
rx "$(cfg "$P" '"process":{"args":["sh","-c","pwd; ls"],"cwd":"/home/u"}')"
is "$OUT" "/home/u
sub" "cwd /home/u: the container's directory"
rx "$(cfg "$P" '"process":{"args":["pwd"],"cwd":"/no/such/dir"}')"
is_rc 125 "a cwd that does not exist: 125"
err_one_line "a cwd that does not exist: one line naming it" "*/no/such/dir*"
rx "$(cfg "$P" '"process":{"args":["pwd"],"cwd":"/etc/passwd"}')"
is_rc 125 "a cwd that is a file: 125"
err_one_line "a cwd that is a file: one line" "*/etc/passwd*"
mkdir -p "$CTR_ROOTFS/private"
chmod 700 "$CTR_ROOTFS/private"
rx "$(cfg "$P" '"process":{"args":["pwd"],"cwd":"/private","user":{"uid":1000,"gid":1000}}')"
is_rc 125 "a cwd the user may not enter: 125 (chdir as the user)"
err_one_line "a cwd the user may not enter: one line" "*/private*"

# --- env
rx "$(cfg "$P" '"process":{"args":["env"]}')"
is "$(echo "$OUT" | sort)" "HOME=/root
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
	"no env: PATH (the default) and HOME only, nothing of the caller's environment"

rx "$(cfg "$P" '"process":{"args":["env"],"env":["FOO=bar baz","PATH=/bin","EMPTY="]}')"
is "$(echo "$OUT" | sort)" "EMPTY=
FOO=bar baz
HOME=/root
PATH=/bin" "env given: exactly it, plus HOME"

rx "$(cfg "$P" '"process":{"args":["sh","-c","echo $HOME"],"user":{"uid":1000,"gid":1000}}')"
is "$OUT" "/home/u" "uid 1000: HOME from the container's /etc/passwd"
rx "$(cfg "$P" '"process":{"args":["sh","-c","echo $HOME"],"user":{"uid":2000}}')"
is "$OUT" "/" "uid 2000, not in the container's /etc/passwd: HOME=/"
rx "$(cfg "$P" '"process":{"args":["sh","-c","echo $HOME"],"user":{"uid":1000},"env":["HOME=/custom"]}')"
is "$OUT" "/custom" "HOME given in env is kept"
rx "$(cfg "$P" '"process":{"args":["sh","-c","echo $HOME"],"user":{"uid":1000},"env":["A=1"]}')"
is "$OUT" "/home/u" "env without HOME: HOME from /etc/passwd is added"

# --- PATH lookup in the container
name="rtx-ctr-only-$$"
mkdir -p "$CTR_ROOTFS/usr/local/bin" "$CTR_ROOTFS/opt/x"
printf '#!/bin/sh\necho "ran $0 $*"\n' >"$CTR_ROOTFS/usr/local/bin/$name"
chmod 755 "$CTR_ROOTFS/usr/local/bin/$name"
ok "the container-only command is not on the host" eval '! command -v "$name" >/dev/null'
rx "$(cfg "$P")" -- "$name" a b
is "$RC/$OUT" "0/ran /usr/local/bin/$name a b" "a command only in the container's /usr/local/bin is found in the default PATH"

printf '#!/bin/sh\necho "opt $0"\n' >"$CTR_ROOTFS/opt/x/$name"
chmod 755 "$CTR_ROOTFS/opt/x/$name"
rx "$(cfg "$P" '"process":{"env":["PATH=/opt/x:/bin"]}')" -- "$name"
is "$RC/$OUT" "0/opt /opt/x/$name" "the PATH of process.env is searched, in order"
rx "$(cfg "$P" '"process":{"env":["PATH=/bin"]}')" -- "$name"
is_rc 127 "a command not in process.env's PATH: 127"
rx "$(cfg "$P" '"process":{"env":["PATH=/nonexistent:/etc/passwd:/opt/x"]}')" -- "$name"
is "$RC/$OUT" "0/opt /opt/x/$name" "PATH entries that are missing or not directories are skipped"

# A PATH entry whose copy is not executable is passed over for a later one.
mkdir -p "$CTR_ROOTFS/opt/y"
printf '#!/bin/sh\necho no\n' >"$CTR_ROOTFS/opt/y/$name"
chmod 644 "$CTR_ROOTFS/opt/y/$name"
rx "$(cfg "$P" '"process":{"env":["PATH=/opt/y:/opt/x"]}')" -- "$name"
is "$RC/$OUT" "0/opt /opt/x/$name" "a non-executable match earlier in PATH is skipped (as execvp)"

# The lookup is done as the user: a directory it may not search is passed over.
mkdir -p "$CTR_ROOTFS/opt/locked"
cp "$CTR_ROOTFS/opt/x/$name" "$CTR_ROOTFS/opt/locked/$name"
chmod 700 "$CTR_ROOTFS/opt/locked"
rx "$(cfg "$P" '"process":{"env":["PATH=/opt/locked"],"user":{"uid":1000}}')" -- "$name"
is_rc 126 "uid 1000, the only match in a directory it may not search: 126"
err_one_line "uid 1000, unsearchable PATH directory: one line"

# --- the same on a runc container
start_runc_ctr
case $? in
0)
	rx "$(cfg "$CTR_PID" '"process":{"args":["sh","-c","id -u; id -g; id -G; pwd; echo $HOME"],"cwd":"/tmp","user":{"uid":1000,"gid":1000,"additionalGids":[3]}}')"
	is "$RC/$(echo "$OUT" | tr '\n' ' ')" "0/1000 1000 1000 3 /tmp /home/u " \
		"runc container: uid, gid, groups, cwd and HOME"
	;;
2) skip "runc container" "runc is not installed" ;;
*) fail "runc container starts" ;;
esac
