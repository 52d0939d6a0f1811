#!/usr/bin/env bash
# tshark-summary.sh PCAP [extra tshark options, e.g. -o 'uat:ikev2_decryption_table:...']
#
# Prints one line per IKE message as tshark (Wireshark 4.0) dissects it,
# tab-separated, so that another script can diff it against Cygnet's
# decoder:
#
#   frame  exch  exch_name  I  R  mid  payloads  payload_names  inner
#
#   frame         frame number (1-based, as tshark counts)
#   exch          isakmp.exchangetype (34 IKE_SA_INIT, 35 IKE_AUTH, 36 CREATE_CHILD_SA, 37 INFORMATIONAL)
#   exch_name     tshark's name for it
#   I             isakmp.flag_i (1 = sent by the original initiator)
#   R             isakmp.flag_r (1 = response)
#   mid           isakmp.messageid (decimal)
#   payloads      top-level payload types in wire order (isakmp.typepayload
#                 values of the payloads chained from the header), comma-separated
#   payload_names the same as tshark names them, "|"-separated; notifies as
#                 "Notify (41) - NAT_DETECTION_SOURCE_IP" (tshark's own text)
#   inner         payloads inside a decrypted SK payload (46), same format as
#                 payloads, "-" if nothing was decrypted
#
# Proposal (2) / Transform (3) substructures and payloads nested inside
# another payload are not top-level and are not listed in "payloads".
set -euo pipefail

if [[ $# -lt 1 || ! -r $1 ]]; then
    echo "usage: $0 PCAP [tshark options...]" >&2
    exit 2
fi
pcap=$1
shift

tshark -n -r "$pcap" "$@" -Y isakmp -T pdml 2>/dev/null | python3 -c '
import sys
import xml.etree.ElementTree as ET

def showname_value(f):
    s = f.get("showname") or ""
    return s.split(": ", 1)[1] if ": " in s else s

def payload_label(f):
    # "Payload: Notify (41) - NAT_DETECTION_SOURCE_IP" -> "Notify (41) - NAT_DETECTION_SOURCE_IP"
    s = f.get("showname") or ""
    if s.startswith("Payload: "):
        s = s[len("Payload: "):]
    return s

def nearest_payloads(elem):
    """isakmp.typepayload fields below elem whose nearest enclosing
    typepayload field is elem itself (i.e. direct payload children)."""
    out = []
    for child in elem:
        if child.tag == "field" and child.get("name") == "isakmp.typepayload":
            out.append(child)
        else:
            out.extend(nearest_payloads(child))
    return out

def field(proto, name):
    for f in proto.iter("field"):
        if f.get("name") == name:
            return f
    return None

print("#frame\texch\texch_name\tI\tR\tmid\tpayloads\tpayload_names\tinner")
for _, pkt in ET.iterparse(sys.stdin, events=("end",)):
    if pkt.tag != "packet":
        continue
    frame = None
    for p in pkt.findall("proto"):
        if p.get("name") == "frame":
            f = field(p, "frame.number")
            frame = f.get("show") if f is not None else "?"
    for proto in pkt.findall(".//proto[@name=\"isakmp\"]"):
        ex = field(proto, "isakmp.exchangetype")
        if ex is None:
            continue
        exnum = ex.get("show")
        exname = showname_value(ex).rsplit(" (", 1)[0]
        fi = field(proto, "isakmp.flag_i")
        fr = field(proto, "isakmp.flag_r")
        mid = field(proto, "isakmp.messageid")
        tops = nearest_payloads(proto)
        nums = ",".join(t.get("show") for t in tops)
        names = "|".join(payload_label(t) for t in tops)
        inner = []
        for t in tops:
            if t.get("show") in ("46", "53"):
                inner.extend(nearest_payloads(t))
        inner_s = ",".join(t.get("show") for t in inner) if inner else "-"
        midv = mid.get("show") if mid is not None else "?"
        try:
            midv = str(int(midv, 0))
        except ValueError:
            pass
        print("\t".join([frame or "?", exnum, exname,
                         "1" if fi is not None and fi.get("show") in ("1", "True") else "0",
                         "1" if fr is not None and fr.get("show") in ("1", "True") else "0",
                         midv, nums or "-", names or "-", inner_s]))
    pkt.clear()
'
