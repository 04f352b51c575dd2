#!/usr/bin/env bash
# Brings up what the integration tests need: the Debian packages, and
# pcscd with vsmartcard's vpcd reader. `up` installs what the tests need
# and starts pcscd only when it is not running, and remembers that it did;
# `pcscd-up` does the same with only what the demo's --pcsc needs;
# `build-deps` installs what the build needs; `down` stops only what an
# `up` started. `pg-up` starts a throw-away PostgreSQL cluster on loopback
# for the portal's storage tests and prints its URL; `pg-down` stops it
# and deletes it.
set -euo pipefail

# BUILD_PACKAGES build bin/eidbridge (cgo over pcsc-lite): make build and
# make demo install these and nothing more. TEST_PACKAGES are what the
# tests run: pcscd with the vpcd reader, OpenSC, Node.js for the
# JavaScript, Chromium for the browser tests, Xvfb and zenity for the
# dialog screenshots, wixl/msitools/osslsigncode for the MSI, rpm,
# wine64 for the Windows binary, PostgreSQL for the portal's shared
# database and HAProxy to balance two portal instances; make test alone
# installs them, and a test fails loudly without its tool.
BUILD_PACKAGES=(gcc libc6-dev pkg-config libpcsclite-dev)
TEST_PACKAGES=(pcscd vsmartcard-vpcd opensc nodejs chromium xvfb zenity wixl msitools osslsigncode rpm wine64 postgresql haproxy)
# Installed without their recommended packages: the Wine tests need no
# Mono, Gecko or fonts, and this keeps wine64 to about a dozen packages.
LEAN_PACKAGES=(wine64)
STATE_DIR="${EIDBRIDGE_TESTENV_DIR:-${TMPDIR:-/tmp}/eidbridge-testenv}"
VPCD_PORT_HEX=8C7B # 35963, the first vpcd reader
# The test cluster: Debian 12's PostgreSQL, on loopback, on a port no
# other service uses by default.
PG_BIN="${EIDBRIDGE_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${EIDBRIDGE_PG_PORT:-55433}"
PG_DIR="$STATE_DIR/postgres"

log() { echo "testenv: $*" >&2; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# install_packages installs those of its arguments that are missing, in
# one apt transaction (and the lean ones in a second).
install_packages() {
	if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
		log "apt is not available on this system. Install by hand: a C compiler, pkg-config,"
		log "pcsc-lite (pcscd and its headers), vsmartcard's vpcd, OpenSC, Node.js 18 or"
		log "later and Chromium (and for the packaging tests wixl, msitools, osslsigncode,"
		log "rpm and wine64; for the portal PostgreSQL 15 and HAProxy), then run again."
		exit 1
	fi
	local p plain=() lean=()
	for p in "$@"; do
		installed "$p" && continue
		if [[ " ${LEAN_PACKAGES[*]} " == *" $p "* ]]; then lean+=("$p"); else plain+=("$p"); fi
	done
	[ ${#plain[@]} -eq 0 ] && [ ${#lean[@]} -eq 0 ] && return 0
	log "installing: ${plain[*]} ${lean[*]}"
	as_root apt-get update -qq
	if [ ${#plain[@]} -gt 0 ]; then
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${plain[@]}" >/dev/null
	fi
	if [ ${#lean[@]} -gt 0 ]; then
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
	fi
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

# as_pg runs a PostgreSQL tool as the cluster's owner: postgres refuses
# to run as root, so root hands it to the postgres user Debian's package
# creates.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_url() { echo "postgres://eidbridge@127.0.0.1:$PG_PORT/postgres?sslmode=disable"; }

# start_pg creates and starts the cluster unless this script's is already
# running: trust authentication, loopback only, no fsync (it is thrown
# away). It prints the URL.
start_pg() {
	if [ ! -x "$PG_BIN/pg_ctl" ]; then
		log "PostgreSQL is not installed ($PG_BIN/pg_ctl): run $0 test-deps"
		exit 1
	fi
	mkdir -p "$STATE_DIR"
	if [ -f "$PG_DIR/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
		pg_url
		return 0
	fi
	rm -rf "$PG_DIR"
	mkdir -m 700 "$PG_DIR"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
	log "starting a test PostgreSQL on 127.0.0.1:$PG_PORT"
	as_pg "$PG_BIN/initdb" -D "$PG_DIR" -U eidbridge -A trust --no-sync -E UTF8 --locale C.UTF-8 >/dev/null
	as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 30 \
		-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c max_connections=200" start >/dev/null
	pg_url
}

stop_pg() {
	[ -d "$PG_DIR" ] || return 0
	log "stopping the test PostgreSQL"
	as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$PG_DIR"
}

case "${1:-}" in
up)
	install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
	start_pcscd
	;;
pcscd-up)
	install_packages "${BUILD_PACKAGES[@]}" pcscd vsmartcard-vpcd
	start_pcscd
	;;
build-deps) install_packages "${BUILD_PACKAGES[@]}" ;;
test-deps) install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" ;;
down) stop_pcscd ;;
pg-up) start_pg ;;
pg-down) stop_pg ;;
owned) [ -f "$STATE_DIR/pcscd-started" ] && echo 1 || echo 0 ;;
*)
	echo "usage: $0 up|pcscd-up|build-deps|test-deps|down|owned|pg-up|pg-down" >&2
	exit 2
	;;
esac
