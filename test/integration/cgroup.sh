#!/bin/sh
# Joining the container's cgroups on this hybrid host: v1 hierarchies, the unified (v2) one,
# the v2 EBUSY fallback, sub-cgroups, a moved init, paused containers, a real runc container.
. "$(dirname "$0")/../lib.sh"

U=/sys/fs/cgroup/unified
V1=/sys/fs/cgroup/cpuset
[ -f "$U/cgroup.procs" ] || skip_all "no cgroup v2 hierarchy at $U"
[ -f "$V1/cgroup.procs" ] || skip_all "no cgroup v1 cpuset hierarchy at $V1"
NAME="rtexec-test-$$"

# A plain process in fresh cgroups: the command joins them (no namespace to join).
target_in() { # target_in V2DIR [V1DIR]: starts "sleep" there, sets TPID
	sleep 1000 &
	TPID=$!
	defer kill -9 "$TPID"
	echo "$TPID" >"$1/cgroup.procs"
	[ -n "${2:-}" ] && echo "$TPID" >"$2/cgroup.procs"
	return 0
}
cg_line() { # cg_line PID PREFIX: the line of /proc/PID/cgroup for that hierarchy
	grep "^$2" "/proc/$1/cgroup"
}
mkcg() { # mkcg DIR: a cgroup removed at exit (processes in it killed first)
	mkdir -p "$1"
	defer "for p in \$(cat '$1/cgroup.procs'); do kill -9 \$p; done; sleep 0.1; rmdir '$1'"
}

# ---- v2 and v1 cpuset, default: the target's cgroups
mkcg "$U/$NAME"
mkcg "$U/$NAME/ctr"
mkcg "$V1/$NAME"
cat "$V1/cpuset.cpus" >"$V1/$NAME/cpuset.cpus"
cat "$V1/cpuset.mems" >"$V1/$NAME/cpuset.mems"
target_in "$U/$NAME/ctr" "$V1/$NAME"
rx "$(cfg "$TPID")" -- cat /proc/self/cgroup
is_rc 0 "default join runs"
is "$(echo "$OUT" | grep '^0::')" "0::/$NAME/ctr" "unified: the command is in the target's v2 cgroup"
is "$(echo "$OUT" | grep ':cpuset:')" "$(cg_line "$TPID" '[0-9]*:cpuset:')" \
	"v1 cpuset: the command is in the target's cpuset cgroup"
is "$(echo "$OUT" | sort)" "$(sort "/proc/$TPID/cgroup")" "every hierarchy: same lines as the target"

# ---- the plan lists the cgroups
rx "$(cfg "$TPID" '"process":{"args":["true"]}')" --dry-run
is "$(echo "$OUT" | jq -r '.cgroups[] | select(.hierarchy=="unified") | .path')" "$U/$NAME/ctr" \
	"dry-run: the unified cgroup"
is "$(echo "$OUT" | jq -r '.cgroups[] | select(.hierarchy=="cpuset") | .path')" "$V1/$NAME" \
	"dry-run: the cpuset cgroup"

# ---- sub-cgroups
mkcg "$U/$NAME/ctr/exec"
rx "$(cfg "$TPID" "\"cgroup\":{\"path\":\"/$NAME/ctr\",\"sub\":\"exec\"}")" -- cat /proc/self/cgroup
is_rc 0 "sub: runs"
is "$(echo "$OUT" | grep '^0::')" "0::/$NAME/ctr/exec" "sub: the command is in the sub-cgroup"
rx "$(cfg "$TPID" '"cgroup":{"sub":"../x"}')" -- true
is_rc 125 "sub with .. refused"
err_one_line "sub with ..: one line" '*cgroup.sub*".."*'
rx "$(cfg "$TPID" '"cgroup":{"sub":"/abs"}')" -- true
is_rc 125 "absolute sub refused"
rx "$(cfg "$TPID" '"cgroup":{"sub":"missing"}')" -- true
is_rc 125 "missing sub refused"
err_one_line "missing sub: names it and ENOENT" "*$U/$NAME/ctr/missing: No such file or directory"
rx "$(cfg "$TPID" "\"cgroup\":{\"path\":\"/$NAME\",\"sub\":\"ctr/../../..\"}")" -- true
is_rc 125 "sub escaping through .. refused"

# ---- EBUSY: the init moved into a child cgroup and a controller was enabled
# A domain controller to enable (hugetlb is the one this hybrid host leaves to v2).
ctl=$(tr ' ' '\n' <"$U/cgroup.controllers" | grep -x -m1 -e hugetlb -e pids -e memory -e io)
if [ -z "$ctl" ]; then
	skip "EBUSY fallback" "no controller available in $U to enable"
else
	if ! grep -qw "$ctl" "$U/cgroup.subtree_control"; then
		echo "+$ctl" >"$U/cgroup.subtree_control"
		defer "echo -$ctl >'$U/cgroup.subtree_control'"
	fi
	echo "+$ctl" >"$U/$NAME/cgroup.subtree_control"
	defer "echo -$ctl >'$U/$NAME/cgroup.subtree_control'"
	mkcg "$U/$NAME/busy"
	mkcg "$U/$NAME/busy/init"
	target_in "$U/$NAME/busy/init"
	echo "+$ctl" >"$U/$NAME/busy/cgroup.subtree_control"
	defer "echo -$ctl >'$U/$NAME/busy/cgroup.subtree_control'"
	if echo $$ >"$U/$NAME/busy/cgroup.procs" 2>/dev/null; then
		echo $$ >"$U/cgroup.procs"
		fail "EBUSY reproduced"
	else
		pass "EBUSY reproduced: $U/$NAME/busy refuses processes"
	fi
	rx "$(cfg "$TPID" "\"cgroup\":{\"path\":\"/$NAME/busy\"}")" -- cat /proc/self/cgroup
	is_rc 0 "EBUSY: falls back"
	is "$(echo "$OUT" | grep '^0::')" "0::/$NAME/busy/init" "EBUSY: the command lands in the init's cgroup"
	rx "$(cfg "$TPID" "\"cgroup\":{\"path\":\"/$NAME/busy\"},\"process\":{\"args\":[\"true\"]}")" --dry-run
	is "$(echo "$OUT" | jq -r '.cgroups[] | select(.hierarchy=="unified") | .fallback')" \
		"$U/$NAME/busy/init" "EBUSY: dry-run shows the fallback"
	rx "$(cfg "$TPID" "\"cgroup\":{\"path\":\"/$NAME\",\"sub\":\"busy\"}")" -- true
	is_rc 125 "explicit busy sub: no fallback"
	err_one_line "explicit busy sub: the kernel's reason" "*$U/$NAME/busy: Device or resource busy"
fi

# ---- the init moved to another cgroup and the old one was removed
mkcg "$U/$NAME/old"
mkcg "$U/$NAME/new"
target_in "$U/$NAME/old"
echo "$TPID" >"$U/$NAME/new/cgroup.procs"
rmdir "$U/$NAME/old"
rx "$(cfg "$TPID" "\"cgroup\":{\"path\":\"/$NAME/old\"}")" -- cat /proc/self/cgroup
is_rc 0 "moved init: runs"
is "$(echo "$OUT" | grep '^0::')" "0::/$NAME/new" "moved init: the command lands in the init's current cgroup"

# ---- a host with many mounts (a Kubernetes node has thousands): mountinfo is read only up
# to the last cgroup mount the target needs (the kernel formats it as it is read), and a
# hierarchy mounted after the many is still found: on a line longer than rtexec's first
# buffers, and after a line of over 1 MiB (skipped). In a mount namespace of its own, with
# 1,000 tmpfs mounts after the cgroup ones; strace -y counts the bytes read from mountinfo.
P1=/sys/fs/cgroup/pids
# Whether every hierarchy of PID is mounted here (rtexec warns about one that is not, and
# reads mountinfo to its end looking for it): the premise of the checks below.
all_mounted_here() {
	awk 'NR == FNR { split($0, f, ":"); want[FNR] = f[2]; n = FNR; next }
		{ sep = 0; for (i = 1; i <= NF; i++) if ($i == "-") { sep = i; break }
		  if (!sep) next; t = $(sep + 1); o = "," $(sep + 3) ","
		  for (k = 1; k <= n; k++) {
			if (want[k] == "" && t == "cgroup2") got[k] = 1
			if (want[k] != "" && t == "cgroup") {
				m = split(want[k], c, ","); ok = 1
				for (j = 1; j <= m; j++) if (index(o, "," c[j] ",") == 0) ok = 0
				if (ok) got[k] = 1
			}
		  } }
		END { for (k = 1; k <= n; k++) if (!got[k]) exit 1 }' "/proc/$1/cgroup" /proc/self/mountinfo
}
if [ ! -f "$P1/cgroup.procs" ]; then
	skip "many mounts" "no cgroup v1 pids hierarchy at $P1"
elif ! command -v strace >/dev/null; then
	skip "many mounts" "no strace"
else
	mkcg "$U/$NAME/many"
	mkcg "$P1/$NAME"
	target_in "$U/$NAME/many" "$P1/$NAME"
	printf '%s\n' "$(cfg "$TPID")" >"$T/many.json"
	cat >"$T/many.sh" <<EOF
set -e
i=0
while [ \$i -lt 1000 ]; do
	mkdir -p "$T/mm/\$i"
	mount -t tmpfs -o size=4k tmpfs "$T/mm/\$i"
	i=\$((i + 1))
done
case \$1 in
late) # pids only after the 1,000, at a path of 10 names of 250 blanks (\\\\040 each): a line
	umount "$P1" # of over 10,000 bytes, two doublings of rtexec's 4 KiB buffer
	d="$T/late-pids"
	for j in 1 2 3 4 5 6 7 8 9 10; do d="\$d/\$(printf '%250s' '')"; done
	mkdir -p "\$d"
	mount -t cgroup -o pids cgroup "\$d"
	;;
huge) # a tmpfs 1,100 names of 250 blanks deep (mounted by a relative path), then pids
	umount "$P1"
	mkdir -p "$T/huge"
	cd "$T/huge"
	perl -e '\$n = " " x 250; for (1 .. 1100) { mkdir \$n; chdir \$n or die "chdir: \$!" }
		mkdir "x"; exec "mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", "x"'
	cd /
	mkdir -p "$T/huge-pids"
	mount -t cgroup -o pids cgroup "$T/huge-pids"
	;;
esac
wc -c </proc/self/mountinfo >"$T/mi.size"
awk '{ if (length(\$0) > m) m = length(\$0) } END { print m }' /proc/self/mountinfo >"$T/mi.longest"
exec strace -f -y -e trace=read -o "$T/mi.strace" "$RTEXEC" -f "$T/many.json" -- cat /proc/self/cgroup
EOF
	mi_read() { # bytes rtexec read from mountinfo
		awk '/mountinfo>/ { n = $NF; if (n > 0) s += n } END { print s + 0 }' "$T/mi.strace"
	}
	in_part() { [ "$got" -gt 0 ] && [ "$got" -lt $((size / 4)) ]; }
	mounted=yes
	all_mounted_here "$TPID" || mounted=no
	for where in early late huge; do
		OUT=$(unshare -m --propagation private sh "$T/many.sh" "$where" 2>"$T/many.err")
		RC=$?
		is "$RC" 0 "1,000 mounts, pids mounted $where: runs"
		is "$(echo "$OUT" | grep ':pids:')" "$(cg_line "$TPID" '[0-9]*:pids:')" \
			"1,000 mounts, pids mounted $where: the command is in the target's pids cgroup"
		is "$(echo "$OUT" | sort)" "$(sort "/proc/$TPID/cgroup")" \
			"1,000 mounts, pids mounted $where: every hierarchy as the target's"
		size=$(cat "$T/mi.size") got=$(mi_read) longest=$(cat "$T/mi.longest")
		diag "pids mounted $where: read $got of the $size bytes of mountinfo (longest line $longest)"
		case $where in
		early)
			if [ "$mounted" = yes ]; then
				ok "1,000 mounts, pids mounted early: no warning" [ ! -s "$T/many.err" ]
				ok "1,000 mounts after the cgroups: mountinfo read only in part ($got of $size bytes)" \
					in_part
			else
				skip_limit "many mounts: no warning, read in part" \
					"a hierarchy of the target is not mounted on this host"
			fi
			;;
		late)
			ok "the late pids mount's line is over 8 KiB ($longest bytes)" [ "$longest" -gt 8192 ]
			ok "pids mounted after the 1,000: mountinfo read to that mount ($got of $size bytes)" \
				[ "$got" -ge "$size" ]
			;;
		huge)
			ok "a mountinfo line of over 1 MiB ($longest bytes)" [ "$longest" -gt 1048576 ]
			;;
		esac
	done
fi

# ---- paused containers are refused at once, not joined (a frozen command would hang)
mkcg "$U/$NAME/frozen"
target_in "$U/$NAME/frozen"
echo 1 >"$U/$NAME/frozen/cgroup.freeze"
defer "echo 0 >'$U/$NAME/frozen/cgroup.freeze'"
RX_TIMEOUT=10 rx "$(cfg "$TPID")" -- true
is_rc 125 "v2 frozen: refused"
err_one_line "v2 frozen: says paused" "*paused*"
echo 0 >"$U/$NAME/frozen/cgroup.freeze"

if start_runc_ctr; then
	runc pause "$CTR_ID"
	RX_TIMEOUT=10 rx "$(cfg "$CTR_PID")" -- true
	is_rc 125 "v1 freezer (runc pause): refused"
	err_one_line "v1 frozen: says paused" "*paused (FROZEN)"
	is "$(leftovers "$CTR_PID")" "" "v1 frozen: nothing left behind"
	runc resume "$CTR_ID"

	# ---- a real runc container: every line of /proc/PID/cgroup is the init's
	rx "$(cfg "$CTR_PID")" -- cat /proc/self/cgroup
	is_rc 0 "runc: runs"
	is "$OUT" "$(cat "/proc/$CTR_PID/cgroup")" "runc: the command's cgroups equal the init's, line by line"

	# ---- a join whose kernel path drains every CPU's page batches is refused where CPUs are
	# isolated (check-vm performs each on its two-node guest, CPU 3 monopolised). Here, with
	# isolatedCpus for the checks to run: a v1 cpuset migrating memory whose nodes are
	# rtexec's (this host has one) migrates nothing, and is joined; its memory cgroup's
	# memory.move_charge_at_immigrate, 0, is too.
	cs_dir=$(awk '$9 == "cgroup" && $NF ~ /(^|,)cpuset(,|$)/ { print $5; exit }' /proc/self/mountinfo)
	cs_dir=$cs_dir$(sed -n 's/^[0-9]*:cpuset:\(.*\)/\1/p' "/proc/$CTR_PID/cgroup")
	if [ -f "$cs_dir/cpuset.memory_migrate" ]; then
		echo 1 >"$cs_dir/cpuset.memory_migrate"
		defer "echo 0 >'$cs_dir/cpuset.memory_migrate'"
		rx "$(cfg "$CTR_PID" '"isolatedCpus":"1"')" -- true
		echo 0 >"$cs_dir/cpuset.memory_migrate"
		is "$RC" 0 "v1 cpuset.memory_migrate 1 on one memory node, CPU 1 isolated: joined (nothing migrates)"
	else
		skip "v1 cpuset.memory_migrate" "no v1 cpuset hierarchy here"
	fi
	rx "$(cfg "$CTR_PID")" -- sh -c 'ls /proc/self/fd | wc -l'
	is "$OUT" 4 "runc: no cgroup fd reaches the command (0-2 and ls's own)"

	# ---- the container's device rules: a node of a block device of the host in its root
	# (made here, as its root would with CAP_MKNOD: runc's rules let it make any), which its
	# rules forbid to open (runc allows no block device). Where the hierarchy holding those
	# rules is not mounted in rtexec's mount namespace, the join is refused: skipped, the
	# command opened the host's device.
	blk=
	for b in /sys/block/*/dev; do
		d=$(cat "$b") && rm -f "$T/blk" && mknod "$T/blk" b "${d%:*}" "${d#*:}" &&
			(exec 3<"$T/blk") 2>/dev/null && blk=$d && break
	done
	[ -n "$blk" ] && mknod "$CTR_ROOTFS/disk-node" b "${blk%:*}" "${blk#*:}" ||
		bail "cannot make a node of a block device the host may open"
	kmsg='(exec 3</disk-node) 2>/dev/null && echo opened || echo denied'
	rx "$(cfg "$CTR_PID")" -- sh -c "$kmsg"
	is "$RC/$OUT" "0/denied" "runc: the container's device rules hold for the command (block device $blk denied)"
	dev_line=$(grep -E '^[0-9]+:([^:]*,)?devices(,[^:]*)?:' "/proc/$CTR_PID/cgroup")
	devmnt=$(awk '$9 == "cgroup" && $NF ~ /(^|,)devices(,|$)/ { print $5; exit }' /proc/self/mountinfo)
	v2mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	printf '%s\n' "$(cfg "$CTR_PID")" >"$T/nodev.json"
	if [ -n "$dev_line" ] && [ -n "$devmnt" ]; then
		OUT=$(unshare -m --propagation private sh -c 'umount "$1" && exec "$2" -f "$3" -- sh -c "$4"' \
			sh "$devmnt" "$RTEXEC" "$T/nodev.json" "$kmsg" 2>"$T/rx.err")
		RC=$? ERR=$(cat "$T/rx.err")
		is_rc 125 "v1 devices hierarchy not mounted here: refused"
		err_one_line "... one line saying so" "*cgroup devices:/* of the target is not mounted here: the command would escape its device rules"
		is "$OUT" "" "... the command never ran (did not open the device)"
	else
		skip "an unmounted v1 devices hierarchy" "no v1 devices controller for the runc container here"
	fi
	if [ -n "$v2mnt" ] && [ "$(sed -n 's/^0:://p' "/proc/$CTR_PID/cgroup")" != / ]; then
		OUT=$(unshare -m --propagation private sh -c 'umount "$1" && exec "$2" -f "$3" -- true' \
			sh "$v2mnt" "$RTEXEC" "$T/nodev.json" 2>"$T/rx.err")
		RC=$? ERR=$(cat "$T/rx.err")
		is_rc 125 "the unified hierarchy not mounted here (the container's v2 cgroup not /): refused"
		err_one_line "... one line saying so" "*cgroup unified:/* of the target is not mounted here*"
	else
		skip "an unmounted unified hierarchy" "no cgroup2 mount, or the container at its root"
	fi
else
	skip "runc container" "runc did not start a container"
fi
is "$(leftovers)" "" "nothing of rtexec is left running"

# traced NAME TRACE INJECT [ARGS]: rtexec runs true (or the JSON array ARGS) in the runc
# container, under strace -f (-o $T/NAME.log, -e trace=TRACE -e inject=INJECT), in the
# background; spid: strace's pid.
traced() {
	printf '%s\n' "$(cfg "$CTR_PID" "\"process\":{\"args\":${4:-[\"true\"]}}")" >"$T/$1.json"
	strace -f -q -o "$T/$1.log" -e trace="$2" -e inject="$3" \
		"$RTEXEC" -f "$T/$1.json" >"$T/$1.out" 2>"$T/$1.err" &
	spid=$!
	defer "runc resume $CTR_ID; kill -9 $spid"
}
# rtexec (R, strace's child) has forked its own child.
forked() {
	R=$(children "$spid")
	[ -n "$R" ] && [ -n "$(children "$R")" ]
}
# rtexec itself has exited, as LOG says (strace stays for as long as a traced child lives).
exited() { grep -q "^$R  *+++ exited" "$1"; }
# rtexec's exit status in LOG.
status_of() { sed -n "s/^$R  *+++ exited with \([0-9]*\) +++\$/\1/p" "$1"; }

# ---- paused between planning and the join: refused, and rtexec does not hang on it (its
# child, frozen with the cgroup, dies of its SIGKILL once the container is resumed)
if command -v strace >/dev/null 2>&1 && start_runc_ctr; then
	# The parent is held 1.5 s on its way back from clone3, the child already born.
	traced late clone3 clone3:delay_exit=1500000
	if wait_for 10 forked; then
		runc pause "$CTR_ID"
		wait_for 20 exited "$T/late.log"
		ok "paused after planning: rtexec ends instead of hanging" exited "$T/late.log"
		is "$(status_of "$T/late.log")" 125 \
			"paused after planning: 125"
		like "$(cat "$T/late.err")" "rtexec: join cgroup *paused*" "paused after planning: one line, says paused"
		is "$(wc -l <"$T/late.err")" 1 "paused after planning: exactly one line"
		runc resume "$CTR_ID"
		wait "$spid"
		no_leftovers "paused after planning: nothing left once resumed" "$CTR_PID"
	else
		fail "paused after planning: rtexec's child did not show up"
	fi
fi

# ---- paused between the plan and the fork (a ptrace of the init, an engine's console socket
# may come between): refused before any child exists. A child that wrote itself into the
# frozen v1 freezer could not die of its SIGKILL until the container is resumed.
if command -v strace >/dev/null 2>&1 && start_runc_ctr; then
	# Held 1.5 s at the socketpair for the child, after signalfd (both after the plan).
	traced mid signalfd4,socketpair,clone3 socketpair:delay_enter=1500000
	planned() {
		R=$(children "$spid")
		[ -n "$R" ] && grep -q "signalfd4(" "$T/mid.log"
	}
	if wait_for 10 planned; then
		runc pause "$CTR_ID"
		wait_for 20 exited "$T/mid.log"
		ok "paused after the plan, before the fork: rtexec ends" exited "$T/mid.log"
		is "$(status_of "$T/mid.log")" 125 \
			"paused before the fork: 125"
		like "$(cat "$T/mid.err")" "rtexec: join cgroup *paused (FROZEN)" \
			"paused before the fork: one line, says paused"
		is "$(grep -c "clone3(" "$T/mid.log")" 0 "paused before the fork: no child forked"
		# Still paused: a frozen child would be here until the resume.
		is "$(leftovers "$CTR_PID")" "" "paused before the fork: nothing left, the container still paused"
		runc resume "$CTR_ID"
		wait "$spid"
	else
		fail "paused after the plan: rtexec did not reach its signalfd"
	fi
fi

# ---- paused after planning while signals keep coming (a terminal being resized): the
# paused-container watch goes by the clock, it is not put off by each signal
if command -v strace >/dev/null 2>&1 && start_runc_ctr; then
	traced sig clone3 clone3:delay_exit=1000000
	if wait_for 10 forked; then
		runc pause "$CTR_ID"
		# SIGWINCH every 20 ms for up to 8 s (rtexec's own deadline is 10 s).
		(
			end=$(($(date +%s) + 8))
			while [ "$(date +%s)" -le "$end" ] && kill -WINCH "$R" 2>/dev/null; do
				sleep 0.02
			done
		) &
		winch=$!
		sig_done() { ! kill -0 "$R" 2>/dev/null; }
		wait_for 5 sig_done
		ok "paused, SIGWINCH every 20 ms: rtexec ends within 5 s all the same" sig_done
		kill "$winch" 2>/dev/null
		wait "$winch" 2>/dev/null
		like "$(cat "$T/sig.err")" "rtexec: join cgroup *paused*" \
			"paused, signals coming: one line, says paused"
		runc resume "$CTR_ID"
		wait "$spid"
		no_leftovers "paused, signals coming: nothing left once resumed" "$CTR_PID"
	else
		fail "paused with signals: rtexec's child did not show up"
	fi
fi

# ---- paused just after the command's exec, before the parent has read the exec's EOF (its
# read of the child's "exec" word held 400 ms, so that a watch falls due): the command has
# started, it is not killed; it goes on once the container is resumed
if command -v strace >/dev/null 2>&1 && start_runc_ctr; then
	traced exec recvmsg recvmsg:delay_exit=400000 '["sh", "-c", "sleep 1; echo done"]'
	running() {
		R=$(children "$spid")
		[ -n "$R" ] && for k in $(children "$R"); do
			[ "$(cat "/proc/$k/comm" 2>/dev/null)" = sleep ] ||
				[ -n "$(children "$k")" ] && return 0
		done
		return 1
	}
	if wait_for 10 running; then
		runc pause "$CTR_ID"
		sleep 1
		runc resume "$CTR_ID"
		exec_done() { ! kill -0 "$spid" 2>/dev/null; }
		wait_for 10 exec_done
		ok "paused after the exec: rtexec ends once resumed" exec_done
		is "$(status_of "$T/exec.log")" 0 \
			"paused after the exec: the command's status, not 125 ($(cat "$T/exec.err"))"
		is "$(cat "$T/exec.out")" done "paused after the exec: the command ran to its end"
	else
		fail "paused after the exec: the command did not start"
	fi
fi

# ---- the unified mount is a subtree of the hierarchy (its mountinfo root is not "/": a bind
# mount, as rtexec may see inside a pod), in a mount namespace of rtexec's own: the v2 path is
# translated through the mount's root, as v1 paths are (it was joined under the mount point as
# if the root were "/": no such directory, so no join with a sub-cgroup)
mkcg "$U/$NAME/bt"
mkcg "$U/$NAME/bt/inner"
mkcg "$U/$NAME/bt/inner/s"
target_in "$U/$NAME/bt/inner"
printf '%s\n' "$(cfg "$TPID" '"cgroup":{"sub":"s"}')" >"$T/bt.json"
mkdir -p "$T/btmnt"
# shellcheck disable=SC2016
out=$(unshare -m --propagation private sh -c '
	mount --bind "$2/$3/bt" "$1" && umount -l "$2" && mount --move "$1" "$2" || exit 9
	grep " $2 " /proc/self/mountinfo | cut -d" " -f4,5
	"$4" -f "$5" -- cat /proc/self/cgroup' sh "$T/btmnt" "$U" "$NAME" "$RTEXEC" "$T/bt.json" 2>&1)
is "$(echo "$out" | head -n 1)" "/$NAME/bt $U" "subtree mount: its root is /$NAME/bt (precondition)"
is "$(echo "$out" | grep '^0::')" "0::/$NAME/bt/inner/s" \
	"subtree mount: the command is in the target's sub-cgroup, the path translated"

# ---- a cgroup mount covered by a later mount in rtexec's mount namespace (another
# hierarchy bound over /sys/fs/cgroup/cpu): its mount point now leads into that one, so the
# first matching line of mountinfo is not the mount to use. rtexec takes a cgroup mount that
# is still in sight (a second mount of the cpu hierarchy, mounted later), and where none is,
# refuses with one line. It used to write the command into the covering hierarchy's cgroup
# and leave it in the caller's cpu cgroup, outside the container's CPU limits.
CPU=/sys/fs/cgroup/cpu ACCT=/sys/fs/cgroup/cpuacct
if [ -f "$CPU/tasks" ] && [ -f "$ACCT/tasks" ] && ! grep -q ' /sys/fs/cgroup/cpu,' /proc/self/mountinfo; then
	mkcg "$CPU/$NAME-cov"
	mkcg "$ACCT/$NAME-cov"
	target_in "$U/$NAME" "$CPU/$NAME-cov"
	printf '%s\n' "$(cfg "$TPID")" >"$T/cov.json"
	mkdir -p "$T/cpu2"
	for second in yes no; do
		# shellcheck disable=SC2016
		out=$(unshare -m --propagation private sh -c '
			mount --bind "$2" "$1" || exit 9
			if [ "$5" = yes ]; then mount -t cgroup -o cpu cgroup "$6" || exit 9; fi
			"$3" -f "$4" -- cat /proc/self/cgroup; echo "rc=$?"' \
			sh "$CPU" "$ACCT" "$RTEXEC" "$T/cov.json" "$second" "$T/cpu2" 2>&1)
		if [ "$second" = yes ]; then
			is "$(echo "$out" | grep ':cpu:')" "$(cg_line "$TPID" '[0-9]*:cpu:')" \
				"cpu mount covered, a second one later: the command is in the target's cpu cgroup"
			is "$(echo "$out" | sort)" "$(printf '%s\nrc=0\n' "$(cat "/proc/$TPID/cgroup")" | sort)" \
				"... every hierarchy as the target's, rtexec exits 0"
		else
			is "$out" "rtexec: cgroup cpu:/$NAME-cov of the target: no mount here shows it (covered by a later mount, or not below the mount's root)
rc=125" "cpu mount covered, no other: one line, exit 125, the command not run"
		fi
	done

	# The only mount of the cpu hierarchy is a subtree that does not hold the target's
	# cgroup: refused (it used to be skipped in silence, the command left in the caller's
	# cpu cgroup).
	mkcg "$CPU/$NAME-sub"
	mkdir -p "$T/cpusub"
	# shellcheck disable=SC2016
	out=$(unshare -m --propagation private sh -c '
		mount --bind "$1/$2" "$3" && umount -l "$1" && mount --move "$3" "$1" || exit 9
		"$4" -f "$5" -- cat /proc/self/cgroup; echo "rc=$?"' \
		sh "$CPU" "$NAME-sub" "$T/cpusub" "$RTEXEC" "$T/cov.json" 2>&1)
	is "$out" "rtexec: cgroup cpu:/$NAME-cov of the target: no mount here shows it (covered by a later mount, or not below the mount's root)
rc=125" "the cpu mount a subtree without the target's cgroup: one line, exit 125"

	# rtexec in a cgroup namespace of its own (a shim in a container), rooted at the root of
	# every hierarchy but cpu's: the target's cpu cgroup is "/../NAME-cov" from there, and
	# so is the cpu mount's root ("/..", mounted outside): what is below that root is
	# joined. A cpu mount made inside the namespace has the root "/": "/../NAME-cov" is not
	# below it (it once led out of the mount, into a sibling of its directory): refused.
	mkcg "$CPU/$NAME-ns"
	mkdir -p "$T/cpuns"
	for remount in no yes; do
		# shellcheck disable=SC2016
		out=$(sh -c 'for m in $(awk "\$9 ~ /^cgroup2?\$/ { print \$5 }" /proc/self/mountinfo); do
				echo $$ >"$m/cgroup.procs"
			done 2>/dev/null
			echo $$ >"$1/$2/cgroup.procs" && exec unshare -C -m --propagation private sh -c "
			if [ $6 = yes ]; then umount -l $1 && mount -t cgroup -o cpu cgroup $5 || exit 9; fi
			grep -e \" $1 \" -e \" $5 \" /proc/self/mountinfo | tail -n 1 | cut -d\" \" -f4 >&2
			\"\$0\" -f \"\$1\" -- cat /proc/self/cgroup; echo rc=\$?" "$3" "$4"' \
			sh "$CPU" "$NAME-ns" "$RTEXEC" "$T/cov.json" "$T/cpuns" "$remount" 2>"$T/ns.err")
		if [ "$remount" = no ]; then
			is "$(head -n 1 "$T/ns.err")" "/.." "own cgroup namespace: the cpu mount's root shows as /.. (precondition)"
			is "$(echo "$out" | grep ':cpu:')" "$(cg_line "$TPID" '[0-9]*:cpu:')" \
				"own cgroup namespace: the command is in the target's cpu cgroup"
			is "$(echo "$out" | tail -n 1)" "rc=0" "... rtexec exits 0"
		else
			is "$(head -n 1 "$T/ns.err")" "/" "own cgroup namespace, cpu mounted in it instead: its root is / (precondition)"
			is "$(sed 1d "$T/ns.err")$out" "rtexec: cgroup cpu:/../$NAME-cov of the target: no mount here shows it (covered by a later mount, or not below the mount's root)rc=125" \
				"... the target's /../$NAME-cov is refused: one line, exit 125"
		fi
	done

	# 70 hierarchies (60 named ones, mounted for this test in a mount namespace that goes
	# with it): every line of the target's counts; the kernel lists the newest first, and
	# rtexec once read only 64 lines, skipping v2, cpuset, memory... in silence.
	# shellcheck disable=SC2016
	out=$(unshare -m --propagation private sh -c '
		mount -t tmpfs tmpfs "$1" || exit 9
		i=0
		while [ $i -lt 60 ]; do
			mkdir "$1/h$i" && mount -t cgroup -o "none,name=rtxt$$-$i" cgroup "$1/h$i" || exit 9
			i=$((i + 1))
		done
		wc -l <"/proc/$4/cgroup" >&2
		"$2" -f "$3" -- cat /proc/self/cgroup; echo "rc=$?"' sh "$T/cpusub" "$RTEXEC" "$T/cov.json" "$TPID" 2>"$T/many.err")
	ok "70 hierarchies: the target has over 64 cgroup lines (precondition)" [ "$(head -n 1 "$T/many.err")" -gt 64 ]
	is "$(echo "$out" | grep -v ':name=rtxt' | sort)" "$(printf '%s\nrc=0\n' "$(cat "/proc/$TPID/cgroup")" | grep -v ':name=rtxt' | sort)" \
		"70 hierarchies: the command is in every cgroup of the target's, rtexec exits 0"
	i=0
	while grep -q ':name=rtxt' /proc/self/cgroup && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ok "70 hierarchies: the 60 named ones are gone with their mounts" \
		sh -c '! grep -q ":name=rtxt" /proc/self/cgroup'
else
	skip_limit "covered cgroup mount" "no separate v1 cpu and cpuacct hierarchies on this host"
fi
