#!/usr/bin/env bash
# check.sh BUILD: `make check`. Runs every test kind against BUILD/kanshi and BUILD/check_kanshi
# and ends with one summary line per kind; exits non-zero if any kind failed.
#   unit       Check suites (tests/unit)
#   regress    pcap replays against committed baselines, every line schema-checked
#   cli        errors and exit codes, damaged captures, full disk, live capture, determinism
#   malformed  crash reproducers from ../shared/pcaps/malformed: clean exit, valid JSON
#   conv       TCP/UDP conversation counts against tshark on real captures
#   rules      rule files load: kanshi's, ET Open (>= 97%), fox-it's broken ones rejected
#   log4shell  Log4Shell captures: kanshi's alerts against Suricata's with the same rules
#   labels     app_proto of services on unexpected ports (tools/check_labels.py)
#   peer       Suricata's regression tests (../shared/peer-suite); listed passes must hold
set -uo pipefail

build=${1:-build}
cd "$(dirname "$0")/.."
bin="$build/kanshi"
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
summary=()
failed=0

step() {
    local name=$1
    shift
    echo "=== $name"
    if "$@" 2>&1 | tee "$log/$name"; then
        summary+=("$(printf '%-10s ok     %s' "$name" "$(tail -n 1 "$log/$name")")")
    else
        summary+=("$(printf '%-10s FAILED %s' "$name" "$(tail -n 1 "$log/$name")")")
        failed=$((failed + 1))
    fi
}

step unit "$build/check_kanshi"
step regress tests/regress/run.sh "$bin"
step cli tests/cli/run.sh "$bin"
step malformed tests/malformed/run.sh "$bin"
step conv tests/conv/run.sh "$bin"
step rules tests/rules/run.sh "$bin"
step log4shell /usr/bin/python3 tests/log4shell/run.py "$bin"
step labels /usr/bin/python3 tools/check_labels.py "$bin"
step peer tests/peer.sh "$bin"

echo
echo "=== make check summary"
printf '%s\n' "${summary[@]}"
[ "$failed" -eq 0 ]
