#!/usr/bin/env bash
# Times `eidbridge card read` through pcscd against a virtual card served
# with and without TCP quick ACKs on its vpcd socket. The second build
# swaps eid/virtualcard/vpcd/quickack_linux.go for a no-op with
# `go build -overlay`, so no source file changes. Usage:
#
#	bench/quickack.sh [FIXTURE] [RUNS]     (default citizen-1.8, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

fixture=${1:-citizen-1.8}
runs=${2:-5}
bench_setup
cat >"$work/noquickack.go" <<'EOF'
package vpcd

import "net"

func quickAck(net.Conn) {}
EOF
printf '{"Replace":{"%s":"%s"}}\n' "$PWD/eid/virtualcard/vpcd/quickack_linux.go" "$work/noquickack.go" >"$work/overlay.json"
go build -overlay "$work/overlay.json" -o "$work/eidbridge-noquickack" ./cmd/eidbridge
need_empty_reader "$eb"

# time_reads CARD_BINARY: median wall time of RUNS `card read`, in ms; the
# reading side is the same binary both times.
time_reads() {
	local card_bin=$1 dir=$work/profile times=()
	rm -rf "$dir" && cp -r "$FIXTURES_DIR/$fixture" "$dir"
	start_vcard "$card_bin" "$dir" /dev/null
	for _ in $(seq 1 "$runs"); do
		local t0 t1
		t0=$(date +%s%N)
		"$eb" card read --reader "$READER" >/dev/null
		t1=$(date +%s%N)
		times+=($(((t1 - t0) / 1000000)))
	done
	stop_vcard "$eb"
	printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

echo "full read of $fixture through pcscd, median of $runs runs:"
echo "  with TCP_QUICKACK:    $(time_reads "$work/eidbridge") ms"
echo "  without TCP_QUICKACK: $(time_reads "$work/eidbridge-noquickack") ms"
