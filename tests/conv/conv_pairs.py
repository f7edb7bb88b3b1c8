#!/usr/bin/python3
"""TCP and UDP conversations of one capture: tshark's conversation table against kanshi's flows.

    tests/conv/conv_pairs.py CAPTURE EVE.json [--diff]

Prints "TCP_OURS TCP_TSHARK UDP_OURS UDP_TSHARK" on the first line: the number of flow events
with proto TCP / UDP in EVE.json, and the number of rows of `tshark -n -r CAPTURE -q
-z conv,tcp -z conv,udp`. With --diff, then one line per endpoint pair whose number of
conversations differs:

    tcp  10.0.0.1:1234 <-> 10.0.0.2:80  ours 2 tshark 1

Endpoints are compared without direction (tshark's table has no client/server order), IPv6
addresses in compressed form. Used by tests/conv/run.sh; --diff is the tool to find why a
capture's counts differ.
"""

import collections
import ipaddress
import json
import subprocess
import sys


def _endpoint(addr, port):
    try:
        addr = str(ipaddress.ip_address(addr))
    except ValueError:
        pass  # tshark names a non-IP address (should not happen with -n)
    return "[%s]:%s" % (addr, port) if ":" in addr else "%s:%s" % (addr, port)


def _pair(a, b):
    return " <-> ".join(sorted((a, b)))


def tshark_pairs(capture):
    """Counter of (proto, pair) over the rows of tshark's TCP and UDP conversation tables."""
    # tshark exits non-zero on a capture damaged at the end, but still prints the tables
    run = subprocess.run(["tshark", "-n", "-r", capture, "-q", "-z", "conv,tcp", "-z", "conv,udp"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    out = run.stdout
    if "TCP Conversations" not in out or "UDP Conversations" not in out:
        raise RuntimeError("tshark failed on %s (exit %d): %s"
                           % (capture, run.returncode, run.stderr.strip()[-300:]))
    pairs = collections.Counter()
    proto = None
    for line in out.splitlines():
        if line.startswith("TCP Conversations"):
            proto = "tcp"
        elif line.startswith("UDP Conversations"):
            proto = "udp"
        elif proto and "<->" in line:
            left, right = line.split("<->", 1)
            ends = []
            for text in (left.split()[0], right.split()[0]):
                addr, port = text.rsplit(":", 1)  # IPv6 addresses hold ':' too; the port is last
                ends.append(_endpoint(addr, port))
            pairs[(proto, _pair(*ends))] += 1
    return pairs


def eve_pairs(eve):
    """Counter of (proto, pair) over the TCP and UDP flow events of an eve.json."""
    pairs = collections.Counter()
    with open(eve, encoding="utf-8") as f:
        for line in f:
            ev = json.loads(line)
            if ev.get("event_type") != "flow":
                continue
            proto = str(ev.get("proto", "")).lower()
            if proto not in ("tcp", "udp"):
                continue
            pairs[(proto, _pair(_endpoint(ev["src_ip"], ev["src_port"]),
                                _endpoint(ev["dest_ip"], ev["dest_port"])))] += 1
    return pairs


def main(argv):
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] != "--diff"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        theirs = tshark_pairs(argv[0])
    except (OSError, RuntimeError) as e:
        print("conv_pairs: %s" % e, file=sys.stderr)
        return 1
    ours = eve_pairs(argv[1])

    def total(c, proto):
        return sum(n for (p, _), n in c.items() if p == proto)

    print(total(ours, "tcp"), total(theirs, "tcp"), total(ours, "udp"), total(theirs, "udp"))
    if len(argv) == 3:
        for key in sorted(set(ours) | set(theirs)):
            if ours[key] != theirs[key]:
                print("%-4s %s  ours %d tshark %d" % (key[0], key[1], ours[key], theirs[key]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
