#!/usr/bin/env bash
# make test: set up pcscd + vpcd, check formatting and vet, run every test
# (unit, fuzz seeds, integration through pcscd) and stop what was started.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/testenv.sh up
xdist=$(mktemp -d)
trap 'scripts/testenv.sh pg-down; scripts/testenv.sh down; rm -rf "$xdist"' EXIT
# The portal's storage tests run against this throw-away cluster too.
EIDBRIDGE_TEST_POSTGRES=$(scripts/testenv.sh pg-up)
export EIDBRIDGE_TEST_POSTGRES

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi
go vet ./...

# One package at a time: integration tests share pcscd's vpcd readers, and
# one of them restarts pcscd (allowed only when this script owns pcscd).
export EIDBRIDGE_PCSC_TESTS=1
EIDBRIDGE_PCSCD_RESTART=$(scripts/testenv.sh owned)
export EIDBRIDGE_PCSCD_RESTART
go test -p 1 -count=1 "$@" ./...

# The portal's whole suite again, on PostgreSQL instead of SQLite.
EIDBRIDGE_TEST_PORTAL_POSTGRES=1 go test -count=1 "$@" ./portal

# The pcsc tests again, through pcscd, on the backend of a binary built
# without cgo (purego), which is what the macOS binary uses.
CGO_ENABLED=0 go test -count=1 "$@" ./pcsc

# The Windows and macOS binaries (and the MSI) build here.
packaging/cross.sh test "$xdist"
