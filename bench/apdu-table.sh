#!/usr/bin/env bash
# Prints the APDU table of docs/performance.md: for the applet 1.7 and 1.8
# citizen fixtures, what a full read costs with eidbridge, with OpenSC,
# and at the lower bound. Both readers are counted by the virtual card
# itself (`vcard run --trace`), so they are measured the same way.
#
# Needs pcscd with vsmartcard-vpcd (as after `make test` setup) and
# OpenSC; uses the first vpcd reader, which must be empty (BENCH_READER and
# BENCH_VPCD choose another: "Virtual PCD 00 01" and 127.0.0.1:35964).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

command -v opensc-explorer >/dev/null || die "opensc-explorer not found: install OpenSC (make deps)"
bench_setup
go build -o "$work/apdutable" ./bench/apdutable
need_empty_reader "$eb"

# OpenSC numbers readers itself; find the index of ours.
osc_reader=$(opensc-tool --list-readers | awk -v r="$READER" 'index($0, r) { print $1 }')
[ -n "$osc_reader" ] || die "opensc-tool does not list \"$READER\""

# opensc_script APPLET: an opensc-explorer script that reads the files a
# full eidbridge read covers (4040 exists on applet 1.8 only).
opensc_script() {
	echo "cd DF01"
	for f in 4031 4032 4033 4034 4035; do echo "cat $f"; done
	[ "$1" = 1.8 ] && echo "cat 4040"
	echo "cd .."
	echo "cd DF00"
	for f in 5038 5039 503A 503B 503C; do echo "cat $f"; done
}

# measure NAME: reads the fixture NAME once with each reader and prints
# its table row.
measure() {
	local name=$1 dir=$work/$1 trace=$work/$1.trace
	cp -r "$FIXTURES_DIR/$name" "$dir" # vcard run saves its PIN counter
	local applet
	applet=$(sed -n 's/.*"applet": *"\([0-9.]*\)".*/\1/p' "$dir/card.json")
	start_vcard "$eb" "$dir" "$trace"

	: >"$trace" # drop the APDUs of the presence check
	"$eb" card read --json --reader "$READER" >/dev/null
	cp "$trace" "$trace.ours" && : >"$trace" # the card keeps the file open

	opensc_script "$applet" >"$work/$name.osc"
	# A fresh HOME: no OpenSC file cache may answer for the card.
	HOME=$work XDG_CACHE_HOME=$work/cache opensc-explorer --reader "$osc_reader" "$work/$name.osc" >/dev/null
	cp "$trace" "$trace.opensc"
	stop_vcard "$eb"

	"$work/apdutable" row "$name" "$dir" "$trace.ours" "$trace.opensc"
}

"$work/apdutable" header
measure citizen-1.7
measure citizen-1.8
