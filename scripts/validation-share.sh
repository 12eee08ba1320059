#!/usr/bin/env bash
# Counts the instructions of one call of each realistic-params workload
# (internal/realistic) through Server.Handle, with validation on and off,
# and prints the share of a validated call that validation takes. Counts
# come from valgrind's cachegrind and do not move with the machine's load:
# each is the difference between a run of N2 calls and one of N1 calls,
# divided by N2-N1, with the garbage collector off (allocation is counted,
# collection is not) and one P. Figures in docs/performance.md come from it.
#
#   scripts/validation-share.sh                  # flat, order, large_order
#   OPS="decode checked validator" scripts/validation-share.sh
#
# It needs valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
	echo "valgrind is not installed (apt-get install valgrind)" >&2
	exit 2
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/callcost" ./internal/cmd/callcost

# count WORKLOAD OP N: instructions of a run of N calls.
count() {
	GOGC=off GOMAXPROCS=1 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
		"$bin/callcost" -workload "$1" -op "$2" -n "$3" 2>&1 |
		awk '/I *refs:/ {gsub(",", "", $NF); print $NF}'
}

# perCall WORKLOAD OP: instructions per call.
perCall() {
	local n1 n2 a b
	n1=100 n2=1100
	if [ "$1" = large_order ]; then n1=10 n2=110; fi
	a=$(count "$1" "$2" $n1)
	b=$(count "$1" "$2" $n2)
	echo $(((b - a) / (n2 - n1)))
}

ops=${OPS:-}
for w in ${WORKLOADS:-flat order large_order}; do
	if [ -n "$ops" ]; then
		for op in $ops; do
			printf '%-12s %-12s %10d instructions per call\n' "$w" "$op" "$(perCall "$w" "$op")"
		done
		continue
	fi
	on=$(perCall "$w" validated)
	off=$(perCall "$w" unvalidated)
	awk -v w="$w" -v on="$on" -v off="$off" 'BEGIN {
		printf "%-12s validated %9d  unvalidated %9d  validation %5.1f%% of the call\n", w, on, off, 100 * (on - off) / on }'
done
