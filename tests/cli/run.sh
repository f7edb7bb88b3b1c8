#!/usr/bin/env bash
# run.sh BINARY: the command line as a user meets it: bad input gets one clear line and the
# documented exit code; a damaged capture is reported and still processed; two replays are
# byte-identical; a full disk loses whole lines only; live capture on a veth pair in a network
# namespace stops cleanly on SIGTERM with its flows written. The root-only cases are skipped
# (and counted as such) when not root.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$top"
work=$(mktemp -d)
ns=kanshi-cli-$$
cleanup() {
    mountpoint -q "$work/full" 2>/dev/null && umount "$work/full"
    ip netns del "$ns" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0 skip=0
cap=../shared/pcaps/http/bro.org.pcap

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# expect NAME CODE PATTERN -- ARGS...: exit code and a stderr line matching PATTERN
expect() {
    local name=$1 code=$2 pattern=$3
    shift 4
    "$bin" "$@" >"$work/out" 2>"$work/err"
    local rc=$?
    if [ "$rc" -ne "$code" ]; then
        bad "$name: exit $rc, expected $code ($(head -c 300 "$work/err"))"
    elif ! grep -qE -- "$pattern" "$work/err" "$work/out"; then
        bad "$name: no message matching /$pattern/ (got: $(head -c 300 "$work/err"))"
    else
        ok
    fi
}

printf 'flow:\n  memcap: [oops\n' >"$work/syntax.yaml"
printf 'flow:\n  memcap: 64mb\n  hash-size: many\n' >"$work/value.yaml"
printf 'stats:\n  interval: 30\n' >"$work/good.yaml"
head -c 5000 "$cap" >"$work/truncated.pcap"
printf '%s\n' 'alert tcp any any -> any any (msg:"ok"; content:"x"; sid:1;)' \
    '  alert tcp any any -> any any (msg:"bad"; content:"x"; distance:zz; sid:2;)' >"$work/bad.rules"
printf '%s\n' 'alert tcp any any -> any any (msg:"lua"; lua:script.lua; sid:3;)' >"$work/unsup.rules"
printf '%s\n' 'supress gen_id 1, sig_id 1' >"$work/bad-threshold.config"
mkdir -p "$work/l"

expect no-input 1 'nothing to read' -- -q
expect missing-file 2 'cannot read capture file .*nope.pcap' -- -r "$work/nope.pcap" -l "$work/l"
expect not-a-capture 2 'cannot read capture file .*README.md' -- -r README.md -l "$work/l"
expect bad-bpf 2 'bad BPF filter "tcp port"' -- -r "$cap" -l "$work/l" tcp port
expect missing-log-dir 3 'log directory .*/none: does not exist' -- -r "$cap" -l "$work/none"
expect syntax-error 1 'syntax.yaml:[0-9]+:[0-9]+: YAML syntax error' -- -T -c "$work/syntax.yaml"
expect bad-value 1 "value.yaml:3: flow.hash-size: bad value 'many'" -- -T -c "$work/value.yaml"
expect test-ok 0 'configuration OK' -- -T -c "$work/good.yaml"
expect bad-set 1 "stats.interval: bad value 'x'" -- -T --set stats.interval=x
expect bad-k 1 '-k maybe: expected all, none or auto' -- -k maybe -r "$cap"
expect missing-rules 2 'rule file .*none.rules: cannot read' -- -r "$cap" -l "$work/l" -S "$work/none.rules"
expect bad-rule 1 'bad.rules:2:[0-9]+: distance: ' -- -T -S "$work/bad.rules"
expect bad-rule-runs 0 '1 rules loaded, 1 failed' -- -r "$cap" -l "$work/l" -S "$work/bad.rules"
expect unsupported-rule 0 "unsup.rules:1:[0-9]+: lua: keyword 'lua' is not supported" -- \
    -T -S "$work/unsup.rules"
expect bad-threshold 1 'bad-threshold.config:1:1: expected suppress' -- -T -S "$work/unsup.rules" \
    --set threshold-file="$work/bad-threshold.config"
expect version 0 '^kanshi [0-9]+\.[0-9]+' -- -V
expect both-inputs 1 '-r and -i cannot be used together' -- -r "$cap" -i lo -l "$work/l"
expect damaged-capture 0 'truncated.pcap: capture file damaged after packet [0-9]+' -- \
    -r "$work/truncated.pcap" -l "$work/l"
if [ -s "$work/l/eve.json" ] && grep -q '"event_type":"flow"' "$work/l/eve.json"; then ok; else
    bad "damaged-capture: the packets before the damage were not processed"; fi

# byte-identical replays
for i in 1 2; do
    mkdir -p "$work/r$i"
    "$bin" -q -r "$cap" -r ../shared/pcaps/tunnels/gre-sample.pcap -l "$work/r$i"
done
if cmp -s "$work/r1/eve.json" "$work/r2/eve.json"; then ok; else bad "replays differ"; fi

if [ "$(id -u)" -ne 0 ]; then
    echo "cli: not root: skipping interface, full-disk and live tests"
    skip=$((skip + 3))
else
    expect missing-iface 2 'interface nosuch0: no such interface' -- -i nosuch0 -l "$work/l"
    # a full disk: lines are lost whole, counted, and the exit code says so
    mkdir -p "$work/full"
    if mount -t tmpfs -o size=64k tmpfs "$work/full" 2>/dev/null; then
        expect full-disk 3 'write failed: No space left on device' -- \
            -r ../shared/pcaps/scan/nmap_syn_scan.pcap -r "$cap" -l "$work/full"
        if /usr/bin/python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)' "$work/full/eve.json"; then ok; else
            bad "full-disk: eve.json holds a broken line"; fi
        umount "$work/full"
    else
        echo "cli: cannot mount a tmpfs: full-disk test skipped"; skip=$((skip + 1))
    fi
    # live capture on a veth pair: traffic in, SIGTERM, flows out
    if ip netns add "$ns" 2>/dev/null &&
        ip link add kcli0 type veth peer name kcli1 netns "$ns" 2>/dev/null; then
        ip addr add 10.199.0.1/24 dev kcli0 && ip link set kcli0 up
        ip -n "$ns" addr add 10.199.0.2/24 dev kcli1 && ip -n "$ns" link set kcli1 up
        ip -n "$ns" link set lo up
        mkdir -p "$work/live"
        "$bin" -i kcli0 -l "$work/live" >"$work/live.out" 2>&1 &
        pid=$!
        sleep 1
        for i in 1 2 3; do # bash's /dev/udp: no extra tool needed to make traffic
            echo "probe $i" >/dev/udp/10.199.0.2/9 2>/dev/null
            sleep 0.2
        done
        sleep 0.5
        kill -TERM "$pid"
        wait "$pid"
        rc=$?
        ip link del kcli0 2>/dev/null
        if [ "$rc" -eq 0 ] && grep -q '"dest_port":9,"ip_v":4,"proto":"UDP"' "$work/live/eve.json" &&
            grep -q '"in_iface":"kcli0"' "$work/live/eve.json" &&
            grep -q '"kernel_packets"' "$work/live/eve.json"; then
            ok
        else
            bad "live: exit $rc; eve.json: $(head -c 300 "$work/live/eve.json" 2>/dev/null)"
        fi
    else
        echo "cli: cannot create a network namespace: live test skipped"; skip=$((skip + 1))
    fi
fi

echo "cli: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
