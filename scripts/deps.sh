#!/bin/sh
# Install the Debian packages that building and testing rtexec need, when missing.
# Usage: scripts/deps.sh build|test|bench|lint|fuzz
set -eu
build="musl-tools dpkg-dev gcc make ca-certificates file xz-utils"
test="$build runc busybox-static jq util-linux procps strace"
bench="$test hyperfine"
lint="clang-format"
fuzz="clang libclang-rt-14-dev"
case "${1:-build}" in
build) want=$build ;;
test) want=$test ;;
bench) want=$bench ;;
lint) want=$lint ;;
fuzz) want="$build $fuzz" ;;
*) echo "usage: $0 build|test|bench|lint|fuzz" >&2; exit 2 ;;
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
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
