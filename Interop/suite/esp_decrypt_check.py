#!/usr/bin/env python3
"""Decrypts the ESP of a capture with tshark and counts the ICMP echoes inside.

    esp_decrypt_check.py PCAP UATFILE [--min N] [--inner SRC DST]

UATFILE holds Wireshark `esp_sa` UAT lines, one per ESP SA direction (Cygnet's key log,
`cygnet { key_log = FILE }`, or Interop/lab/charon-esp-uat.py's output for charon).
Each line becomes `-o uat:esp_sa:LINE` with `-o esp.enable_encryption_decode:TRUE` and
the ICV check on. Exit 0 when at least N (default 3) decrypted ICMP or ICMPv6 echo
requests and N replies (between SRC and DST when given, IPv4 or IPv6) are in the capture, no ESP packet fails its
ICV check and every ESP packet of the capture decrypts; 1 otherwise; 4 when this tshark
does not know an algorithm of the key log (Wireshark 4.0 has no ChaCha20-Poly1305 for
ESP; later releases added it), so the check cannot run.
"""
import re
import subprocess
import sys


def tshark(pcap, lines, display_filter, fields):
    cmd = ["tshark", "-n", "-r", pcap, "-o", "esp.enable_encryption_decode:TRUE",
           "-o", "esp.enable_authentication_check:TRUE"]
    for line in lines:
        cmd += ["-o", "uat:esp_sa:" + line]
    cmd += ["-Y", display_filter]
    cmd += ["-T", "fields"] + [x for f in fields for x in ("-e", f)]
    return subprocess.run(cmd, capture_output=True, text=True)


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    pcap, uatfile = args[0], args[1]
    want = int(args[args.index("--min") + 1]) if "--min" in args else 3
    inner = None
    if "--inner" in args:
        i = args.index("--inner")
        inner = (args[i + 1], args[i + 2])
    lines = [l.strip() for l in open(uatfile) if l.strip() and not l.startswith("#")]
    if not lines:
        print(f"no esp_sa lines in {uatfile}")
        sys.exit(1)
    for line in lines:
        if len(re.findall(r'"[^"]*"', line)) != 8:
            print(f"not 8 quoted fields: {line}")
            sys.exit(1)
    run = tshark(pcap, lines, "esp", ["esp.spi", "esp.icv_good", "esp.icv_bad", "esp.pad_len",
                                      "ip.src", "ip.dst", "icmp.type", "ipv6.src", "ipv6.dst", "icmpv6.type"])
    bad = re.search(r"invalid value: (.*)", run.stderr)
    if run.returncode != 0 and bad:
        print(f"this tshark does not know the ESP algorithm '{bad.group(1).strip()}'"
              f" ({subprocess.run(['tshark', '--version'], capture_output=True, text=True).stdout.splitlines()[0]})")
        sys.exit(4)
    if run.returncode != 0:
        print(f"tshark failed: {run.stderr.strip()[:500]}")
        sys.exit(1)
    esp_total = icv_bad = undecrypted = requests = replies = 0
    for row in run.stdout.splitlines():
        cols = (row.split("\t") + [""] * 10)[:10]
        esp_total += 1
        icv_bad += cols[2] == "1"
        # the pad length exists only in a decrypted packet
        undecrypted += cols[3] == ""
        # the inner header's addresses are the last of the comma-separated values; an
        # IPv6 inner packet (over IPv4) has them in the ipv6 fields, its echo types are
        # 128 and 129
        if cols[7]:
            src, dst, typ = (c.split(",")[-1] for c in cols[7:10])
            typ = {"128": "8", "129": "0"}.get(typ, "")
        else:
            src, dst, typ = (c.split(",")[-1] for c in cols[4:7])
        if inner and {src, dst} != set(inner):
            continue
        requests += typ == "8"
        replies += typ == "0"
    spis = sorted({l.split(",")[3].strip('"') for l in lines})
    print(f"tshark decrypts {esp_total} ESP packets with {len(lines)} esp_sa lines ({', '.join(spis)}): "
          f"{requests} echo requests, {replies} echo replies inside, {icv_bad} ICV failures, "
          f"{undecrypted} not decrypted")
    ok = requests >= want and replies >= want and icv_bad == 0 and undecrypted == 0 and esp_total > 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
