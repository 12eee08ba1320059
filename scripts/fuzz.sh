#!/usr/bin/env bash
# Runs every fuzz target of the module for a bounded time each and exits
# non-zero on the first finding (the failing input is written by go test
# to the package's testdata/fuzz/<Target>/, where it becomes a seed: fix
# the bug, keep the file). Not part of .ci/run; run it separately:
#
#   scripts/fuzz.sh                  # every target, 30s each
#   FUZZTIME=5m scripts/fuzz.sh      # longer
#   FUZZTIME=10s scripts/fuzz.sh ./server   # only the targets of ./server
#
# FUZZPARALLEL sets the fuzzing workers per target (default: GOMAXPROCS).
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-30s}
parallel=()
if [ -n "${FUZZPARALLEL:-}" ]; then
  parallel=(-parallel "$FUZZPARALLEL")
fi
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
  pkgs=(./...)
fi

status=0
ran=0
for pkg in $(go list "${pkgs[@]}"); do
  targets=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
  for target in $targets; do
    ran=$((ran + 1))
    echo "== $pkg $target ($fuzztime)"
    log=$(mktemp)
    if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "${parallel[@]}" "$pkg" 2>&1 | tee "$log" | grep -v '^fuzz: elapsed' ; [ "${PIPESTATUS[0]}" -ne 0 ]; then
      echo "!! $target found a failure (see above)" >&2
      status=1
    fi
    grep '^fuzz: elapsed' "$log" | tail -1 || true
    rm -f "$log"
    if [ $status -ne 0 ]; then
      exit $status
    fi
  done
done
echo "== $ran fuzz targets ran for $fuzztime each, no findings"
