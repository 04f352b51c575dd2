#!/usr/bin/env bash
# cross.sh VERSION [OUTDIR]: what can be built here for the other systems,
# into OUTDIR (default dist/):
#   windows-amd64/  eidbridge.exe, eidbridgew.exe (the same program linked
#                   as a GUI application, started at logon without a console
#                   window) and eidbridge-VERSION.msi (when wixl is installed;
#                   signed when packaging/windows/sign.sh is configured);
#   darwin          the packages that need no cgo are vetted and built for
#                   amd64 and arm64. The card stack (ebfe/scard) needs cgo and
#                   Apple's PCSC framework, so the eidbridge binary itself is
#                   built on a Mac (docs/install.md), or here when DARWIN_CC
#                   names a macOS cross compiler (osxcross).
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: cross.sh VERSION [OUTDIR]}
out=${2:-dist}
ld="-X main.version=$version"
win=$out/windows-amd64
mkdir -p "$win"

echo "windows/amd64: eidbridge.exe, eidbridgew.exe"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -ldflags "$ld" -o "$win/eidbridge.exe" ./cmd/eidbridge
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -ldflags "$ld -H windowsgui" -o "$win/eidbridgew.exe" ./cmd/eidbridge

for arch in amd64 arm64; do
	pure=()
	for p in $(go list ./...); do
		deps=$(GOOS=darwin GOARCH=$arch CGO_ENABLED=0 go list -deps -test "$p")
		grep -qx github.com/ebfe/scard <<<"$deps" || pure+=("$p")
	done
	echo "darwin/$arch without cgo: vet and build ${#pure[@]} packages (those whose code and tests do not use PC/SC)"
	GOOS=darwin GOARCH=$arch CGO_ENABLED=0 go vet "${pure[@]}"
	GOOS=darwin GOARCH=$arch CGO_ENABLED=0 go build "${pure[@]}"
	if [ -n "${DARWIN_CC:-}" ]; then
		echo "darwin/$arch with cgo ($DARWIN_CC): eidbridge"
		GOOS=darwin GOARCH=$arch CGO_ENABLED=1 CC=$DARWIN_CC go build -ldflags "$ld" -o "$out/darwin-$arch/eidbridge" ./cmd/eidbridge
	fi
done
if [ -z "${DARWIN_CC:-}" ]; then
	echo "darwin: the eidbridge binary needs cgo; build it on a Mac (see docs/install.md) or set DARWIN_CC"
fi

if ! command -v wixl >/dev/null; then
	echo "no wixl: skipping the MSI (Debian: apt install wixl)"
	exit 0
fi
[ -n "${SIGN_PKCS12:-}${SIGN_CERT:-}" ] && packaging/windows/sign.sh "$win/eidbridge.exe" "$win/eidbridgew.exe"
packaging/build-msi.sh "$version" "$win"
[ -n "${SIGN_PKCS12:-}${SIGN_CERT:-}" ] && packaging/windows/sign.sh "$win/eidbridge-$version.msi"
exit 0
