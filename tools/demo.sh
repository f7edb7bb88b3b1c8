#!/usr/bin/env bash
# demo.sh BINARY: replays the bundled captures (samples/*.pcap) and prints what kanshi saw.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1
out=build/demo
rm -rf "$out"
mkdir -p "$out"
echo "kanshi demo: replaying $(ls samples/*.pcap | wc -l) captures from samples/ (see samples/README.md)"
"$bin" -r samples/http-curl.pcap -r samples/dns-dig.pcap -r samples/nmap-scan.pcap \
       -r samples/ssh-10022.pcap -r samples/smtp-swaks.pcap -r samples/vlan-ipv6-ping.pcap \
       -r samples/vxlan-http.pcap -r samples/log4shell-curl.pcap -c samples/kanshi.yaml \
       -S rules/kanshi.rules -s rules/decoder-events.rules -s rules/stream-events.rules -l "$out"
/usr/bin/python3 - "$out/eve.json" <<'PY'
import collections, json, sys
path = sys.argv[1]
events = collections.Counter()
protos = collections.Counter()
apps = collections.Counter()
states = collections.Counter()
anomalies = collections.Counter()
alerts = collections.Counter()
special = []
stats = None
for line in open(path, encoding="utf-8"):
    ev = json.loads(line)
    t = ev["event_type"]
    events[t] += 1
    if t == "flow":
        protos[ev["proto"]] += 1
        apps[ev.get("app_proto", "undecided")] += 1
        states[ev.get("tcp", {}).get("state", ev["flow"]["state"])] += 1
        if ev.get("dest_port") == 10022:
            special.append("port 10022 identified as %s by its bytes: %s -> %s" % (
                ev.get("app_proto", "nothing"), ev["src_ip"], ev["dest_ip"]))
        if "tunnel" in ev:
            special.append("%s flow %s:%s -> %s:%s inside a tunnel from %s" % (
                ev["proto"], ev["src_ip"], ev.get("src_port", "-"), ev["dest_ip"],
                ev.get("dest_port", "-"), ev["tunnel"]["src_ip"]))
        if "vlan" in ev and len(special) < 12:
            special.append("%s flow on VLAN %s" % (ev["proto"], ev["vlan"]))
    elif t in ("http", "dns", "tls", "ssh", "smtp") and len(special) < 40:
        if t == "http":
            special.append("http %s %s%s -> %s" % (ev["http"].get("http_method"),
                           ev["http"].get("hostname", ""), ev["http"].get("url", ""),
                           ev["http"].get("status", "-")))
        elif t == "ssh":
            special.append("ssh client %s, server %s" % (
                ev["ssh"].get("client", {}).get("software_version"),
                ev["ssh"].get("server", {}).get("software_version")))
    elif t == "anomaly":
        anomalies[ev["anomaly"]["event"]] += 1
    elif t == "alert":
        alerts["%s %s" % (ev["alert"]["signature_id"], ev["alert"]["signature"])] += 1
    elif t == "stats":
        stats = ev["stats"]
print()
if stats:
    print("packets decoded   %d (%d bytes)" % (stats["decoder"]["pkts"], stats["decoder"]["bytes"]))
print("flows by protocol %s" % ", ".join("%s %d" % kv for kv in sorted(protos.items())))
print("flows by app      %s" % ", ".join("%s %d" % kv for kv in apps.most_common()))
print("flow end states   %s" % ", ".join("%s %d" % kv for kv in states.most_common()))
print("anomalies         %s" % (", ".join("%s %d" % kv for kv in anomalies.most_common()) or "none"))
print("alerts            %d" % sum(alerts.values()))
for sig, n in alerts.most_common():
    print("  %3d x %s" % (n, sig))
print("events written    %s" % ", ".join("%s %d" % kv for kv in sorted(events.items())))
for s in sorted(set(special))[:16]:
    print("  - " + s)
print("eve.json          %s" % path)
print("\nTry: jq -c 'select(.event_type==\"alert\")' %s | head" % path)
print("     jq -c 'select(.event_type==\"flow\")' %s | head" % path)
PY
