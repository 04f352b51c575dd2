#!/usr/bin/env bash
# Prints the signature table of docs/performance.md: for the applet 1.7
# and 1.8 citizen fixtures, what each kind of signature costs with
# eidbridge's eid package, with the `eidbridge card sign` command, with
# OpenSC's PKCS#11 module (applet 1.7 only: OpenSC 0.23 has no ECDSA for
# applet 1.8), and at the minimum. Everything is counted by the virtual
# card itself (`vcard run --trace`).
#
# Needs pcscd with vsmartcard-vpcd (as after `make test` setup) and
# OpenSC; uses the first vpcd reader, which must be empty (BENCH_READER and
# BENCH_VPCD choose another: "Virtual PCD 00 01" and 127.0.0.1:35964).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

command -v pkcs11-tool >/dev/null || die "pkcs11-tool not found: install OpenSC (make deps)"
module=
for m in /usr/lib/*/opensc-pkcs11.so /usr/lib/opensc-pkcs11.so; do
	[ -f "$m" ] && module=$m && break
done
[ -n "$module" ] || die "opensc-pkcs11.so not found: install OpenSC (make deps)"
bench_setup
go build -o "$work/signtable" ./bench/signtable
need_empty_reader "$eb"
PIN=1234 # the fixtures' PIN
printf 'signed for the table\n' >"$work/msg"
mkdir -p "$work/opensc"

# fresh_card NAME TRACE: (re)starts the fixture's card, so its PIN is not
# verified, and empties the trace of the presence check.
fresh_card() {
	stop_vcard "$eb"
	start_vcard "$eb" "$work/$1" "$2"
	: >"$2"
}

# opensc_sign SLOT: an authentication signature by OpenSC's PKCS#11
# module (key 02, the authentication key of the 1.7 fixture).
opensc_sign() {
	HOME=$work/opensc XDG_CACHE_HOME=$work/opensc/cache pkcs11-tool --module "$module" --slot "$((16#$1))" \
		--login --pin "$PIN" --sign --id 02 --mechanism SHA256-RSA-PKCS \
		--input-file "$work/msg" --output-file "$work/sig" >/dev/null 2>&1
}

# measure NAME APPLET HASH: every row of one card.
measure() {
	local name=$1 applet=$2 trace=$work/$1.trace
	cp -r "$FIXTURES_DIR/$name" "$work/$name" # vcard run saves its PIN counter
	"$work/signtable" minimum "$applet"

	fresh_card "$name" "$trace"
	echo "$PIN" | "$work/signtable" measure "$applet" "$READER" "$trace"

	fresh_card "$name" "$trace"
	"$eb" card sign --key auth --hash "$3" --reader "$READER" --pin-fd 3 "$work/msg" 3<<<"$PIN" >/dev/null
	"$work/signtable" row "$applet" '`eidbridge card sign --key auth`, whole process (eid.Open included)' "$trace"

	if [ "$applet" = 1.7 ]; then
		fresh_card "$name" "$trace"
		local slot
		slot=$(pkcs11-tool --module "$module" --list-slots |
			sed -n "s/^Slot [0-9]* (0x\([0-9a-f]*\)): $READER\$/\1/p")
		[ -n "$slot" ] || die "pkcs11-tool lists no slot for \"$READER\""
		# A fresh HOME: no OpenSC file cache may answer for the card the
		# first time; the second run (on a fresh card session) has it.
		opensc_sign "$slot"
		"$work/signtable" row "$applet" 'OpenSC `pkcs11-tool --login --sign` (authentication key), whole process, empty file cache' "$trace"
		fresh_card "$name" "$trace"
		opensc_sign "$slot"
		"$work/signtable" row "$applet" 'the same, second run (OpenSC file cache filled)' "$trace"
	fi
	stop_vcard "$eb"
}

"$work/signtable" header
measure citizen-1.7 1.7 sha256
measure citizen-1.8 1.8 sha384
