#!/usr/bin/env bash
# make demo: a virtual Belgian eID (applet 1.8 by default) in vpcd's reader,
# read by eidbridge through the real pcscd, every signature verified.
# DEMO_APPLET=1.7 picks an RSA card.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/testenv.sh up
work=$(mktemp -d)
vcard_pid=
cleanup() {
	[ -n "$vcard_pid" ] && kill "$vcard_pid" 2>/dev/null && wait "$vcard_pid" 2>/dev/null
	rm -rf "$work"
	scripts/testenv.sh down
}
trap cleanup EXIT

bin/eidbridge vcard init "$work/card" --applet "${DEMO_APPLET:-1.8}" \
	--surname "Peeters" --given-names "Jan Maria" >/dev/null
bin/eidbridge vcard run "$work/card" 2>"$work/vcard.log" &
vcard_pid=$!

echo "== readers"
for _ in $(seq 1 50); do
	bin/eidbridge card list 2>/dev/null | grep -q "Belgian eID" && break
	sleep 0.1
done
bin/eidbridge card list
echo
echo "== the card, read through pcscd (trusting the virtual card's test root)"
bin/eidbridge card read --trust "$work/card/root-ca.pem" --photo "$work/photo.jpg"
