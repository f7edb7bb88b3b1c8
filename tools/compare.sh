#!/usr/bin/env bash
# Flows side by side with the reference Suricata 7 on real captures (`make compare`).
#   tools/compare.sh BINARY [NAME...]
# Runs BINARY (build/kanshi) and Suricata, each capture on its own, over the captures listed in
# tools/compare-captures.txt (or only those whose name contains one of the NAMEs), writing
# build/compare/<name>/{kanshi,suricata}/, then tools/compare_flows.py matches their flow events
# and writes build/compare/report.txt; then tools/compare_alerts.sh compares alerts with ET Open
# on both sides (build/compare/alerts/report.txt). See docs/compare.md.
# Exit status: 0 whatever the differences (this is a measurement, not a gate); 1 when a sensor
# crashed (died from a signal) or when Suricata cannot be set up; 2 on a usage error.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: tools/compare.sh BINARY [NAME...]" >&2; exit 2; }
kanshi=$(readlink -f "$1"); shift
[ -x "$kanshi" ] || { echo "compare: $kanshi is not an executable (run make first)" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(readlink -f "$root/../shared")
pcaps=$shared/pcaps
list=$root/tools/compare-captures.txt
out=${COMPARE_OUT:-$root/build/compare}
python=/usr/bin/python3

# 1. the reference sensor
if ! command -v suricata >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "compare: Suricata is missing; installing it with $shared/tools/install-suricata.sh"
        "$shared/tools/install-suricata.sh"
    else
        echo "compare: Suricata is missing. Install it as root, then run make compare again:" >&2
        echo "    sudo $shared/tools/install-suricata.sh" >&2
        exit 1
    fi
fi
suri_version=$(suricata -V 2>/dev/null | sed -n 's/^This is Suricata version //p')
case $suri_version in
    7.*) ;;
    *) echo "compare: warning: Suricata ${suri_version:-?} is not the reference Suricata 7" >&2 ;;
esac

# 2. same flow timeouts on both sides: kanshi's defaults are Suricata's (suricata.yaml as
# shipped); suricata-ref.sh uses /etc/suricata/suricata.yaml, so check that it still has them
"$python" - /etc/suricata/suricata.yaml <<'EOF'
import sys, yaml
want = {"default": {"new": 30, "established": 300, "closed": 0},
        "tcp": {"new": 60, "established": 600, "closed": 60},
        "udp": {"new": 30, "established": 300},
        "icmp": {"new": 30, "established": 300}}
with open(sys.argv[1]) as fh:
    text = fh.read()
conf = yaml.safe_load(text.split("\n", 1)[1] if text.startswith("%YAML") else text)
have = conf.get("flow-timeouts") or {}
bad = ["%s.%s: %s (kanshi: %s)" % (c, k, (have.get(c) or {}).get(k), v)
       for c, kv in want.items() for k, v in kv.items() if (have.get(c) or {}).get(k) != v]
if bad:
    sys.stderr.write("compare: %s has flow-timeouts other than kanshi's defaults:\n    %s\n"
                     % (sys.argv[1], "\n    ".join(bad)))
    sys.exit(1)
EOF

# 3. the captures
names=() paths=()
while read -r path name _; do
    case $path in ''|'#'*) continue ;; esac
    if [ -z "${name:-}" ]; then
        name=${path%.*}; name=${name//\//-}
    fi
    if [ $# -gt 0 ]; then
        keep=no
        for want in "$@"; do [[ $name == *"$want"* ]] && keep=yes; done
        [ $keep = yes ] || continue
    fi
    [ -f "$pcaps/$path" ] || { echo "compare: $pcaps/$path: no such capture" >&2; exit 2; }
    names+=("$name"); paths+=("$pcaps/$path")
done < "$list"
[ ${#names[@]} -gt 0 ] || { echo "compare: no capture selected" >&2; exit 2; }

mkdir -p "$out"
printf '%s\n' "$suri_version" > "$out/suricata_version"
# the binary and the tree it was built from (a dirty tree: uncommitted changes)
{ "$kanshi" -V 2>&1 | head -n 1
  git -C "$root" describe --always --dirty 2>/dev/null || true
} | paste -sd ' ' > "$out/kanshi_version"
date -u '+%Y-%m-%d %H:%M UTC' > "$out/date"
echo "compare: ${#names[@]} captures, $(cat "$out/kanshi_version"), Suricata $suri_version -> $out"

crashed=()
for i in "${!names[@]}"; do
    name=${names[$i]} pcap=${paths[$i]} d=$out/${names[$i]}
    rm -rf "$d"; mkdir -p "$d/kanshi" "$d/suricata"
    # both in UTC so that flow.start/end read the same; Suricata gets checksum checks off
    # (suricata-ref.sh), kanshi does that by itself for files
    krc=0; TZ=UTC "$kanshi" -r "$pcap" -l "$d/kanshi" >"$d/kanshi.log" 2>&1 || krc=$?
    src=0; TZ=UTC "$shared/tools/suricata-ref.sh" "$d/suricata" /dev/null "$pcap" \
        >"$d/suricata.log" 2>&1 || src=$?
    printf 'capture=%s\nkanshi_rc=%s\nsuricata_rc=%s\n' "${pcap#"$pcaps"/}" "$krc" "$src" > "$d/status"
    for s in kanshi:$krc suricata:$src; do
        rc=${s#*:}
        if [ "$rc" -ge 128 ]; then
            crashed+=("$name: ${s%%:*} killed by signal $((rc - 128))")
        elif [ "$rc" -ne 0 ]; then
            echo "compare: $name: ${s%%:*} exited with $rc (see $d/${s%%:*}.log)" >&2
        fi
    done
    printf '.'
done
echo

"$python" "$root/tools/compare_flows.py" "$out" "${names[@]}"

# 4. alerts with ET Open on both sides (tools/compare_alerts.sh); COMPARE_ALERTS=0 skips them
if [ "${COMPARE_ALERTS:-1}" != 0 ]; then
    echo
    COMPARE_OUT=$out "$root/tools/compare_alerts.sh" "$kanshi" "$@" || crashed+=("alerts: see above")
fi

if [ ${#crashed[@]} -gt 0 ]; then
    echo
    echo "compare: SENSOR CRASHED:"
    printf '    %s\n' "${crashed[@]}"
    exit 1
fi
exit 0
