#!/bin/sh
# Install the Debian packages that building and testing rtexec need, when missing.
# Usage: scripts/deps.sh build|test|engines|bench|lint|fuzz|vm
# engines: what test/engines.sh needs to drive real engines (containerd with its runc shim,
# podman with conmon; script(1) from bsdutils for ptys); part of test, as the issue asks that
# a machine without them installs them rather than skips. squashfs-tools: exe.sh's
# binary on a file system the kernel never writes.
set -eu
build="musl-tools dpkg-dev gcc make ca-certificates file xz-utils"
engines="containerd podman conmon runc busybox-static jq bsdutils util-linux procps strace"
test="$build $engines squashfs-tools"
bench="$test hyperfine time gnuplot-nox valgrind crun e2fsprogs binutils"
lint="clang-format"
# make check-vm: a PREEMPT_RT guest under QEMU, its initramfs packed with cpio.
vm="$build busybox-static qemu-system-x86 cpio gzip squashfs-tools"
fuzz="clang libclang-rt-14-dev"
case "${1:-build}" in
build) want=$build ;;
test) want=$test ;;
engines) want=$engines ;;
bench) want=$bench ;;
lint) want=$lint ;;
fuzz) want="$build $fuzz" ;;
vm) want=$vm ;;
*) echo "usage: $0 build|test|engines|bench|lint|fuzz|vm" >&2; exit 2 ;;
esac
missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Another job on the machine may be installing too: wait for its locks.
apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
# shellcheck disable=SC2086
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >&2
