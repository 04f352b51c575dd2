#!/usr/bin/env bash
# build-msi.sh VERSION DIR: DIR/eidbridge-VERSION.msi from DIR/eidbridge.exe
# and DIR/eidbridgew.exe with wixl. The native-messaging manifests come from
# `nm-host install` of a binary for this machine (built here), pointed at
# nm-host.bat beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: build-msi.sh VERSION DIR} dir=$(realpath "${2:?usage: build-msi.sh VERSION DIR}")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
go build -o "$stage/eidbridge" ./cmd/eidbridge
packaging/stage-nm.sh "$stage/eidbridge" "$stage/nm" nm-host.bat
cp "$dir/eidbridge.exe" "$dir/eidbridgew.exe" packaging/windows/nm-host.bat "$stage/"
cp "$stage/nm/chromium.json" "$stage/be.eidbridge.nm.chromium.json"
cp "$stage/nm/firefox.json" "$stage/be.eidbridge.nm.firefox.json"
wxs=$(realpath packaging/windows/eidbridge.wxs)
msiver=$(packaging/pkgversion.sh "$version" msi)
msi=$dir/eidbridge-$version.msi
# wixl resolves the sources relative to the current directory.
(cd "$stage" && wixl -D Version="$msiver" -D Dist=. -o "$msi" "$wxs")
echo "built $msi"
