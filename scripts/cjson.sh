#!/bin/sh
# Fetch Debian's cJSON source package and unpack it (Debian patches applied) into DIR.
# apt here only has binary entries, so a private apt configuration adds deb-src entries
# mirroring the system's; the system's own apt configuration is left untouched.
# Usage: scripts/cjson.sh DIR      (DIR/cJSON.c and DIR/cJSON.h exist afterwards)
set -eu
dest=$1
[ -f "$dest/cJSON.c" ] && [ -f "$dest/cJSON.h" ] && exit 0
work=$(mktemp -d "${TMPDIR:-/tmp}/rtexec-cjson.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/sources" "$work/lists/partial" "$work/src"
found=
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	sed 's/^Types:.*/Types: deb-src/' "$f" >"$work/sources/$(basename "$f")"
	found=1
done
if [ -f /etc/apt/sources.list ]; then
	sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list >"$work/sources/list.list"
	[ -s "$work/sources/list.list" ] && found=1
fi
[ -n "$found" ] || { echo "cjson: no apt sources found" >&2; exit 1; }
set -- -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$work/sources" \
	-o Dir::State::Lists="$work/lists" -o APT::Sandbox::User=root
apt-get "$@" update -qq >&2
(cd "$work/src" && apt-get "$@" source --download-only cjson >&2)
dsc=$(ls "$work"/src/cjson_*.dsc | head -n 1)
(cd "$work/src" && dpkg-source -x "$dsc" unpacked >&2)
mkdir -p "$dest"
cp "$work/src/unpacked/cJSON.c" "$work/src/unpacked/cJSON.h" "$dest/"
basename "$dsc" .dsc >"$dest/VERSION"
