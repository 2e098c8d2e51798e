#!/bin/sh
# The shell shorthand, for people at a busybox shell: rtexec -p PID [-t] [-u UID[:GID]]
# [-w DIR] [-e NAME=VALUE]... -- COMMAND: no JSON, stdin left to the command, and the same
# as the config it stands for (the plans are equal).
# shellcheck source=test/lib.sh disable=SC2016
. "$(dirname "$0")/../lib.sh"

start_unshare_ctr || bail "cannot start an unshare container"
P=$CTR_PID

out=$(echo from-stdin | "$RTEXEC" -p "$P" -- sh -c 'read l; echo "$l $(hostname)"' 2>&1)
is "$out" "from-stdin $CTR_HOSTNAME" "-p PID -- CMD: runs in the container, stdin is the command's"
out=$("$RTEXEC" -p "$P" -u 1000:1000 -w /tmp -e A=1 --env B=2 -- \
	sh -c 'echo "$(id -u):$(id -g) $(pwd) $A $B HOME=$HOME"' </dev/null 2>&1)
is "$out" "1000:1000 /tmp 1 2 HOME=/home/u" "-u, -w, -e (twice): user, cwd, env; HOME from the container"
"$RTEXEC" -p "$P" --dry-run -u 1000:1000 -w /tmp -e A=1 -- sh -l >"$T/a.plan" </dev/null
printf '{"target":{"pid":%s},"process":{"user":{"uid":1000,"gid":1000},"cwd":"/tmp","env":["A=1"]}}' \
	"$P" | "$RTEXEC" --dry-run -- sh -l >"$T/b.plan"
is "$(cat "$T/a.plan")" "$(cat "$T/b.plan")" "--dry-run: the plan equals the equivalent config's"
is "$(jq -c '.process | [.args, .cwd, .user.uid, .env]' "$T/a.plan")" \
	'[["sh","-l"],"/tmp",1000,["A=1","HOME=/home/u"]]' "... args, cwd, uid, env as given"
for bad in "-p x|option -p: \"x\" is not a number" "-p 0|option -p: target.pid: must be a positive pid" \
	"-u 1000:x|option -u: \"x\" is not a number" "-w tmp|option -p: process.cwd: must be an absolute path" \
	"-e NOEQ|option -p: process.env[0]: expected \"NAME=value\""; do
	args=${bad%%|*}
	[ "${args#-p }" = "$args" ] && args="-p $P $args"
	# shellcheck disable=SC2086 # the options' words
	"$RTEXEC" $args -- true </dev/null 2>"$T/err"
	is "$?/$(cat "$T/err")" "125/rtexec: ${bad#*|}" "shorthand $args: 125, one line"
done
"$RTEXEC" -p "$P" </dev/null 2>"$T/err"
is "$?/$(cat "$T/err")" '125/rtexec: option -p: put the command after "--"' "-p without a command: 125"
no_leftovers "nothing left in the container" "$P"
