#!/usr/bin/env bash
# run.sh BINARY [--update] [NAME...]: replays each capture of TESTLIST, normalizes the eve
# output (normalize.py), checks every line against Suricata's schema (tests/tools/eve_check.py)
# and compares with the committed baseline tests/regress/NAME/expected.json. A missing
# baseline is a failure. --update writes the baselines instead (review them with git diff).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
update=0
if [ "${1:-}" = "--update" ]; then
    update=1
    shift
fi
only=("$@")
cd "$top"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
failed=()

selected() {
    [ ${#only[@]} -eq 0 ] && return 0
    local n
    for n in "${only[@]}"; do [ "$n" = "$1" ] && return 0; done
    return 1
}

while read -r name pcap args; do
    case "$name" in ''|'#'*) continue ;; esac
    selected "$name" || continue
    out="$work/$name"
    mkdir -p "$out"
    # shellcheck disable=SC2086 # args are words: options and a BPF expression
    if ! "$bin" -q -r "$pcap" -l "$out" -c "$here/regress.yaml" $args >"$out/stdout" 2>"$out/stderr"; then
        echo "FAIL $name: kanshi exited $? ($(tail -n 1 "$out/stderr"))"
        fail=$((fail + 1)); failed+=("$name"); continue
    fi
    if ! "$top/tests/tools/eve_check.py" "$out/eve.json" >"$out/schema" 2>&1; then
        echo "FAIL $name: eve.json does not validate"; sed 's/^/    /' "$out/schema" | head -n 8
        fail=$((fail + 1)); failed+=("$name"); continue
    fi
    "$here/normalize.py" "$out/eve.json" >"$out/actual.json"
    expected="$here/$name/expected.json"
    if [ "$update" = 1 ]; then
        mkdir -p "$here/$name"
        cp "$out/actual.json" "$expected"
        echo "UPDATED $name ($(wc -l <"$expected") records)"
        pass=$((pass + 1)); continue
    fi
    if [ ! -f "$expected" ]; then
        echo "FAIL $name: no baseline (tools/update-baseline.sh $name, then review it)"
        fail=$((fail + 1)); failed+=("$name"); continue
    fi
    if ! diff -u "$expected" "$out/actual.json" >"$out/diff"; then
        echo "FAIL $name: output differs from the baseline"; head -n 20 "$out/diff" | sed 's/^/    /'
        fail=$((fail + 1)); failed+=("$name"); continue
    fi
    pass=$((pass + 1))
done <"$here/TESTLIST"

echo "regress: $pass passed, $fail failed${failed:+ (${failed[*]})}"
[ "$fail" -eq 0 ]
