#!/usr/bin/env bash
# Measures the idle cost of `eidbridge run` against pcscd with a virtual
# card in the first vpcd reader: CPU time, context switches (summed over
# every thread: each is a wake-up) and APDUs over IDLE seconds, idle RSS,
# then RSS and the same counters with CONNS idle websocket connections
# held for CONNS_SECONDS. Usage:
#
#	bench/agent-idle.sh [IDLE] [CONNS] [CONNS_SECONDS]   (default 60 500 10)
#
# Needs pcscd with vsmartcard-vpcd; the first vpcd reader must be empty
# (BENCH_READER and BENCH_VPCD choose another, see bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

idle=${1:-60}
conns=${2:-500}
conns_seconds=${3:-10}
work=$(mktemp -d)
VCARD_PID=
AGENT_PID=
cleanup() {
	[ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
	stop_vcard "$work/eidbridge"
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/eidbridge" ./cmd/eidbridge
eb=$work/eidbridge
need_empty_reader "$eb"
cp -r "$FIXTURES_DIR/citizen-1.8" "$work/card"
start_vcard "$eb" "$work/card" "$work/trace"

# free_port: a loopback port no socket uses.
free_port() {
	local p hex
	while :; do
		p=$((20000 + RANDOM % 30000))
		hex=$(printf ':%04X ' "$p")
		grep -q "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$p"; return; }
	done
}
port=$(free_port)
origin=http://127.0.0.1:8443
HOME=$work XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state \
	"$eb" run --ui exec:/bin/false --port "$port" --allow-origin "$origin" 2>"$work/agent.log" &
AGENT_PID=$!
for _ in $(seq 1 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
	sleep 0.1
done
sleep 2 # let it settle: the watcher has reported the card

tck=$(getconf CLK_TCK)
# cpu_ms: user+system time of the whole process, in ms.
cpu_ms() { awk -v t="$tck" '{ print int(($14 + $15) * 1000 / t) }' "/proc/$AGENT_PID/stat"; }
# switches: voluntary and involuntary context switches of all threads,
# then those of the threads sleeping in poll(2): pcsc-lite's client waits
# there for pcscd's answer to SCardGetStatusChange, so those wake-ups are
# PC/SC events (any application connecting to a card in any reader is
# one), not the agent's own.
switches() {
	local t v n pv=0 sv=0 sn=0
	for t in /proc/"$AGENT_PID"/task/*; do
		read -r v n < <(awk '/^voluntary_ctxt/ { v = $2 } /^nonvoluntary_ctxt/ { n = $2 } END { print v, n }' "$t/status")
		sv=$((sv + v)) sn=$((sn + n))
		case $(cat "$t/wchan" 2>/dev/null) in *poll*) pv=$((pv + v + n)) ;; esac
	done
	echo "$sv $sn $pv"
}
# rss: resident KiB, all of it and the private (anonymous) part; the
# rest is the binary's mapped pages, shared with other processes.
rss() { awk '/^VmRSS/ { r = $2 } /^RssAnon/ { a = $2 } END { printf "%d KiB (%d KiB private)", r, a }' "/proc/$AGENT_PID/status"; }
threads() { ls "/proc/$AGENT_PID/task" | wc -l; }
apdus() { wc -l <"$work/trace"; }

# measure SECONDS LABEL: the counters over SECONDS of doing nothing.
measure() {
	local c0 s0 a0 c1 s1 a1
	c0=$(cpu_ms) s0=$(switches) a0=$(apdus)
	sleep "$1"
	c1=$(cpu_ms) s1=$(switches) a1=$(apdus)
	read -r v0 n0 p0 <<<"$s0"
	read -r v1 n1 p1 <<<"$s1"
	printf '%s over %ss: CPU %d ms, context switches %d voluntary + %d involuntary (%d in the PC/SC wait), APDUs %d; RSS %s, %d threads\n' \
		"$2" "$1" $((c1 - c0)) $((v1 - v0)) $((n1 - n0)) $((p1 - p0)) $((a1 - a0)) "$(rss)" "$(threads)"
}

measure "$idle" "idle, card present"

# Open the connections as a browser would: handshake, then nothing.
fds=()
for i in $(seq 1 "$conns"); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$port"
	printf 'GET /v1 HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: %s\r\n\r\n' \
		"$port" "$origin" >&"$fd"
	read -r -t 5 -u "$fd" status || die "connection $i: no answer"
	case $status in "HTTP/1.1 101"*) ;; *) die "connection $i: $status" ;; esac
	fds+=("$fd")
done
sleep 1
measure "$conns_seconds" "$conns idle connections"
for fd in "${fds[@]}"; do exec {fd}>&-; done
