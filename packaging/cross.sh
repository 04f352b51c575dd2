#!/usr/bin/env bash
# cross.sh VERSION [OUTDIR]: what can be built here for the other systems,
# into OUTDIR (default dist/):
#   windows-amd64/  eidbridge.exe, eidbridgew.exe (the same program linked
#                   as a GUI application, started at logon without a console
#                   window) and eidbridge-VERSION.msi (when wixl is installed;
#                   signed when packaging/windows/sign.sh is configured);
#   darwin-amd64/, darwin-arm64/
#                   eidbridge, built without cgo: package pcsc then reaches
#                   Apple's PCSC framework through purego, so no Mac and no
#                   macOS SDK are needed. Every package is vetted for darwin.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: cross.sh VERSION [OUTDIR]}
out=${2:-dist}
ld="-X main.version=$version"
win=$out/windows-amd64
mkdir -p "$win"

echo "windows/amd64: vet, eidbridge.exe, eidbridgew.exe"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go vet ./...
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -ldflags "$ld" -o "$win/eidbridge.exe" ./cmd/eidbridge
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -ldflags "$ld -H windowsgui" -o "$win/eidbridgew.exe" ./cmd/eidbridge

for arch in amd64 arm64; do
	echo "darwin/$arch without cgo: vet, eidbridge"
	GOOS=darwin GOARCH=$arch CGO_ENABLED=0 go vet ./...
	GOOS=darwin GOARCH=$arch CGO_ENABLED=0 go build -ldflags "$ld" -o "$out/darwin-$arch/eidbridge" ./cmd/eidbridge
done

if ! command -v wixl >/dev/null; then
	echo "no wixl: skipping the MSI (Debian: apt install wixl)"
	exit 0
fi
[ -n "${SIGN_PKCS12:-}${SIGN_CERT:-}" ] && packaging/windows/sign.sh "$win/eidbridge.exe" "$win/eidbridgew.exe"
packaging/build-msi.sh "$version" "$win"
[ -n "${SIGN_PKCS12:-}${SIGN_CERT:-}" ] && packaging/windows/sign.sh "$win/eidbridge-$version.msi"
exit 0
