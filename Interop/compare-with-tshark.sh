#!/usr/bin/env bash
# compare-with-tshark.sh CAPTURE...
#
# For each capture, prints one normalized line per IKE message as `cygnet decode --json`
# sees it and as tshark sees it, diffs the two and exits non-zero on any difference.
#
#   <frame> <EXCHANGE> <I|R> <request|response> mid=<n> <payloads>
#
# <payloads> are the top-level payload types in wire order by their RFC 7296 short
# names (SA,KE,Nonce,N(NAT_DETECTION_SOURCE_IP),...,SK); an Encrypted payload is shown
# as SK (SKF for a fragment) whatever it holds. Notify payloads carry their type name.
# Names are mapped from numbers on both sides, so tshark's "Security Association (33)"
# and Cygnet's "SA" compare equal.
#
# Environment: CYGNET (path to the cygnet binary; default: build it with SwiftPM into
# .build-decode), TSHARK_OPTS (extra tshark options, e.g. decryption tables).
# Exit status: 0 all captures match, 1 a difference, 2 a tool failed.
set -uo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 CAPTURE..." >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
if ! command -v tshark >/dev/null; then
    echo "$0: tshark is not installed" >&2
    exit 2
fi
if [[ -z ${CYGNET:-} ]]; then
    (cd "$root" && swift build --scratch-path .build-decode --product cygnet >&2) || exit 2
    CYGNET=$root/.build-decode/debug/cygnet
fi

# Shared by both sides: payload type number -> short name (IANA "IKEv2 Payload Types").
names_py='
NAMES = {33: "SA", 34: "KE", 35: "IDi", 36: "IDr", 37: "CERT", 38: "CERTREQ", 39: "AUTH",
         40: "Nonce", 41: "N", 42: "D", 43: "V", 44: "TSi", 45: "TSr", 46: "SK", 47: "CP",
         48: "EAP", 49: "GSPM", 50: "IDg", 51: "GSA", 52: "KD", 53: "SKF", 54: "PS"}
EXCH = {34: "IKE_SA_INIT", 35: "IKE_AUTH", 36: "CREATE_CHILD_SA", 37: "INFORMATIONAL",
        38: "IKE_SESSION_RESUME", 43: "IKE_INTERMEDIATE", 44: "IKE_FOLLOWUP_KE"}
def line(frame, exch, initiator, response, mid, payloads):
    return "%s %s %s %s mid=%s %s" % (frame, EXCH.get(exch, str(exch)), "I" if initiator else "R",
                                      "response" if response else "request", mid,
                                      ",".join(payloads) or "-")
'

ours() {
    "$CYGNET" decode --json "$1" | python3 -c "$names_py"'
import json, sys
for text in sys.stdin:
    record = json.loads(text)
    if record.get("kind") not in ("ike", "malformed"):
        continue
    payloads = []
    for p in record.get("payloads", []):
        name = NAMES.get(p["typeNumber"], str(p["typeNumber"]))
        if name == "N":
            name = "N(%s)" % p.get("notifyType", "?")
        payloads.append(name)
    if record["kind"] == "malformed":
        payloads.append("MALFORMED:" + record["error"]["code"])
    print(line(record["frame"], record.get("exchangeType", "?"), record.get("isInitiator"),
               record.get("isResponse"), record.get("messageID", "?"), payloads))
'
    local rc=${PIPESTATUS[0]}
    [[ $rc -le 1 ]] || return 2
}

theirs() {
    local summary=$here/lab/tshark-summary.sh
    if [[ -r $summary ]]; then
        # shellcheck disable=SC2086
        bash "$summary" "$1" ${TSHARK_OPTS:-} | python3 -c "$names_py"'
import re, sys
for text in sys.stdin:
    if text.startswith("#"):
        continue
    f = text.rstrip("\n").split("\t")
    if len(f) < 8:
        continue
    frame, exch, _, i, r, mid, nums, labels = f[:8]
    payloads = []
    for num, label in zip(nums.split(","), labels.split("|")):
        if not num.isdigit():
            continue
        name = NAMES.get(int(num), num)
        if name == "N":
            m = re.search(r" - (.+)$", label)
            name = "N(%s)" % (m.group(1) if m else "?")
        payloads.append(name)
    print(line(frame, int(exch), i == "1", r == "1", mid, payloads))
'
    else
        # Without the lab helper: flat fields. Nested payloads inside a decrypted SK
        # would be listed too, so no decryption options are passed here.
        tshark -n -r "$1" -Y isakmp -T fields -E separator=/t -E aggregator=, \
            -e frame.number -e isakmp.exchangetype -e isakmp.flag_i -e isakmp.flag_r \
            -e isakmp.messageid -e isakmp.typepayload 2>/dev/null | python3 -c "$names_py"'
import sys
for text in sys.stdin:
    f = text.rstrip("\n").split("\t")
    if len(f) < 6:
        continue
    frame, exch, i, r, mid, nums = f[:6]
    payloads = [NAMES.get(int(n), n) for n in nums.split(",") if n.isdigit() and int(n) not in (2, 3)]
    print(line(frame, int(exch), i in ("1", "True"), r in ("1", "True"), int(mid, 0), payloads))
'
    fi
}

status=0
for capture in "$@"; do
    ours_file=$(mktemp)
    theirs_file=$(mktemp)
    if ! ours "$capture" >"$ours_file"; then
        echo "$capture: cygnet decode could not read the file" >&2
        status=2
    fi
    theirs "$capture" >"$theirs_file"
    if diff -u --label "tshark $capture" --label "cygnet $capture" "$theirs_file" "$ours_file"; then
        echo "$capture: $(wc -l <"$ours_file") IKE messages match"
    else
        [[ $status -ne 0 ]] || status=1
    fi
    rm -f "$ours_file" "$theirs_file"
done
exit $status
