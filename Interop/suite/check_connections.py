#!/usr/bin/env python3
"""Checks which connection each IKE SA of a side belongs to, and its Child SA.

    check_connections.py SAS_JSON [--min-packets N] [--label TEXT]
                         IKE:CHILD:LOCAL_TS:REMOTE_TS ...

SAS_JSON is a list of IKE SAs in swanctl's (vici's) vocabulary: Interop/lab/peer.sh's
`peer_sas` (`cygnet status --json` or `swanctl --list-sas --raw`). Exit 0 when the
side holds exactly one ESTABLISHED IKE SA named IKE for each argument, each with an
INSTALLED Child SA named CHILD whose selectors are exactly LOCAL_TS and REMOTE_TS and
which counted at least N packets each way (default 0), and no other IKE SA; prints one
line either way.
"""
import json
import sys


def number(value):
    try:
        return int(str(value), 0)
    except (TypeError, ValueError):
        return 0


def main():
    args = sys.argv[1:]
    minimum, label = 0, ""
    if "--min-packets" in args:
        i = args.index("--min-packets")
        minimum = int(args[i + 1])
        del args[i:i + 2]
    if "--label" in args:
        i = args.index("--label")
        label = args[i + 1]
        del args[i:i + 2]
    sas = json.load(open(args[0]))
    wanted = [spec.split(":") for spec in args[1:]]
    problems = []
    established = [sa for sa in sas if str(sa.get("state", "")).upper() == "ESTABLISHED"]
    names = sorted(str(sa.get("name")) for sa in established)
    if names != sorted(ike for ike, *_ in wanted):
        problems.append(f"IKE SAs {names}, want {sorted(ike for ike, *_ in wanted)}")
    found = []
    for ike, child, local_ts, remote_ts in wanted:
        children = [c for sa in established if sa.get("name") == ike for c in sa.get("child-sas", [])
                    if str(c.get("state", "INSTALLED")).upper() == "INSTALLED"]
        match = [c for c in children if c.get("name") == child]
        if not match:
            problems.append(f"{ike}: no Child SA {child} (has {[c.get('name') for c in children]})")
            continue
        c = match[0]
        if c.get("local-ts") != [local_ts] or c.get("remote-ts") != [remote_ts]:
            problems.append(f"{ike}/{child}: selectors {c.get('local-ts')} <-> {c.get('remote-ts')}, "
                            f"want [{local_ts}] <-> [{remote_ts}]")
        packets = (number(c.get("packets-in")), number(c.get("packets-out")))
        if min(packets) < minimum:
            problems.append(f"{ike}/{child}: {packets[0]} packets in, {packets[1]} out, want >= {minimum} each")
        found.append(f"{ike}/{child} {local_ts}<->{remote_ts} ({packets[0]} in, {packets[1]} out)")
    if problems:
        print(f"{label}connections wrong:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print(f"{label}connections: " + "; ".join(found))


if __name__ == "__main__":
    main()
