#!/usr/bin/env python3
"""Checks a side's Child SA traffic counters after traffic went through the tunnel.

    check_counters.py SAS_JSON [--min-packets N] [--min-bytes B] [--max-drops D]
                      [--label TEXT]

SAS_JSON is a list of IKE SAs in swanctl's (vici's) vocabulary: Interop/lab/peer.sh's
`peer_sas` (`cygnet status --json` or `swanctl --list-sas --raw`). Sums packets-in,
packets-out, bytes-in and bytes-out over all Child SAs (a rekeyed Child SA's counters
start again at zero) and every counter whose name contains "drop" (Cygnet's per
Child SA drop counters; strongSwan has none). Exit 0 when both directions carried at
least N packets (default 1) and B bytes (default N) and the drops are at most D
(default: 0.5 % of the packets in, at least 5); prints one line either way.
"""
import json
import sys


def number(value):
    try:
        return int(str(value), 0)
    except (TypeError, ValueError):
        return 0


def drops_in(node, prefix=""):
    """(name, value) of every numeric field named *drop* below node."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if "drop" in key.lower() and not isinstance(value, (dict, list)):
                found.append((prefix + key, number(value)))
            else:
                found += drops_in(value, prefix + key + ".")
    elif isinstance(node, list):
        for item in node:
            found += drops_in(item, prefix)
    return found


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        sys.exit(2)

    def opt(name, default):
        return args[args.index(name) + 1] if name in args else default

    sas = json.load(open(args[0]))
    min_packets = int(opt("--min-packets", 1))
    min_bytes = int(opt("--min-bytes", min_packets))
    label = opt("--label", "")
    totals = {"packets-in": 0, "packets-out": 0, "bytes-in": 0, "bytes-out": 0}
    drops = {}
    children = 0
    for sa in sas:
        for child in sa.get("child-sas", []):
            children += 1
            for key in totals:
                totals[key] += number(child.get(key))
            for name, value in drops_in(child):
                drops[name] = drops.get(name, 0) + value
    max_drops = int(opt("--max-drops", max(5, totals["packets-in"] // 200)))
    dropped = sum(drops.values())
    problems = []
    if children == 0:
        problems.append("no Child SA")
    for direction in ("in", "out"):
        if totals["packets-" + direction] < min_packets:
            problems.append(f"packets-{direction} {totals['packets-' + direction]} < {min_packets}")
        if totals["bytes-" + direction] < min_bytes:
            problems.append(f"bytes-{direction} {totals['bytes-' + direction]} < {min_bytes}")
    if dropped > max_drops:
        problems.append(f"{dropped} drops > {max_drops}")
    drop_text = ", ".join(f"{k}={v}" for k, v in sorted(drops.items()))
    print(f"{label}counters over {children} Child SA(s): "
          f"in {totals['packets-in']} packets / {totals['bytes-in']} bytes, "
          f"out {totals['packets-out']} packets / {totals['bytes-out']} bytes; "
          f"drop counters {'(none reported)' if not drops else drop_text}"
          + (f" -- {'; '.join(problems)}" if problems else ""))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
