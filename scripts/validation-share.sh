#!/usr/bin/env bash
# Counts the instructions of one call of each realistic-params workload
# (internal/realistic) through Server.Handle, with validation on and off,
# and prints the share of a validated call that validation takes. Counts
# come from valgrind's cachegrind and do not move with the machine's load:
# each is the difference between a run of N2 calls and one of N1 calls,
# divided by N2-N1 (10,000 calls apart, 600 for the large order), with the
# garbage collector off (allocation is counted, collection is not) and one
# P. Figures in docs/performance.md come from it.
#
#   scripts/validation-share.sh                  # flat, order, large_order
#   OPS="decode checked validator" scripts/validation-share.sh
#   MODE=time ROUNDS=10 scripts/validation-share.sh
#
# MODE=time measures wall time instead, in ROUNDS rounds that alternate the
# operations, and keeps each one's fastest round: on a shared machine the
# fastest is the one least disturbed. Instruction counts need valgrind
# (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${MODE:-instructions}
if [ "$mode" != time ] && ! command -v valgrind >/dev/null; then
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

# fastest WORKLOAD OP...: the fastest round of each op, in ns per call,
# one line each ("op ns"), the ops alternating round by round.
fastest() {
	local w=$1 n
	shift
	case $w in # about 0.3 s a run
	flat) n=300000 ;;
	order) n=30000 ;;
	*) n=2000 ;;
	esac
	for _ in $(seq "${ROUNDS:-10}"); do
		for op in "$@"; do
			echo "$op $("$bin/callcost" -workload "$w" -op "$op" -n $n -time)"
		done
	done | awk '{ if (!($1 in m) || $2 < m[$1]) m[$1] = $2 } END { for (k in m) print k, m[k] }'
}

# perCall WORKLOAD OP: instructions per call.
perCall() {
	local n1 n2 a b
	n1=100 n2=10100
	if [ "$1" = large_order ]; then n1=10 n2=610; fi
	a=$(count "$1" "$2" $n1)
	b=$(count "$1" "$2" $n2)
	echo $(((b - a) / (n2 - n1)))
}

ops=${OPS:-}
for w in ${WORKLOADS:-flat order large_order}; do
	if [ "$mode" = time ]; then
		fastest "$w" ${ops:-validated unvalidated} | sort | awk -v w="$w" '
			{ t[$1] = $2; printf "%-12s %-12s %10d ns per call (fastest round)\n", w, $1, $2 }
			END { if ("validated" in t && "unvalidated" in t)
				printf "%-12s validation %5.1f%% of the call\n", w, 100 * (t["validated"] - t["unvalidated"]) / t["validated"] }'
		continue
	fi
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
