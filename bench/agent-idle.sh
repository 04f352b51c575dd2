#!/usr/bin/env bash
# Measures what `eidbridge run` costs while it waits, and what every start
# of the binary costs. Usage:
#
#	bench/agent-idle.sh --footprint [IDLE] [RUNS]          (default 10 21)
#	bench/agent-idle.sh [IDLE] [CONNS] [CONNS_SECONDS]     (default 60 500 10)
#
# The footprint, printed first in both forms: the package initialisation
# of the binary (GODEBUG=inittrace=1: what every subcommand pays before it
# starts), the agent's RSS (VmRSS, RssAnon) and CPU ticks over IDLE
# seconds of waiting without a card, and the time from starting a process
# to its first byte on stdout (median of RUNS) for `version` and for
# `nm-host` as the browser starts it, with the agent running ("ready")
# and without ("unavailable"). It needs no card, and no pcscd.
#
# Without --footprint it then runs the agent against pcscd with a virtual
# card in the first vpcd reader: CPU time, context switches (summed over
# every thread: each is a wake-up) and APDUs over IDLE seconds, idle RSS,
# then RSS and the same counters with CONNS idle websocket connections
# held for CONNS_SECONDS. That needs pcscd with vsmartcard-vpcd; the first
# vpcd reader must be empty (BENCH_READER and BENCH_VPCD choose another,
# see bench/lib.sh).
#
# BENCH_EIDBRIDGE=PATH measures that binary instead of building one (an
# older build, for a before/after comparison). Everything runs with a
# scratch HOME and XDG directories, never the user's configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

footprint_only=
if [ "${1:-}" = --footprint ]; then
	footprint_only=1
	shift
	idle=${1:-10}
	runs=${2:-21}
else
	idle=${1:-60}
	conns=${2:-500}
	conns_seconds=${3:-10}
	runs=21
fi
work=$(mktemp -d)
VCARD_PID=
AGENT_PID=
stop_agent() {
	[ -n "$AGENT_PID" ] || return 0
	kill "$AGENT_PID" 2>/dev/null || true
	wait "$AGENT_PID" 2>/dev/null || true
	AGENT_PID=
}
cleanup() {
	stop_agent
	stop_vcard "$work/eidbridge"
	rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${BENCH_EIDBRIDGE:-}" ]; then
	cp "$BENCH_EIDBRIDGE" "$work/eidbridge"
else
	go build -o "$work/eidbridge" ./cmd/eidbridge
fi
go build -o "$work/firstbyte" ./bench/firstbyte
eb=$work/eidbridge
# A file just written sits in the page cache in large folios, which the
# kernel maps whole: the binary's resident pages would count about 4 MiB
# more than those of an installed binary read from disk. Drop them.
sync "$eb"
dd if="$eb" iflag=nocache count=0 status=none
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state XDG_CACHE_HOME=$work/cache

# free_port: a loopback port no socket uses.
free_port() {
	local p hex
	while :; do
		p=$((20000 + RANDOM % 30000))
		hex=$(printf ':%04X ' "$p")
		grep -q "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$p"; return; }
	done
}
origin=http://127.0.0.1:8443
# start_agent: `eidbridge run` on a free port ($port), in the background
# (AGENT_PID); returns once it listens and has settled (the watcher has
# reported the card).
start_agent() {
	port=$(free_port)
	"$eb" run --ui exec:/bin/false --port "$port" --allow-origin "$origin" 2>>"$work/agent.log" &
	AGENT_PID=$!
	for _ in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		kill -0 "$AGENT_PID" 2>/dev/null || { cat "$work/agent.log" >&2; die "eidbridge run exited"; }
		sleep 0.1
	done
	sleep 2
}

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

# Footprint.
# The package initialisation is the same for every subcommand; its
# allocations are the same every run, its time (median of 5) is not.
for _ in 1 2 3 4 5; do
	GODEBUG=inittrace=1 "$eb" version 2>"$work/inittrace" >/dev/null
	awk '/^init / { c += $5 } END { print c }' "$work/inittrace"
done | sort -n | sed -n 3p >"$work/initclock"
awk -v ms="$(cat "$work/initclock")" '/^init / { n++; b += $(NF-3); a += $(NF-1); if ($(NF-3) > mb) { mb = $(NF-3); mp = $2 } }
	END { printf "package initialisation: %d packages, %d bytes in %d allocations, %.1f ms; the largest: %s, %d bytes\n", n, b, a, ms, mp, mb }' \
	"$work/inittrace"
if "$eb" card list >/dev/null 2>&1; then pcscd_state="pcscd answering"; else pcscd_state="pcscd not answering"; fi
start_agent
t0=$(awk '{ print $14 + $15 }' "/proc/$AGENT_PID/stat")
sleep "$idle"
t1=$(awk '{ print $14 + $15 }' "/proc/$AGENT_PID/stat")
printf 'eidbridge run, idle without a card (%s) over %ss: %d CPU ticks of 1/%d s; RSS %s, %d threads\n' \
	"$pcscd_state" "$idle" $((t1 - t0)) "$tck" "$(rss)" "$(threads)"
printf 'first byte, eidbridge version: %s\n' "$("$work/firstbyte" "$runs" "$eb" version)"
nmhost=("$eb" nm-host chrome-extension://abcdefghijklmnopabcdefghijklmnop/)
printf 'first byte, eidbridge nm-host, agent running: %s\n' "$("$work/firstbyte" -hello "$origin" "$runs" "${nmhost[@]}")"
stop_agent
printf 'first byte, eidbridge nm-host, no agent: %s\n' "$("$work/firstbyte" -hello "$origin" "$runs" "${nmhost[@]}")"
[ -z "$footprint_only" ] || exit 0

# With a card.
need_empty_reader "$eb"
cp -r "$FIXTURES_DIR/citizen-1.8" "$work/card"
start_vcard "$eb" "$work/card" "$work/trace"
start_agent
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
