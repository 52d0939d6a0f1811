#!/usr/bin/env python3
"""keylog-uat.py KEYLOG PCAP [--run [tshark args...]]

Turns a charon key log (filelog with ike=4, cfg=2, as written by the lab's
strongswan.conf.in) into tshark's IKEv2 decryption table:

    -o 'uat:ikev2_decryption_table:ISPI,RSPI,SK_ei,SK_er,"<encr>",SK_ai,SK_ar,"<integ>"'

Key sets are paired with IKE SAs by order: the n-th "Sk_ei secret" block of
the log belongs to the n-th completed IKE_SA_INIT exchange (a response that
carries an SA payload) of the capture.  IKE_SAs created by CREATE_CHILD_SA
(IKE rekey) get their SPIs only inside encrypted payloads and are not
covered (the table entries for them are skipped).

Prints the tshark options (one per line, shell-quoted); with --run,
executes `tshark -r PCAP <options> <remaining args>` instead.
"""
import re
import shlex
import subprocess
import sys

ENCR = {
    "AES_GCM_16_128": "AES-GCM-128 with 16 octet ICV [RFC5282]",
    "AES_GCM_16_192": "AES-GCM-192 with 16 octet ICV [RFC5282]",
    "AES_GCM_16_256": "AES-GCM-256 with 16 octet ICV [RFC5282]",
    "AES_CBC_128": "AES-CBC-128 [RFC3602]",
    "AES_CBC_192": "AES-CBC-192 [RFC3602]",
    "AES_CBC_256": "AES-CBC-256 [RFC3602]",
}
INTEG = {
    None: "NONE [RFC4306]",
    "HMAC_SHA1_96": "HMAC_SHA1_96 [RFC2404]",
    "HMAC_SHA2_256_128": "HMAC_SHA2_256_128 [RFC4868]",
    "HMAC_SHA2_384_192": "HMAC_SHA2_384_192 [RFC4868]",
    "HMAC_SHA2_512_256": "HMAC_SHA2_512_256 [RFC4868]",
}

HEXLINE = re.compile(r"\]\s+(?:<[^>]*>\s+)?\s*\d+: ((?:[0-9A-F]{2} ){1,16})")


def parse_keylog(path):
    lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    sets, cur, proposal = [], None, None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.search(r"selected proposal: IKE:(\S+)", line)
        if m:
            proposal = m.group(1)
        m = re.search(r"(Sk_\w+) secret => (\d+) bytes", line)
        if m:
            name, n = m.group(1), int(m.group(2))
            data = ""
            j = i + 1
            while len(data) < 2 * n and j < len(lines):
                h = HEXLINE.search(lines[j])
                if not h:
                    break
                data += h.group(1).replace(" ", "")
                j += 1
            if name == "Sk_d":
                cur = {"proposal": proposal}
                sets.append(cur)
            if cur is not None:
                cur[name] = data.lower()
            i = j
            continue
        i += 1
    return sets


def ike_sa_spis(pcap):
    out = subprocess.run(
        ["tshark", "-n", "-r", pcap, "-Y",
         "isakmp.exchangetype == 34 && isakmp.flag_r == 1 && isakmp.typepayload == 33",
         "-T", "fields", "-e", "isakmp.ispi", "-e", "isakmp.rspi"],
        check=True, capture_output=True, text=True).stdout
    spis = []
    for row in out.splitlines():
        ispi, rspi = (x.replace(":", "") for x in row.split("\t")[:2])
        if (ispi, rspi) not in spis:
            spis.append((ispi, rspi))
    return spis


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    keylog, pcap = sys.argv[1], sys.argv[2]
    run = len(sys.argv) > 3 and sys.argv[3] == "--run"
    sets = parse_keylog(keylog)
    spis = ike_sa_spis(pcap)
    opts = []
    for (ispi, rspi), ks in zip(spis, sets):
        algs = (ks.get("proposal") or "").split("/")
        encr = next((ENCR[a] for a in algs if a in ENCR), None)
        integ_alg = next((a for a in algs if a in INTEG and a is not None), None)
        if encr is None:
            print(f"# unsupported proposal {ks.get('proposal')}", file=sys.stderr)
            continue
        row = ",".join([ispi, rspi, ks["Sk_ei"], ks["Sk_er"], f'"{encr}"',
                        ks.get("Sk_ai", ""), ks.get("Sk_ar", ""),
                        f'"{INTEG[integ_alg]}"'])
        opts += ["-o", "uat:ikev2_decryption_table:" + row]
    if run:
        cmd = ["tshark", "-n", "-r", pcap] + opts + sys.argv[4:]
        sys.exit(subprocess.call(cmd))
    print(" ".join(shlex.quote(o) for o in opts))


if __name__ == "__main__":
    main()
