#!/usr/bin/env bash
# Robustness run: BINARY over every capture under ../shared/pcaps/malformed/ (recursively),
# one process per file, each in a fresh output directory, with decode, stream and applayer
# anomaly events enabled.
#
#   tests/malformed/run.sh BINARY          (from anywhere; paths are taken from this script)
#   KANSHI_SHARED=DIR  use DIR instead of ../shared;  JOBS=N  parallel processes (default 2)
#
# A file is clean when:
#   - BINARY exits 0 within 30 s, or exits 2 saying "cannot read capture file" (a file that
#     libpcap cannot open as a capture); any other exit code, a signal or a timeout fails;
#   - stderr has no AddressSanitizer / LeakSanitizer / UndefinedBehavior / "runtime error:" line;
#   - eve.json exists (after exit 0) and every line passes tests/tools/eve_check.py.
# Prints one line per failed file, then "malformed: N files, N clean, N failed"; exits 1 if any
# file failed, 2 on a usage error.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 BINARY" >&2
    exit 2
fi
if [[ ! -x $1 ]]; then
    echo "malformed: $1 is not an executable" >&2
    exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${KANSHI_SHARED:-$root/../shared}
if [[ ! -d $shared ]]; then
    echo "malformed: no shared test data at $shared" >&2
    exit 2
fi
shared=$(cd "$shared" && pwd)
corpus=$shared/pcaps/malformed
eve_check=$root/tests/tools/eve_check.py
jobs=${JOBS:-2}

if [[ ! -d $corpus ]]; then
    echo "malformed: no corpus at $corpus" >&2
    exit 2
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

work=$(mktemp -d "${TMPDIR:-/tmp}/kanshi-malformed.XXXXXX")
trap 'rm -rf "$work"' EXIT

cat >"$work/kanshi.yaml" <<'EOF'
outputs:
  - eve-log:
      enabled: yes
      filename: eve.json
      types:
        - anomaly:
            types: {decode: yes, stream: yes, applayer: yes}
        - flow
        - stats
EOF

# Every regular file except documentation, sorted so that numbering and output are stable.
find "$corpus" -type f ! -iname 'README*' ! -iname 'MANIFEST*' ! -iname '*.md' \
    ! -iname '*.txt' -print0 | LC_ALL=C sort -z >"$work/files"
nfiles=$(tr -cd '\0' <"$work/files" | wc -c)
if [[ $nfiles -eq 0 ]]; then
    echo "malformed: no files under $corpus" >&2
    exit 2
fi

# One file: run BINARY in $work/run/N/, leave the exit code in rc, stderr in stderr.
run_one() {
    local n=$1 file=$2 dir rc
    dir=$work/run/$n
    mkdir -p "$dir/out"
    printf '%s\n' "$file" >"$dir/name"
    rc=0
    # the braces take bash's own "Segmentation fault" notice away from the output
    { timeout 30 "$bin" -c "$work/kanshi.yaml" -r "$file" -l "$dir/out" \
        >"$dir/stdout" 2>"$dir/stderr" </dev/null; } 2>/dev/null || rc=$?
    echo "$rc" >"$dir/rc"
}
export -f run_one
export bin work

mkdir -p "$work/run"
# NUL-separated "N\0FILE\0" pairs; xargs -n 2 hands each pair to one bash.
n=0
# shellcheck disable=SC2016 # $1 and $2 are the inner bash's arguments
while IFS= read -r -d '' f; do
    n=$((n + 1))
    printf '%05d\0%s\0' "$n" "$f"
done <"$work/files" | xargs -0 -n 2 -P "$jobs" bash -c 'run_one "$1" "$2"' run_one

# The eve.json files of all runs, checked by one eve_check process (the schema is compiled
# once); its error lines start with the eve.json path, which names the run.
evelist=()
for dir in "$work"/run/*/; do
    dir=${dir%/}
    if [[ -f $dir/out/eve.json ]]; then
        evelist+=("$dir/out/eve.json")
    fi
done
: >"$work/eve_check.out"
if [[ ${#evelist[@]} -gt 0 ]]; then
    ec_rc=0
    "$eve_check" --max-errors 3 "${evelist[@]}" >"$work/eve_check.out" 2>&1 || ec_rc=$?
    if [[ $ec_rc -gt 1 ]]; then
        cat "$work/eve_check.out" >&2
        echo "malformed: $eve_check failed to run (exit $ec_rc)" >&2
        exit 2
    fi
fi

clean=0
failed=0
for dir in "$work"/run/*/; do
    dir=${dir%/}
    name=$(<"$dir/name")
    rel=${name#"$shared"/}
    rc=$(<"$dir/rc")
    reasons=()
    case $rc in
        0) ;;
        2)
            if ! grep -q 'cannot read capture file' "$dir/stderr"; then
                reasons+=("exit 2 without 'cannot read capture file': $(head -n 1 "$dir/stderr")")
            fi
            ;;
        124) reasons+=("timeout (30 s)") ;;
        *)
            if [[ $rc -gt 128 ]]; then
                reasons+=("killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null || echo '?'))")
            else
                reasons+=("exit $rc: $(head -n 1 "$dir/stderr")")
            fi
            ;;
    esac
    san=$(grep -E 'AddressSanitizer|LeakSanitizer|UndefinedBehavior|runtime error:' \
        "$dir/stderr" | head -n 3 || true)
    if [[ -n $san ]]; then
        reasons+=("sanitizer: ${san//$'\n'/ | }")
    fi
    if [[ ! -f $dir/out/eve.json ]]; then
        if [[ $rc -eq 0 ]]; then
            reasons+=("exit 0 but no eve.json written")
        fi
    elif grep -qF "$dir/out/eve.json:" "$work/eve_check.out"; then
        reasons+=("eve_check: $(grep -F "$dir/out/eve.json:" "$work/eve_check.out" \
            | sed "s|^$dir/out/||" | head -n 3 | paste -sd '|' -)")
    fi
    if [[ ${#reasons[@]} -eq 0 ]]; then
        clean=$((clean + 1))
    else
        failed=$((failed + 1))
        for r in "${reasons[@]}"; do
            echo "FAIL $rel: $r"
        done
    fi
done

echo "malformed: $nfiles files, $clean clean, $failed failed"
[[ $failed -eq 0 ]]
