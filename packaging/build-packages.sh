#!/usr/bin/env bash
# build-packages.sh BINARY VERSION [OUTDIR]: the .deb and the .rpm of
# BINARY (built for this machine's architecture) from packaging/nfpm.yaml,
# into OUTDIR (default dist/). nfpm runs as a pinned tool, not a module
# dependency of eidbridge.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:?usage: build-packages.sh BINARY VERSION [OUTDIR]}")
version=${2:?usage: build-packages.sh BINARY VERSION [OUTDIR]}
out=${3:-dist}
NFPM=(go run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
packaging/stage-nm.sh "$bin" "$stage/nm"
NFPM_VERSION=$(packaging/pkgversion.sh "$version")
NFPM_ARCH=$(go env GOARCH)
export NFPM_VERSION NFPM_ARCH NFPM_BINARY=$bin NFPM_STAGE=$stage
mkdir -p "$out"
for packager in deb rpm; do
	"${NFPM[@]}" pkg --config packaging/nfpm.yaml --packager "$packager" --target "$out/"
done
