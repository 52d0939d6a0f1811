#!/usr/bin/env python3
"""charon-esp-uat.py KEYLOG

Turns a charon key log (filelog with chd=4, enc=1, ike_name=yes, as the lab's
strongswan.conf.in writes it to charon-keys.log) into Wireshark 4.0's `esp_sa` UAT
lines, one per ESP SA direction, in the format of Cygnet's own key log
(`cygnet { key_log = FILE }`):

    "IPv4","SRC","DST","0xSPI","<encryption>","0x<key incl. salt>","<integrity>","0x<key>"|""

so both feed the same check:

    tshark -r X.pcap -o esp.enable_encryption_decode:TRUE -o 'uat:esp_sa:LINE' ...

Which key belongs to which direction: the side that initiated the exchange creating the
Child SA (IKE_AUTH or CREATE_CHILD_SA) sends with the "initiator" keys. charon derives
the keys right after it parsed the IKE_AUTH/CREATE_CHILD_SA response (it initiated) or
request (it responds); the last `parsed ... request|response` line of the same IKE SA
(`<name|N>`, `<N>`) before the key lines says which.
"""
import re
import sys

# Wireshark's names in the esp_sa UAT, checked with tshark 4.0.17 (Debian 12): each of
# these decrypts and passes the ICV check, except ChaCha20-Poly1305, which Wireshark 4.0
# lacks for ESP (tshark rejects the line: "invalid value"); the name is that of later
# releases (packet-ipsec.c).
ENCRYPTION = {
    "AES_GCM_16": "AES-GCM with 16 octet ICV [RFC4106]",
    "AES_GCM_12": "AES-GCM with 12 octet ICV [RFC4106]",
    "AES_GCM_8": "AES-GCM with 8 octet ICV [RFC4106]",
    "CHACHA20_POLY1305": "ChaCha20 with Poly1305 [RFC7634]",
    "AES_CBC": "AES-CBC [RFC3602]",
    "AES_CTR": "AES-CTR [RFC3686]",
    "NULL": "NULL",
}
INTEGRITY = {
    None: "NULL",
    "HMAC_SHA1_96": "HMAC-SHA-1-96 [RFC2404]",
    "HMAC_SHA2_256_128": "HMAC-SHA-256-128 [RFC4868]",
    "HMAC_SHA2_384_192": "HMAC-SHA-384-192 [RFC4868]",
    "HMAC_SHA2_512_256": "HMAC-SHA-512-256 [RFC4868]",
}

# the IKE SA's unique number: <name|N>, or <N> before a responder knows the config
TAG = re.compile(r"\[\w+\] <(?:[^|>]*\|)?(\d+)>")
HEX = re.compile(r"\]\s+(?:<[^>]*>\s+)?\s*\d+: ((?:[0-9A-F]{2} ){1,16})")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
    role = {}       # IKE SA tag -> "initiator" | "responder" of its last parsed exchange
    cur = {}        # tag -> {"encr": .., "integ": .., keys...}
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        t = TAG.search(line)
        tag = t.group(1) if t else None
        m = re.search(r"parsed (IKE_AUTH|CREATE_CHILD_SA) (request|response)", line)
        if m:
            role[tag] = "initiator" if m.group(2) == "response" else "responder"
            cur[tag] = {}
        m = re.search(r"using (\S+) for (encryption|integrity)", line)
        if m and tag in cur:
            cur[tag]["encr" if m.group(2) == "encryption" else "integ"] = m.group(1)
        m = re.search(r"(encryption|integrity) (initiator|responder) key => (\d+) bytes", line)
        if m and tag in cur:
            n, data, j = int(m.group(3)), "", i + 1
            while len(data) < 2 * n and j < len(lines):
                h = HEX.search(lines[j])
                if not h:
                    break
                data += h.group(1).replace(" ", "")
                j += 1
            cur[tag][m.group(1)[:5] + "-" + m.group(2)] = data.lower()
            i = j
            continue
        m = re.search(r"adding (inbound|outbound) ESP SA", line)
        if m and tag in cur and i + 1 < len(lines):
            s = re.search(r"SPI (0x[0-9a-f]+), src (\S+) dst (\S+)", lines[i + 1])
            if s:
                c = cur[tag]
                we_initiated = role.get(tag) == "initiator"
                # outbound: our keys; ours are the initiator's when we initiated
                own = "initiator" if we_initiated else "responder"
                peer = "responder" if we_initiated else "initiator"
                who = own if m.group(1) == "outbound" else peer
                encr = c.get("encr", "")
                if encr not in ENCRYPTION or c.get("integ") not in INTEGRITY:
                    print(f"# unsupported: {encr} / {c.get('integ')}", file=sys.stderr)
                else:
                    family = "IPv6" if ":" in s.group(2) else "IPv4"
                    ikey = c.get("integ-" + who)
                    out.append(",".join([
                        f'"{family}"', f'"{s.group(2)}"', f'"{s.group(3)}"', f'"{s.group(1)}"',
                        f'"{ENCRYPTION[encr]}"', f'"0x{c.get("encry-" + who, "")}"',
                        f'"{INTEGRITY[c.get("integ")]}"', f'"0x{ikey}"' if ikey else '""']))
                i += 2
                continue
        i += 1
    print("\n".join(out))


if __name__ == "__main__":
    main()
