#!/usr/bin/env bash
# Cross-check with tshark: for each capture in tests/conv/captures.txt, the number of TCP and
# UDP flow events kanshi writes must equal the number of rows of tshark's conversation tables
# (`tshark -r FILE -q -z conv,tcp -z conv,udp`).
#
#   tests/conv/run.sh BINARY [CAPTURES.txt]
#   KANSHI_SHARED=DIR  use DIR instead of ../shared;  CONV_DIFF=0  no per-pair detail on DIFF
#
# tshark never times a conversation out: all its packets with the same addresses and ports are
# one conversation however long the gaps. So kanshi runs with one-day TCP and UDP timeouts,
# and a timeout never splits a conversation in these captures (none has a gap of a day).
# Other differences are real ones to explain (tshark's dissectors make extra conversations for
# some protocols, kanshi keys flows on VLAN ids, ...): captures.txt may allow one per capture
# with a checked reason (see its header); a kanshi bug is reported, never allowed.
#
# Prints one line per capture:  OK|ALLOWED|DIFF|ERROR  path  tcp OURS/TSHARK  udp OURS/TSHARK
# then "conv: N captures, N agree, N allowed, N differ"; exits 1 if any capture differs
# without an allowance (or could not be run), 2 on a usage error.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 BINARY [CAPTURES.txt]" >&2
    exit 2
fi
if [[ ! -x $1 ]]; then
    echo "conv: $1 is not an executable" >&2
    exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
list=${2:-$here/captures.txt}
shared=${KANSHI_SHARED:-$root/../shared}
if [[ ! -d $shared ]]; then
    echo "conv: no shared test data at $shared" >&2
    exit 2
fi
shared=$(cd "$shared" && pwd)
pcaps=$shared/pcaps
pairs=$here/conv_pairs.py
show_diff=${CONV_DIFF:-1}

if ! command -v tshark >/dev/null; then
    echo "conv: tshark is not installed (apt-get install tshark)" >&2
    exit 2
fi
if [[ ! -r $list ]]; then
    echo "conv: cannot read $list" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kanshi-conv.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One-day timeouts: see the top of this file.
timeouts=(
    --set flow-timeouts.tcp.new=86400
    --set flow-timeouts.tcp.established=86400
    --set flow-timeouts.tcp.closed=86400
    --set flow-timeouts.udp.new=86400
    --set flow-timeouts.udp.established=86400
)

total=0
agree=0
allowed=0
differ=0
lineno=0
while IFS= read -r line || [[ -n $line ]]; do
    lineno=$((lineno + 1))
    path=${line%%#*}
    path=${path#"${path%%[![:space:]]*}"}
    path=${path%"${path##*[![:space:]]}"}
    [[ -z $path ]] && continue
    note=
    if [[ $line == *'#'* ]]; then
        note=${line#*#}
    fi

    # "allow tcp +N udp -M: reason" -> the differences (ours - tshark) that are allowed
    allow_tcp=0
    allow_udp=0
    reason=
    if [[ $note =~ ^[[:space:]]*allow[[:space:]]+([^:]*):[[:space:]]*(.*)$ ]]; then
        spec=${BASH_REMATCH[1]}
        reason=${BASH_REMATCH[2]}
        read -r -a words <<<"$spec"
        if [[ $(( ${#words[@]} % 2 )) -ne 0 || ${#words[@]} -eq 0 || -z $reason ]]; then
            echo "conv: $list:$lineno: bad allowance (want 'allow tcp +N udp -M: reason')" >&2
            exit 2
        fi
        for ((i = 0; i < ${#words[@]}; i += 2)); do
            n=${words[i + 1]}
            if [[ ! $n =~ ^[+-]?[0-9]+$ ]]; then
                echo "conv: $list:$lineno: bad number '$n' in the allowance" >&2
                exit 2
            fi
            sign=1
            [[ $n == -* ]] && sign=-1
            n=$((sign * 10#${n#[+-]}))
            case ${words[i]} in
                tcp) allow_tcp=$n ;;
                udp) allow_udp=$n ;;
                *)
                    echo "conv: $list:$lineno: unknown protocol '${words[i]}' in the allowance" >&2
                    exit 2
                    ;;
            esac
        done
    fi

    total=$((total + 1))
    file=$pcaps/$path
    out=$work/$total
    mkdir -p "$out"
    rc=0
    "$bin" -r "$file" -l "$out" "${timeouts[@]}" >"$out/stdout" 2>"$out/stderr" </dev/null || rc=$?
    if [[ $rc -ne 0 ]]; then
        differ=$((differ + 1))
        printf 'ERROR   %-45s kanshi exit %d: %s\n' "$path" "$rc" "$(head -n 1 "$out/stderr")"
        continue
    fi
    if ! counts=$("$pairs" "$file" "$out/eve.json" --diff 2>"$out/pairs.err"); then
        differ=$((differ + 1))
        printf 'ERROR   %-45s %s\n' "$path" "$(head -n 1 "$out/pairs.err")"
        continue
    fi
    read -r ours_tcp theirs_tcp ours_udp theirs_udp <<<"$(head -n 1 <<<"$counts")"
    d_tcp=$((ours_tcp - theirs_tcp))
    d_udp=$((ours_udp - theirs_udp))
    summary=$(printf 'tcp %d/%d  udp %d/%d' "$ours_tcp" "$theirs_tcp" "$ours_udp" "$theirs_udp")
    if [[ $d_tcp -eq 0 && $d_udp -eq 0 ]]; then
        agree=$((agree + 1))
        if [[ -n $reason ]]; then
            printf 'OK      %-45s %s  (the allowance is no longer needed: remove it)\n' \
                "$path" "$summary"
        else
            printf 'OK      %-45s %s\n' "$path" "$summary"
        fi
    elif [[ -n $reason && $d_tcp -eq $allow_tcp && $d_udp -eq $allow_udp ]]; then
        allowed=$((allowed + 1))
        printf 'ALLOWED %-45s %s  (%s)\n' "$path" "$summary" "$reason"
    else
        differ=$((differ + 1))
        printf 'DIFF    %-45s %s\n' "$path" "$summary"
        if [[ $show_diff != 0 ]]; then
            # the endpoint pairs whose number of conversations differs, at most 10
            tail -n +2 <<<"$counts" | head -n 10 | sed 's/^/        /'
        fi
    fi
done <"$list"

# a shell error inside the loop would leave it early: check that every capture was seen
expected=$(grep -cEv '^[[:space:]]*(#|$)' "$list" || true)
if [[ $total -ne $expected ]]; then
    echo "conv: internal error: $total of the $expected captures in $list were checked" >&2
    exit 2
fi
echo "conv: $total captures, $agree agree, $allowed allowed, $differ differ"
[[ $total -gt 0 && $differ -eq 0 ]]
