#!/usr/bin/env bash
# stage-nm.sh BINARY DIR [LAUNCHER]: the native-messaging files of the
# packages, made by the binary's own `nm-host install` for a scratch home
# and then pointed at the installed launcher: DIR/nm-host (the Linux
# launcher, installed as /usr/lib/eidbridge/nm-host, running
# /usr/bin/eidbridge nm-host), DIR/chromium.json (Chrome, Chromium, Edge,
# Brave) and DIR/firefox.json naming LAUNCHER (default that path; the MSI
# gives nm-host.bat, relative to the manifest as Windows allows).
set -euo pipefail
bin=$1 out=$2
host=be.eidbridge.nm
launcher=${3:-/usr/lib/eidbridge/nm-host}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# EIDBRIDGE_NM_ARGS adds nm-host install options, e.g. the store-published
# extensions' IDs: --chrome-id ID --firefox-id ID.
# shellcheck disable=SC2086
HOME=$scratch XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data \
	"$bin" nm-host install --binary /usr/bin/eidbridge ${EIDBRIDGE_NM_ARGS:-} >/dev/null
made=$scratch/data/eidbridge/nm-host
mkdir -p "$out"
cp "$made" "$out/nm-host"
sed "s|\"$made\"|\"$launcher\"|" "$scratch/config/google-chrome/NativeMessagingHosts/$host.json" >"$out/chromium.json"
sed "s|\"$made\"|\"$launcher\"|" "$scratch/.mozilla/native-messaging-hosts/$host.json" >"$out/firefox.json"
for f in "$out/chromium.json" "$out/firefox.json"; do
	if ! grep -q "\"$launcher\"" "$f"; then
		echo "stage-nm.sh: $f does not name $launcher (did nm-host install change its layout?)" >&2
		exit 1
	fi
done
if ! grep -q '/usr/bin/eidbridge' "$out/nm-host"; then
	echo "stage-nm.sh: the launcher does not run /usr/bin/eidbridge" >&2
	exit 1
fi
