#!/usr/bin/env bash
# peer.sh BINARY: runs Suricata's regression tests from ../shared/peer-suite through
# verify-run and prints its "N passed, N failed, N skipped" line. The tests listed in
# tests/peer-pass.txt passed before and must keep passing: losing one fails this script.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bin=$1
suite="$top/../shared/peer-suite"
cd "$top"
if [ ! -x "$suite/verify-run" ]; then
    echo "peer: $suite/verify-run not found (the shared folder sits beside the repository)"
    exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
/usr/bin/python3 "$suite/verify-run" -j 2 \
    --sensor "$bin -q -r {pcap} -S {rules} -l {outdir} -c {config} {args}" \
    "$suite/tests" >"$out" 2>&1 || true
grep -E '^(PASS|FAIL|SKIP) ' "$out" | sed 's/^/    /' | cut -c1-200 || true
summary=$(tail -n 1 "$out")
lost=0
while read -r name; do
    case "$name" in ''|'#'*) continue ;; esac
    if ! grep -q "^PASS $name:" "$out"; then
        echo "peer: $name passed before and does not pass now"
        lost=$((lost + 1))
    fi
done <"$top/tests/peer-pass.txt"
echo "peer: $summary"
[ "$lost" -eq 0 ]
