#!/usr/bin/env python3
"""Protocol labels a user sees on services that run on unexpected ports (issue 5).

    tools/check_labels.py [BINARY]

Replays a few real captures with BINARY (default build/kanshi, or $KANSHI) and asserts the
app_proto of their flow events: the label must come from the bytes, never from the port.
Exits 0 when every assertion holds, 1 otherwise (each failure printed). Runs in about a
second; `make check` can run it. docs/compare.md, section "Application layer".
"""

import os
import sys
import tempfile

import appcmp

SAMPLES = os.path.join(appcmp.ROOT, "samples")
NDPI = os.path.join(appcmp.PCAPS, "ndpi", "pcap")

# (capture, server port, expected app_proto (None: no label), at least this many flows, why)
CASES = [
    (os.path.join(appcmp.PCAPS, "ssh", "ssh-on-port-80.pcap"), 80, "ssh", 1,
     "SSH server on the HTTP port"),
    (os.path.join(appcmp.PCAPS, "ssh", "malicious-ssh-bruteforce.pcap"), 902, "ssh", 60,
     "SSH brute force against port 902 (VMware's port)"),
    (os.path.join(SAMPLES, "ssh-10022.pcap"), 10022, "ssh", 1, "SSH on 10022"),
    (os.path.join(NDPI, "ssh.pcap"), 8000, "ssh", 1, "SSH on 8000"),
    (os.path.join(appcmp.PCAPS, "http", "http_large_req_8001.pcap"), 8001, "http", 1,
     "HTTP on 8001"),
    (os.path.join(NDPI, "http_on_sip_port.pcap"), 8888, "http", 1,
     "HTTP from the SIP port 5060 to 8888"),
    (os.path.join(appcmp.PCAPS, "tls", "tls_port_80.pcapng"), 80, "tls", 1, "TLS on port 80"),
    # client port 6669 (IRC's range), capture starts after the SYN: with stream.midstream off
    # (as Suricata's default) nothing is parsed, and the port must not make it IRC
    (os.path.join(appcmp.PCAPS, "http", "http-on-irc-port-missing-syn.pcapng"), 80, None, 1,
     "HTTP from the IRC port 6669, no SYN"),
]


def flows_on_port(eve, port):
    """Flows with a TCP session (or UDP) to or from port: their app_proto labels."""
    out = []
    for ev in appcmp.read_eve(eve):
        if ev.get("event_type") != "flow" or port not in (ev.get("src_port"), ev.get("dest_port")):
            continue
        if ev.get("app_proto") is None and not appcmp.has_session(ev):
            out.append(("no session", ev))
            continue
        if ev.get("proto") == "TCP" and not int((ev.get("tcp") or {}).get("tcp_flags", "0"),
                                                16) & 0x08:
            continue  # no PSH either way: a refused or idle connection carries no protocol
        out.append((ev.get("app_proto"), ev))
    return out


def check(binary, case, tmp):
    pcap, port, want, atleast, why = case
    if not os.path.exists(pcap):
        return ["%s: capture missing" % pcap]
    out = os.path.join(tmp, os.path.basename(pcap))
    rc, eve = appcmp.run_kanshi(binary, pcap, out)
    if rc != 0:
        return ["%s: kanshi exited with %d" % (pcap, rc)]
    flows = flows_on_port(eve, port)
    errs = []  # at most one message per case
    if want is None:
        bad = [p for p, _ in flows if p not in ("no session", None, "failed")]
        if bad or not flows:
            errs.append("%s (%s): want no label on port %d, got %s" % (
                os.path.basename(pcap), why, port, bad or "no flow"))
        return errs
    labels = [p for p, _ in flows if p != "no session"]
    right = sum(1 for p in labels if p == want)
    if right < atleast or right != len(labels):
        errs.append("%s (%s): want %s on port %d in >= %d flows, got %s" % (
            os.path.basename(pcap), why, want, port, atleast,
            sorted(set(map(str, labels))) + ["%d right" % right]))
    return errs


def main(argv):
    binary = os.path.abspath(argv[0]) if argv else appcmp.default_binary()
    if not os.access(binary, os.X_OK):
        print("check_labels: %s is not an executable (run make first)" % binary)
        return 2
    failures = []
    with tempfile.TemporaryDirectory(prefix="kanshi-labels-") as tmp:
        for case in CASES:
            errs = check(binary, case, tmp)
            failures += errs
            print("%-4s %s" % ("FAIL" if errs else "ok", case[4]))
    for f in failures:
        print("  " + f)
    print("check_labels: %d of %d hold" % (len(CASES) - len(failures), len(CASES)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
