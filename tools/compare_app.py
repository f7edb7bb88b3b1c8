#!/usr/bin/env python3
"""kanshi's app-layer records against the reference Suricata 7, record by record.

    tools/compare_app.py [BINARY] [-v] [NAME...]

Captures: every file under ../shared/pcaps/{http,dns,tls,ssh,smtp,malware} (ZIPs with the usual
"infected" password are extracted first); with NAMEs only those whose path contains one.
Each is replayed on its own by BINARY (default build/kanshi, or $KANSHI) and by Suricata 7
(as ../shared/tools/suricata-ref.sh runs it: Debian's suricata.yaml, community_id on, single
runmode, -k none, no rules; plus JA3 on, in both sensors) into build/compare-app/<name>/.

Compared, by unordered 5-tuple and in order within a flow:
  flow  app_proto
  http  hostname, url, http_method, status, http_user_agent, length
  dns   per message: query names and types, rcode, answers (Suricata 7 writes DNS v2: one
        event per query, answers in "answer" events; both are rebuilt into one record per
        message before comparing)
  tls   sni, version, ja3 / ja3s hashes, subject, issuerdn
  ssh   client and server proto_version + software_version
  smtp  helo, mail_from, rcpt_to; email status, from, to, cc, attachment, url and the
        has_ipv6_url / has_ipv4_url / has_exe_url flags
  ftp   command, command_data, completion_code, reply, dynamic_port, mode, reply_received
  quic  version, sni, ua
Prints per record type how many of Suricata's records kanshi has, how many agree in every
field, and per field; -v lists every difference. Exits 0 whatever the differences, 1 when a
sensor crashed or Suricata is missing. docs/compare.md, section "Application layer".
"""

import collections
import concurrent.futures
import json
import os
import subprocess
import sys

import appcmp

THEMES = ("http", "dns", "tls", "ssh", "smtp", "malware")
FIELDS = {
    "http": ("hostname", "url", "http_method", "status", "http_user_agent", "length"),
    "tls": ("sni", "version", "ja3", "ja3s", "subject", "issuerdn"),
    "ssh": ("client", "server"),
    "dns": ("queries", "rcode", "answers"),
    "smtp": ("helo", "mail_from", "rcpt_to", "status", "from", "to", "cc", "attachment", "url",
             "has_ipv6_url", "has_ipv4_url", "has_exe_url"),
    "ftp": ("command", "command_data", "completion_code", "reply", "dynamic_port", "mode",
            "reply_received"),
    "quic": ("version", "sni", "ua"),
}
KINDS = ("http", "dns", "tls", "ssh", "smtp", "ftp", "quic")


def captures(out, names):
    found = []
    for theme in THEMES:
        for dirpath, _, files in os.walk(os.path.join(appcmp.PCAPS, theme)):
            for f in sorted(files):
                path = os.path.join(dirpath, f)
                if f.endswith(".zip"):
                    found += unzip(path, os.path.join(out, "zips", f[:-4]))
                elif f.endswith((".pcap", ".pcapng", ".cap")):
                    found.append(path)
    rel = [(os.path.relpath(p, appcmp.PCAPS) if p.startswith(appcmp.PCAPS)
            else os.path.relpath(p, out), p) for p in sorted(found)]
    return [(r, p) for r, p in rel if not names or any(n in r for n in names)]


def unzip(path, dest):
    os.makedirs(dest, exist_ok=True)
    subprocess.call(["unzip", "-qq", "-o", "-P", "infected", path, "-d", dest],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return [os.path.join(d, f) for d, _, fs in os.walk(dest) for f in fs
            if f.endswith((".pcap", ".pcapng", ".cap"))]


def suricata_conf(out):
    """Debian's suricata.yaml with community_id on (suricata-ref.sh's change)."""
    conf = os.path.join(out, "suricata.yaml")
    with open("/etc/suricata/suricata.yaml") as fh:
        text = fh.read().replace("community-id: false", "community-id: true")
    with open(conf, "w") as fh:
        fh.write(text)
    return conf


def run_suricata(conf, pcap, outdir):
    os.makedirs(outdir, exist_ok=True)
    eve = os.path.join(outdir, "eve.json")
    if os.path.exists(eve):
        os.unlink(eve)
    cmd = ["suricata", "-c", conf, "--runmode", "single", "-k", "none",
           "--set", "unix-command.enabled=no", "--set", "detect.rule-reload=false",
           "--set", "app-layer.protocols.tls.ja3-fingerprints=yes",
           "--set", "classification-file=/etc/suricata/classification.config",
           "--set", "reference-config-file=/etc/suricata/reference.config",
           "-S", "/dev/null", "-r", pcap, "-l", outdir]
    with open(os.path.join(outdir, "suricata.log"), "w") as log:
        rc = subprocess.call(cmd, stdout=log, stderr=log, env=dict(os.environ, TZ="UTC"))
    return rc, eve


# ---- one record shape for both sensors ---------------------------------------------------

def by_flow(events, etype):
    out = collections.defaultdict(list)
    for ev in events:
        if ev.get("event_type") == etype:
            out[appcmp.event_key(ev)].append(ev)
    return out


def http_rec(ev):
    h = ev.get("http", {})
    return {f: h.get(f) for f in FIELDS["http"]}


def tls_rec(ev):
    t = ev.get("tls", {})
    rec = {f: t.get(f) for f in ("sni", "version", "subject", "issuerdn")}
    rec["ja3"] = (t.get("ja3") or {}).get("hash")
    rec["ja3s"] = (t.get("ja3s") or {}).get("hash")
    return rec


def ssh_rec(ev):
    s = ev.get("ssh", {})

    def side(k):
        o = s.get(k) or {}
        return (o.get("proto_version"), o.get("software_version")) if o else None
    return {"client": side("client"), "server": side("server")}


def smtp_rec(ev):
    s, m = ev.get("smtp") or {}, ev.get("email") or {}
    rec = {f: s.get(f) for f in ("helo", "mail_from", "rcpt_to")}
    rec.update({f: m.get(f) for f in FIELDS["smtp"][3:]})
    return rec


def ftp_rec(ev):
    f = ev.get("ftp") or {}
    return {k: f.get(k) for k in FIELDS["ftp"]}


def quic_rec(ev):
    q = ev.get("quic") or {}
    return {k: q.get(k) for k in FIELDS["quic"]}


def answer_tuple(a):
    rest = {k: v for k, v in a.items() if k not in ("rrname", "rrtype", "ttl")}
    return (a.get("rrname"), a.get("rrtype"), a.get("ttl"), json.dumps(rest, sort_keys=True))


def dns_messages(events):
    """{flow key: [record per message]}; v2 (Suricata 7) and v3 (kanshi) both accepted."""
    msgs = collections.OrderedDict()
    for ev in events:
        if ev.get("event_type") != "dns":
            continue
        d = ev["dns"]
        resp = d.get("type") in ("answer", "response")
        # a message per packet: a retransmitted query has the same id
        k = (appcmp.event_key(ev), d.get("id"), resp, ev.get("pcap_cnt"))
        m = msgs.setdefault(k, {"queries": [], "rcode": None, "answers": []})
        if d.get("version") == 3:
            m["queries"] = [(q.get("rrname"), q.get("rrtype")) for q in d.get("queries", [])]
            m["answers"] = sorted(answer_tuple(a) for a in d.get("answers", []))
        elif resp:
            m["queries"] = [(d.get("rrname"), d.get("rrtype"))] if "rrname" in d else []
            m["answers"] = sorted(answer_tuple(a) for a in d.get("answers", []))
        else:
            m["queries"].append((d.get("rrname"), d.get("rrtype")))
        if resp:
            m["rcode"] = d.get("rcode")
    out = collections.defaultdict(list)
    for k, m in msgs.items():
        out[(k[0], k[2])].append(m)
    return out


def records(events, kind):
    if kind == "dns":
        return dns_messages(events)
    conv = {"http": http_rec, "tls": tls_rec, "ssh": ssh_rec, "smtp": smtp_rec, "ftp": ftp_rec,
            "quic": quic_rec}[kind]
    out = {}
    for key, evs in by_flow(events, kind).items():
        evs.sort(key=lambda e: (e.get("tx_id", 0), e.get("pcap_cnt", 0)))
        out[key] = [conv(e) for e in evs]
    return out


def flow_protos(events):
    out = collections.defaultdict(list)
    for ev in events:
        if ev.get("event_type") == "flow" and ev.get("proto") in ("TCP", "UDP"):
            out[appcmp.event_key(ev)].append((ev["flow"].get("start"), ev.get("app_proto")))
    return {k: [p for _, p in sorted(v, key=lambda x: x[0] or "")] for k, v in out.items()}


class Tally:
    def __init__(self):
        self.n = collections.Counter()         # kind -> Suricata records
        self.found = collections.Counter()     # kind -> with a kanshi record
        self.same = collections.Counter()      # kind -> every field equal
        self.fsame = collections.Counter()     # (kind, field)
        self.ftotal = collections.Counter()
        self.extra = collections.Counter()     # kind -> records only kanshi has
        self.diffs = collections.defaultdict(list)
        self.flows = []                        # (capture, key, Suricata's, kanshi's)
        self.suri_flow_protos = collections.Counter()
        self.kanshi_protos = set()
        self.unparsed = collections.Counter()  # Suricata labels kanshi has no parser for


def compare_records(t, name, kind, suri, ours):
    for key in set(suri) | set(ours):
        s, k = suri.get(key, []), ours.get(key, [])
        t.extra[kind] += max(0, len(k) - len(s))
        for i, srec in enumerate(s):
            t.n[kind] += 1
            if i >= len(k):
                t.diffs[(kind, "missing")].append((name, key, "-", "-"))
                continue
            t.found[kind] += 1
            equal = True
            for f in FIELDS[kind]:
                if srec.get(f) is None and k[i].get(f) is None:
                    continue
                t.ftotal[(kind, f)] += 1
                if srec.get(f) == k[i].get(f):
                    t.fsame[(kind, f)] += 1
                else:
                    equal = False
                    t.diffs[(kind, f)].append((name, key, srec.get(f), k[i].get(f)))
            t.same[kind] += equal


def compare_flows(t, name, suri, ours):
    for key, sp in suri.items():
        kp = ours.get(key, [])
        for i, s in enumerate(sp):
            if not s or s == "failed":
                continue
            t.suri_flow_protos[s] += 1
            t.flows.append((name, key, s, kp[i] if i < len(kp) else None))
    for key, kp in ours.items():
        for k in kp:
            if k and k != "failed":
                t.kanshi_protos.add(k)
        sp = suri.get(key, [])
        for i, k in enumerate(kp):
            s = sp[i] if i < len(sp) else None
            if k and k != "failed" and (not s or s == "failed"):
                t.extra["flow"] += 1
                t.diffs[("flow", "only kanshi")].append((name, key, s, k))


def score_flows(t):
    """Flows of the protocols kanshi has a parser for (those it labels anywhere in the run),
    so a parser that lands is counted without editing this script."""
    for name, key, s, k in t.flows:
        if s not in t.kanshi_protos:
            t.unparsed[s] += 1
            continue
        t.n["flow"] += 1
        t.found["flow"] += k is not None
        t.same["flow"] += s == k
        if s != k:
            t.diffs[("flow", "app_proto")].append((name, key, s, k))


def report(t, verbose):
    print("%-5s %9s %9s %9s %8s %12s" % ("", "Suricata", "in kanshi", "all same", "", "only kanshi"))
    print("flow: app_proto of TCP/UDP flows, protocols kanshi parses (%s)" %
          ", ".join(sorted(t.kanshi_protos)))
    for kind in ("flow",) + KINDS:
        print("%-5s %9d %9d %9d %8s %12d" % (kind, t.n[kind], t.found[kind], t.same[kind],
                                            appcmp.pct(t.same[kind], t.n[kind]), t.extra[kind]))
        for (k, f), tot in sorted(t.ftotal.items()):
            if k == kind:
                print("      %-16s %6d of %6d %s" % (f, t.fsame[(k, f)], tot,
                                                   appcmp.pct(t.fsame[(k, f)], tot)))
    if t.unparsed:
        print("flows Suricata labels with a protocol kanshi has no parser for: %s" %
              ", ".join("%s %d" % kv for kv in sorted(t.unparsed.items())))
    for (kind, f), items in sorted(t.diffs.items()):
        print("differences %s.%s: %d" % (kind, f, len(items)))
        for name, key, s, k in items[:None if verbose else 4]:
            print("    %s %s\n        suricata %s\n        kanshi   %s" % (
                name, fmt_key(key), short(s), short(k)))


def fmt_key(key):
    if isinstance(key[1], bool):
        key = key[0]
    proto, a, b = key
    return "%s %s:%d <-> %s:%d" % (proto, a[0], a[1], b[0], b[1])


def short(v):
    s = json.dumps(v) if not isinstance(v, str) else v
    return s if len(s) < 160 else s[:157] + "..."


def run_all(binary, caps, out):
    conf = suricata_conf(out)
    crashed = []

    def one(item):
        rel, path = item
        d = os.path.join(out, rel.replace("/", "-"))
        krc, keve = appcmp.run_kanshi(binary, path, os.path.join(d, "kanshi"), (
            "--set", "app-layer.protocols.tls.ja3-fingerprints=yes"))
        src, seve = run_suricata(conf, path, os.path.join(d, "suricata"))
        bad = [s for s, rc in (("kanshi", krc), ("suricata", src)) if rc < 0 or rc >= 128]
        return rel, keve, seve, bad
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as ex:
        results = list(ex.map(one, caps))
    for rel, _, _, bad in results:
        crashed += ["%s: %s" % (rel, b) for b in bad]
    return results, crashed


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    binary = appcmp.default_binary()
    if args and os.path.isfile(args[0]):
        binary = os.path.abspath(args.pop(0))
    if not os.access(binary, os.X_OK):
        print("compare_app: %s is not an executable (run make first)" % binary)
        return 2
    if subprocess.call(["sh", "-c", "command -v suricata"], stdout=subprocess.DEVNULL):
        print("compare_app: suricata is missing (../shared/tools/install-suricata.sh)")
        return 1
    out = os.path.join(appcmp.ROOT, "build", "compare-app")
    os.makedirs(out, exist_ok=True)
    caps = captures(out, args)
    results, crashed = run_all(binary, caps, out)
    print("compare_app: %d captures, %s vs %s" % (len(caps), binary, subprocess.run(
        ["suricata", "-V"], capture_output=True, text=True).stdout.strip()))
    t = Tally()
    for rel, keve, seve, _ in results:
        kev, sev = appcmp.read_eve(keve), appcmp.read_eve(seve)
        compare_flows(t, rel, flow_protos(sev), flow_protos(kev))
        for kind in KINDS:
            compare_records(t, rel, kind, records(sev, kind), records(kev, kind))
    score_flows(t)
    report(t, verbose)
    for c in crashed:
        print("CRASH: " + c)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
