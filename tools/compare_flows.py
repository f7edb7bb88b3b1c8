#!/usr/bin/python3
"""Compares the flow events of kanshi with those of the reference Suricata 7, capture by capture.

    compare_flows.py OUTROOT NAME [NAME ...]

For each NAME it reads OUTROOT/NAME/suricata/eve.json and OUTROOT/NAME/kanshi/eve.json (written
by tools/compare.sh, one capture per NAME) and OUTROOT/NAME/status (the sensors' exit codes and
the capture path). It writes OUTROOT/report.txt (a one-line-per-capture table, then the first
examples of every difference class per capture) and OUTROOT/results.json (all numbers), and
prints the table and a summary. See docs/compare.md.

Matching: flows are keyed by (IP protocol, the two endpoints (address, port) in either order,
the VLAN id list). Several flows can share a key over time (port reuse, timeouts), so each key
holds a list of flows in flow.start order; a Suricata flow is matched to the unmatched kanshi
flow of the same key whose [start, end] overlaps its own, the closest start first. Packet and
byte counts and TCP flags are compared per endpoint: when kanshi picked the other side as the
client, its to-server values are compared with Suricata's to-client ones (and the flow counts
as a "direction" difference, not as a count difference).

Exit status: 0, also when flows differ (this is a measurement); 2 on a usage error.
"""
import datetime
import ipaddress
import json
import os
import sys

EXAMPLES = 5  # examples kept per difference class and capture

PROTO_NUM = {
    "ICMP": 1, "IGMP": 2, "IPV4": 4, "IP-ENCAP": 4, "TCP": 6, "UDP": 17, "IPV6": 41, "GRE": 47,
    "ESP": 50, "AH": 51, "IPV6-ICMP": 58, "ICMPV6": 58, "PIM": 103, "SCTP": 132,
}

# difference classes on matched flows, in report order: (id, column header, description)
CLASSES = [
    ("pkts_ts", "pkt_ts", "pkts_toserver differs (Suricata's client->server direction)"),
    ("pkts_tc", "pkt_tc", "pkts_toclient differs (Suricata's server->client direction)"),
    ("bytes_ts", "byt_ts", "bytes_toserver differs (Suricata's client->server direction)"),
    ("bytes_tc", "byt_tc", "bytes_toclient differs (Suricata's server->client direction)"),
    ("dir", "dir", "direction differs (kanshi's src/dest are Suricata's dest/src)"),
    ("fstate", "fstate", "flow.state differs"),
    ("tstate", "tstate", "tcp.state differs"),
    ("flags", "flags", "tcp flags differ (tcp_flags, tcp_flags_ts or tcp_flags_tc, per endpoint)"),
    ("cid", "cid", "community_id differs"),
    ("reason", "reason", "flow.reason differs (timeout / shutdown / ...)"),
    ("time", "time", "flow.start or flow.end differs"),
]
CLASS_IDS = [c[0] for c in CLASSES]


def parse_ts(s):
    """'2026-11-24T10:26:51.619511+0000' -> microseconds since the epoch (exact)."""
    dt = datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%f%z")
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (dt - epoch) // datetime.timedelta(microseconds=1)


def proto_num(p):
    if isinstance(p, int):
        return p
    s = str(p)
    if s.isdigit():
        return int(s)
    return PROTO_NUM.get(s.upper(), s.upper())


def ip_sort(ip):
    return (ip.version, int(ip))


class Flow:
    """One flow event, normalized."""

    def __init__(self, ev):
        f = ev.get("flow", {})
        tcp = ev.get("tcp") or {}
        self.ev = ev
        self.proto_name = str(ev.get("proto"))
        self.proto = proto_num(ev.get("proto"))
        self.src = (ipaddress.ip_address(ev["src_ip"]), ev.get("src_port"))
        self.dst = (ipaddress.ip_address(ev["dest_ip"]), ev.get("dest_port"))
        self.vlan = tuple(ev.get("vlan") or ())
        a, b = sorted([self.src, self.dst], key=lambda e: (ip_sort(e[0]), -1 if e[1] is None else e[1]))
        self.key = (str(self.proto), a, b, self.vlan)
        self.start = parse_ts(f["start"])
        self.end = parse_ts(f["end"])
        self.pkts = (f.get("pkts_toserver", 0), f.get("pkts_toclient", 0))
        self.bytes = (f.get("bytes_toserver", 0), f.get("bytes_toclient", 0))
        self.state = f.get("state")
        self.reason = f.get("reason")
        self.tcp_state = tcp.get("state")
        self.flags = (tcp.get("tcp_flags"), tcp.get("tcp_flags_ts"), tcp.get("tcp_flags_tc"))
        self.has_tcp = "tcp" in ev
        self.cid = ev.get("community_id")
        self.start_s = f["start"]
        self.end_s = f["end"]

    @property
    def category(self):
        return "tcpudp" if self.proto in (6, 17) else "other"

    def endpoint(self, e):
        ip, port = e
        return str(ip) if port is None else ("[%s]:%d" % (ip, port) if ip.version == 6 else "%s:%d" % (ip, port))

    def tuple_str(self):
        v = " vlan=%s" % list(self.vlan) if self.vlan else ""
        return "%s %s -> %s%s start=%s" % (self.proto_name, self.endpoint(self.src), self.endpoint(self.dst),
                                            v, self.start_s)

    def oriented(self, same_dir):
        """(pkts, bytes, flags) as seen from the other sensor's client/server choice."""
        if same_dir:
            return self.pkts, self.bytes, self.flags
        return (self.pkts[1], self.pkts[0]), (self.bytes[1], self.bytes[0]), \
            (self.flags[0], self.flags[2], self.flags[1])

    def summary(self):
        s = "pkts %d/%d bytes %d/%d state %s" % (self.pkts + self.bytes + (self.state,))
        if self.has_tcp:
            s += " tcp.state %s flags %s/%s/%s" % ((self.tcp_state,) + self.flags)
        s += " reason %s end %s" % (self.reason, self.end_s)
        return s


def read_flows(path):
    flows, bad = [], 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if ev.get("event_type") != "flow":
                continue
            try:
                flows.append(Flow(ev))
            except (KeyError, ValueError):
                bad += 1
    return flows, bad


def match(sflows, kflows):
    """Returns (pairs, only_s, only_k)."""
    by_key = {}
    for k in kflows:
        by_key.setdefault(k.key, []).append(k)
    for lst in by_key.values():
        lst.sort(key=lambda f: (f.start, f.end))
    used = set()
    pairs, only_s = [], []
    for s in sorted(sflows, key=lambda f: (f.start, f.end)):
        best = None
        for k in by_key.get(s.key, ()):
            if id(k) in used or k.start > s.end or s.start > k.end:
                continue
            if best is None or abs(k.start - s.start) < abs(best.start - s.start):
                best = k
        if best is None:
            only_s.append(s)
        else:
            used.add(id(best))
            pairs.append((s, best))
    only_k = [k for k in kflows if id(k) not in used]
    only_k.sort(key=lambda f: (f.start, f.end))
    return pairs, only_s, only_k


def diff_pair(s, k):
    """Difference classes of one matched pair, as {class: detail string}."""
    same_dir = k.src == s.src and k.dst == s.dst
    kp, kb, kf = k.oriented(same_dir)
    d = {}
    for i, side in enumerate(("ts", "tc")):
        if kp[i] != s.pkts[i]:
            d["pkts_" + side] = "pkts_toserver/toclient suricata %d/%d kanshi %d/%d" % (s.pkts + kp)
        if kb[i] != s.bytes[i]:
            d["bytes_" + side] = "bytes_toserver/toclient suricata %d/%d kanshi %d/%d" % (s.bytes + kb)
    if not same_dir:
        d["dir"] = "kanshi src %s dest %s" % (k.endpoint(k.src), k.endpoint(k.dst))
    if k.state != s.state:
        d["fstate"] = "flow.state suricata %s kanshi %s" % (s.state, k.state)
    if (s.has_tcp or k.has_tcp) and k.tcp_state != s.tcp_state:
        d["tstate"] = "tcp.state suricata %s kanshi %s" % (s.tcp_state, k.tcp_state)
    if (s.has_tcp or k.has_tcp) and kf != s.flags:
        d["flags"] = "tcp_flags/ts/tc suricata %s/%s/%s kanshi %s/%s/%s" % (s.flags + kf)
    if k.cid != s.cid:
        d["cid"] = "community_id suricata %s kanshi %s" % (s.cid, k.cid)
    if k.reason != s.reason:
        d["reason"] = "flow.reason suricata %s kanshi %s" % (s.reason, k.reason)
    if k.start != s.start or k.end != s.end:
        d["time"] = "start/end suricata %s %s kanshi %s %s" % (s.start_s, s.end_s, k.start_s, k.end_s)
    return d


def read_status(path):
    st = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    st[k] = v
    return st


def compare_one(root, name):
    d = os.path.join(root, name)
    st = read_status(os.path.join(d, "status"))
    res = {"name": name, "capture": st.get("capture", "?"), "error": None,
           "kanshi_rc": st.get("kanshi_rc"), "suricata_rc": st.get("suricata_rc")}
    errs = []
    for sensor in ("kanshi", "suricata"):
        rc = st.get(sensor + "_rc")
        if rc != "0":
            errs.append("%s exit %s" % (sensor, rc))
        elif not os.path.exists(os.path.join(d, sensor, "eve.json")):
            errs.append("%s wrote no eve.json" % sensor)
    if errs:
        res["error"] = "; ".join(errs)
        return res
    sflows, sbad = read_flows(os.path.join(d, "suricata", "eve.json"))
    kflows, kbad = read_flows(os.path.join(d, "kanshi", "eve.json"))
    pairs, only_s, only_k = match(sflows, kflows)
    res["bad_lines"] = {"suricata": sbad, "kanshi": kbad}
    cats = {}
    for cat in ("tcpudp", "other"):
        cats[cat] = {
            "suricata": sum(1 for f in sflows if f.category == cat),
            "kanshi": sum(1 for f in kflows if f.category == cat),
            "matched": sum(1 for s, _ in pairs if s.category == cat),
            "only_suricata": sum(1 for f in only_s if f.category == cat),
            "only_kanshi": sum(1 for f in only_k if f.category == cat),
            "equal_counts": 0,
            "diff": {c: 0 for c in CLASS_IDS},
        }
    examples = {c: [] for c in CLASS_IDS}
    for s, k in pairs:
        dd = diff_pair(s, k)
        c = cats[s.category]
        if not any(c in dd for c in ("pkts_ts", "pkts_tc", "bytes_ts", "bytes_tc")):
            c["equal_counts"] += 1
        for cls, text in dd.items():
            c["diff"][cls] += 1
            if len(examples[cls]) < EXAMPLES:
                examples[cls].append("%s\n        suricata: %s\n        kanshi:   %s\n        %s"
                                     % (s.tuple_str(), s.summary(), k.summary(), text))
    res["cats"] = cats
    res["examples"] = examples
    res["only_suricata_examples"] = [f.tuple_str() + "  " + f.summary() for f in only_s[:EXAMPLES]]
    res["only_kanshi_examples"] = [f.tuple_str() + "  " + f.summary() for f in only_k[:EXAMPLES]]
    return res


def pct(a, b):
    return "%.2f %%" % (100.0 * a / b) if b else "n/a"


HEADER = ("%-42s %6s %6s %6s %5s %5s | %5s %5s %5s %5s %5s | " % (
    "capture", "S-t/u", "K-t/u", "match", "onlyS", "onlyK", "S-oth", "K-oth", "match", "onlyS", "onlyK")
    + " ".join("%6s" % c[1] for c in CLASSES))


def table_line(r):
    if r["error"]:
        return "%-42s FAILED: %s" % (r["name"], r["error"])
    t, o = r["cats"]["tcpudp"], r["cats"]["other"]
    diffs = [t["diff"][c] + o["diff"][c] for c in CLASS_IDS]
    return ("%-42s %6d %6d %6d %5d %5d | %5d %5d %5d %5d %5d | " % (
        r["name"], t["suricata"], t["kanshi"], t["matched"], t["only_suricata"], t["only_kanshi"],
        o["suricata"], o["kanshi"], o["matched"], o["only_suricata"], o["only_kanshi"])
        + " ".join("%6d" % x for x in diffs))


def totals(results):
    tot = {}
    for cat in ("tcpudp", "other"):
        t = {"suricata": 0, "kanshi": 0, "matched": 0, "only_suricata": 0, "only_kanshi": 0,
             "equal_counts": 0, "diff": {c: 0 for c in CLASS_IDS}, "captures": {c: 0 for c in CLASS_IDS}}
        for r in results:
            if r["error"]:
                continue
            c = r["cats"][cat]
            for f in ("suricata", "kanshi", "matched", "only_suricata", "only_kanshi", "equal_counts"):
                t[f] += c[f]
            for cls in CLASS_IDS:
                t["diff"][cls] += c["diff"][cls]
        tot[cat] = t
    for cls in CLASS_IDS:
        tot["captures_with_" + cls] = sum(
            1 for r in results if not r["error"]
            and r["cats"]["tcpudp"]["diff"][cls] + r["cats"]["other"]["diff"][cls])
    for side in ("only_suricata", "only_kanshi"):
        tot["captures_with_" + side] = sum(
            1 for r in results if not r["error"]
            and r["cats"]["tcpudp"][side] + r["cats"]["other"][side])
    return tot


def summary_lines(results, tot):
    out = []
    failed = [r for r in results if r["error"]]
    out.append("captures compared: %d of %d%s" % (len(results) - len(failed), len(results),
                                                  "" if not failed else "  (%d FAILED, see above)" % len(failed)))
    for cat, label in (("tcpudp", "TCP/UDP"), ("other", "ICMP/other")):
        t = tot[cat]
        out.append("%s flows: Suricata %d; kanshi found %d of them (%s), and %d that Suricata does not have"
                   % (label, t["suricata"], t["matched"], pct(t["matched"], t["suricata"]), t["only_kanshi"]))
        out.append("    of the %d matched, %d (%s) have exactly equal packet and byte counts"
                   % (t["matched"], t["equal_counts"], pct(t["equal_counts"], t["matched"])))
        out.append("    matched with differences: " + ", ".join(
            "%s %d" % (c, t["diff"][c]) for c in CLASS_IDS))
    return out


def detail_lines(results):
    out = []
    for r in results:
        if r["error"]:
            out.append("== %s (%s): FAILED: %s" % (r["name"], r["capture"], r["error"]))
            out.append("")
            continue
        t, o = r["cats"]["tcpudp"], r["cats"]["other"]
        out.append("== %s (%s)" % (r["name"], r["capture"]))
        out.append("   TCP/UDP: suricata %d kanshi %d matched %d only-suricata %d only-kanshi %d equal-counts %d"
                   % (t["suricata"], t["kanshi"], t["matched"], t["only_suricata"], t["only_kanshi"],
                      t["equal_counts"]))
        out.append("   ICMP/other: suricata %d kanshi %d matched %d only-suricata %d only-kanshi %d equal-counts %d"
                   % (o["suricata"], o["kanshi"], o["matched"], o["only_suricata"], o["only_kanshi"],
                      o["equal_counts"]))
        if any(r["bad_lines"].values()):
            out.append("   unparsable eve lines: %s" % r["bad_lines"])
        if r["only_suricata_examples"]:
            out.append("   only in suricata (%d), first ones:" % (t["only_suricata"] + o["only_suricata"]))
            out.extend("     " + e for e in r["only_suricata_examples"])
        if r["only_kanshi_examples"]:
            out.append("   only in kanshi (%d), first ones:" % (t["only_kanshi"] + o["only_kanshi"]))
            out.extend("     " + e for e in r["only_kanshi_examples"])
        for cls, _, desc in CLASSES:
            ex = r["examples"][cls]
            if ex:
                out.append("   %s: %d -- %s; first ones:" % (cls, t["diff"][cls] + o["diff"][cls], desc))
                out.extend("     " + e for e in ex)
        out.append("")
    return out


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: compare_flows.py OUTROOT NAME [NAME ...]\n")
        return 2
    root, names = argv[1], argv[2:]
    results = [compare_one(root, n) for n in names]
    tot = totals(results)
    table = [HEADER] + [table_line(r) for r in results]
    summ = summary_lines(results, tot)
    legend = ["S = Suricata, K = kanshi; t/u = TCP and UDP flows, oth = ICMP and other protocols;",
              "onlyS/onlyK = flows without a partner in the other sensor; the difference columns count",
              "matched flows (both categories):"] + ["  %-7s %s" % (c[1], c[2]) for c in CLASSES]
    info = []
    for f in ("suricata_version", "date", "kanshi_version"):
        p = os.path.join(root, f)
        if os.path.exists(p):
            with open(p, encoding="utf-8") as fh:
                info.append("%s: %s" % (f.replace("_", " "), fh.read().strip()))
    with open(os.path.join(root, "report.txt"), "w", encoding="utf-8") as fh:
        fh.write("kanshi vs Suricata flow comparison (tools/compare.sh, docs/compare.md)\n")
        fh.write("".join(x + "\n" for x in info) + "\n")
        fh.write("\n".join(legend + [""] + table + [""] + summ + ["", "Details", ""] + detail_lines(results)))
        fh.write("\n")
    with open(os.path.join(root, "results.json"), "w", encoding="utf-8") as fh:
        json.dump({"captures": results, "totals": tot}, fh, indent=1, default=str)
    print("\n".join(table))
    print()
    print("\n".join(summ))
    print()
    print("report: %s" % os.path.join(root, "report.txt"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
