#!/usr/bin/env bash
# Runs the reference Suricata over each capture, one run per capture, with one rules file, and
# prints one line per capture: "PATH sid,sid,..." (the distinct alert SIDs, ascending; "-" when
# none; "ERROR" when Suricata cannot read the capture). PATH is relative to BASE when under it.
#   suricata-sids.sh RULES BASE PCAP [PCAP...]
# e.g. (from the repo root)
#   tests/log4shell/suricata-sids.sh rules/kanshi.rules ../shared/pcaps ../shared/pcaps/malware/log4shell/*.pcap*
# Normally each run is ../shared/tools/suricata-ref.sh. With SURICATA_SET="key=value ..." the runs
# call suricata directly with the same options as suricata-ref.sh (Debian's suricata.yaml, single
# runmode, -k none, no unix socket or rule reload) plus one --set per word, e.g.
#   SURICATA_SET="vars.address-groups.EXTERNAL_NET=any" (the fox-it rules need it: their lab
# captures have client, server and callback host inside Debian's HOME_NET).
# Two captures at a time. Needs suricata and jq.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: suricata-sids.sh RULES BASE PCAP [PCAP...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
ref=$(readlink -f "$here/../../../shared/tools/suricata-ref.sh")
rules=$(readlink -f "$1") base=$(readlink -f "$2"); shift 2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
SURICATA_SET=${SURICATA_SET:-}
one() {  # capture, index
    local p d="$work/$2" rel sets=() kv rc=0
    p=$(readlink -f "$1")
    rel=${p#"$base"/}
    mkdir -p "$d" "$d.tmp"
    if [ -n "$SURICATA_SET" ]; then
        for kv in $SURICATA_SET; do sets+=(--set "$kv"); done
        suricata -c /etc/suricata/suricata.yaml --runmode single -k none \
            --set unix-command.enabled=no --set detect.rule-reload=false \
            --set classification-file=/etc/suricata/classification.config \
            --set reference-config-file=/etc/suricata/reference.config "${sets[@]}" \
            -S "$rules" -r "$p" -l "$d" >"$d/suricata.log" 2>&1 || rc=$?
    else
        # suricata-ref.sh execs suricata, so its EXIT trap never removes its temporary copy of
        # the capture: give it a private TMPDIR and remove that here
        TMPDIR="$d.tmp" "$ref" "$d" "$rules" "$p" || rc=$?
    fi
    rm -rf "$d.tmp"
    if [ $rc -ne 0 ]; then echo "$rel ERROR"; return 0; fi
    sids=$(jq -r 'select(.event_type=="alert") | .alert.signature_id' "$d/eve.json" | sort -nu | paste -sd, -)
    echo "$rel ${sids:--}"
}
export -f one; export work base rules ref SURICATA_SET
i=0
for p in "$@"; do i=$((i + 1)); printf '%s\0%s\0' "$p" "$i"; done |
    xargs -0 -n 2 -P 2 bash -c 'one "$0" "$1"' | sort
