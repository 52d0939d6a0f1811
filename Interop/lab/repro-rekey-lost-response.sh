#!/usr/bin/env bash
# A lost CREATE_CHILD_SA response while the peer rekeys a Child SA: does the rekey
# responder keep its traffic flowing?
#
#   Interop/lab/repro-rekey-lost-response.sh [cygnet|strongswan]   (as root)
#
# right = charon with the short Child SA lifetime of the suite's rekey-load-strongswan
# (it initiates a Child SA rekey ~7-8 s after the tunnel is up); left = cygnetd (default)
# or charon, the rekey responder. One nftables rule in right's namespace drops exactly
# one IKE CREATE_CHILD_SA response (UDP 4500, non-ESP marker, exchange type 36, R flag),
# so charon installs the new SA only when its retransmit (after 1 s) is answered. Pings
# every 20 ms from left to right for 12 s measure what the responder sends meanwhile.
#
# A responder that moves its outbound traffic to the new SA as soon as it answers loses
# that second (cygnetd before b4fe98c: 38-42 of 600 pings, ~7 %); strongSwan 5.9 keeps
# sending on the old SA until the initiator deletes it (0 lost), cygnetd since b4fe98c
# until it sees the peer use the new SA or the old one is gone (0 lost).
# Exit 0 when at most 1 % of the pings are lost.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lab.sh"
source "$HERE/peer.sh"
KIND=${1:-cygnet}
if [[ -z ${CYG_LAB_ISOLATED:-} ]]; then
    LAB_RUN=$(mktemp -d /tmp/cyg-repro-rekey.XXXXXX)
    export LAB_RUN
fi
lab_isolate "$@"
trap 'status=$?; lab_teardown; echo "logs: $LAB_RUN"; exit $status' EXIT

SCEN=$HERE/../suite/scenarios/rekey-load-strongswan
lab_net_up v4
PEER_CHARON_EXTRA=$PEER_QUIET_NET
peer_start right strongswan "$SCEN" none
peer_start left "$KIND" "$SCEN" none
peer_initiate left || lab_die "initiate"
peer_wait_up left && peer_wait_up right || lab_die "tunnel not up"
ip netns exec "$NS_R" nft -f - <<'NFT'
table inet lossy {
    chain in {
        type filter hook input priority -300; policy accept;
        udp dport 4500 @th,64,32 0 @th,240,8 36 @th,248,8 & 0x20 == 0x20 quota until 300 bytes counter drop
    }
}
NFT
out=$(ip netns exec "$NS_L" ping -n -q -i 0.02 -c 600 -W 1 -I 198.51.100.1 203.0.113.1 || true)
received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
dropped=$(ip netns exec "$NS_R" nft list ruleset | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
echo "rekey responder: $KIND; CREATE_CHILD_SA responses dropped: ${dropped:-?}"
grep -E 'retransmit|established with SPIs' "$LAB_RUN/right/charon.log" | cut -c1-140 || true
echo "pings left -> right during the rekey: ${received:-0}/600 answered"
((${received:-0} >= 594))
