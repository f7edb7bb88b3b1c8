#!/usr/bin/env python3
"""compare_files.py: kanshi's fileinfo events against tshark and the reference Suricata.

  tools/compare_files.py [--kanshi build/kanshi] [--work DIR] [--config FILE] PCAP...

(a) every HTTP object `tshark --export-objects http` extracts must have its sha256 in one of
    kanshi's fileinfo events (N of M; the misses are listed with their size);
(b) kanshi's fileinfo events against Suricata 7's (../shared/tools/suricata-ref.sh, run once per
    capture and kept in WORK/suricata/<name>): events are paired by flow tuple, direction,
    tx_id and order, then filename, size, state and sha256 are compared.
Exit status 0; the figures are the output.
"""
import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SURI_REF = os.path.join(ROOT, "..", "shared", "tools", "suricata-ref.sh")
FIELDS = ("filename", "size", "state", "sha256")


def fileinfo(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if ev.get("event_type") == "fileinfo":
                out.append(ev)
    return out


def run_kanshi(args, pcap, outdir):
    os.makedirs(outdir, exist_ok=True)
    eve = os.path.join(outdir, "eve.json")
    if os.path.exists(eve):
        os.unlink(eve)
    cmd = [args.kanshi, "-q", "-r", pcap, "-l", outdir]
    if args.config:
        cmd += ["-c", args.config]
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return fileinfo(eve)


def run_suricata(pcap, outdir):
    eve = os.path.join(outdir, "eve.json")
    if not os.path.exists(eve):
        subprocess.run([SURI_REF, outdir, "/dev/null", pcap], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return fileinfo(eve)


def tshark_objects(pcap, outdir):
    """sha256 and size of every HTTP object tshark extracts."""
    os.makedirs(outdir, exist_ok=True)
    for name in os.listdir(outdir):
        os.unlink(os.path.join(outdir, name))
    subprocess.run(["tshark", "-r", pcap, "-Q", "--export-objects", "http," + outdir],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    objs = []
    for name in sorted(os.listdir(outdir)):
        with open(os.path.join(outdir, name), "rb") as f:
            data = f.read()
        objs.append((name, len(data), hashlib.sha256(data).hexdigest()))
    return objs


def key_of(ev):
    """The file's flow (client to server is not known here: the tuple is sorted), its sender,
    its transaction."""
    a = (ev.get("src_ip"), ev.get("src_port"))
    b = (ev.get("dest_ip"), ev.get("dest_port"))
    return (min(a, b), max(a, b), a, ev["fileinfo"].get("tx_id"))


def pair(ours, theirs):
    """(our event or None, their event or None) pairs: same key, in order of appearance."""
    by = collections.defaultdict(list)
    for ev in theirs:
        by[key_of(ev)].append(ev)
    pairs = []
    for ev in ours:
        lst = by.get(key_of(ev))
        pairs.append((ev, lst.pop(0) if lst else None))
    for lst in by.values():
        pairs.extend((None, ev) for ev in lst)
    return pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kanshi", default=os.path.join(ROOT, "build", "kanshi"))
    ap.add_argument("--work", default="/tmp/kanshi-compare-files")
    ap.add_argument("--config", default=None)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("pcaps", nargs="+")
    args = ap.parse_args()

    found = total = 0
    misses = []
    agree = collections.Counter()
    both = only_ours = only_theirs = 0
    diffs = []
    for pcap in args.pcaps:
        name = os.path.basename(pcap)
        ours = run_kanshi(args, pcap, os.path.join(args.work, "kanshi", name))
        theirs = run_suricata(pcap, os.path.join(args.work, "suricata", name))
        hashes = {ev["fileinfo"].get("sha256") for ev in ours}
        for obj, size, sha in tshark_objects(pcap, os.path.join(args.work, "tshark", name)):
            total += 1
            if sha in hashes:
                found += 1
            else:
                misses.append((name, obj, size))
        for a, b in pair(ours, theirs):
            if a is None:
                only_theirs += 1
                diffs.append((name, "only suricata", b["fileinfo"].get("filename"), ""))
                continue
            if b is None:
                only_ours += 1
                diffs.append((name, "only kanshi", a["fileinfo"].get("filename"), ""))
                continue
            both += 1
            for f in FIELDS:
                va, vb = a["fileinfo"].get(f), b["fileinfo"].get(f)
                if va == vb:
                    agree[f] += 1
                else:
                    diffs.append((name, f, va, vb))

    print("(a) tshark HTTP objects whose sha256 is in a kanshi fileinfo: %d of %d" % (found, total))
    for m in misses:
        print("    miss %s %s (%d bytes)" % m)
    print("(b) fileinfo events: %d paired, %d only kanshi, %d only Suricata" %
          (both, only_ours, only_theirs))
    for f in FIELDS:
        pct = 100.0 * agree[f] / both if both else 0.0
        print("    %-8s %d/%d (%.1f%%)" % (f, agree[f], both, pct))
    if args.verbose:
        for d in diffs:
            print("    diff %s %s: kanshi %r suricata %r" % d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
