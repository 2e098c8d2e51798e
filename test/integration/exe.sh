#!/bin/sh
# CVE-2019-5736: a hostile container must not be able to overwrite the host's rtexec. The
# container turns a command into /proc/self/exe (a symlink, a "#!" script, a chain of
# them, the path itself); a process of the container with no capabilities of the host
# (test/helpers/exe_race) spins on /proc/PID/exe of every new pid, keeps what it catches,
# and reopens it for writing once its process is gone. Every join below is attacked; the
# control shows the same attack overwriting rtexec built without the defence.
# shellcheck source=test/lib.sh
. "$(dirname "$0")/../lib.sh"

command -v musl-gcc >/dev/null 2>&1 || skip_all "musl-gcc is not installed (musl-tools)"
command -v sha256sum >/dev/null 2>&1 || skip_all "sha256sum is not installed"
musl-gcc -static -O2 -o "$T/exe_race" "$REPO/test/helpers/exe_race.c" ||
	bail "cannot build test/helpers/exe_race.c"
musl-gcc -static -O2 -o "$T/seals" "$REPO/test/helpers/seals.c" ||
	bail "cannot build test/helpers/seals.c"

start_ctr
C=$(cfg "$CTR_PID")
R=$CTR_ROOTFS
cp "$T/exe_race" "$R/attack"
# The traps: every way the command can resolve to the joining process's own executable.
ln -s /proc/self/exe "$R/bin/trap"
printf '#!/proc/self/exe --version\n' >"$R/bin/trap-script"
printf '#!/bin/trap-script\n' >"$R/bin/trap-chain"
chmod 755 "$R/bin/trap-script" "$R/bin/trap-chain"

# attack NAME BINARY ROUNDS CMD...: the attacker runs in the container (started by the
# real rtexec, so with the container's credentials) while BINARY joins it ROUNDS times to
# run CMD (BINARY reads the config on stdin).
# Leaves the attacker's report in $T/race.log and counts in CAUGHT, WROTE, REFUSED.
# ATTACK_CFG: the attacker's config (default $C: the container's credentials).
# ATTACK_LIFT: a command run once the joins are done, while the attacker (then patient: it
# tries its writes again every 100 ms) still holds what it caught: the host's update that
# makes the file writable again.
attack() {
	_name=$1 _bin=$2 _rounds=$3
	shift 3
	rm -f "$R/stop" "$T/race.log" "$T/attack.pid"
	printf '%s\n' "${ATTACK_CFG:-$C}" | "$RTEXEC" -d --pid-file "$T/attack.pid" -- /attack 120 PWNED \
		${ATTACK_LIFT:+patient} >"$T/race.log" 2>&1
	wait_for 5 grep -q ready "$T/race.log" || diag "$_name: the attacker did not start"
	_i=0
	while [ "$_i" -lt "$_rounds" ]; do
		_i=$((_i + 1))
		printf '%s\n' "$C" | timeout 10 "$_bin" -- "$@" >/dev/null 2>&1
		# Stop early once the attacker has caught enough (the joins go on otherwise).
		[ "$(grep -c '^caught' "$T/race.log")" -ge "${ATTACK_ENOUGH:-3}" ] && break
	done
	if [ -n "${ATTACK_LIFT:-}" ]; then
		eval "$ATTACK_LIFT"
		sleep 1
	fi
	touch "$R/stop"
	wait_for 10 eval '! kill -0 "$(cat "$T/attack.pid")" 2>/dev/null' ||
		kill -9 "$(cat "$T/attack.pid")"
	ROUNDS=$_i
	CAUGHT=$(grep -c '^caught' "$T/race.log")
	WROTE=$(grep -c '^wrote' "$T/race.log")
	REFUSED=$(grep -c '^refused' "$T/race.log")
	diag "$_name: $ROUNDS joins, attacker caught $CAUGHT exe(s), wrote $WROTE, refused $REFUSED"
}

sum() {
	sha256sum "$1" | cut -d' ' -f1
}

# --- rtexec's own code is where the kernel chose, anew on each run (a static PIE, ASLR): an
# exploit of what it parses from the container (its passwd, /proc files, seccomp filter)
# cannot count on the address of a piece of rtexec's code. A plain -static build sits at
# 0x400000 every time.
case $(file -b "$RTEXEC") in
*static-pie*) is "$(readelf -lW "$RTEXEC" | grep -c INTERP)" 0 "the binary is a static PIE (no interpreter)" ;;
*"statically linked"*) fail "the binary is a static PIE (it is static, not PIE: $(file -b "$RTEXEC"))" ;;
*) skip_limit "the binary is a static PIE" "$RTEXEC is another build ($(file -b "$RTEXEC" | cut -d, -f1-2))" ;;
esac
if [ "$(cat /proc/sys/kernel/randomize_va_space)" = 0 ]; then
	skip_limit "rtexec is loaded at a new address each run" "ASLR is off on this host (kernel.randomize_va_space=0)"
else
	bases=
	for _i in 1 2 3 4; do
		printf '%s\n' "$C" | "$RTEXEC" -- sleep 2 >/dev/null 2>&1 &
		_p=$!
		# Its child exists: rtexec is past any re-exec, its own image is mapped for good.
		wait_for 5 eval '[ -n "$(children "$_p")" ]'
		# The image's first mapping: the lowest of those of its executable.
		bases="$bases $(awk -v exe="$(readlink "/proc/$_p/exe")" 'index($0, exe) { print $1; exit }' \
			"/proc/$_p/maps" | cut -d- -f1)"
		kill "$(children "$_p")" 2>/dev/null
		wait "$_p"
	done
	diag "rtexec's image at:$bases"
	is "$(echo "$bases" | tr ' ' '\n' | grep -v '^$' | sort -u | wc -l | tr -d ' ')" 4 \
		"4 runs, rtexec's image at 4 different addresses (ASLR)"
fi

# --- and its RELRO part (GOT, tables of pointers) read-only while it runs: with -z relro alone
# a static binary's stays writable, nobody applies PT_GNU_RELRO but a dynamic loader
relro=$(readelf -lW "$RTEXEC" | awk '$1 == "GNU_RELRO" { print $3, $6 }')
if [ -z "$relro" ]; then
	fail "RELRO: the binary has a GNU_RELRO program header"
else
	rva=$((${relro% *})) rsz=$((${relro#* }))
	# The last whole page of the part: the one mprotect covers (the GOT is at its end).
	pg=$(getconf PAGESIZE)
	last=$(((rva + rsz) / pg * pg - pg))
	printf '%s\n' "$C" | "$RTEXEC" -- sleep 2 >/dev/null 2>&1 &
	_p=$!
	wait_for 5 eval '[ -n "$(children "$_p")" ]'
	exe=$(readlink "/proc/$_p/exe")
	base=0x$(awk -v exe="$exe" 'index($0, exe) { print $1; exit }' "/proc/$_p/maps" | cut -d- -f1)
	file -b "$RTEXEC" | grep -q 'LSB executable' && base=0 # not PIE: addresses are absolute
	perms=
	while read -r range p _rest; do
		lo=$((0x${range%-*})) hi=$((0x${range#*-}))
		[ $((base + last)) -ge "$lo" ] && [ $((base + last)) -lt "$hi" ] && perms=$p
	done <"/proc/$_p/maps"
	kill "$(children "$_p")" 2>/dev/null
	wait "$_p"
	is "$perms" r--p "RELRO: the page ending the GOT is read-only while rtexec runs"
fi

# --- rtexec on a writable file: it runs from a sealed memfd copy
mkdir -p "$T/rw"
cp "$RTEXEC" "$T/rw/rtexec"
want=$(sum "$T/rw/rtexec")
printf '%s\n' "$C" | "$T/rw/rtexec" --log-level debug -- true 2>"$T/dbg" >/dev/null
like "$(cat "$T/dbg")" "*re-executing from a sealed copy*" \
	"writable binary: rtexec re-executes from a sealed copy (debug line)"
# The copy holds what execve reads (to the end of the furthest program header's part), not
# the section headers and symbols after it: the unstripped binary is larger than its copy.
want_size=0
for part in $(readelf -lW "$T/rw/rtexec" | awk '$2 ~ /^0x/ { print $2 "+" $5 }'); do
	[ $(($part)) -gt "$want_size" ] && want_size=$(($part))
done
printf '%s\n' "$C" | "$T/rw/rtexec" -- sleep 3 >/dev/null 2>&1 &
rpid=$!
wait_for 5 eval 'readlink /proc/$rpid/exe | grep -q memfd'
is "$(readlink "/proc/$rpid/exe")/$(stat -L -c %s "/proc/$rpid/exe")" \
	"/memfd:rtexec (deleted)/$want_size" \
	"the sealed copy is the loaded part of the binary ($want_size of $(stat -c %s "$T/rw/rtexec") bytes)"
# Its seals: never F_SEAL_WRITE (before Linux 5.5 only) nor F_SEAL_EXEC (which since 6.3
# implies F_SEAL_WRITE): both wait for the copy's pages to leave every CPU's LRU batch, and
# on a real-time box that waits for ever where a task monopolises an isolated CPU (the
# check-vm guest performs it: "sealed"). No write bit for anyone.
case $(uname -r) in
[0-4].* | 5.[0-4].* | 5.[0-4]) want_seals="0555 seal shrink grow write" ;;
*) want_seals="0555 seal shrink grow future_write" ;;
esac
is "$("$T/seals" "/proc/$rpid/exe" 2>&1)" "$want_seals" \
	"the copy: mode 0555; sealed against writes, shrinking, growing and unsealing; no seal that waits for its pages"
wait "$rpid"
is "$?" 0 "  and runs the command from it"
# The attacker as Docker's root: with CAP_DAC_OVERRIDE, which the copy's mode (no write
# bit) does not stop; the seals must. (And the container's own capabilities: /proc/PID/exe
# of a process whose permitted set is not within the attacker's is not for it.)
caps='["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE","CAP_DAC_OVERRIDE"]'
DAC="\"process\":{\"capabilities\":{\"bounding\":$caps,\"effective\":$caps,\"permitted\":$caps}}"
for trap in "symlink:trap --version" "script:trap-script" "chain:trap-chain" \
	"path:/proc/self/exe --version"; do
	name=${trap%%:*}
	# shellcheck disable=SC2086 # the command's words
	ATTACK_CFG=$(cfg "$CTR_PID" "$DAC") ATTACK_ENOUGH=50 attack "trap $name" "$T/rw/rtexec" 400 ${trap#*:}
	is "$(sum "$T/rw/rtexec")" "$want" "trap $name, $ROUNDS attacked joins: the host binary is unchanged"
	is "$WROTE" 0 "trap $name: the attacker never wrote it"
	if [ "$CAUGHT" -gt 0 ]; then
		like "$(grep '^caught' "$T/race.log" | sort -u)" "caught /memfd:rtexec (deleted)" \
			"trap $name: all it caught was the sealed copy, never the host file"
		like "$(grep '^refused' "$T/race.log" | sort -u | tr '\n' ' ')" "refused /memfd:rtexec (deleted) EPERM*" \
			"trap $name: writing the copy is refused (sealed)"
	fi
	total_caught=$((${total_caught:-0} + CAUGHT))
done
ok "the attacker reached the exec'd copy at least once (the attack ran, only the seal stopped it)" \
	[ "$total_caught" -gt 0 ]
printf '%s\n' "$C" | "$T/rw/rtexec" -- sh -c 'echo still works' >"$T/out" 2>&1
is "$(cat "$T/out")" "still works" "after the attacks the binary still runs"

# --- a read-only mount or the immutable flag is not enough: the container keeps what it
# caught and writes it once the host makes the file writable again (an update remounting it
# read-write, lifting the flag). rtexec copies itself there too; the attacker is patient
# and the protection is lifted while it holds its fds.
# lifted NAME BINARY LIFT: BINARY re-executes from a sealed copy; attacked, then LIFT makes
# the file writable again while the patient attacker holds what it caught.
lifted() {
	want=$(sum "$2")
	printf '%s\n' "$C" | "$2" --log-level debug -- true 2>"$T/dbg" >/dev/null
	like "$(cat "$T/dbg")" "*re-executing from a sealed copy*" "$1: a sealed copy all the same (debug line)"
	ATTACK_LIFT=$3 ATTACK_ENOUGH=20 attack "$1, then writable" "$2" 400 trap --version
	is "$(sum "$2")" "$want" "$1, $ROUNDS attacked joins, then made writable: the binary is unchanged"
	is "$WROTE" 0 "$1 made writable: the attacker never wrote it"
	[ "$CAUGHT" -gt 0 ] && like "$(grep '^caught' "$T/race.log" | sort -u)" "caught /memfd:rtexec (deleted)" \
		"$1: all it caught was the sealed copy, never the host file"
}

mkdir -p "$T/ro"
cp "$RTEXEC" "$T/ro/rtexec"
mount --bind "$T/ro" "$T/ro" && defer umount -l "$T/ro" &&
	mount -o remount,bind,ro "$T/ro" || bail "cannot make a read-only bind mount"
lifted "read-only mount" "$T/ro/rtexec" 'mount -o remount,bind,rw "$T/ro"'

mkdir -p "$T/imm"
cp "$RTEXEC" "$T/imm/rtexec"
if chattr +i "$T/imm/rtexec" 2>/dev/null; then
	defer chattr -i "$T/imm/rtexec"
	lifted "immutable file" "$T/imm/rtexec" 'chattr -i "$T/imm/rtexec"'
else
	skip_limit "immutable file: a sealed copy" "chattr +i is not supported on $T's file system"
fi

# --- the fast path: no copy on a file system the kernel never writes (squashfs): whatever
# the container catches of the host file stays unwritable, whatever the host does later.
if ! command -v mksquashfs >/dev/null 2>&1; then
	skip "squashfs: no copy" "mksquashfs is not installed (squashfs-tools, scripts/deps.sh test)"
elif mkdir -p "$T/sqsrc" "$T/sq" && cp "$RTEXEC" "$T/sqsrc/rtexec" &&
	mksquashfs "$T/sqsrc" "$T/rtexec.sqfs" -quiet -noappend >/dev/null 2>&1 &&
	mount -t squashfs -o loop,ro "$T/rtexec.sqfs" "$T/sq" 2>"$T/sq.err"; then
	defer umount -l "$T/sq"
	want=$(sum "$T/sq/rtexec")
	printf '%s\n' "$C" | "$T/sq/rtexec" --log-level debug -- true 2>"$T/dbg" >/dev/null
	like "$(cat "$T/dbg")" "*file system the kernel never writes: no copy needed*" "squashfs: no copy (debug line)"
	ok "... and no re-execution" eval '! grep -q "re-executing" "$T/dbg"'
	ATTACK_LIFT='mount -o remount,rw "$T/sq" 2>/dev/null' ATTACK_ENOUGH=20 attack "squashfs" "$T/sq/rtexec" 400 trap --version
	is "$(sum "$T/sq/rtexec")" "$want" "squashfs, $ROUNDS attacked joins, a remount read-write tried: the binary is unchanged"
	is "$WROTE" 0 "squashfs: the attacker never wrote it"
	[ "$CAUGHT" -gt 0 ] && like "$(grep '^refused' "$T/race.log" | sort -u | tr '\n' ' ')" \
		"refused $T/sq/rtexec EROFS*" "squashfs: it caught the host file, writing it gave EROFS"
else
	skip_limit "squashfs: no copy" "cannot mount a squashfs image here: $(cat "$T/sq.err" 2>/dev/null)"
fi

# --- control: the same attack against rtexec built without this defence
# (build/rtexec-unprotected, `make check` builds it) wins: the attack is real.
UNPROTECTED=$REPO/build/rtexec-unprotected
if [ -x "$UNPROTECTED" ]; then
	mkdir -p "$T/ctl"
	cp "$UNPROTECTED" "$T/ctl/rtexec"
	want=$(sum "$T/ctl/rtexec")
	ATTACK_ENOUGH=1 attack "control (no defence)" "$T/ctl/rtexec" 400 trap --version
	ok "control: without the defence the attack overwrites the binary ($ROUNDS joins)" \
		[ "$(sum "$T/ctl/rtexec")" != "$want" ] && [ "$WROTE" -gt 0 ]
	ok "control: ... with the attacker's marker at its end" \
		[ "$(tail -c 5 "$T/ctl/rtexec")" = PWNED ]
else
	skip "control: the attack wins without the defence" "no $UNPROTECTED (make check builds it)"
fi

no_leftovers "no process left in the container" "$CTR_PID"
