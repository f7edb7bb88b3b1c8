"""Shared helpers of the application-layer comparisons (tools/compare_ndpi.py,
tools/compare_zeek.py, tools/compare_app.py, tools/check_labels.py): run kanshi on captures
and read its eve.json. See docs/compare.md, section "Application layer"."""

import concurrent.futures
import ipaddress
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.realpath(os.path.join(ROOT, "..", "shared"))
PCAPS = os.path.join(SHARED, "pcaps")


def default_binary():
    """build/kanshi unless KANSHI names another binary."""
    return os.environ.get("KANSHI", os.path.join(ROOT, "build", "kanshi"))


def run_kanshi(binary, pcap, outdir, args=()):
    """Replays one capture into outdir; returns (exit status, eve.json path)."""
    os.makedirs(outdir, exist_ok=True)
    eve = os.path.join(outdir, "eve.json")
    if os.path.exists(eve):
        os.unlink(eve)
    env = dict(os.environ, TZ="UTC")
    with open(os.path.join(outdir, "kanshi.log"), "w") as log:
        rc = subprocess.call([binary, "-q", "-r", pcap, "-l", outdir] + list(args),
                             stdout=log, stderr=log, env=env)
    return rc, eve


def run_many(binary, jobs, workers=None, args=()):
    """jobs: list of (pcap, outdir); returns ({pcap: eve path}, [pcaps kanshi crashed on])."""
    out = {}
    crashed = []
    with concurrent.futures.ThreadPoolExecutor(workers or os.cpu_count() or 2) as ex:
        futs = {ex.submit(run_kanshi, binary, p, d, args): p for p, d in jobs}
        for fut in concurrent.futures.as_completed(futs):
            rc, eve = fut.result()
            pcap = futs[fut]
            if rc < 0 or rc >= 128:
                print("CRASH: kanshi on %s: status %d" % (pcap, rc))
                crashed.append(pcap)
            out[pcap] = eve
    return out, crashed


def read_eve(path):
    """All events of an eve.json (missing file: none)."""
    events = []
    if not os.path.exists(path):
        return events
    with open(path, errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if line:
                try:
                    events.append(json.loads(line))
                except ValueError:
                    pass
    return events


def addr(text):
    """An address in one spelling (IPv6 compressed or not, brackets or not)."""
    text = text.strip("[]")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


def endpoint_key(proto, a, ap, b, bp):
    """Unordered 5-tuple: the same key whichever side is the client."""
    one = (addr(a), int(ap or 0))
    two = (addr(b), int(bp or 0))
    return (proto.upper(), min(one, two), max(one, two))


def event_key(ev):
    return endpoint_key(ev.get("proto", ""), ev.get("src_ip", ""), ev.get("src_port", 0),
                        ev.get("dest_ip", ""), ev.get("dest_port", 0))


def pct(n, d):
    return "%5.1f%%" % (100.0 * n / d) if d else "   n/a"


def has_session(ev):
    """False for a TCP flow without a completed handshake in the capture: neither kanshi nor
    Suricata (stream.midstream: false) reassembles its stream, so no app layer runs."""
    if ev.get("proto") != "TCP":
        return True
    state = (ev.get("tcp") or {}).get("state")
    return state not in (None, "syn_sent", "syn_recv", "none")
