#!/usr/bin/env bash
# bench.sh BINARY: throughput and peak memory of kanshi side by side with tcpdump, ndpiReader and
# Suricata 7 (no rules), all over the same benchmark corpus in one invocation; then detection
# (no rules, rules/kanshi.rules, ET Open; Suricata with ET Open) by tools/bench_rules.sh.
# See docs/bench.md.
#
#   tools/bench.sh build/kanshi          (what `make bench` runs)
#
# Environment:
#   BENCH_MB    size of the main corpus in MiB (default 350); a second corpus of BENCH_MB/4 is
#               built too, to show whether kanshi's memory grows with the capture
#   BENCH_RUNS  timed runs of every command (default 3); the median is reported
#   TMPDIR      where the runs write their eve.json (removed after every run)
# The corpora are built once with ../shared/bench/make-bench-pcap.sh into build/bench/ and
# reused while their sha256 matches the .sha256 file stored beside them (BENCH_STEP and the other
# make-bench-pcap.sh settings are passed through and are part of the cache key).
# Results: printed, and written to build/bench/results.txt and build/bench/results.json.
set -euo pipefail
export LC_ALL=C

prog=${0##*/}
die() { echo "$prog: $*" >&2; exit 1; }
note() { echo "$prog: $*" >&2; }

[ $# -eq 1 ] || { echo "usage: $prog BINARY   (env: BENCH_MB=350 BENCH_RUNS=3)" >&2; exit 2; }
[ -x "$1" ] || die "$1 is not an executable (run make first)"
bin=$(readlink -f "$1")

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$(cd "$root/../shared" 2>/dev/null && pwd) || die "../shared not found beside $root"
outdir=$root/build/bench
mb=${BENCH_MB:-350}
runs=${BENCH_RUNS:-3}
if ! [[ $mb =~ ^[0-9]+$ ]] || [ "$mb" -lt 4 ]; then die "BENCH_MB must be a whole number >= 4, not '$mb'"; fi
if ! [[ $runs =~ ^[0-9]+$ ]] || [ "$runs" -lt 1 ]; then die "BENCH_RUNS must be a whole number >= 1, not '$runs'"; fi
small_mb=$((mb / 4))
mkdir -p "$outdir"
work=$(mktemp -d "${TMPDIR:-/tmp}/kanshi-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---- tools: install when root, else print the command and skip -----------------------------
is_root=no; [ "$(id -u)" -eq 0 ] && is_root=yes
apt_updated=no
# have CMD PACKAGE: true if CMD is there (installing PACKAGE first when root)
have() {
    local cmd=$1 pkg=$2
    command -v "$cmd" >/dev/null 2>&1 && return 0
    if [ "$is_root" = yes ]; then
        note "installing $pkg (for $cmd)"
        if [ "$apt_updated" = no ]; then apt-get update -qq; apt_updated=yes; fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
        command -v "$cmd" >/dev/null 2>&1 && return 0
    fi
    note "$cmd missing; install it with: apt-get install -y $pkg"
    return 1
}
have_suricata() {
    command -v suricata >/dev/null 2>&1 && return 0
    if [ "$is_root" = yes ]; then
        note "installing Suricata 7 with $shared/tools/install-suricata.sh"
        "$shared/tools/install-suricata.sh" >/dev/null && command -v suricata >/dev/null 2>&1 && return 0
    fi
    note "suricata missing; install it with: sudo $shared/tools/install-suricata.sh"
    return 1
}

[ -x /usr/bin/time ] || have /usr/bin/time time || die "/usr/bin/time is needed for every measurement"
have capinfos wireshark-common || die "capinfos, editcap and mergecap are needed to build the corpus"
have gcc gcc || die "gcc is needed to build the corpus"

declare -A skip=()
have tcpdump tcpdump || skip[tcpdump]="not installed (apt-get install -y tcpdump)"
have ndpiReader libndpi-bin || skip[ndpiReader]="not installed (apt-get install -y libndpi-bin)"
have_suricata || skip[suricata]="not installed ($shared/tools/install-suricata.sh, as root)"

# ---- corpora: built once, reused while the sha256 matches -----------------------------------
# corpus MB [NAME]: prints the path of build/bench/NAME-MBmb.pcap (NAME: bench), building it if
# needed with the BENCH_* settings of the environment
corpus() {
    local size=$1 f key
    f=$outdir/${2:-bench}-${size}mb.pcap
    key="size_mb=$size $(sha256sum <"$shared/bench/make-bench-pcap.sh" | cut -c1-16)"
    key+=" $(sha256sum <"$shared/bench/pcapremix.c" | cut -c1-16)"
    for v in BENCH_PCAPS BENCH_THEMES BENCH_EXCLUDE BENCH_STEP BENCH_SPREAD BENCH_MAX_GAP BENCH_T0; do
        [ -n "${!v+x}" ] && key+=" $v=${!v}"
    done
    if [ -f "$f" ] && [ -f "$f.sha256" ] && [ -f "$f.key" ] && [ "$(cat "$f.key")" = "$key" ] &&
        (cd "$outdir" && sha256sum --quiet --status -c "${f##*/}.sha256"); then
        note "reusing $f (sha256 matches ${f##*/}.sha256)"
    else
        note "building $f ($size MiB) with make-bench-pcap.sh"
        rm -f "$f" "$f.sha256" "$f.key" "$f.summary"
        "$shared/bench/make-bench-pcap.sh" "$f" "$size" >"$f.summary" 2>&1 ||
            { cat "$f.summary" >&2; die "make-bench-pcap.sh failed"; }
        (cd "$outdir" && sha256sum "${f##*/}" >"${f##*/}.sha256")
        printf '%s\n' "$key" >"$f.key"
    fi
    printf '%s\n' "$f"
}
big=$(corpus "$mb")
small=$(corpus "$small_mb")

# capinfos: packets and packet bytes (captured lengths)
read -r _ big_pkts big_bytes < <(capinfos -T -r -M -c -d "$big")
read -r _ small_pkts small_bytes < <(capinfos -T -r -M -c -d "$small")
big_sha=$(cut -d' ' -f1 "$big.sha256")
small_sha=$(cut -d' ' -f1 "$small.sha256")
big_fbytes=$(stat -c %s "$big")
small_fbytes=$(stat -c %s "$small")

# ---- the commands ----------------------------------------------------------------------------
suri_conf=
if [ -z "${skip[suricata]+x}" ]; then
    # the same generated config as suricata-ref.sh: let it write one over a 1000-packet slice
    # (this also checks that Suricata runs, untimed). The timed runs then call suricata with
    # suricata-ref.sh's arguments directly, because suricata-ref.sh first copies its input.
    editcap -r "$big" "$work/slice.pcap" 1-1000
    if "$shared/tools/suricata-ref.sh" "$work/ref" /dev/null "$work/slice.pcap"; then
        suri_conf=$work/suricata-ref.yaml
        cp "$work/ref/suricata-ref.yaml" "$suri_conf"
    else
        skip[suricata]="suricata-ref.sh failed on a 1000-packet slice: $(tail -3 "$work/ref/suricata.log" | tr '\n' ' ')"
    fi
    rm -rf "$work/ref" "$work/slice.pcap"
fi

# cmd_for TOOL PCAP DIR: sets the array CMD
cmd_for() {
    local tool=$1 pcap=$2 dir=$3
    case $tool in
        tcpdump) CMD=(tcpdump -n -r "$pcap" -w /dev/null) ;;
        ndpiReader) CMD=(ndpiReader -q -i "$pcap") ;;
        suricata) CMD=(suricata -c "$suri_conf" --runmode single -k none
                       --set unix-command.enabled=no --set detect.rule-reload=false
                       --set classification-file=/etc/suricata/classification.config
                       --set reference-config-file=/etc/suricata/reference.config
                       -S /dev/null -r "$pcap" -l "$dir") ;;
        kanshi|kanshi-small) CMD=("$bin" -r "$pcap" -l "$dir") ;;
    esac
}
# the same, for display: the corpus and the output folder as placeholders
cmd_text() {
    cmd_for "$1" CORPUS TMPDIR
    local s="${CMD[*]}"
    s=${s//"$work/suricata-ref.yaml"/SURICATA_REF_YAML}
    printf '%s' "${s//"$bin"/$1}" | sed 's/^kanshi-small /kanshi /'
}

tools=()
for t in tcpdump ndpiReader suricata kanshi; do
    [ -z "${skip[$t]+x}" ] && tools+=("$t")
done
tools+=(kanshi-small)

# tool run wall_s time_e rss_kb rc flow_events eve_lines kanshi_pkts flows peak_active peak_flow_memuse
raw=$work/raw.tsv
: >"$raw"
# measure TOOL RUN
measure() {
    local tool=$1 n=$2 pcap=$big dir t0 t1 e rss rc fe=- ev=- kp=- kf=- pa=- pm=-
    [ "$tool" = kanshi-small ] && pcap=$small
    dir=$work/run-$tool-$n
    mkdir -p "$dir"
    cmd_for "$tool" "$pcap" "$dir"
    t0=$EPOCHREALTIME
    /usr/bin/time -o "$work/time" -f '%e %M %x' "${CMD[@]}" >"$dir/stdout" 2>"$dir/stderr" || true
    t1=$EPOCHREALTIME
    read -r e rss rc < <(tail -n 1 "$work/time")
    if [ "$rc" != 0 ]; then
        note "$tool run $n exited with status $rc; last lines of its output:"
        tail -n 5 "$dir/stderr" "$dir/stdout" >&2 || true
    fi
    if [[ $tool == kanshi* ]] && [ -f "$dir/eve.json" ]; then
        fe=$(grep -c '"event_type":"flow"' "$dir/eve.json" || true)
        ev=$(wc -l <"$dir/eve.json")
        # kanshi: N packets, M flows (...), ...
        kp=$(sed -n 's/^kanshi: \([0-9]*\) packets, \([0-9]*\) flows.*/\1/p' "$dir/stderr" | tail -n 1)
        kf=$(sed -n 's/^kanshi: \([0-9]*\) packets, \([0-9]*\) flows.*/\2/p' "$dir/stderr" | tail -n 1)
        # the largest flow.active and flow.memuse among the stats events (one per 8 s of capture)
        pa=$(grep -o '"flow":{"total":[0-9]*,"active":[0-9]*' "$dir/eve.json" | sed 's/.*://' | sort -n | tail -n 1 || true)
        pm=$(grep -o '"memcap":[0-9]*,"memuse":[0-9]*' "$dir/eve.json" | sed 's/.*://' | sort -n | tail -n 1 || true)
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" \
        "$e" "$rss" "$rc" "$fe" "$ev" "${kp:--}" "${kf:--}" "${pa:--}" "${pm:--}" >>"$raw"
    rm -rf "$dir"
}

note "warm-up: reading both corpora once, untimed (cat > /dev/null); the page cache is not dropped"
cat "$big" "$small" >/dev/null
for n in $(seq 1 "$runs"); do
    for t in "${tools[@]}"; do
        note "run $n/$runs: $t"
        measure "$t" "$n"
    done
done

# ---- report ----------------------------------------------------------------------------------
date_utc=$(date -u '+%Y-%m-%d %H:%M UTC')
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
ver_kanshi=$("$bin" -V 2>&1 | head -n 1)
ver_tcpdump=$(tcpdump --version 2>&1 | head -n 1 || true)
ver_ndpi=$(dpkg-query -W -f '${Version}' libndpi-bin 2>/dev/null || true)
ver_suricata=$(suricata -V 2>/dev/null | head -n 1 || true)

# one line per tool: tool median_s min_s max_s median_rss_kb failures, then for kanshi:
# flow_events eve_lines packets flows peak_active peak_flow_memuse (the same in every run)
summary=$work/summary.tsv
for t in "${tools[@]}"; do
    awk -F'\t' -v t="$t" '
        $1 == t { n++; w[n] = $3; r[n] = $5; if ($6 != 0) bad++; fe = $7; ev = $8; kp = $9; kf = $10; pa = $11; pm = $12 }
        function med(a, n,   i, j, x) {
            for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j+1] = a[j]; a[j+1] = x }
            return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
        }
        END {
            if (!n) exit
            mn = w[1]; mx = w[1]; for (i = 1; i <= n; i++) { if (w[i] < mn) mn = w[i]; if (w[i] > mx) mx = w[i] }
            printf "%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t, med(w, n), mn, mx, med(r, n), bad, fe, ev, kp, kf, pa, pm
        }' "$raw"
done >"$summary"

field() { awk -F'\t' -v t="$1" -v c="$2" '$1 == t { print $c }' "$summary"; }
k_s=$(field kanshi 2)

report=$work/results.txt
{
    echo "kanshi bench, $date_utc, $(nproc) cores ($cpu), $(uname -r)"
    echo "binary: $bin ($ver_kanshi)"
    echo "corpus: ${big#"$root"/}: $big_fbytes bytes, $big_pkts packets, $big_bytes packet bytes"
    echo "        sha256 $big_sha"
    echo "small:  ${small#"$root"/}: $small_fbytes bytes, $small_pkts packets, $small_bytes packet bytes"
    echo "        sha256 $small_sha"
    echo "median of $runs runs each, taken in turn (tool by tool, round after round), after one"
    echo "untimed read of both corpora (cat > /dev/null; the page cache cannot be dropped here)."
    echo "seconds: wall time of the whole process, startup included; RSS: peak (/usr/bin/time %M)"
    echo
    printf '%-13s %8s %15s %10s %9s %8s %10s %s\n' tool seconds 'packets/s' 'Gbit/s' 'RSS MB' kanshi/x 'min-max s' fails
    for t in "${tools[@]}"; do
        [ "$t" = kanshi-small ] && continue
        awk -F'\t' -v t="$t" -v p="$big_pkts" -v b="$big_bytes" -v k="$k_s" '$1 == t {
            ratio = (t == "kanshi") ? "1.00" : sprintf("%.2f", $2 / k)
            printf "%-13s %8.3f %15.0f %10.3f %9.1f %8s %10s %s\n", t, $2, p / $2, b * 8 / $2 / 1e9, $5 / 1024, ratio, sprintf("%.2f-%.2f", $3, $4), ($6 ? $6 : "")
        }' "$summary"
    done
    for t in tcpdump ndpiReader suricata; do
        [ -n "${skip[$t]+x}" ] && echo "$t: skipped, ${skip[$t]}"
    done
    echo
    echo "kanshi/x = kanshi's packet rate / x's packet rate (= x's seconds / kanshi's seconds)"
    awk -F'\t' -v p="$big_pkts" '$1 == "kanshi" {
        printf "kanshi flow events written: %s (%s eve.json lines in all), %.0f flow events/s\n", $7, $8, $7 / $2
        if ($9 != p) printf "WARNING: kanshi counted %s packets, capinfos %s\n", $9, p
    }' "$summary"
    awk -F'\t' -v sp="$small_pkts" -v bp="$big_pkts" -v smb="$small_mb" -v bmb="$mb" '
        $1 == "kanshi" { br = $5; bf = $10; ba = $11; bm = $12 }
        $1 == "kanshi-small" { sr = $5; sf = $10; ss = $2; sa = $11; sm = $12 }
        END {
            print "kanshi peak RSS as the corpus grows (flows: all flows; active: peak of flow.active in the stats events):"
            printf "  %4d MiB corpus: %8d packets, %7s flows, %7s active, flow.memuse %5.1f MB, peak RSS %6.1f MB (%.3f s)\n", smb, sp, sf, sa, sm / 1e6, sr / 1024, ss
            printf "  %4d MiB corpus: %8d packets, %7s flows, %7s active, flow.memuse %5.1f MB, peak RSS %6.1f MB\n", bmb, bp, bf, ba, bm / 1e6, br / 1024
            printf "  RSS ratio %.2f for %.2fx the packets and %.2fx the peak active flows", br / sr, bp / sp, (sa ? ba / sa : 0)
            if (ba > sa) printf "; %.0f bytes of RSS per extra active flow", (br - sr) * 1024 / (ba - sa)
            printf "\n"
        }' "$summary"
    if [ -z "${skip[suricata]+x}" ]; then
        awk -F'\t' '$1 == "suricata" { s = $2 } $1 == "kanshi" { k = $2 }
            END { r = s / k; printf "design target kanshi >= 2x Suricata (no rules): %.2fx, %s\n", r, (r >= 2 ? "met" : "NOT MET") }' "$summary"
    fi
    echo
    echo "commands (CORPUS = the corpus, TMPDIR = a fresh folder per run):"
    for t in "${tools[@]}"; do
        [ "$t" = kanshi-small ] && continue
        printf '  %-11s %s\n' "$t" "$(cmd_text "$t")"
    done
    [ -n "$suri_conf" ] && echo "  SURICATA_REF_YAML = the config ../shared/tools/suricata-ref.sh generates"
    echo "versions: $ver_kanshi; $ver_tcpdump; nDPI $ver_ndpi; $ver_suricata"
    echo
    echo "all runs (tool run wall_s time_%e rss_kb exit flow_events eve_lines kanshi_pkts kanshi_flows peak_active peak_flow_memuse):"
    sed 's/^/  /' "$raw"
} >"$report"
cp "$report" "$outdir/results.txt"
cat "$report"

# ---- JSON ------------------------------------------------------------------------------------
js() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
{
    printf '{\n  "date": %s,\n  "host": {"cores": %d, "cpu": %s, "kernel": %s},\n' \
        "$(js "$date_utc")" "$(nproc)" "$(js "$cpu")" "$(js "$(uname -r)")"
    printf '  "binary": %s, "version": %s, "runs": %d, "statistic": "median",\n' "$(js "$bin")" "$(js "$ver_kanshi")" "$runs"
    printf '  "corpus": {"path": %s, "size_mb": %d, "file_bytes": %d, "packets": %d, "packet_bytes": %d, "sha256": "%s"},\n' \
        "$(js "${big#"$root"/}")" "$mb" "$big_fbytes" "$big_pkts" "$big_bytes" "$big_sha"
    printf '  "small_corpus": {"path": %s, "size_mb": %d, "file_bytes": %d, "packets": %d, "packet_bytes": %d, "sha256": "%s"},\n' \
        "$(js "${small#"$root"/}")" "$small_mb" "$small_fbytes" "$small_pkts" "$small_bytes" "$small_sha"
    printf '  "tools": [\n'
    first=yes
    for t in "${tools[@]}"; do
        if [ "$t" = kanshi-small ]; then p=$small_pkts b=$small_bytes; else p=$big_pkts b=$big_bytes; fi
        [ $first = yes ] || printf ',\n'
        first=no
        samples=$(awk -F'\t' -v t="$t" '$1 == t { printf "%s{\"seconds\": %s, \"rss_kb\": %s, \"exit\": %s}", (n++ ? ", " : ""), $3, $5, $6 }' "$raw")
        awk -F'\t' -v t="$t" -v p="$p" -v b="$b" -v k="$k_s" -v cmd="$(js "$(cmd_text "$t")")" -v samples="$samples" -v ver="$(
            case $t in tcpdump) js "$ver_tcpdump" ;; ndpiReader) js "nDPI $ver_ndpi" ;; suricata) js "$ver_suricata" ;; *) js "$ver_kanshi" ;; esac)" '
            function num(x) { return x ~ /^[0-9]+$/ ? x : "null" }
            $1 == t {
                printf "    {\"tool\": \"%s\", \"version\": %s, \"command\": %s, \"corpus\": \"%s\",\n", t, ver, cmd, t == "kanshi-small" ? "small" : "main"
                printf "     \"seconds\": %s, \"seconds_min\": %s, \"seconds_max\": %s, \"packets_per_s\": %.0f, \"gbit_per_s\": %.4f, \"peak_rss_mb\": %.1f, \"failed_runs\": %d,\n", \
                    $2, $3, $4, p / $2, b * 8 / $2 / 1e9, $5 / 1024, $6
                if (t == "kanshi-small") printf "     \"kanshi_rate_ratio\": null,\n"
                else printf "     \"kanshi_rate_ratio\": %.3f,\n", $2 / k
                if (t ~ /^kanshi/) printf "     \"flow_events\": %s, \"eve_lines\": %s, \"flow_events_per_s\": %.0f, \"kanshi_packets\": %s, \"kanshi_flows\": %s, \"peak_active_flows\": %s, \"peak_flow_memuse\": %s,\n", num($7), num($8), $7 / $2, num($9), num($10), num($11), num($12)
                printf "     \"samples\": [%s]}", samples
            }' "$summary"
    done
    printf '\n  ],\n  "skipped": {'
    first=yes
    for t in tcpdump ndpiReader suricata; do
        [ -n "${skip[$t]+x}" ] || continue
        [ $first = yes ] || printf ', '
        first=no
        printf '"%s": %s' "$t" "$(js "${skip[$t]}")"
    done
    printf '},\n'
    awk -F'\t' '$1 == "suricata" { s = $2 } $1 == "kanshi" { k = $2; br = $5 } $1 == "kanshi-small" { sr = $5 }
        END {
            if (sr) printf "  \"rss_growth_ratio\": %.3f,\n", br / sr
            else printf "  \"rss_growth_ratio\": null,\n"
            if (s && k) printf "  \"target\": {\"kanshi_over_suricata_min\": 2, \"kanshi_over_suricata\": %.3f, \"met\": %s}\n", s / k, (s / k >= 2 ? "true" : "false")
            else printf "  \"target\": {\"kanshi_over_suricata_min\": 2, \"kanshi_over_suricata\": null, \"met\": null}\n"
        }' "$summary"
    printf '}\n'
} >"$outdir/results.json"
note "wrote ${outdir#"$root"/}/results.txt and ${outdir#"$root"/}/results.json"

# ---- steady traffic: at a constant packet rate, RSS must not grow with the capture ------------
# The corpus above crowds more copies of the sources into the same ~10 minutes as it grows, so
# more flows are open at once. Here copies come 700 s apart (more than the longest flow timeout,
# 600 s), so the traffic rate stays the same and only the duration grows.
steady() {
    local f rss active
    f=$(BENCH_STEP=700 corpus "$1" steady)
    rm -rf "$work/steady"
    mkdir -p "$work/steady"
    /usr/bin/time -f '%M' -o "$work/steady.time" "$bin" -q -r "$f" -l "$work/steady" ||
        die "kanshi failed on $f"
    rss=$(tail -n 1 "$work/steady.time")
    active=$(/usr/bin/python3 -c 'import json,sys
print(max(json.loads(l)["stats"]["flow"]["active"] for l in open(sys.argv[1]) if "\"stats\"" in l))' \
        "$work/steady/eve.json")
    printf '  %4d MiB steady corpus: peak RSS %6.1f MB, peak active flows %s\n' "$1" \
        "$(echo "$rss" | awk '{ print $1 / 1024 }')" "$active"
}
export BENCH_STEP
{
    echo
    echo "kanshi peak RSS at a constant traffic rate (copies 700 s apart):"
    steady "$small_mb"
    steady "$mb"
} | tee -a "$outdir/results.txt"

# ---- detection: no rules, kanshi.rules, ET Open; Suricata with ET Open (tools/bench_rules.sh) --
"$root/tools/bench_rules.sh" "$bin" "$big"

# a failed kanshi run fails the bench
awk -F'\t' '$1 ~ /^kanshi/ && $6 != 0 { bad = 1 } END { exit bad }' "$raw" || die "kanshi failed in some runs"
