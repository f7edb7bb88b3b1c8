#!/usr/bin/env bash
# rules/run.sh BINARY: the rule files load as they should.
#   - rules/*.rules (kanshi's own and the event rules): every enabled rule loads (-T exits 0)
#   - ET Open 7.0.3 (../shared/rules/etopen/suricata-7.0.3): at least 97% of the rules load and
#     none fails (a rule kanshi rejects as wrong would be a parser bug: Suricata loads them all);
#     the unsupported ones are listed by keyword
#   - the fox-it Log4Shell rules: the three Suricata 7 rejects are rejected, at file:line:column
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=$1
et=../shared/rules/etopen/suricata-7.0.3
fox=../shared/pcaps/malware/log4shell/fox-it-log4shell-suricata.rules
fail=0
bad() { echo "rules: FAIL $*"; fail=$((fail + 1)); }

for f in rules/*.rules; do
    out=$("$bin" -T -S "$f" 2>&1) || bad "$f: $(echo "$out" | grep -v 'configuration OK' | tail -n 2)"
done

args=(-T -S /dev/null --set classification-file="$et/classification.config")
for f in "$et"/*.rules; do args+=(-s "$f"); done
out=$("$bin" "${args[@]}" 2>&1)
line=$(echo "$out" | grep ' rules loaded, ')
echo "rules: ET Open: $line"
read -r loaded failed unsup < <(echo "$line" | sed -n 's/.*: \([0-9]*\) rules loaded, \([0-9]*\) failed, \([0-9]*\) unsupported.*/\1 \2 \3/p')
total=$((loaded + failed + unsup))
[ "${failed:-1}" = 0 ] || bad "ET Open: $failed rules failed: $(echo "$out" | grep '(failed)' | head -n 3)"
awk -v l="$loaded" -v t="$total" 'BEGIN { exit !(t > 0 && l / t >= 0.97) }' ||
    bad "ET Open: only $loaded of $total rules load (97% needed)"

out=$("$bin" -T -S "$fox" 2>&1)
for where in "$fox:3:" "$fox:7:" "$fox:16:"; do
    echo "$out" | grep -q "^kanshi: error: $where" || bad "fox-it: no error reported at $where"
done
echo "$out" | grep -q ' 10 rules loaded, 3 failed' || bad "fox-it: $(echo "$out" | tail -n 1)"

pct=$(awk -v l="$loaded" -v t="$total" 'BEGIN { printf "%.2f", t ? 100 * l / t : 0 }')
echo "rules: ET Open $loaded of $total load ($pct%), $failed failed, $unsup unsupported; $fail problems"
[ $fail -eq 0 ]
