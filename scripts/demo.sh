#!/bin/sh
# Shows rtexec at work: starts a throwaway busybox container with runc, prints rtexec's plan
# for it, runs a command inside with rtexec and puts what that command sees (namespaces,
# cgroups, CPUs) next to what the container's init has. Removes the container again, also
# when interrupted. Usage: scripts/demo.sh (as root; `make demo` builds rtexec first).
set -eu
cd "$(dirname "$0")/.."
rtexec=$PWD/rtexec

if [ "$(id -u)" != 0 ]; then
	echo "demo: must run as root (it starts a container with runc and joins it)" >&2
	exit 1
fi
[ -x "$rtexec" ] || { echo "demo: $rtexec is missing: run make first" >&2; exit 1; }

id=rtexec-demo-$$
tmp=
cleanup() {
	trap '' INT TERM # a second ^C must not stop the cleaning up half-way
	runc delete -f "$id" >/dev/null 2>&1 || true
	[ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tmp=$(mktemp -d /tmp/rtexec-demo.XXXXXX)

# The bundle: a busybox-static rootfs, its own namespaces (cgroup too) and cgroup.
mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/etc" "$tmp/rootfs/proc" "$tmp/rootfs/sys" "$tmp/rootfs/dev"
cp /bin/busybox "$tmp/rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$tmp/rootfs/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$tmp/rootfs/etc/passwd"
# What a process has, as "key<TAB>value" lines; run on the host for the init (DIR=/proc/PID)
# and inside the container for rtexec's command (DIR=/proc/self).
cat >"$tmp/rootfs/report.sh" <<'EOF'
d=$1
for f in "$d"/ns/*; do printf 'namespace %s\t%s\n' "${f##*/}" "$(readlink "$f")"; done
awk -F: '{ sub(/^name=/, "", $2); printf "cgroup %s\t%s\n", ($2 == "" ? "v2" : $2), $3 }' "$d/cgroup"
awk '/^Cpus_allowed_list:/ { printf "cpus allowed\t%s\n", $2 }' "$d/status"
EOF
runc spec --bundle "$tmp"
jq '.process.terminal = false | .process.args = ["sleep", "1000000"] |
	.hostname = "rtexec-demo" | .linux.namespaces += [{"type": "cgroup"}]' \
	"$tmp/config.json" >"$tmp/config.new"
mv "$tmp/config.new" "$tmp/config.json"

echo "== starting container $id (runc, busybox)"
if ! runc run -d --bundle "$tmp" --pid-file "$tmp/init.pid" "$id" \
	</dev/null >/dev/null 2>"$tmp/runc.err"; then
	echo "demo: runc run failed:" >&2
	cat "$tmp/runc.err" >&2
	exit 1
fi
init=$(cat "$tmp/init.pid")
echo "   its init is pid $init on the host"

printf '{"target": {"pidFile": "%s"}, "process": {"args": ["sh", "/report.sh", "/proc/self"]}}\n' \
	"$tmp/init.pid" >"$tmp/exec.json"
echo
echo "== rtexec's plan: rtexec -f exec.json --dry-run"
plan=$("$rtexec" -f "$tmp/exec.json" --dry-run)
printf '%s\n' "$plan" | jq .

echo
echo "== rtexec -f exec.json -- sh /report.sh /proc/self, next to the init's /proc/$init"
# Cgroup paths read through the container's cgroup namespace, as the command sees its own.
nsenter --cgroup="/proc/$init/ns/cgroup" sh "$tmp/rootfs/report.sh" "/proc/$init" >"$tmp/init.txt"
"$rtexec" -f "$tmp/exec.json" >"$tmp/cmd.txt"
printf 'hostname\t%s\n' "$(nsenter -t "$init" -u hostname)" >>"$tmp/init.txt"
"$rtexec" -f "$tmp/exec.json" -- hostname | sed 's/^/hostname\t/' >>"$tmp/cmd.txt"

awk -F'\t' -v init="container init (pid $init)" '
	NR == FNR { a[$1] = $2; keys[++n] = $1; next }
	{ b[$1] = $2; if (!($1 in a)) keys[++n] = $1 }
	END {
		w1 = 14; w2 = length(init)
		for (i = 1; i <= n; i++) {
			k = keys[i]
			if (length(k) > w1) w1 = length(k)
			if (length(a[k]) > w2) w2 = length(a[k])
		}
		f = "%-" w1 "s  %-" w2 "s  %s\n"
		printf f, "", init, "command run by rtexec"
		for (i = 1; i <= n; i++) {
			k = keys[i]
			mark = (k in a) && (k in b) && a[k] == b[k] ? "" : "   <- differs"
			printf f, k, (k in a) ? a[k] : "-", ((k in b) ? b[k] : "-") mark
		}
	}' "$tmp/init.txt" "$tmp/cmd.txt"
echo
echo "Cgroup paths are as seen in the container's cgroup namespace, where / is the"
echo "container's own cgroup: $(awk -F: '$1 == 0 { print $3 }' "/proc/$init/cgroup") on the host."
echo
echo "== removing container $id"
