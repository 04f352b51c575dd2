# Shared by the bench scripts (sourced, not run): a virtual card in the
# first vpcd reader through the system's pcscd.

READER=${BENCH_READER:-Virtual PCD 00 00}
VPCD=${BENCH_VPCD:-127.0.0.1:35963}
FIXTURES_DIR=eid/virtualcard/testdata

# bench_setup: a scratch directory $work, removed on exit after stopping
# the card, with eidbridge built in it as $eb.
bench_setup() {
	work=$(mktemp -d)
	VCARD_PID=
	trap 'stop_vcard "$work/eidbridge"; rm -rf "$work"' EXIT
	go build -o "$work/eidbridge" ./cmd/eidbridge
	eb=$work/eidbridge
}

die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}

# need_empty_reader fails unless pcscd runs and the first vpcd reader is
# empty: a card left in it would be measured instead of ours.
need_empty_reader() {
	local eb=$1
	pgrep -x pcscd >/dev/null || die "pcscd is not running (make test starts it; or run: pcscd)"
	"$eb" card list | grep -q "^$READER: no card" ||
		die "\"$READER\" is not empty or not present; stop what uses vpcd port ${VPCD##*:}"
}

# start_vcard EIDBRIDGE PROFILE TRACE: runs `vcard run` in the background
# (pid in VCARD_PID) and waits until pcscd shows the card.
start_vcard() {
	local eb=$1 dir=$2 trace=$3
	"$eb" vcard run "$dir" --vpcd "$VPCD" --trace "$trace" 2>>"$dir.log" &
	VCARD_PID=$!
	for _ in $(seq 1 150); do
		"$eb" card list 2>/dev/null | grep -q "^$READER: Belgian eID" && return 0
		sleep 0.1
	done
	die "the virtual card did not appear in \"$READER\"; see $dir.log"
}

# stop_vcard: ends the card started by start_vcard and waits until pcscd
# sees the reader empty again.
stop_vcard() {
	local eb=$1
	[ -n "${VCARD_PID:-}" ] || return 0
	kill "$VCARD_PID" 2>/dev/null || true
	wait "$VCARD_PID" 2>/dev/null || true
	VCARD_PID=
	for _ in $(seq 1 150); do
		"$eb" card list 2>/dev/null | grep -q "^$READER: no card" && return 0
		sleep 0.1
	done
}
