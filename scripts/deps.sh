#!/bin/sh
# Install the Debian packages that building and testing rtexec need, when missing.
# Usage: scripts/deps.sh build|test|bench|lint|vm
set -eu
build="musl-tools dpkg-dev gcc make ca-certificates file xz-utils"
test="$build runc busybox-static jq util-linux procps strace"
bench="$test hyperfine"
lint="clang-format"
# make check-vm: a PREEMPT_RT guest under QEMU, its initramfs packed with cpio.
vm="$build busybox-static qemu-system-x86 cpio gzip"
case "${1:-build}" in
build) want=$build ;;
test) want=$test ;;
bench) want=$bench ;;
lint) want=$lint ;;
vm) want=$vm ;;
*) echo "usage: $0 build|test|bench|lint|vm" >&2; exit 2 ;;
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
