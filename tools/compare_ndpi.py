#!/usr/bin/env python3
"""kanshi's flow app_proto against nDPI's expected labels (../shared/pcaps/ndpi).

    tools/compare_ndpi.py [BINARY] [-v]

Replays every capture of ../shared/pcaps/ndpi/pcap with BINARY (default build/kanshi, or
$KANSHI) into build/compare-ndpi/<capture>/ and matches kanshi's flow events with the rows of
expected_flows.tsv by unordered 5-tuple (the recipe of ../shared/pcaps/ndpi/README.md). Only
rows whose nDPI confidence starts with "DPI" (nDPI read the protocol in the payload) count.

Prints, per protocol kanshi implements, how many of nDPI's flows kanshi labels the same, and
the false labels: kanshi says X where nDPI says something else. -v lists every difference.
A measurement: exits 0 whatever the numbers (1 only if kanshi crashed). docs/compare.md.
"""

import collections
import csv
import os
import sys

import appcmp

NDPI = os.path.join(appcmp.PCAPS, "ndpi")

# nDPI master protocol -> the eve app_proto names kanshi uses (Suricata's where it has one).
# A set: either answer is right (e.g. nDPI's SMTPS is implicit TLS or SMTP + STARTTLS).
NDPI_TO_OURS = {
    "HTTP": {"http"}, "HTTP_Proxy": {"http"}, "HTTP_Connect": {"http"},
    "WebSocket": {"http"},  # the upgrade request is HTTP; Suricata 7 has no websocket parser
    "TLS": {"tls"}, "DoH_DoT": {"tls"},
    "SMTPS": {"tls", "smtp"}, "IMAPS": {"tls", "imap"}, "POPS": {"tls", "pop3"},
    "FTPS": {"tls", "ftp"},
    "DNS": {"dns"}, "MDNS": {"dns"}, "LLMNR": {"dns"},
    "SSH": {"ssh"},
    "SMTP": {"smtp"}, "IMAP": {"imap"}, "POP3": {"pop3"},
    "FTP_CONTROL": {"ftp"}, "FTP_DATA": {"ftp-data"},
    "IRC": {"irc"},
    "BitTorrent": {"bittorrent"},  # UDP: bittorrent-dht, see expected()
    "QUIC": {"quic"},
    "HTTP2": {"http2"},
}

# What kanshi has parsers for (and those being written); agreement is reported for these.
OURS = ["http", "tls", "dns", "ssh", "smtp", "ftp", "ftp-data", "irc", "bittorrent",
        "bittorrent-dht", "quic"]
# nDPI labels a DNS parser is not expected to claim (multicast/link-local name services on
# their own ports; Suricata does not parse them either): "dns" or no label are both right.
OPTIONAL = {"MDNS", "LLMNR"}
UNLABELLED = {None, "", "unknown", "failed"}


# nDPI names a mail/file session upgraded with STARTTLS like the implicit-TLS service; on a
# port other than the implicit-TLS one it is scored under the clear-text protocol.
STARTTLS = {"SMTPS": ("smtp", {465}), "IMAPS": ("imap", {993}), "POPS": ("pop3", {995}),
            "FTPS": ("ftp", {990})}


def expected(row):
    """(the protocol the row is scored under, the app_proto names that agree with it)."""
    master = row["ndpi_master"]
    if master == "BitTorrent" and row["l4"] == "UDP":
        return "bittorrent", {"bittorrent-dht", "bittorrent"}  # DHT, or uTP peer-wire
    want = NDPI_TO_OURS.get(master, set())
    if master in STARTTLS:
        plain, ports = STARTTLS[master]
        implicit = int(row["sport"] or 0) in ports or int(row["cport"] or 0) in ports
        return ("tls" if implicit else plain), want
    return (min(want) if want else None), want


def ndpi_rows():
    with open(os.path.join(NDPI, "expected_flows.tsv")) as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def our_flows(eve_path):
    """{unordered 5-tuple: [(app_proto, had a session) of each kanshi flow with that key]}.
    A flow handed over (STARTTLS, an HTTP CONNECT tunnel) counts under both its protocols:
    nDPI names the outer one (HTTP_Connect), Suricata and kanshi the inner with app_proto_orig."""
    flows = collections.defaultdict(list)
    for ev in appcmp.read_eve(eve_path):
        if ev.get("event_type") == "flow":
            key, session = appcmp.event_key(ev), appcmp.has_session(ev)
            flows[key].append((ev.get("app_proto"), session))
            if ev.get("app_proto_orig"):
                flows[key].append((ev["app_proto_orig"], session))
    return flows


def row_key(row):
    return appcmp.endpoint_key(row["l4"], row["client"], row["cport"], row["server"],
                               row["sport"])


class Tally:
    def __init__(self):
        self.agree = collections.Counter()     # ours -> flows labelled the same
        self.total = collections.Counter()     # ours -> nDPI DPI flows of that protocol
        self.missed = collections.defaultdict(list)   # ours -> [(pcap, key, what we said)]
        self.nosession = collections.Counter()  # ours -> nDPI flows kanshi had no session for
        self.false = collections.defaultdict(list)    # (ours, ndpi) -> [(pcap, key)]
        self.unmatched = 0
        self.extra = collections.Counter()     # ours label on flows nDPI did not classify


def score_row(t, pcap, row, flows):
    name, want = expected(row)
    master = row["ndpi_master"]
    labels = [x for x, _ in flows]
    session = any(s for _, s in flows)
    ours = [x for x in labels if x not in UNLABELLED]
    said = ours[0] if ours else None
    if want & set(ours):
        said = (want & set(ours)).pop()
    if name in OURS:
        if master in OPTIONAL and said is None:
            return
        if not session and said is None:
            t.nosession[name] += 1
            return
        t.total[name] += 1
        if said in want:
            t.agree[name] += 1
        else:
            t.missed[name].append((pcap, row_key(row), said or "-"))
        if said is not None and said not in want:
            t.false[(said, master)].append((pcap, row_key(row)))
    elif said is not None and said not in want:
        t.false[(said, master)].append((pcap, row_key(row)))


def tally(rows, eves):
    t = Tally()
    for row in rows:
        pcap = row["pcap"]
        flows = eves.get(pcap)
        if flows is None:
            continue
        ours = flows.get(row_key(row))
        if not row["confidence"].startswith("DPI"):
            said = [x for x, _ in ours or () if x not in UNLABELLED]
            if said:
                t.extra[said[0]] += 1
            continue
        if ours is None:
            t.unmatched += row["l4"] in ("TCP", "UDP")
            continue
        score_row(t, pcap, row, ours)
    return t


def report(t, verbose):
    print("nDPI flows (confidence DPI) per protocol kanshi implements; 'no session': TCP flows")
    print("whose handshake is not in the capture (kanshi, like Suricata with midstream off,")
    print("parses no stream there), not counted in 'nDPI':")
    print("  %-15s %7s %7s %7s %11s" % ("app_proto", "nDPI", "same", "", "no session"))
    for name in OURS:
        if t.total[name] or t.nosession[name]:
            print("  %-15s %7d %7d %7s %11d" % (name, t.total[name], t.agree[name],
                                               appcmp.pct(t.agree[name], t.total[name]),
                                               t.nosession[name]))
    tot = sum(t.total.values())
    agr = sum(t.agree.values())
    print("  %-15s %7d %7d %7s %11d" % ("all", tot, agr, appcmp.pct(agr, tot),
                                       sum(t.nosession.values())))
    nfalse = sum(len(v) for v in t.false.values())
    print("false labels (kanshi X where nDPI says Y): %d" % nfalse)
    for (ours, master), items in sorted(t.false.items()):
        print("  %-12s where nDPI %-14s %4d   e.g. %s %s" % (ours, master, len(items),
                                                         items[0][0], fmt_key(items[0][1])))
    print("nDPI TCP/UDP DPI flows without a kanshi flow of the same 5-tuple: %d" % t.unmatched)
    if t.extra:
        print("kanshi labels where nDPI has no DPI label (port guess/unknown): %s" %
              ", ".join("%s %d" % kv for kv in sorted(t.extra.items())))
    for name in OURS:
        items = t.missed[name]
        if not items:
            continue
        print("missed %s: %d" % (name, len(items)))
        for pcap, key, said in items[:None if verbose else 5]:
            print("    %s %s kanshi: %s" % (pcap, fmt_key(key), said))


def fmt_key(key):
    proto, a, b = key
    return "%s %s:%d <-> %s:%d" % (proto, a[0], a[1], b[0], b[1])


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    binary = os.path.abspath(args[0]) if args else appcmp.default_binary()
    if not os.access(binary, os.X_OK):
        print("compare_ndpi: %s is not an executable (run make first)" % binary)
        return 2
    out = os.path.join(appcmp.ROOT, "build", "compare-ndpi")
    pcapdir = os.path.join(NDPI, "pcap")
    names = sorted(os.listdir(pcapdir))
    jobs = [(os.path.join(pcapdir, n), os.path.join(out, n)) for n in names]
    eves, crashed = appcmp.run_many(binary, jobs)
    flows = {n: our_flows(eves[os.path.join(pcapdir, n)]) for n in names}
    print("compare_ndpi: %d captures, %s" % (len(names), binary))
    report(tally(ndpi_rows(), flows), verbose)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
