#!/usr/bin/python3
"""Compares kanshi's alerts with the reference Suricata's, capture by capture.

    compare_alerts.py OUTDIR RULES

OUTDIR is what tools/compare_alerts.sh wrote: captures.txt (name, path) and, per capture,
NAME/suricata/eve.json and NAME/kanshi/eve.json. RULES is the rule file both ran.

An alert is keyed by (sid, IP protocol, its two endpoints (address, port) in either order):
"the same rule on the same flow", whichever packet of the flow raised it and however many times
(Suricata and kanshi may alert on different packets of a stream). For each side the share of
its keys the other side has is reported, over all rules and over the rules that need no
application-layer parser (the rule names an app protocol or an app-layer buffer or keyword, or
reads a flowbit only such rules set): kanshi has no app-layer parsers yet, so those cannot fire.
Writes OUTDIR/report.txt and OUTDIR/results.json; prints the summary.
"""
import collections
import json
import os
import re
import sys

PLAIN_PROTOS = {"ip", "tcp", "udp", "icmp", "icmpv4", "icmpv6", "tcp-pkt", "tcp-stream", "pkthdr",
                "sctp", "ipv4", "ipv6", "ip4", "ip6"}
APP_KEYWORD = re.compile(
    r"^(http[._]|uricontent|urilen|dns[._]|tls[._]|ssl_|ja3|ja4|file[._]|filename|fileext|"
    r"filemagic|filestore|ssh[._]|smtp[._]|smb[._]|dce_|krb5|snmp|sip[._]|quic|mqtt|modbus|"
    r"dnp3|enip|cip|ftp|app-layer|base64_data|email|rfb|ike|nfs|tftp|dhcp|http2|websocket)")
PROTO_NUM = {"TCP": 6, "UDP": 17, "ICMP": 1, "IPV6-ICMP": 58, "SCTP": 132}


def options(rule):
    body = rule[rule.find("(") + 1:rule.rfind(")")]
    out, cur, quoted, esc = [], "", False, False
    for ch in body:
        if esc:
            cur += ch
            esc = False
        elif ch == "\\":
            cur += ch
            esc = True
        elif ch == '"':
            quoted = not quoted
            cur += ch
        elif ch == ";" and not quoted:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [o for o in out if o]


def classify(path):
    """sid -> True when the rule needs the app layer (directly or through flowbits)."""
    rules, app_bits = {}, set()
    for line in open(path, errors="replace"):
        line = line.strip()
        if not line.startswith(("alert", "drop", "reject", "pass")) or "(" not in line:
            continue
        proto = line.split()[1].lower()
        opts = options(line)
        kws = [o.split(":", 1)[0].strip().lower() for o in opts]
        sidm = re.search(r"\bsid\s*:\s*(\d+)", line)
        if not sidm:
            continue
        app = proto not in PLAIN_PROTOS or any(APP_KEYWORD.match(k) for k in kws)
        sets, reads = set(), set()
        for o in opts:
            if o.startswith("flowbits:"):
                parts = [x.strip() for x in o.split(":", 1)[1].split(",")]
                if len(parts) >= 2 and parts[0] in ("set", "toggle"):
                    sets.add(parts[1])
                elif len(parts) >= 2 and parts[0] == "isset":
                    reads.update(parts[1].split("|"))
        rules[int(sidm.group(1))] = [app, sets, reads]
    setters = collections.defaultdict(list)
    for sid, (app, sets, _) in rules.items():
        for b in sets:
            setters[b].append(app)
    for _ in range(3):  # reads of bits set only by app rules make a rule app-dependent
        for sid, r in rules.items():
            if not r[0] and any(r[2]) and all(setters.get(b) and all(setters[b]) for b in r[2]):
                r[0] = True
        setters = collections.defaultdict(list)
        for sid, (app, sets, _) in rules.items():
            for b in sets:
                setters[b].append(app)
    return {sid: r[0] for sid, r in rules.items()}


def alert_keys(path):
    keys = collections.Counter()
    msgs = {}
    if not os.path.exists(path):
        return keys, msgs
    for line in open(path, errors="replace"):
        if '"alert"' not in line:
            continue
        try:
            e = json.loads(line)
        except ValueError:
            continue
        if e.get("event_type") != "alert":
            continue
        a = e["alert"]
        ends = frozenset([(e.get("src_ip"), e.get("src_port")), (e.get("dest_ip"), e.get("dest_port"))])
        proto = PROTO_NUM.get(str(e.get("proto")).upper(), str(e.get("proto")))
        keys[(a["signature_id"], proto, ends)] += 1
        msgs[a["signature_id"]] = a.get("signature", "")
    return keys, msgs


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    out, rules = sys.argv[1], sys.argv[2]
    app = classify(rules)
    caps = [l.rstrip("\n").split("\t") for l in open(os.path.join(out, "captures.txt")) if l.strip()]
    tot = collections.Counter()
    only = {"suricata": collections.Counter(), "kanshi": collections.Counter()}
    msgs, rows = {}, []
    for name, path in caps:
        s, ms = alert_keys(os.path.join(out, name, "suricata", "eve.json"))
        k, mk = alert_keys(os.path.join(out, name, "kanshi", "eve.json"))
        msgs.update(ms)
        msgs.update(mk)
        both = set(s) & set(k)
        row = {"capture": name, "suricata": len(s), "kanshi": len(k), "both": len(both),
               "suricata_alerts": sum(s.values()), "kanshi_alerts": sum(k.values())}
        for side, mine in (("suricata", s), ("kanshi", k)):
            for key in set(mine) - both:
                only[side][key[0]] += 1
        for tag, pick in (("", lambda key: True), ("plain_", lambda key: not app.get(key[0]))):
            tot[tag + "s"] += sum(1 for x in s if pick(x))
            tot[tag + "k"] += sum(1 for x in k if pick(x))
            tot[tag + "b"] += sum(1 for x in both if pick(x))
        if s or k:
            rows.append(row)
    lines = ["alerts (rule + flow) per capture, ET Open both sides", "",
             "%-70s %8s %8s %8s" % ("capture", "suricata", "kanshi", "both")]
    for r in rows:
        lines.append("%-70s %8d %8d %8d" % (r["capture"][-70:], r["suricata"], r["kanshi"], r["both"]))
    summary = [
        "all rules:        Suricata %d, kanshi %d, both %d: kanshi raised %.1f%% of Suricata's, "
        "Suricata %.1f%% of kanshi's" % (tot["s"], tot["k"], tot["b"], pct(tot["b"], tot["s"]),
                                         pct(tot["b"], tot["k"])),
        "no app layer:     Suricata %d, kanshi %d, both %d: kanshi raised %.1f%% of Suricata's, "
        "Suricata %.1f%% of kanshi's" % (tot["plain_s"], tot["plain_k"], tot["plain_b"],
                                         pct(tot["plain_b"], tot["plain_s"]),
                                         pct(tot["plain_b"], tot["plain_k"])),
    ]
    lines += ["", "rules behind the differences (flows where only one side alerted):"]
    for side in ("suricata", "kanshi"):
        lines.append("  only %s:" % side)
        for sid, n in only[side].most_common(40):
            lines.append("    %8d x%-4d %s %s" % (sid, n, "[app]" if app.get(sid) else "     ",
                                                 msgs.get(sid, "")[:90]))
    lines += [""] + summary
    with open(os.path.join(out, "report.txt"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "results.json"), "w") as fh:
        json.dump({"totals": dict(tot), "captures": rows,
                   "only": {k: {str(s): n for s, n in v.items()} for k, v in only.items()}},
                  fh, indent=1)
    print("\n".join(summary))
    print("compare-alerts: details in %s" % os.path.join(out, "report.txt"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
