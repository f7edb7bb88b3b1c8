#!/usr/bin/python3
"""normalize.py EVE: prints the eve records a regression baseline keeps, one per line, keys
sorted. Every record is kept whole except stats: only the last stats record is kept, reduced
to the packet and flow totals and every non-zero anomaly counter, so that adding an unrelated
counter does not rewrite every baseline."""
import json
import sys

KEEP = ("decoder.pkts", "decoder.bytes", "decoder.invalid", "flow.total", "flow.tcp",
        "flow.udp", "flow.icmpv4", "flow.icmpv6", "defrag.ipv4.reassembled",
        "defrag.ipv6.reassembled")


def flatten(obj, prefix=""):
    for key, val in obj.items():
        if isinstance(val, dict):
            yield from flatten(val, prefix + key + ".")
        else:
            yield prefix + key, val


def reduce_stats(ev):
    stats = dict(flatten(ev.get("stats", {})))
    ours = dict(flatten(ev.get("kanshi", {})))
    out = {"event_type": "stats", "timestamp": ev.get("timestamp")}
    out.update({k: stats[k] for k in KEEP if k in stats})
    if stats.get("detect.alert"):
        out["detect.alert"] = stats["detect.alert"]
    for name, val in sorted(list(stats.items()) + [("kanshi." + k, v) for k, v in ours.items()]):
        if ".event." in name and val:
            out[name] = val
    return out


def main(path):
    last_stats = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            ev = json.loads(line)
            if ev.get("event_type") == "stats":
                last_stats = ev
                continue
            print(json.dumps(ev, sort_keys=True))
    if last_stats is not None:
        print(json.dumps(reduce_stats(last_stats), sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
