#!/usr/bin/env bash
# Brings up what the integration tests need: the Debian packages, and
# pcscd with vsmartcard's vpcd reader. `up` starts pcscd only when it is not
# running and remembers that it did; `down` stops only what `up` started.
set -euo pipefail

PACKAGES=(pcscd libpcsclite-dev vsmartcard-vpcd opensc)
# Optional: the browser tests need chromium, the MSI tests wixl, msitools
# and osslsigncode, the RPM tests rpm and the Windows tests under Wine
# wine64; each test says so loudly without its tool.
OPTIONAL_PACKAGES=(chromium wixl msitools osslsigncode rpm wine64)
# Installed without their recommended packages: the Wine tests need no
# Mono, Gecko or fonts, and this keeps wine64 to about a dozen packages.
LEAN_PACKAGES=(wine64)
STATE_DIR="${EIDBRIDGE_TESTENV_DIR:-${TMPDIR:-/tmp}/eidbridge-testenv}"
VPCD_PORT_HEX=8C7B # 35963, the first vpcd reader

log() { echo "testenv: $*" >&2; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing_packages() {
	local p
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
	done
}

install_packages() {
	if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
		log "apt is not available on this system. Install by hand: pcsc-lite (pcscd and"
		log "its development headers), vsmartcard's vpcd driver and OpenSC, then run again."
		exit 1
	fi
	local missing
	missing=$(missing_packages)
	[ -z "$missing" ] && return 0
	log "installing: $missing"
	as_root apt-get update -qq
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

install_optional() {
	local p updated=""
	local -a flags
	for p in "${OPTIONAL_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
		log "installing optional package: $p"
		flags=()
		[[ " ${LEAN_PACKAGES[*]} " == *" $p "* ]] && flags=(--no-install-recommends)
		{ { [ -n "$updated" ] || as_root apt-get update -qq; } && updated=1 &&
			as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${flags[@]}" "$p" >/dev/null; } ||
			log "WARNING: could not install $p; the tests that need it will fail"
	done
}

# pcscd_running ignores zombies: a pcscd killed by a test may linger as one.
pcscd_running() {
	ps -C pcscd -o stat= 2>/dev/null | grep -qv '^Z'
}

vpcd_listening() {
	grep -qi ":${VPCD_PORT_HEX} 00000000:0000 0A" /proc/net/tcp 2>/dev/null
}

start_pcscd() {
	mkdir -p "$STATE_DIR"
	if pcscd_running; then
		if vpcd_listening; then return 0; fi
		log "pcscd is running without the vpcd reader (installed after pcscd started?)."
		log "Restart it: sudo systemctl restart pcscd (or kill it and run this again)."
		exit 1
	fi
	log "starting pcscd"
	as_root pcscd
	touch "$STATE_DIR/pcscd-started"
	for _ in $(seq 1 50); do
		vpcd_listening && return 0
		sleep 0.1
	done
	log "pcscd started but the vpcd reader did not appear; see 'pcscd --foreground --debug'."
	exit 1
}

stop_pcscd() {
	[ -f "$STATE_DIR/pcscd-started" ] || return 0
	rm -f "$STATE_DIR/pcscd-started"
	log "stopping the pcscd this script started"
	as_root pkill -x pcscd || true
}

case "${1:-}" in
up)
	install_packages
	install_optional
	start_pcscd
	;;
deps) install_packages && install_optional ;;
down) stop_pcscd ;;
owned) [ -f "$STATE_DIR/pcscd-started" ] && echo 1 || echo 0 ;;
*)
	echo "usage: $0 up|deps|down|owned" >&2
	exit 2
	;;
esac
