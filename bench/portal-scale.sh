#!/usr/bin/env bash
# Prints the portal table of docs/performance.md ("Several instances"):
# logins and online renewals per second through separate `eidbridge
# portal` processes, each held to one core, on SQLite (one instance) and
# on PostgreSQL (one and two instances), interleaved for ROUNDS rounds
# (default 5) of 8 s each. Run it on an otherwise idle machine: the
# instances, the database and the client share its cores.
#
#	bench/portal-scale.sh [ROUNDS]
#
# PostgreSQL is the tests' throw-away cluster (scripts/testenv.sh pg-up);
# each run makes a database of its own and drops it. Per-run lines go to
# stderr, the table to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

rounds=${1:-5}
bench_setup
go build -o "$work/portalscale" ./bench/portalscale
command -v taskset >/dev/null || die "taskset not found (Debian package util-linux)"
db=$(scripts/testenv.sh pg-up)
"$work/portalscale" -eidbridge "$eb" -db "$db" -op both -compare "$rounds" -duration 8s -warmup 2s
