#!/usr/bin/env bash
# bench_rules.sh BINARY CORPUS: detection throughput, side by side in one run (the second half
# of `make bench`; tools/bench.sh builds the corpus and calls this). See docs/bench.md.
#
# kanshi decode only (flows and streams, app-layer.enabled=no, no rules), with every app-layer
# parser and no rules, with rules/kanshi.rules and with all of ET Open (parsers on; every
# record type but files without libmagic, tools/bench-kanshi.yaml, as Suricata's side here); Suricata 7 single-threaded with no rules and with
# ET Open. Rule loading is reported apart from packet processing: kanshi prints its load time,
# Suricata logs the time it spent on packets ("time elapsed"). kanshi's load is measured cold
# (empty prefilter cache) and from the cache with -T. Median of BENCH_RUNS (default 3) runs.
# Results: printed and appended to build/bench/results.txt; build/bench/rules.json.
set -euo pipefail
export LC_ALL=C
prog=${0##*/}
die() { echo "$prog: $*" >&2; exit 1; }
note() { echo "$prog: $*" >&2; }

[ $# -eq 2 ] || { echo "usage: $prog BINARY CORPUS" >&2; exit 2; }
bin=$(readlink -f "$1") corpus=$(readlink -f "$2")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$(cd "$root/../shared" && pwd)
et=$shared/rules/etopen/suricata-7.0.3
runs=${BENCH_RUNS:-3}
outdir=$root/build/bench
work=$(mktemp -d "${TMPDIR:-/tmp}/kanshi-bench-rules.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$outdir"
cat "$et"/*.rules > "$work/et.rules"
read -r _ pkts bytes < <(capinfos -T -r -M -c -d "$corpus")
have_suricata=no
command -v suricata >/dev/null && have_suricata=yes

# run NAME CMD...: one timed run; appends "NAME wall load rss alerts rc" to raw.tsv
run() {
    local name=$1 dir=$work/out t0 t1 e rss rc load alerts
    shift
    rm -rf "$dir"; mkdir -p "$dir"
    t0=$EPOCHREALTIME
    /usr/bin/time -o "$work/time" -f '%e %M %x' "$@" -l "$dir" >"$work/stdout" 2>"$work/stderr" || true
    t1=$EPOCHREALTIME
    read -r e rss rc < <(tail -n 1 "$work/time")
    [ "$rc" = 0 ] || { note "$name exited with $rc:"; tail -n 5 "$work/stderr" >&2; }
    if [[ $name == suricata* ]]; then # wall minus the time Suricata says it spent on packets
        load=$(sed -n 's/.*time elapsed \([0-9.]*\)s.*/\1/p' "$dir/suricata.log" | tail -n 1)
        load=$(awk -v w="$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" -v p="${load:-0}" 'BEGIN{printf "%.3f", w-p}')
    else
        load=$(sed -n 's/.* rules loaded, .* in \([0-9.]*\) s.*/\1/p' "$work/stderr" | tail -n 1)
    fi
    alerts=$(grep -c '"event_type":"alert"' "$dir/eve.json" 2>/dev/null || true)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" "${load:-0}" "$rss" \
        "${alerts:-0}" "$rc" >>"$work/raw.tsv"
}

suricata_cmd() { # RULES
    SCMD=(suricata -c "$work/suri.yaml" --runmode single -k none --set unix-command.enabled=no
          --set detect.rule-reload=false --set classification-file="$et/classification.config"
          --set reference-config-file=/etc/suricata/reference.config -S "$1" -r "$corpus")
}
[ $have_suricata = yes ] &&
    sed -e 's/^\( *\)community-id: false/\1community-id: true/' /etc/suricata/suricata.yaml >"$work/suri.yaml"

: >"$work/raw.tsv"
cat "$corpus" >/dev/null
etargs=(-S "$work/et.rules" --set classification-file="$et/classification.config")
kconf=$root/tools/bench-kanshi.yaml # every record type, files without libmagic (as Debian's)
cache=$work/cache
for n in $(seq 1 "$runs"); do
    note "run $n/$runs"
    run kanshi-decode "$bin" -r "$corpus" -S /dev/null --set app-layer.enabled=no
    run kanshi-none "$bin" -r "$corpus" -c "$kconf" -S /dev/null
    run kanshi-kanshi.rules "$bin" -r "$corpus" -c "$kconf" -S "$root/rules/kanshi.rules"
    run kanshi-et "$bin" -r "$corpus" -c "$kconf" "${etargs[@]}" \
        --set detect.sgh-mpm-caching-path="$cache"
    rm -rf "$cache" # cold start: compile the prefilter; then the same from the cache
    run kanshi-load-cold "$bin" -T "${etargs[@]}" --set detect.sgh-mpm-caching-path="$cache"
    run kanshi-load-cached "$bin" -T "${etargs[@]}" --set detect.sgh-mpm-caching-path="$cache"
    if [ $have_suricata = yes ]; then
        suricata_cmd /dev/null; run suricata-none "${SCMD[@]}"
        suricata_cmd "$work/et.rules"; run suricata-et "${SCMD[@]}"
    fi
done

# medians: name wall load rss alerts fails
awk -F'\t' '
    function med(a, n,   i, j, x) {
        for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j+1] = a[j]; a[j+1] = x }
        return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
    }
    { k = $1; if (!(k in n)) order[++no] = k; n[k]++; w[k, n[k]] = $2; l[k, n[k]] = $3; r[k, n[k]] = $4; al[k] = $5; if ($6 != 0) bad[k]++ }
    END {
        for (o = 1; o <= no; o++) { k = order[o]
            for (i = 1; i <= n[k]; i++) { ww[i] = w[k, i]; ll[i] = l[k, i]; rr[i] = r[k, i] }
            printf "%s\t%.3f\t%.3f\t%d\t%s\t%d\n", k, med(ww, n[k]), med(ll, n[k]), med(rr, n[k]), al[k], bad[k] + 0
        }
    }' "$work/raw.tsv" >"$work/med.tsv"
get() { awk -F'\t' -v k="$1" -v c="$2" '$1 == k { print $c }' "$work/med.tsv"; }
rate() { # NAME: packets per second of packet processing (wall minus rule loading)
    awk -v w="$(get "$1" 2)" -v l="$(get "$1" 3)" -v p="$pkts" 'BEGIN { d = w - l; printf "%.0f", (d > 0 ? p / d : 0) }'
}

{
    echo
    echo "detection ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores): ${corpus#"$root"/}, $pkts packets, $bytes packet bytes"
    echo "median of $runs runs; 'load' is rule loading (kanshi: its own report; Suricata: wall minus"
    echo "the packet time it logs), 'packets/s' and 'Gbit/s' are over the rest of the run"
    printf '%-20s %8s %7s %12s %8s %8s %8s\n' run wall_s load_s packets/s Gbit/s RSS_MB alerts
    while IFS=$'\t' read -r k w l r a f; do
        [[ $k == kanshi-load-* ]] && continue
        awk -v k="$k" -v w="$w" -v l="$l" -v r="$r" -v a="$a" -v p="$pkts" -v b="$bytes" -v f="$f" 'BEGIN {
            d = w - l; printf "%-20s %8.3f %7.3f %12.0f %8.3f %8.1f %8s%s\n", k, w, l, p / d, b * 8 / d / 1e9, r / 1024, a, (f ? "  FAILED x" f : "") }'
    done <"$work/med.tsv"
    printf 'kanshi ET Open rule load: cold %s s, from the prefilter cache %s s (wall of kanshi -T)\n' \
        "$(get kanshi-load-cold 2)" "$(get kanshi-load-cached 2)"
    kd=$(rate kanshi-decode) kn=$(rate kanshi-none) kk=$(rate kanshi-kanshi.rules) ke=$(rate kanshi-et)
    awk -v d="$kd" -v n="$kn" -v k="$kk" -v e="$ke" 'BEGIN {
        printf "kanshi packet rate relative to decode only (no app layer, no rules): all parsers %.2f, parsers + kanshi.rules %.2f, parsers + ET Open %.2f\n", n / d, k / d, e / d
        printf "kanshi packet rate relative to its no-rules run: kanshi.rules %.2f, ET Open %.2f\n", k / n, e / n }'
    if [ $have_suricata = yes ]; then
        sn=$(rate suricata-none) se=$(rate suricata-et)
        awk -v kn="$kn" -v ke="$ke" -v sn="$sn" -v se="$se" -v kl="$(get kanshi-load-cached 2)" -v sl="$(get suricata-et 3)" 'BEGIN {
            printf "kanshi / Suricata packet rate: no rules %.2f, ET Open %.2f (target >= 1: %s)\n", kn / sn, ke / se, (ke >= se ? "met" : "NOT MET")
            printf "ET Open load: kanshi from cache %.2f s (target < 2 s: %s), Suricata %.2f s\n", kl, (kl < 2 ? "met" : "NOT MET"), sl }'
    fi
    echo "all runs (name wall_s load_s rss_kb alerts exit):"
    sed 's/^/  /' "$work/raw.tsv"
} | tee -a "$outdir/results.txt" | tee "$work/report.txt"
awk -F'\t' 'BEGIN { printf "{\"runs\": [" } { printf "%s{\"name\": \"%s\", \"wall_s\": %s, \"load_s\": %s, \"rss_kb\": %s, \"alerts\": %s, \"failed\": %s}", (NR > 1 ? ", " : ""), $1, $2, $3, $4, $5, $6 } END { printf "]}\n" }' \
    "$work/med.tsv" >"$outdir/rules.json"
awk -F'\t' '$1 ~ /^kanshi/ && $6 != 0 { bad = 1 } END { exit bad }' "$work/med.tsv" || die "kanshi failed in some runs"
