#!/usr/bin/env bash
# sign.sh FILE...: Authenticode-signs Windows programs and MSIs in place
# with osslsigncode (SHA-256, RFC 3161 timestamp). The certificate comes
# from the environment, never from the repository:
#   SIGN_PKCS12=cert.pfx SIGN_PASSWORD_FILE=pass.txt   (a .pfx/.p12 from the CA), or
#   SIGN_CERT=cert.pem SIGN_KEY=key.pem                (PEM; with SIGN_PASSWORD_FILE if the key is encrypted)
#   SIGN_TIMESTAMP_URL  RFC 3161 server (default http://timestamp.digicert.com; empty: no timestamp)
# A hardware token (EV certificates) works through osslsigncode's -pkcs11engine
# and -pkcs11module options instead; see docs/install.md.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: sign.sh FILE..." >&2; exit 2; }
key=()
if [ -n "${SIGN_PKCS12:-}" ]; then
	key=(-pkcs12 "$SIGN_PKCS12")
elif [ -n "${SIGN_CERT:-}" ] && [ -n "${SIGN_KEY:-}" ]; then
	key=(-certs "$SIGN_CERT" -key "$SIGN_KEY")
else
	echo "sign.sh: set SIGN_PKCS12, or SIGN_CERT and SIGN_KEY" >&2
	exit 2
fi
[ -n "${SIGN_PASSWORD_FILE:-}" ] && key+=(-readpass "$SIGN_PASSWORD_FILE")
ts=()
url=${SIGN_TIMESTAMP_URL-http://timestamp.digicert.com}
[ -n "$url" ] && ts=(-ts "$url")
for f in "$@"; do
	osslsigncode sign "${key[@]}" "${ts[@]}" -h sha256 -n eidbridge -i https://github.com/eidbridge/eidbridge \
		-in "$f" -out "$f.signed" >/dev/null
	mv "$f.signed" "$f"
	echo "signed $f"
done
