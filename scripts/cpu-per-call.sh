#!/usr/bin/env bash
# Measures the server process's CPU time per verified call, for the peer
# benchmark's raw floor and for examples/benchserver, in alternating rounds.
# Throughput on a shared machine follows whatever share of the cores each
# run gets; CPU time per call does not, and under full load it is what
# decides throughput. Figures in docs/performance.md come from it.
#
#   scripts/cpu-per-call.sh                  # single, 5 rounds
#   MODE=batch ROUNDS=3 scripts/cpu-per-call.sh
#   MODE=ws scripts/cpu-per-call.sh
#
# It needs ../shared/peerbench built (its run.sh builds bin/peerbench) or
# PEERBENCH pointing at that binary. Linux only (/proc/PID/stat).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${MODE:-single}
rounds=${ROUNDS:-5}
duration=${DURATION:-5s}
pb=${PEERBENCH:-../shared/peerbench/bin/peerbench}
if [ ! -x "$pb" ]; then
	echo "no peerbench binary at $pb: run ../shared/peerbench/run.sh once, or set PEERBENCH" >&2
	exit 2
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/benchserver" ./examples/benchserver
ticks=$(getconf CLK_TCK)

cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure NAME URL CMD...: starts the server, warms it up, drives it for
# $duration, prints calls and CPU microseconds per call.
measure() {
	local name=$1 url=$2
	shift 2
	"$@" >/dev/null 2>&1 &
	local pid=$!
	local args=(-c 32 -url "$url")
	case $mode in
	batch) args+=(-mode batch -k 100) ;;
	ws) args+=(-mode ws -depth 4) ;;
	esac
	for _ in $(seq 50); do # wait for the listener
		"$pb" load "${args[@]}" -check >/dev/null 2>&1 && break
		sleep 0.1
	done
	"$pb" load "${args[@]}" -warmup 0.5s -d 0.1s >/dev/null 2>&1 || true
	local c0 out c1 calls
	c0=$(cputicks "$pid")
	out=$("$pb" load "${args[@]}" -warmup 0s -d "$duration" 2>&1 || true)
	c1=$(cputicks "$pid")
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	calls=$(grep -oE 'calls=[0-9]+' <<<"$out" | tail -1 | cut -d= -f2)
	if ! grep -q 'status=OK' <<<"$out" || [ -z "$calls" ] || [ "$calls" -eq 0 ]; then
		echo "$name: the load generator failed:" >&2
		echo "$out" >&2
		exit 1
	fi
	awk -v n="$name" -v c="$calls" -v t=$((c1 - c0)) -v hz="$ticks" \
		'BEGIN { printf "%-10s %9d calls  %8.2f µs CPU per call\n", n, c, t * 1e6 / hz / c }'
}

raw_url=http://127.0.0.1:18301/rpc
srpc_url=http://127.0.0.1:18302/rpc
if [ "$mode" = ws ]; then
	raw_url=ws://127.0.0.1:18301/ws
	srpc_url=ws://127.0.0.1:18302/rpc
fi
echo "mode $mode, $rounds rounds of $duration, $(nproc) CPUs"
for r in $(seq "$rounds"); do
	echo "round $r"
	measure raw "$raw_url" "$pb" raw -addr 127.0.0.1:18301
	measure schemarpc "$srpc_url" "$bin/benchserver" -addr 127.0.0.1:18302 -read-timeout 0 -write-timeout 0
done
