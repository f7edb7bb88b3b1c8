#!/usr/bin/env bash
# Alerts side by side with the reference Suricata 7, with the same ET Open rules, on real
# captures (the second half of `make compare`).
#   tools/compare_alerts.sh BINARY [NAME...]
# Captures: every capture under ../shared/pcaps/{malware,http,tls,dns,scan} (ZIPs with the usual
# "infected" password are extracted first) and every peer-suite pcap; with NAMEs, only those
# whose path contains one. Rules: ../shared/rules/etopen/suricata-7.0.3/*.rules, concatenated.
# Suricata loads the rules once and replays each capture through its unix socket (a run per
# capture would spend 15 s loading ET each time); kanshi runs once per capture. Then
# tools/compare_alerts.py matches alerts by (sid, protocol, the two endpoints in either order)
# and writes build/compare/alerts/report.txt. See docs/compare.md.
# Exit status: 0 whatever the differences; 1 when a sensor crashed or Suricata cannot run.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: tools/compare_alerts.sh BINARY [NAME...]" >&2; exit 2; }
kanshi=$(readlink -f "$1"); shift
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(readlink -f "$root/../shared")
et=$shared/rules/etopen/suricata-7.0.3
out=${COMPARE_OUT:-$root/build/compare}/alerts
command -v suricata >/dev/null && command -v suricatasc >/dev/null ||
    { echo "compare-alerts: suricata and suricatasc are needed (install-suricata.sh)" >&2; exit 1; }

rm -rf "$out"; mkdir -p "$out/captures" "$out/suricata"
cat "$et"/*.rules > "$out/et.rules"

# 1. the captures, in a stable order, each with a short unique name
list=$out/captures.txt; : > "$list"
add() { # path
    local rel=${1#"$shared"/} keep=yes n
    if [ ${#names[@]} -gt 0 ]; then
        keep=no; for n in "${names[@]}"; do [[ $rel == *"$n"* ]] && keep=yes; done
    fi
    [ $keep = yes ] && printf '%s\t%s\n' "$(printf '%s' "$rel" | tr '/ ' '__')" "$1" >> "$list"
    return 0
}
names=("$@")
while IFS= read -r f; do
    case $f in
        *.zip) d=$out/captures/$(basename "$f" .zip)
               mkdir -p "$d"; unzip -qq -o -P infected "$f" -d "$d" 2>/dev/null || continue
               while IFS= read -r x; do add "$x"; done < <(find "$d" -type f | sort) ;;
        *.pcap|*.pcapng|*.cap) add "$f" ;;
    esac
done < <(find "$shared"/pcaps/{malware,http,tls,dns,scan} "$shared/peer-suite/tests" -type f | sort)
n=$(wc -l < "$list")
echo "compare-alerts: $n captures, $(grep -c '^alert' "$out/et.rules") ET Open rules -> $out"

# 2. Suricata: one process, rules loaded once, one pcap-file command per capture
conf=$out/suricata.yaml
sed -e 's/^\( *\)community-id: false/\1community-id: true/' /etc/suricata/suricata.yaml > "$conf"
sock=$out/suricata.sock
suricata -c "$conf" --unix-socket="$sock" -k none --runmode single \
    --set detect.rule-reload=false --set classification-file="$et/classification.config" \
    --set reference-config-file=/etc/suricata/reference.config \
    -S "$out/et.rules" -l "$out/suricata" > "$out/suricata/run.log" 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    suricatasc -c version "$sock" >/dev/null 2>&1 && break
    kill -0 $spid 2>/dev/null || { echo "compare-alerts: Suricata did not start (see $out/suricata/run.log)" >&2; exit 1; }
    sleep 1
done
while IFS=$'\t' read -r name path; do
    mkdir -p "$out/$name/suricata"
    suricatasc -c "pcap-file $path $out/$name/suricata" "$sock" >/dev/null
done < "$list"
for _ in $(seq 1 1800); do # the queue, then the file in progress
    left=$(suricatasc -c pcap-file-number "$sock" 2>/dev/null | sed -n 's/.*"message": \([0-9]*\).*/\1/p')
    cur=$(suricatasc -c pcap-current "$sock" 2>/dev/null || true)
    [ "${left:-1}" = 0 ] && [[ $cur == *'"None"'* ]] && break
    sleep 1
done
suricatasc -c shutdown "$sock" >/dev/null 2>&1 || true
wait $spid || true
trap - EXIT

# 3. kanshi: one run per capture, same rules, same classification
crashed=0
while IFS=$'\t' read -r name path; do
    mkdir -p "$out/$name/kanshi"
    rc=0
    TZ=UTC "$kanshi" -q -r "$path" -S "$out/et.rules" -l "$out/$name/kanshi" \
        --set classification-file="$et/classification.config" > "$out/$name/kanshi.log" 2>&1 || rc=$?
    if [ $rc -ge 128 ]; then echo "compare-alerts: kanshi crashed on $path" >&2; crashed=1; fi
    printf '.'
done < "$list"
echo
/usr/bin/python3 "$root/tools/compare_alerts.py" "$out" "$out/et.rules"
exit $crashed
