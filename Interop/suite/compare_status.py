#!/usr/bin/env python3
"""Checks that Cygnet and strongSwan show the same SAs.

    compare_status.py CYGNET_STATUS_JSON STRONGSWAN_SAS_JSON [--children N]

CYGNET_STATUS_JSON is `cygnet status --json`; STRONGSWAN_SAS_JSON is
`swanctl --list-sas --raw | swanctl_raw.py`. Exit 0 when both hold exactly one
ESTABLISHED IKE SA with the same SPIs and algorithms, and the same N Child SAs
(SPIs crosswise, algorithms, selectors crosswise); otherwise prints every difference
and exits 1.
"""
import json
import sys

ALGORITHMS = ["encr-alg", "encr-keysize", "integ-alg", "prf-alg", "dh-group"]
CHILD_ALGORITHMS = ["encr-alg", "encr-keysize", "integ-alg", "dh-group", "mode", "protocol"]


def ike_sas(document):
    """The IKE SA list of `cygnet status --json` (wrapped or not)."""
    if isinstance(document, list):
        return document
    for key in ("ike-sas", "ike_sas", "sas"):
        if key in document:
            return document[key]
    if "result" in document:
        return ike_sas(document["result"])
    raise SystemExit(f"no IKE SA list in {list(document)}")


def norm(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).lower()


def main():
    cygnet = ike_sas(json.load(open(sys.argv[1])))
    strongswan = json.load(open(sys.argv[2]))
    children = int(sys.argv[sys.argv.index("--children") + 1]) if "--children" in sys.argv else 1
    problems = []
    if len(cygnet) != 1 or len(strongswan) != 1:
        problems.append(f"IKE SAs: cygnet {len(cygnet)}, strongSwan {len(strongswan)} (want 1 each)")
    else:
        c, s = cygnet[0], strongswan[0]
        for side, sa in (("cygnet", c), ("strongSwan", s)):
            if norm(sa.get("state")) != "established":
                problems.append(f"{side} IKE SA state {sa.get('state')}")
        for key in ["initiator-spi", "responder-spi"] + ALGORITHMS:
            if norm(c.get(key)) != norm(s.get(key)):
                problems.append(f"IKE SA {key}: cygnet {c.get(key)!r}, strongSwan {s.get(key)!r}")
        if norm(c.get("initiator")) == norm(s.get("initiator")):
            problems.append(f"both sides claim initiator={c.get('initiator')}")
        # strongSwan lists a rekeyed or deleted Child SA for a while (state REKEYED or
        # DELETED); only INSTALLED ones carry traffic.
        cc = [x for x in c.get("child-sas", []) if norm(x.get("state", "installed")) == "installed"]
        sc = [x for x in s.get("child-sas", []) if norm(x.get("state", "installed")) == "installed"]
        if len(cc) != children or len(sc) != children:
            problems.append(f"Child SAs: cygnet {len(cc)}, strongSwan {len(sc)} (want {children})")
        for child in cc:
            peer = [x for x in sc if norm(x.get("spi-in")) == norm(child.get("spi-out"))]
            if not peer:
                problems.append(f"cygnet Child SA spi-out {child.get('spi-out')} is no strongSwan spi-in")
                continue
            peer = peer[0]
            if norm(peer.get("spi-out")) != norm(child.get("spi-in")):
                problems.append(f"Child SA spi-in {child.get('spi-in')} vs strongSwan spi-out {peer.get('spi-out')}")
            for key in CHILD_ALGORITHMS:
                if key in child and norm(child.get(key)) != norm(peer.get(key)):
                    problems.append(f"Child SA {key}: cygnet {child.get(key)!r}, strongSwan {peer.get(key)!r}")
            if sorted(child.get("local-ts", [])) != sorted(peer.get("remote-ts", [])):
                problems.append(f"local-ts {child.get('local-ts')} vs strongSwan remote-ts {peer.get('remote-ts')}")
    if problems:
        print("status mismatch:\n  " + "\n  ".join(problems))
        sys.exit(1)
    c = cygnet[0]
    print(f"status agree: {c.get('initiator-spi')}_i {c.get('responder-spi')}_r "
          f"{c.get('encr-alg')}-{c.get('encr-keysize')}/{c.get('integ-alg') + '/' if c.get('integ-alg') else ''}"
          f"{c.get('prf-alg')}/{c.get('dh-group')}, "
          f"{len(c.get('child-sas', []))} Child SA(s)")


if __name__ == "__main__":
    main()
