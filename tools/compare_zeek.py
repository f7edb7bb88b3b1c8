#!/usr/bin/env python3
"""kanshi's http, dns, tls and ssh records against Zeek's logs, field by field.

    tools/compare_zeek.py [BINARY] [-v]

For every trace of ../shared/pcaps with a Zeek baseline http.log, dns.log, ssl.log or ssh.log
in ../shared/pcaps/zeek-baselines (the trace -> corpus file table is in
../shared/pcaps/MANIFEST.md), replays the corpus capture with BINARY (default build/kanshi, or
$KANSHI) into build/compare-zeek/<trace>/ and matches Zeek's log rows with kanshi's events:
by unordered 5-tuple, then in order within a connection (HTTP: pipelined transactions; DNS:
message id and query name, the nth row with the nth query and response). A field is compared
where Zeek's row has a value; values are normalized to one spelling first (Zeek's "TLSv12" is
kanshi's "TLS 1.2", Zeek's DNS answer strings are rebuilt from kanshi's answers and its
multi-string TXT records split per string, X.509 names compared as sets of RDNs). Zeek's
response_body_len is the decoded body, so it meets eve "length" only for plain bodies and the
response's fileinfo size for chunked or gzip/deflate ones (decoded_body_len).

Prints per log the rows matched, per field how many agree, the rows not compared and why
(no like value on kanshi's side), and which differences an explanation covers (DNS records
Suricata 7 does not decode); -v lists every difference.
A measurement: exits 0 whatever the numbers (1 only if kanshi crashed). docs/compare.md.
"""

import collections
import os
import re
import sys
import urllib.parse

import appcmp

ZEEK = os.path.join(appcmp.PCAPS, "zeek-baselines")
LOGS = ("http", "dns", "ssl", "ssh")
# response headers tell a chunked or compressed body, whose decoded length is the size of its
# file (fileinfo): see decoded_body_len
CONFIG = """%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filename: eve.json
      types:
        - http:
            dump-all-headers: both
        - dns
        - tls
        - ssh
        - files
        - flow
"""


def corpus_map():
    """{upstream trace path: corpus file under pcaps/} from MANIFEST.md's zeek table."""
    out = {}
    with open(os.path.join(appcmp.PCAPS, "MANIFEST.md")) as fh:
        text = fh.read()
    part = text.split("## zeek-baselines/", 1)[1].split("\n## ", 1)[0]
    for line in part.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[2].endswith((".pcap", ".pcapng", ".gz")):
            trace = re.sub(r"\.gz$", "", cells[2])
            out.setdefault(trace, os.path.join(cells[0], cells[1]))
    return out


def read_zeek(path):
    """Rows of a Zeek ASCII log as dicts; unset fields are None, sets/vectors lists."""
    fields, rows, setsep = [], [], ","
    with open(path, errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("#set_separator"):
                setsep = line.split("\t")[1]
            elif line.startswith("#fields"):
                fields = line.split("\t")[1:]
            elif line and not fields and not line.startswith("#"):
                fields = line.split("\t")  # zeek-cut output: the first line names the columns
            elif line and not line.startswith("#"):
                rows.append(parse_row(fields, line.split("\t"), setsep))
    return rows


def parse_row(fields, cells, setsep):
    row = {}
    for name, cell in zip(fields, cells):
        if cell == "-":
            row[name] = None
        elif cell == "(empty)":
            row[name] = ""
        else:
            row[name] = cell
    row["_setsep"] = setsep
    return row


def zkey(row, proto):
    """The row's unordered 5-tuple; None for zeek-cut output without the id columns (those
    traces hold one connection)."""
    if "id.orig_h" not in row:
        return None
    return appcmp.endpoint_key(proto, row["id.orig_h"], row["id.orig_p"], row["id.resp_h"],
                               row["id.resp_p"])


def baselines():
    """[(trace, log name, path)]: the first btest's log per trace and log name."""
    found = {}
    for dirpath, _, files in os.walk(ZEEK):
        for f in files:
            name = f[:-4]
            if f.endswith(".log") and name in LOGS:
                btest_dir = os.path.dirname(os.path.join(dirpath, f))
                trace = os.path.relpath(os.path.dirname(btest_dir), ZEEK)
                found.setdefault((trace, name), []).append(os.path.join(dirpath, f))
    return [(t, n, sorted(p)[0]) for (t, n), p in sorted(found.items())]


# ---- normalizers: one spelling for both sides --------------------------------------------

def tls_version(v):
    """Zeek TLSv12 / SSLv3 / TLSv13 / TLSv13-draft23 -> kanshi/Suricata 'TLS 1.2' / 'SSLv3'."""
    if v is None:
        return None
    if v == "TLSv10":
        return "TLSv1"  # Suricata's (and kanshi's) name for TLS 1.0
    m = re.match(r"TLSv1(\d)$", v)
    if m:
        return "TLS 1.%s" % m.group(1)
    m = re.match(r"TLSv13-draft(\d+)$", v)
    if m:
        return "TLS 1.3 draft-%s" % m.group(1)
    return v


def rdn_set(dn):
    """An X.509 name as a set of 'KEY=value' (Zeek: RFC 2253 'CN=a,O=b' with \\, escapes;
    Suricata: 'C=US, O=b, CN=a')."""
    if dn is None:
        return None
    parts = re.split(r"(?<!\\),\s*", dn)
    return frozenset(rdn_key(p.replace("\\,", ",").strip()) for p in parts if p)


# Attribute names the two sides spell differently for the same OID: Zeek prints OpenSSL's
# short name, Suricata (and kanshi) the long one. 2.5.4.9 only so far (tls1.2.pcap).
RDN_NAMES = {"street": "streetAddress"}


def rdn_key(rdn):
    key, sep, value = rdn.partition("=")
    return RDN_NAMES.get(key, key) + sep + value


def zeek_answer(a):
    """One kanshi v3 answer written the way Zeek's dns.log writes it."""
    t = a.get("rrtype")
    rd = a.get("rdata", "")
    if t in ("TXT", "SPF"):
        return "%s %d %s" % (t, len(rd), rd)
    if t == "SRV" and "srv" in a:
        return a["srv"].get("name", "")
    if t == "SOA" and "soa" in a:
        return a["soa"].get("mname", "")
    return rd


def zeek_strings(a):
    """Zeek writes a TXT or SPF record as its character-strings, each "TXT <length> <text>",
    joined by spaces ("TXT 3 abc TXT 2 de"); Suricata 7 and kanshi write one answer per
    string. -> the strings, each as Zeek writes it; cut by the given lengths, so the text may
    hold spaces and "TXT". An element that does not parse so (Zeek escaped a byte, the lengths
    do not add up) is kept whole."""
    out, pos = [], 0
    while True:
        m = re.compile(r"(TXT|SPF) (\d+) ").match(a, pos)
        end = m.end() + int(m.group(2)) if m else -1
        if not m or end > len(a) or (end < len(a) and a[end] != " "):
            return [a]
        out.append(a[pos:end])
        if end == len(a):
            return out
        pos = end + 1


def zeek_answers(v):
    """Zeek's answers vector as a list of strings, multi-string TXT records split."""
    return [s for a in v.split(",") for s in zeek_strings(a)] if v else None


def undecoded_note(zans, answers):
    """Why the answers differ when every difference is a record kanshi writes without data: a
    type Suricata 7 does not decode (RRSIG, DNSKEY, SPF, private 65534...), which Zeek writes as
    its own summary ("RRSIG 5 cmu.edu", "BIND9 signing signal"). None otherwise."""
    def has_data(a):
        return any(k in a for k in ("rdata", "soa", "srv", "sshfp"))
    bare = [a.get("rrtype") for a in answers if not has_data(a)]
    if not bare or len(zans) != len(answers):
        return None
    rest = collections.Counter(x.lower() for x in zans)
    rest.subtract(zeek_answer(a).lower() for a in answers if has_data(a))
    if any(c < 0 for c in rest.values()) or sum(rest.values()) != len(bare):
        return None
    return "only in records kanshi, like Suricata 7, writes without data: " + ", ".join(
        "%s x%d" % kv for kv in sorted(collections.Counter(bare).items()))


def lower(v):
    return v.lower() if isinstance(v, str) else v


def zeek_qtype(v):
    """Zeek names ANY '*' and an unknown type 'query-N'; Suricata and kanshi 'ANY' and 'N'."""
    if v == "*":
        return "ANY"
    m = re.match(r"query-(\d+)$", v or "")
    return m.group(1) if m else v


def zeek_host(v):
    """Zeek's host keeps the Host header's ':port'; Suricata's hostname has it in http_port."""
    if v is None:
        return None
    return re.sub(r"(?<=[^:\]]):\d+$|(?<=\]):\d+$", "", v)


def unescape(v):
    """Zeek logs the URI percent-decoded; Suricata and kanshi as sent."""
    return urllib.parse.unquote(v) if isinstance(v, str) else v


def header(ev, side, name):
    for h in (ev or {}).get("http", {}).get(side, []):
        if h.get("name", "").lower() == name:
            return h.get("value", "")
    return None


def zeek_banner(v):
    """Zeek logs the whole SSH identification line; Suricata's software_version ends at the
    first space (the comment is not logged)."""
    return v.split(" ", 1)[0] if v else v


# Name services Zeek's DNS analyzer reads and Suricata's (and kanshi's) DNS parser leaves
# alone on their own ports: mDNS, LLMNR, NetBIOS name service.
NOT_DNS_PORTS = {5353, 5355, 137}


# ---- per log: our records keyed like Zeek's rows -----------------------------------------

def ours_by_key(events, etype):
    out = collections.defaultdict(list)
    for ev in events:
        if ev.get("event_type") == etype:
            out[appcmp.event_key(ev)].append(ev)
    return out


def response_files(events):
    """{(connection key, tx_id, sender ip, sender port): [fileinfo object]}: kanshi's fileinfo
    events (their source is the side that sent the file), by the transaction they belong to."""
    out = collections.defaultdict(list)
    for ev in events:
        if ev.get("event_type") == "fileinfo":
            f = ev.get("fileinfo", {})
            k = (appcmp.event_key(ev), f.get("tx_id"), appcmp.addr(ev.get("src_ip", "")),
                 ev.get("src_port"))
            out[k].append(f)
    return out


# Content codings kanshi inflates for its body buffers and files (as libhtp, and Zeek)
DECODED_CODINGS = ("gzip", "x-gzip", "deflate")


def decoded_body_len(ev, files):
    """kanshi's response body length counted as Zeek counts response_body_len: the entity after
    dechunking and decompression. (value, reason it is not known).

    eve "length" is libhtp's message length, as Suricata writes it: the body as sent, chunk-size
    lines and compressed bytes included. It is Zeek's number only for a body neither chunked nor
    gzip/deflate coded; otherwise the response's file is: its fileinfo size is the decoded body
    (Suricata's too), unless the file was cut at the body limit (TRUNCATED)."""
    h = (ev or {}).get("http", {})
    te = (header(ev, "response_headers", "transfer-encoding") or "").lower()
    ce = (header(ev, "response_headers", "content-encoding") or "").strip().lower()
    if "length" not in h:
        return None, None
    if "chunked" not in te and ce not in DECODED_CODINGS:
        return str(h["length"]), None
    fl = files.get((appcmp.event_key(ev), ev.get("tx_id"), appcmp.addr(ev.get("dest_ip", "")),
                    ev.get("dest_port")), [])
    if not fl:
        # no body byte, no file; a chunked body of only its last chunk is not told apart
        return ("0", None) if h["length"] == 0 else (None, "chunked/coded body without a file")
    if len(fl) > 1 or fl[0].get("state") != "CLOSED":
        return None, "decoded body not complete in fileinfo (state %s)" % fl[0].get("state")
    return str(fl[0].get("size")), None


def http_fields(z, ev, files):
    h = ev.get("http", {}) if ev else {}
    status = z.get("status_code")
    # Zeek's 0: no status line (HTTP/0.9 answer or none); kanshi then has no status
    status = None if status == "0" else status
    blen = z.get("response_body_len")
    ours, aside = decoded_body_len(ev, files)
    if blen is not None and z.get("status_code") == "0" and "status" in h:
        # Zeek read the reply as HTTP/0.9 (the request line had no version): its body is the
        # whole reply, status line and headers included, where libhtp (kanshi, Suricata) read a
        # status line and headers. Not the same quantity. (Where kanshi too has no status, both
        # count the whole reply, and the rows are compared.)
        aside = "Zeek read the reply as HTTP/0.9 (status 0), kanshi as HTTP/1.x"
    if blen is not None and aside:
        return http_common(z, h, status) + [("response_body_len", None, None, aside)]
    return http_common(z, h, status) + [("response_body_len", blen, ours)]


def http_common(z, h, status):
    return [
        ("method", z.get("method"), h.get("http_method")),
        ("host", zeek_host(z.get("host")), h.get("hostname")),
        ("uri", unescape(z.get("uri")), unescape(h.get("url"))),
        ("user_agent", z.get("user_agent"), h.get("http_user_agent")),
        ("status_code", status, str(h["status"]) if "status" in h else None),
    ]


def http_pairs(rows, events):
    ours = ours_by_key(events, "http")
    ours[None] = [e for e in events if e.get("event_type") == "http"]
    per_key = collections.defaultdict(list)
    for r in sorted(rows, key=lambda r: int(r.get("trans_depth") or 0)):
        if not (r.get("method") or r.get("uri") or r.get("status_code") not in (None, "0")):
            continue  # Zeek's row for bytes after an HTTP/0.9 answer: no request, no reply
        per_key[zkey(r, "TCP")].append(r)
    for key, zrows in per_key.items():
        mine = sorted(ours.get(key, []), key=lambda e: e.get("tx_id", 0))
        for i, z in enumerate(zrows):
            yield z, (mine[i] if i < len(mine) else None)


def dns_messages(events):
    """{(key, id, query name lower): {"requests": [ev...], "responses": [ev...]}}."""
    out = {}
    for ev in events:
        if ev.get("event_type") != "dns":
            continue
        d = ev["dns"]
        q = (d.get("queries") or [{}])[0].get("rrname", "")
        k = (appcmp.event_key(ev), d.get("id"), q.lower())
        slot = out.setdefault(k, {"requests": [], "responses": []})
        slot["requests" if d.get("type") == "request" else "responses"].append(ev)
    return out


def dns_pairs(rows, events):
    msgs = dns_messages(events)
    used = collections.Counter()
    for z in rows:
        proto = "TCP" if z.get("proto") == "tcp" else "UDP"
        k = (zkey(z, proto), int(z["trans_id"] or 0), (z.get("query") or "").lower())
        slot = msgs.get(k)
        if slot is None:
            yield z, None
            continue
        # Zeek writes a row per query and per response beyond the queries (retransmitted
        # queries, duplicate answers): the nth row of a message id is its nth query and the
        # nth response, in the order they came
        n = used[k]
        used[k] += 1
        req = slot["requests"][n] if n < len(slot["requests"]) else None
        resp = slot["responses"][n] if n < len(slot["responses"]) else None
        yield z, ({"request": req, "response": resp} if req or resp else None)


def dns_fields(z, m):
    req = (m or {}).get("request")
    resp = (m or {}).get("response")
    query = qtype = rcode = answers = None
    ans = []
    if req or resp:
        d = (req or resp)["dns"]
        q = (d.get("queries") or [{}])[0]
        query, qtype = q.get("rrname"), q.get("rrtype")
    if resp:
        d = resp["dns"]
        rcode = d.get("rcode")
        ans = d.get("answers", [])
        answers = [zeek_answer(a) for a in ans]
    zans = zeek_answers(z.get("answers"))
    note = undecoded_note(zans, ans) if zans and resp else None
    # Zeek writes names in lower case (policy original_case adds the original)
    return [
        ("query", lower(z.get("query")), lower(query)),
        ("qtype_name", zeek_qtype(z.get("qtype_name")), qtype),
        ("rcode_name", z.get("rcode_name"), rcode),
        ("answers", sorted(x.lower() for x in zans) if zans else None,
         sorted(x.lower() for x in answers) if answers else None) + ((note,) if note else ()),
    ]


def ssl_fields(z, ev, x509):
    t = (ev or {}).get("tls", {})
    subject = issuer = None
    fps = (z.get("cert_chain_fps") or "").split(",")
    cert = x509.get(fps[0]) if fps and fps[0] else None
    if cert:
        subject, issuer = cert.get("certificate.subject"), cert.get("certificate.issuer")
    return [
        ("version", tls_version(z.get("version")), t.get("version")),
        ("server_name", z.get("server_name"), t.get("sni")),
        ("subject", rdn_set(subject), rdn_set(t.get("subject"))),
        ("issuer", rdn_set(issuer), rdn_set(t.get("issuerdn"))),
    ]


def ssl_pairs(rows, events):
    ours = ours_by_key(events, "tls")
    seen = collections.Counter()
    for z in rows:
        k = zkey(z, "TCP")
        mine = ours.get(k, [])
        yield z, (mine[seen[k]] if seen[k] < len(mine) else None)
        seen[k] += 1


def ssh_fields(z, ev):
    s = (ev or {}).get("ssh", {})

    def banner(side):
        o = s.get(side)
        if not o:
            return None
        return "SSH-%s-%s" % (o.get("proto_version"), o.get("software_version"))
    return [("client", zeek_banner(z.get("client")), banner("client")),
            ("server", zeek_banner(z.get("server")), banner("server"))]


def load_x509(log_path):
    """{fingerprint: row} of the x509.log beside an ssl.log (Zeek keys certs by sha256)."""
    path = os.path.join(os.path.dirname(log_path), "x509.log")
    if not os.path.exists(path):
        return {}
    return {r.get("fingerprint"): r for r in read_zeek(path)}


class Tally:
    def __init__(self):
        self.rows = collections.Counter()
        self.matched = collections.Counter()
        self.same = collections.Counter()     # (log, field)
        self.total = collections.Counter()
        self.diffs = collections.defaultdict(list)
        self.unmatched = collections.defaultdict(list)
        self.skipped = collections.Counter()
        self.aside = collections.Counter()    # (log, field, why Zeek's value has no like)
        self.notes = collections.Counter()    # (log, field, what explains a difference)


def compare_log(t, trace, log, path, events):
    rows = read_zeek(path)
    if log == "http":
        files = response_files(events)
        pairs, fields = http_pairs(rows, events), (lambda z, e: http_fields(z, e, files))
    elif log == "dns":
        pairs, fields = dns_pairs(rows, events), dns_fields
    elif log == "ssl":
        x509 = load_x509(path)
        pairs, fields = ssl_pairs(rows, events), (lambda z, e: ssl_fields(z, e, x509))
    else:
        ssh = ours_by_key(events, "ssh")
        pairs = ((z, (ssh.get(zkey(z, "TCP")) or [None])[0]) for z in rows)
        fields = ssh_fields
    for z, ours in pairs:
        if log == "dns" and {int(z["id.orig_p"]), int(z["id.resp_p"])} & NOT_DNS_PORTS:
            t.skipped[log] += 1
            continue
        t.rows[log] += 1
        if not ours:
            t.unmatched[log].append((trace, zkey(z, (z.get("proto") or "tcp").upper())))
            continue
        t.matched[log] += 1
        for name, zv, kv, *extra in fields(z, ours):
            if zv is None:
                if extra:
                    t.aside[(log, name, extra[0])] += 1
                continue
            t.total[(log, name)] += 1
            if zv == kv:
                t.same[(log, name)] += 1
            else:
                note = extra[0] if extra else None
                if note:  # "what: detail": counted by what
                    t.notes[(log, name, note.split(":")[0])] += 1
                t.diffs[(log, name)].append((trace, zv, kv if not note else (kv, note)))


def report(t, verbose):
    for log in LOGS:
        if not t.rows[log]:
            continue
        print("%s.log: %d Zeek rows, %d with a kanshi record (%s)%s" % (
            log, t.rows[log], t.matched[log], appcmp.pct(t.matched[log], t.rows[log]),
            "; %d mDNS/LLMNR/NetBIOS rows left out" % t.skipped[log] if t.skipped[log] else ""))
        for (lg, name), tot in sorted(t.total.items()):
            if lg == log:
                print("    %-18s %5d of %5d %s" % (name, t.same[(lg, name)], tot,
                                                  appcmp.pct(t.same[(lg, name)], tot)))
                for (l2, n2, note), cnt in sorted(t.notes.items()):
                    if (l2, n2) == (lg, name):
                        print("        %d of the differences %s" % (cnt, note))
        for (l2, name, why), cnt in sorted(t.aside.items()):
            if l2 == log:
                print("    %-18s %5d not compared: %s" % (name, cnt, why))
        for trace, key in t.unmatched[log][:None if verbose else 3]:
            print("      no kanshi record: %s %s" % (trace, key))
    for (log, name), items in sorted(t.diffs.items()):
        print("differences %s.%s: %d" % (log, name, len(items)))
        for trace, zv, kv in items[:None if verbose else 3]:
            print("      %s: zeek %r kanshi %r" % (trace, short(zv), short(kv)))


def short(v):
    s = str(sorted(v) if isinstance(v, frozenset) else v)
    return s if len(s) < 120 else s[:117] + "..."


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    binary = os.path.abspath(args[0]) if args else appcmp.default_binary()
    if not os.access(binary, os.X_OK):
        print("compare_zeek: %s is not an executable (run make first)" % binary)
        return 2
    cmap = corpus_map()
    logs = [(tr, lg, p) for tr, lg, p in baselines() if tr in cmap]
    missing = sorted({tr for tr, _, _ in baselines() if tr not in cmap})
    out = os.path.join(appcmp.ROOT, "build", "compare-zeek")
    traces = sorted({tr for tr, _, _ in logs})
    jobs = [(os.path.join(appcmp.PCAPS, cmap[tr]), os.path.join(out, tr.replace("/", "-")))
            for tr in traces]
    os.makedirs(out, exist_ok=True)
    conf = os.path.join(out, "kanshi.yaml")
    with open(conf, "w") as fh:
        fh.write(CONFIG)
    eves, crashed = appcmp.run_many(binary, jobs, args=("-c", conf))
    print("compare_zeek: %d traces, %s" % (len(traces), binary))
    if missing:
        print("  baselines without a corpus capture: %s" % ", ".join(missing))
    t = Tally()
    for tr, lg, path in logs:
        events = appcmp.read_eve(eves[os.path.join(appcmp.PCAPS, cmap[tr])])
        compare_log(t, tr, lg, path, events)
    report(t, verbose)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
