#!/usr/bin/env bash
# Cygnet against strongSwan 5.9.8 (Debian's charon), in network namespaces of its own.
#
#   Interop/suite/run.sh SCENARIO      one scenario (see `list`); exit 0 when it passed
#   Interop/suite/run.sh list
#
# Each run re-executes itself in a private network + mount namespace (lab.sh's
# lab_isolate), creates cyg-l (192.0.2.1) and cyg-r (192.0.2.2) there, runs cygnetd on
# one side and charon on the other with the same swanctl.conf syntax, checks what the
# scenario wants, then stops what it started (by PID) and deletes the namespaces.
# Needs root, strongSwan (charon, swanctl), tshark, iproute2 and python3
# (Interop/lab/install-deps.sh installs them), and built cygnetd and cygnet
# (CYGNETD / CYGNET, default .build/debug/).
#
# Scenario names: <kind>-<who initiates>, e.g. psk-gcm-cygnet (Cygnet initiates) or
# psk-gcm-strongswan. Logs of a run stay in $LAB_RUN (printed at the end).
#
# Certificates with signature constraints and certificate payload policies:
#   rsa-pss-{cygnet,strongswan}       auth = rsa/pss on both sides (charon with rsa_pss = yes)
#   ecdsa-sha384-{cygnet,strongswan}  auth = ecdsa-sha384, a P-384 chain signed with SHA-384
#       both: each AUTH payload is RFC 7427 method 14 with the AlgorithmIdentifier of that
#       scheme (the capture decrypted with charon's key log), and charon's log names the
#       scheme it verified and the one it signed with.
#   certreq-off-{cygnet,strongswan}   send_certreq = no, send_cert = always on both sides:
#       no CERTREQ anywhere (decrypted capture), certificates still sent, SAs up.
#   The three also ping through the tunnel (3 each way).
#
# Traffic through the tunnel (Cygnet's data plane; iperf3 and ping needed):
#   traffic-{gcm,chacha,cbc}-{cygnet,strongswan}  ESP aes256gcm16 / chacha20poly1305 /
#       aes256-sha256: 5 pings each way between the inner addresses (198.51.100.1 <->
#       203.0.113.1), captured on Cygnet's veth and decrypted by tshark with the lines of
#       Cygnet's key log (cygnet { key_log }; skipped where tshark lacks the algorithm:
#       Wireshark 4.0 has no ChaCha20-Poly1305 for ESP); iperf3 TCP 3 s each way; both
#       sides' Child SA counters grew, Cygnet's drop counters stay small.
#   encap-cygnet     Cygnet with encap = yes (ESP aes128-sha256) against strongSwan.
#   pair-raw         Cygnet on both sides, no NAT: ESP must be raw (IP protocol 50).
#   pair-encap       Cygnet on both sides, left encap = yes: ESP in UDP/4500 only.
#   nat-cygnet       Cygnet behind the masquerading cyg-m (lab_net_up nat), initiating;
#       traffic, then NAT keepalives (keep_alive = 2s) seen leaving the NAT.
#   rekey-load-{cygnet,strongswan}   iperf3 --bidir for 26 s while that side rekeys the
#       Child SA every ~8 s and the IKE SA after ~15 s; TCP must not stall or break.
#   pfs-{x25519,ecp384,modp3072}-{cygnet,strongswan}  esp_proposals = aes256gcm16-GROUP
#       on both sides (RFC 7296 §1.2, §1.3.3): the IKE_AUTH Child SA carries traffic at
#       once and has no group; the initiator rekeys the Child SA every 7 s and the IKE SA
#       every 10 s while 120 pings run (at most 5 lost); the rekeyed Child SA shows GROUP
#       on both sides.
#   children-{cygnet,strongswan}  one connection with two children (net, net2), each with
#       its own pair of hosts: `cygnet up` brings both; strongSwan initiates one after
#       the other on one IKE SA; pings through each.
#   two-connections-{cygnet,strongswan}   users alice and bob on the left, each with a
#       connection of her own; the gateway on the right has two connections with the same
#       addresses and proposals, "staff" (remote id *@lab.test) and "bob" (bob@lab.test).
#       The named side initiates both users (Cygnet bob first); each must land in its own
#       gateway connection (names and selectors on both sides) and carry pings between
#       its own inner addresses (198.51.100.1 <-> 203.0.113.1, .2 <-> .2).
#   vip-{cygnet,strongswan}   a road warrior (left, vips = 0.0.0.0, local_ts dynamic) gets
#       10.3.0.1 and DNS 10.3.0.53 from the gateway's pool (right, pools = rw, remote_ts
#       dynamic) and pings the gateway's inner address from it; the name says who is the
#       road warrior. Cygnet as the road warrior writes the DNS server to its
#       resolv_conf (a file in the lab's directory).
#   ipv6-ts-{cygnet,strongswan}   IPv6 selectors over IPv4 (lab_net_up dual), Cygnet on the
#       left with remote_ts = ::/0, strongSwan's local_ts a range up to
#       ffff:…:ffff: Cygnet routes that range (as initiator, from strongSwan's narrowed
#       answer; as responder, from strongSwan's proposal), then ping6 both ways and
#       iperf3 through the tunnel.
#   eap-mschapv2-{cygnet,strongswan}   EAP-MSCHAPv2 in IKE_AUTH (RFC 7296 §2.16): the
#       road warrior on the left (local auth = eap-mschapv2, eap_id = alice) against the
#       gateway on the right (its certificate, remote auth = eap-mschapv2 with eap_id =
#       %any, secrets { eap-alice }); -cygnet: Cygnet is the road warrior, -strongswan:
#       Cygnet is the gateway. charon's log names EAP_MSCHAPV2 and its MSK, both sides
#       agree on the SAs, and pings go through the tunnel (3 each way).
#   eap-vip-{cygnet,strongswan}   EAP-MSCHAPv2 and a virtual IP together: the road warrior
#       on the left (local auth = eap-mschapv2 as alice, vips = 0.0.0.0, local_ts dynamic)
#       against the gateway on the right (its certificate, remote auth = eap-mschapv2 with
#       eap_id = %any, pools = rw with addrs 10.3.0.0/24 and dns 10.3.0.53, remote_ts
#       dynamic). The road warrior shows 10.3.0.1 and DNS 10.3.0.53, the gateway's status
#       shows the EAP identity alice (remote-eap-id), and ping and iperf3 (3 s each way)
#       run from 10.3.0.1 through the tunnel; the name says who is the road warrior.
#   eap-radius-strongswan   strongSwan's road warrior as in eap-vip against the Cygnet
#       gateway with remote auth = eap-radius and pools = radius, forwarding to a
#       FreeRADIUS the scenario starts in the gateway's namespace on 127.0.0.1 (alice in
#       its users file with Framed-IP-Address 10.9.0.7): the road warrior gets 10.9.0.7,
#       the gateway shows alice, ping and iperf3 from 10.9.0.7 through the tunnel.
#   eap-tls-vip-{cygnet,strongswan}   as eap-vip, with EAP-TLS and alice's client
#       certificate (as in eap-tls) instead of EAP-MSCHAPv2: the gateway shows the EAP
#       identity alice@lab.test, charon's log names EAP_TLS and its MSK.
#   windows-strongswan, apple-strongswan, android-strongswan   the built-in clients of
#       Windows 10/11, macOS/iOS and Android 11+, emulated by charon on the left with each
#       one's default proposals, EAP-MSCHAPv2 and identity habits (scenarios/CLIENT),
#       against a Cygnet gateway on the right configured as Docs/clients/CLIENT.md says:
#       windows offers only the 1024-bit MODP group (3DES/AES-CBC, SHA1/SHA2; ESP AES-CBC
#       and SHA1 without PFS), sends its IP address as IDi and no IDr, and rekeys its
#       Child SA with modp1024 (the gateway's ms_dh_downgrade; pings after); apple AES-256,
#       SHA2-256, group 14 or 19 with FQDN identities; android Curve25519 and MODP 2048+
#       only and asks for an IPv4 and an IPv6 address (vips = 0.0.0.0, ::). Each gets
#       10.3.0.1 (android also 2001:db8:c::1) and its DNS server from the gateway's pools,
#       pings both ways and runs iperf3 from the virtual IP through the tunnel (android
#       also ping6); the decrypted capture shows each side's ID types (windows IDi IPv4,
#       apple FQDN both ways, android IDi RFC822 and IDr FQDN; the gateway's IDr FQDN).
#   eap-tls-{cygnet,strongswan}   EAP-TLS (RFC 5216) in IKE_AUTH: the road warrior on the
#       left (local auth = eap-tls with alice's client certificate, SAN alice@lab.test)
#       against the gateway on the right (its certificate for IKE and as TLS server,
#       remote auth = eap-tls with eap_id = %any, cacerts = root.crt); -cygnet: Cygnet is
#       the road warrior, -strongswan: Cygnet is the gateway. charon's log names EAP_TLS
#       and its MSK, both sides agree on the SAs, and pings go through the tunnel.
#   eap-only-{cygnet,strongswan}   EAP-only authentication (RFC 5998) with EAP-TLS: as
#       eap-tls, but auth = eap-tls on both sides of both ends; the road warrior sends
#       EAP_ONLY_AUTHENTICATION, no AUTH but the two from the MSK and no CERT cross the
#       wire (decrypted capture), charon's log names EAP_TLS and its MSK (and, as road
#       warrior, mutual EAP-only), both sides agree, pings go through the tunnel.
# Mobility (MOBIKE, RFC 4555; NAT rebinding, RFC 7296 §2.23); each prints the pings lost
# across the event, the longest silence between two replies and how soon a request sent
# after the event was answered (ping -D every 0.1 s, ping_gap.py):
#   mobike-{strongswan,cygnet}   the road warrior on the left (no local_addrs, vips =
#       0.0.0.0, mobike = yes) gets 10.3.0.1 from the gateway's pool (right, mobike = yes);
#       its outer address moves in its namespace (the new address added on veth-l, the old
#       one deleted a second later, the subnet's route from the new one): 192.0.2.1 -> .11
#       under ping (replies again within 2 s), .11 -> .12 under iperf3 (8 s, must end
#       without error). After each move both sides show the same IKE SA (SPIs) between the
#       new address and the gateway, and Cygnet counts 1, then 2 address updates; the name
#       says who is the road warrior. As road warrior cygnetd listens on 0.0.0.0 and learns
#       of the move by itself (no command).
#   mobike-off-strongswan   strongSwan's road warrior offers MOBIKE, the Cygnet gateway has
#       mobike = no; the road warrior moves 192.0.2.1 -> .11 under ping: charon, without
#       MOBIKE and with its path gone, reauthenticates (5.9.8: deletes the IKE SA, then a
#       new one from .11), so both sides show new IKE SPIs from the new address, the new
#       IKE SA has no address update, cygnetd logs no MOBIKE move, and pings resume within 3 s.
#       (The old IKE SA follows charon's DELETE from 192.0.2.11:500 as a NAT mapping change,
#       as charon does as gateway: libipsec fakes a NAT. The count of these is logged.)
#   mobike-off-cygnet   Cygnet as the road warrior (left, listen 0.0.0.0, no local_addrs,
#       mobike = no, dpd_delay = 2s, dpd_action = restart) against strongSwan's gateway
#       (mobike = yes, not taken up); the road warrior moves 192.0.2.1 -> .11 under ping.
#       Without MOBIKE nothing moves on Cygnet's side (no address update, no "IKE SA
#       moved"): the IKE SA stays on the deleted address, its next liveness check goes
#       unanswered and, after the retransmissions (1 s, x1.4, 3 tries: 7.1 s), closes it as
#       peer unreachable; dpd_action = restart brings a new IKE SA up from .11 (its
#       INITIAL_CONTACT makes charon drop the old one): new SPIs on both sides, and pings
#       resume within 12 s (dpd_delay 2 s + 7.1 s + the new handshake).
#   rebind-strongswan, rebind-nomobike-strongswan   strongSwan's client behind cyg-m's
#       masquerade (lab_net_up nat, dpd_delay = 2s), the Cygnet gateway, MOBIKE on or off
#       on both; under ping the NAT maps UDP to ports 41000-41999 and conntrack -F forgets
#       the old mapping. The gateway's ESP to the old port is lost until charon's DPD
#       (nothing inbound for 2 s) reaches it from the new port: without MOBIKE the gateway
#       follows that request; with MOBIKE the DPD carries NAT_DETECTION payloads, charon
#       sees its mapping changed and sends UPDATE_SA_ADDRESSES. Then the same IKE SA runs
#       from the new port (one address update) and pings resume within 7 s.
# INTEROP_CYGNET=strongswan runs charon where a scenario puts cygnetd: a self-test of the
# harness (strongSwan on both sides); checks of Cygnet's own behaviour are skipped.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=../lab/lab.sh
source "$REPO/Interop/lab/lab.sh"
# shellcheck source=../lab/peer.sh
source "$REPO/Interop/lab/peer.sh"

CYGNETD=${CYGNETD:-$REPO/.build/debug/cygnetd}
CYGNET=${CYGNET:-$REPO/.build/debug/cygnet}
KINDS=(psk-gcm psk-modp ecdsa rsa rsa-pss ecdsa-sha384 certreq-off)
SCENARIOS=()
for kind in "${KINDS[@]}"; do SCENARIOS+=("$kind-cygnet" "$kind-strongswan"); done
SCENARIOS+=(rekey-cygnet rekey-strongswan dpd-cygnet dpd-strongswan delete-cygnet delete-strongswan signals-cygnet)
TRAFFIC_KINDS=(traffic-gcm traffic-chacha traffic-cbc)
for kind in "${TRAFFIC_KINDS[@]}"; do SCENARIOS+=("$kind-cygnet" "$kind-strongswan"); done
SCENARIOS+=(encap-cygnet pair-raw pair-encap nat-cygnet rekey-load-cygnet rekey-load-strongswan)
for group in x25519 ecp384 modp3072; do SCENARIOS+=("pfs-$group-cygnet" "pfs-$group-strongswan"); done
SCENARIOS+=(children-cygnet children-strongswan)
SCENARIOS+=(two-connections-cygnet two-connections-strongswan)
SCENARIOS+=(ipv6-ts-cygnet ipv6-ts-strongswan)
SCENARIOS+=(vip-cygnet vip-strongswan)
SCENARIOS+=(eap-mschapv2-cygnet eap-mschapv2-strongswan)
SCENARIOS+=(eap-vip-cygnet eap-vip-strongswan)
SCENARIOS+=(eap-radius-strongswan)
SCENARIOS+=(windows-strongswan apple-strongswan android-strongswan)
SCENARIOS+=(eap-tls-cygnet eap-tls-strongswan)
SCENARIOS+=(eap-only-cygnet eap-only-strongswan)
SCENARIOS+=(eap-tls-vip-cygnet eap-tls-vip-strongswan)
SCENARIOS+=(mobike-strongswan mobike-cygnet mobike-off-strongswan rebind-strongswan rebind-nomobike-strongswan)
SCENARIOS+=(mobike-off-cygnet)

if [[ ${1:-} == list ]]; then printf '%s\n' "${SCENARIOS[@]}"; exit 0; fi
SCENARIO=${1:?usage: run.sh SCENARIO (see run.sh list)}
[[ " ${SCENARIOS[*]} " == *" $SCENARIO "* ]] || { echo "unknown scenario $SCENARIO (see run.sh list)" >&2; exit 2; }

missing=()
[[ $(id -u) == 0 ]] || missing+=("root (network namespaces)")
[[ -x /usr/lib/ipsec/charon ]] && command -v swanctl >/dev/null || missing+=("strongSwan: apt-get install charon-systemd strongswan-swanctl libstrongswan-extra-plugins libcharon-extra-plugins")
command -v tshark >/dev/null || missing+=("tshark: apt-get install tshark")
command -v ip >/dev/null || missing+=("iproute2: apt-get install iproute2")
command -v python3 >/dev/null || missing+=("python3: apt-get install python3")
[[ -x $CYGNETD && -x $CYGNET ]] || missing+=("cygnetd and cygnet: swift build (looked for $CYGNETD and $CYGNET)")
case $SCENARIO in
traffic-* | encap-* | pair-* | nat-* | rekey-load-* | pfs-* | children-* | ipv6-ts-* | vip-* | eap-vip-* | eap-radius-* | eap-tls-vip-* | \
    windows-* | apple-* | android-* | mobike-* | rebind-*)
    command -v iperf3 >/dev/null || missing+=("iperf3: apt-get install iperf3")
    command -v ping >/dev/null || missing+=("ping: apt-get install iputils-ping")
    command -v nft >/dev/null || [[ $SCENARIO != nat-* && $SCENARIO != rebind-* ]] || missing+=("nftables: apt-get install nftables")
    command -v conntrack >/dev/null || [[ $SCENARIO != rebind-* ]] || missing+=("conntrack: apt-get install conntrack")
    command -v freeradius >/dev/null || [[ $SCENARIO != eap-radius-* ]] || missing+=("FreeRADIUS: apt-get install freeradius")
    ;;
esac
if ((${#missing[@]})); then
    printf 'interop prerequisites missing:\n'; printf '  - %s\n' "${missing[@]}"; exit 3
fi

# A scratch folder of this run's own (lab.sh would default to the shared /tmp/cyg-lab),
# made before lab_isolate re-executes the script, which inherits it. The test PKI is
# generated once and shared by later runs.
if [[ -z ${CYG_LAB_ISOLATED:-} ]]; then
    LAB_RUN=$(mktemp -d "/tmp/cyg-interop-$SCENARIO.XXXXXX")
    export LAB_RUN
    mkdir -p "${CYG_INTEROP_PKI:=/tmp/cyg-interop-pki}"
    ln -s "$CYG_INTEROP_PKI" "$LAB_RUN/pki"
fi
lab_isolate "$@"
# The scratch folder goes with a passing run and stays (its path printed) after a failure.
trap 'status=$?; lab_teardown; if [[ $status == 0 ]]; then rm -rf "$LAB_RUN"; else echo "logs: $LAB_RUN"; fi; exit $status' EXIT

fail() { lab_log "FAIL: $*"; for f in "$LAB_RUN"/*/cygnetd.log "$LAB_RUN"/*/charon.log; do [[ -f $f ]] && { echo "--- $f"; tail -25 "$f"; }; done; exit 1; }

# --- the two sides ---------------------------------------------------------------

# suite_setup SCENARIO_DIR PKI CYGNET_SIDE: charon on the other side, cygnetd on CYGNET_SIDE,
# both from SCENARIO_DIR/{left,right}.swanctl.conf.
suite_setup() {
    local sdir=$1 pki=$2 cside=$3 side dir extra
    CYG_SIDE=$cside
    SW_SIDE=$([[ $cside == left ]] && echo right || echo left)
    for side in left right; do lab_side_files "$side" "$sdir" "$pki"; done
    dir=$(lab_dir "$SW_SIDE")
    extra=$sdir/$SW_SIDE.charon.conf
    [[ -f $extra ]] || extra=/dev/null
    lab_render_conf "$SW_SIDE" "$extra"
    lab_charon_start "$SW_SIDE"
    lab_sw "$SW_SIDE" --load-all --noprompt >"$dir/load-all.log" 2>&1 ||
        { cat "$dir/load-all.log" >&2; fail "swanctl --load-all ($SW_SIDE)"; }
    PEER_KIND[$SW_SIDE]=strongswan
    cygnetd_start
}

cygnet_address() { [[ $CYG_SIDE == left ]] && echo 192.0.2.1 || echo 192.0.2.2; }
cygnet_socket() { echo "$(lab_dir "$CYG_SIDE")/cygnet.sock"; }

cygnetd_start() {
    local dir conf pid i
    PEER_KIND[$CYG_SIDE]=cygnet
    dir=$(lab_dir "$CYG_SIDE")
    conf=$dir/swanctl/swanctl.conf
    # The daemon's own settings; strongSwan keeps these in strongswan.conf (the lab's
    # charons retransmit after 1 s, x1.4, 3 tries, like this).
    cat >>"$conf" <<CONF

cygnet {
    listen = $(cygnet_address)
    control_socket = $(cygnet_socket)
    retransmit_timeout = 1s
    retransmit_base = 1.4
    retransmit_tries = 3
}
CONF
    "$CYGNET" lint "$conf" >"$dir/lint.log" 2>&1 || { cat "$dir/lint.log" >&2; fail "cygnet lint rejected $conf"; }
    ip netns exec "$(ns_of "$CYG_SIDE")" "$CYGNETD" --config "$conf" >"$dir/cygnetd.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/cygnetd.pid"
    lab_track cygnetd "$pid"
    for ((i = 0; i < 100; i++)); do
        [[ -S $(cygnet_socket) ]] && return 0
        [[ -d /proc/$pid ]] || break
        sleep 0.1
    done
    cat "$dir/cygnetd.log" >&2
    fail "cygnetd did not come up"
}

cygnet() { "$CYGNET" "$@" --socket "$(cygnet_socket)"; }

# Polls until `cygnet status --json` and swanctl agree (one IKE SA, N Child SAs), at
# most 20 s; the last comparison is kept in $LAB_RUN/compare.txt.
wait_agree() {
    local children=${1:-1} i
    for ((i = 0; i < 100; i++)); do
        if compare_now "$children" >"$LAB_RUN/compare.txt" 2>&1; then cat "$LAB_RUN/compare.txt"; return 0; fi
        sleep 0.2
    done
    cat "$LAB_RUN/compare.txt"
    echo "--- cygnet status"; cygnet status 2>&1 | head -40
    echo "--- swanctl --list-sas"; lab_sw "$SW_SIDE" --list-sas 2>&1 | head -40
    fail "cygnet status and swanctl --list-sas do not agree"
}

compare_now() {
    peer_sas "$CYG_SIDE" >"$LAB_RUN/cygnet-status.json" 2>"$LAB_RUN/cygnet-status.err" || return 1
    lab_sw "$SW_SIDE" --list-sas --raw 2>/dev/null | python3 "$HERE/swanctl_raw.py" >"$LAB_RUN/swanctl-sas.json"
    python3 "$HERE/compare_status.py" "$LAB_RUN/cygnet-status.json" "$LAB_RUN/swanctl-sas.json" --children "$1"
}

# The current SPIs (IKE and Child) as Cygnet shows them, one line.
cygnet_spis() {
    cygnet status --json | python3 -c '
import json, sys
sys.path.insert(0, sys.argv[1])
from compare_status import ike_sas
for sa in ike_sas(json.load(sys.stdin)):
    print(sa.get("initiator-spi"), sa.get("responder-spi"), *sorted(c.get("spi-in") for c in sa.get("child-sas", [])))
' "$HERE"
}

no_sas_anywhere() {
    [[ $(cygnet status --json | python3 -c '
import json, sys
sys.path.insert(0, sys.argv[1])
from compare_status import ike_sas
print(len(ike_sas(json.load(sys.stdin))))' "$HERE") == 0 ]] &&
        [[ $(lab_sw "$SW_SIDE" --list-sas --raw 2>/dev/null | python3 "$HERE/swanctl_raw.py" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') == 0 ]]
}

wait_gone() {
    local i
    for ((i = 0; i < ${1:-100}; i++)); do no_sas_anywhere && return 0; sleep 0.2; done
    fail "SAs still there: $(cygnet status 2>&1 | head -5)"
}

initiate() { # who: cygnet | strongswan
    case $1 in
    cygnet) cygnet up lab >"$LAB_RUN/up.log" 2>&1 || { cat "$LAB_RUN/up.log"; fail "cygnet up lab"; } ;;
    strongswan) lab_sw "$SW_SIDE" --initiate --ike lab --child net --timeout 20 >"$LAB_RUN/up.log" 2>&1 ||
        { tail -20 "$LAB_RUN/up.log"; fail "swanctl --initiate"; } ;;
    esac
}

# Every IKE message of the run dissects without errors (tshark, with the ports of NAT-T).
check_dissection() {
    local id=$1 frames bad pid
    # TERM, not lab_cap_stop's INT: a background job of a non-interactive shell may
    # ignore SIGINT. tshark stops its dumpcap child, which flushes the file.
    sleep 0.5
    pid=$(cat "$LAB_RUN/cap/$id.pid")
    lab_kill_pid "$pid" tshark TERM
    rm -f "$LAB_RUN/cap/$id.pid"
    frames=$(tshark -n -r "$LAB_RUN/cap/$id.raw" -Y isakmp 2>/dev/null | wc -l)
    bad=$(tshark -n -r "$LAB_RUN/cap/$id.raw" -Y 'isakmp && (_ws.malformed || _ws.expert.severity >= error)' 2>/dev/null | wc -l)
    ((frames > 0)) || fail "no IKE frames captured"
    ((bad == 0)) || fail "tshark finds $bad malformed IKE frames: $(tshark -n -r "$LAB_RUN/cap/$id.raw" -Y '_ws.malformed || _ws.expert.severity >= error' | head -3)"
    lab_log "tshark: $frames IKE frames, none malformed"
}

# --- scenarios -----------------------------------------------------------------------

scenario_dir() { echo "$HERE/scenarios/$1"; }

# handshake KIND WHO: bring up, compare, delete from the initiator's side.
handshake() {
    local kind=$1 who=$2 pki=none cside
    case $kind in ecdsa | certreq-off) pki=ecdsa ;; rsa | rsa-pss | eap-mschapv2 | eap-tls | eap-only) pki=rsa ;; ecdsa-sha384) pki=ecdsa384 ;; esac
    [[ $pki == none ]] || lab_pki "$LAB_RUN/pki"
    lab_net_up v4
    # Cygnet sits on the initiating side when it initiates, else on the responding side.
    cside=$([[ $who == cygnet ]] && echo left || echo right)
    suite_setup "$(scenario_dir "$kind")" "$pki" "$cside"
    lab_cap_start run "$cside" "veth-${cside:0:1}"
    initiate "$who"
    wait_agree 1
    check_dissection run
    case $kind in rsa-pss | ecdsa-sha384 | certreq-off | eap-mschapv2 | eap-tls | eap-only) ping_both 3 ;; esac
    case $kind in
    eap-mschapv2)
        grep -q "EAP method EAP_MSCHAPV2 succeeded, MSK established" "$(lab_dir "$SW_SIDE")/charon.log" ||
            fail "charon did not run EAP-MSCHAPv2 to an MSK: $(grep -m3 "EAP" "$(lab_dir "$SW_SIDE")/charon.log")"
        ;;
    eap-tls | eap-only)
        grep -q "EAP method EAP_TLS succeeded, MSK established" "$(lab_dir "$SW_SIDE")/charon.log" ||
            fail "charon did not run EAP-TLS to an MSK: $(grep -m3 "EAP\|TLS" "$(lab_dir "$SW_SIDE")/charon.log")"
        [[ $kind == eap-tls ]] || check_eap_only
        ;;
    rsa-pss) check_auth_schemes RSA_EMSA_PSS_SHA2_256_SALT_32 '06092a864886f70d01010a' '0609608648016503040201' ;;
    ecdsa-sha384) check_auth_schemes ECDSA_WITH_SHA384_DER '06082a8648ce3d040303' ;;
    certreq-off) check_no_certificate_request ;;
    esac
}

# The capture of the run with IKE decrypted by charon's key log: tshark ARGS...
decrypted() { python3 "$REPO/Interop/lab/keylog-uat.py" "$(lab_dir "$SW_SIDE")/charon-keys.log" "$LAB_RUN/cap/run.raw" --run "$@"; }

# check_auth_schemes CHARON_NAME DER...: both AUTH payloads are RFC 7427 method 14 whose
# AlgorithmIdentifier holds each DER (hex: the OIDs), and charon verified Cygnet's AUTH
# and signed its own with CHARON_NAME (the scheme Cygnet's remote auth had to accept).
check_auth_schemes() {
    local name=$1 ids=(left.lab.test right.lab.test) cid sid rows n=0 method data der log
    shift
    cid=${ids[$([[ $CYG_SIDE == left ]] && echo 0 || echo 1)]}
    sid=${ids[$([[ $CYG_SIDE == left ]] && echo 1 || echo 0)]}
    log=$(lab_dir "$SW_SIDE")/charon.log
    grep -q "authentication of '$cid' with $name successful" "$log" ||
        fail "charon did not verify Cygnet's AUTH as $name: $(grep -m2 "authentication of" "$log")"
    grep -q "authentication of '$sid' (myself) with $name successful" "$log" ||
        fail "charon did not sign with $name: $(grep -m2 "authentication of" "$log")"
    rows=$(decrypted -Y 'isakmp.auth.method' -T fields -e isakmp.auth.method -e isakmp.auth.data.sig.asn1.data) ||
        fail "tshark could not decrypt the capture"
    while IFS=$'\t' read -r method data; do
        [[ -n $method ]] || continue
        [[ $method == 14 ]] || fail "AUTH method $method, want 14 (RFC 7427 Digital Signature)"
        for der in "$@"; do
            [[ ${data//:/} == *"$der"* ]] || fail "AUTH AlgorithmIdentifier ${data//:/} lacks $der"
        done
        n=$((n + 1))
    done <<<"$rows"
    ((n == 2)) || fail "want 2 decrypted AUTH payloads, found $n"
    lab_log "AUTH: both method 14 with $name ($*), verified by both sides"
}

# check_eap_only: RFC 5998 on the wire (decrypted): EAP_ONLY_AUTHENTICATION (16417) in the
# first IKE_AUTH request, no CERT anywhere, and only the two AUTH payloads computed from
# the MSK (method 2, shared key); charon as road warrior allowed mutual EAP-only.
check_eap_only() {
    local notifies certificates methods
    notifies=$(decrypted -Y 'isakmp.notify.msgtype == 16417' | wc -l) || fail "tshark could not decrypt the capture"
    certificates=$(decrypted -Y 'isakmp.typepayload == 37' | wc -l)
    methods=$(decrypted -Y 'isakmp.auth.method' -T fields -e isakmp.auth.method | tr '\n' ' ')
    ((notifies == 1)) || fail "want one EAP_ONLY_AUTHENTICATION notify, found $notifies"
    ((certificates == 0)) || fail "$certificates messages carry a CERT payload in EAP-only authentication"
    [[ $methods == "2 2 " ]] || fail "want the two AUTH payloads from the MSK (method 2), found methods: $methods"
    if [[ $SW_SIDE == left ]]; then
        grep -q "allow mutual EAP-only authentication" "$(lab_dir left)/charon.log" ||
            fail "charon did not take up EAP-only authentication: $(grep -m3 "EAP" "$(lab_dir left)/charon.log")"
    fi
    lab_log "EAP-only: EAP_ONLY_AUTHENTICATION sent, no CERT, AUTH only from the MSK"
}

# check_no_certificate_request: no CERTREQ payload (38) in any message, decrypted; both
# sides' certificates (CERT, 37) went across anyway.
check_no_certificate_request() {
    local requests certificates
    requests=$(decrypted -Y 'isakmp.typepayload == 38' | wc -l) || fail "tshark could not decrypt the capture"
    certificates=$(decrypted -Y 'isakmp.typepayload == 37' -T fields -e isakmp.cert.encoding | tr ',\t' '\n\n' | grep -c . || true)
    ((requests == 0)) || fail "$requests messages carry a CERTREQ although send_certreq = no"
    ((certificates >= 4)) || fail "want the 2 + 2 certificates of both chains, found $certificates CERT payloads"
    grep -q "received cert request" "$(lab_dir "$SW_SIDE")/charon.log" && fail "charon received a CERTREQ"
    lab_log "no CERTREQ on the wire; $certificates CERT payloads"
}

rekey() { # who has the short lifetimes
    lab_net_up v4
    suite_setup "$(scenario_dir "rekey-$1")" none left
    initiate cygnet
    wait_agree 1
    local before after i
    before=$(cygnet_spis)
    # The short side rekeys its Child SA after ~6 s and its IKE SA after ~10 s.
    for ((i = 0; i < 150; i++)); do
        sleep 0.2
        after=$(cygnet_spis 2>/dev/null || true)
        read -r -a b <<<"$before"
        read -r -a a <<<"$after"
        if ((${#a[@]} >= 3)) && [[ ${a[0]} != "${b[0]}" && ${a[2]} != "${b[2]}" ]]; then
            lab_log "rekeyed: $before -> $after"
            # Both sides agree again between rekeys.
            wait_agree 1
            return 0
        fi
    done
    fail "no IKE and Child SA rekey seen in 30 s (before: $before, now: $after)"
}

dpd() { # who detects the dead peer
    lab_net_up v4
    suite_setup "$(scenario_dir "dpd-$1")" none left
    initiate cygnet
    wait_agree 1
    local i
    case $1 in
    cygnet)
        # SIGKILL: a TERM would make charon delete its SAs politely.
        lab_kill_pid "$(cat "$(lab_dir "$SW_SIDE")/charon.pid")" /usr/lib/ipsec/charon KILL
        for ((i = 0; i < 150; i++)); do
            [[ $(cygnet status --json | python3 -c '
import json, sys
sys.path.insert(0, sys.argv[1])
from compare_status import ike_sas
print(len(ike_sas(json.load(sys.stdin))))' "$HERE") == 0 ]] && break
            sleep 0.2
        done
        ((i < 150)) || fail "cygnetd kept the IKE SA of a dead peer"
        grep -q "peer_unreachable" "$(lab_dir "$CYG_SIDE")/cygnetd.log" || fail "no peer_unreachable in cygnetd's log"
        ;;
    strongswan)
        lab_kill_pid "$(cat "$(lab_dir "$CYG_SIDE")/cygnetd.pid")" cygnetd KILL
        for ((i = 0; i < 150; i++)); do
            [[ $(lab_sw "$SW_SIDE" --list-sas --raw 2>/dev/null | python3 "$HERE/swanctl_raw.py" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') == 0 ]] && break
            sleep 0.2
        done
        ((i < 150)) || fail "strongSwan kept the IKE SA of a dead cygnetd"
        ;;
    esac
}

delete() { # who deletes
    lab_net_up v4
    suite_setup "$(scenario_dir psk-gcm)" none left
    initiate cygnet
    wait_agree 1
    case $1 in
    cygnet) cygnet down lab >/dev/null || fail "cygnet down lab" ;;
    strongswan) lab_sw "$SW_SIDE" --terminate --ike lab --timeout 10 >/dev/null || fail "swanctl --terminate" ;;
    esac
    wait_gone
}

# SIGHUP reloads the file and keeps the SAs; SIGTERM deletes them politely and exits 0.
signals() {
    lab_net_up v4
    suite_setup "$(scenario_dir psk-gcm)" none left
    initiate cygnet
    wait_agree 1
    local pid i log
    pid=$(cat "$(lab_dir "$CYG_SIDE")/cygnetd.pid")
    log=$(lab_dir "$CYG_SIDE")/cygnetd.log
    kill -HUP "$pid"
    for ((i = 0; i < 50; i++)); do grep -q "configuration reloaded" "$log" && break; sleep 0.1; done
    grep -q "configuration reloaded" "$log" || fail "no reload after SIGHUP"
    wait_agree 1
    kill -TERM "$pid"
    # Running: its state is readable and not Z. bash may reap it at any moment, between a
    # look at /proc/PID and the read of its stat, so both are one read here.
    running() { local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ -n $state && $state != Z ]]; }
    for ((i = 0; i < 50; i++)); do running "$pid" || break; sleep 0.1; done
    running "$pid" && fail "cygnetd still running 5 s after SIGTERM"
    wait "$pid" && status=0 || status=$?
    ((status == 0)) || fail "cygnetd exited $status after SIGTERM"
    # Its Delete reached strongSwan: no SA left there, long before any DPD.
    [[ $(lab_sw "$SW_SIDE" --list-sas --raw 2>/dev/null | python3 "$HERE/swanctl_raw.py" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') == 0 ]] ||
        fail "strongSwan still has the IKE SA after cygnetd stopped"
}

# --- traffic through the tunnel ------------------------------------------------------

# Where a scenario puts cygnetd: cygnet, or strongswan for the harness self-test.
CYGNET_KIND=${INTEROP_CYGNET:-cygnet}
is_standin() { [[ $CYGNET_KIND != cygnet ]]; }

# traffic_setup SCENARIO_DIR CYGNET_SIDE [OTHER_KIND] [PKI]: cygnetd (key log on) on
# CYGNET_SIDE, charon (or a second cygnetd) on the other side; charon logs quietly (net = 1).
traffic_setup() {
    local sdir=$1 cside=$2 okind=${3:-strongswan} pki=${4:-none}
    CYG_SIDE=$cside
    SW_SIDE=$(other_side "$cside")
    PEER_KEYLOG=1
    PEER_CHARON_EXTRA=$PEER_QUIET_NET
    peer_start "$SW_SIDE" "$([[ $okind == cygnet ]] && echo "$CYGNET_KIND" || echo strongswan)" "$sdir" "$pki"
    peer_start "$CYG_SIDE" "$CYGNET_KIND" "$sdir" "$pki"
}

# Wait until both sides show the tunnel; with strongSwan on one side also compare them.
wait_tunnel() {
    if [[ ${PEER_KIND[$SW_SIDE]} == strongswan ]]; then
        wait_agree 1
    else
        peer_wait_up "$CYG_SIDE" && peer_wait_up "$SW_SIDE" || fail "tunnel not up on both sides in 20 s"
        lab_log "both sides up: $(sa_spis "$CYG_SIDE")"
    fi
}

# The current SPIs (IKE and Child) of SIDE, one line.
sa_spis() {
    peer_sas "$1" | python3 -c '
import json, sys
for sa in json.load(sys.stdin):
    print(sa.get("initiator-spi"), sa.get("responder-spi"), *sorted(str(c.get("spi-in")) for c in sa.get("child-sas", [])))'
}

# cap_start ID SIDE IFACE: ESP (raw or in UDP) and IKE on IFACE of SIDE's namespace
cap_start() { CAP_FILTER='udp port 500 or udp port 4500 or ip proto 50' lab_cap_start "$@"; }
cap_stop() { # TERM, as check_dissection explains
    local pid
    sleep 0.5
    pid=$(cat "$LAB_RUN/cap/$1.pid")
    lab_kill_pid "$pid" tshark TERM
    rm -f "$LAB_RUN/cap/$1.pid"
}

ping_both() { # COUNT
    local out
    out=$(traffic_ping left "$1") || fail "$out"
    lab_log "$out"
    out=$(traffic_ping right "$1") || fail "$out"
    lab_log "$out"
}

# decrypt_check ID: tshark decrypts capture ID with the Cygnet side's ESP keys and must
# find the echo requests and replies of ping_both inside.
decrypt_check() {
    local id=$1 uat=$LAB_RUN/esp-sa.uat out rc
    peer_esp_uat "$CYG_SIDE" >"$uat"
    [[ -s $uat ]] || fail "no ESP keys in $(lab_dir "$CYG_SIDE")/esp-keys.log (cygnet { key_log })"
    out=$(python3 "$HERE/esp_decrypt_check.py" "$LAB_RUN/cap/$id.raw" "$uat" --min 5 \
        --inner "$(lab_inner left)" "$(lab_inner right)") && rc=0 || rc=$?
    case $rc in
    0) lab_log "$out" ;;
    4) lab_log "decryption check skipped: $out" ;;
    *) echo "--- esp_sa lines"; cat "$uat"; fail "$out" ;;
    esac
}

# iperf_both SECS: iperf3 TCP left->right, then right->left (-R); each must move data
# without a stalled interval.
iperf_both() {
    local secs=$1 dir out rc sum mbps retr bytes zero
    iperf_server right
    for dir in fwd rev; do
        out=$LAB_RUN/iperf-$dir.json
        if [[ $dir == fwd ]]; then iperf_run left "$secs" "$out" && rc=0 || rc=$?; else iperf_run left "$secs" "$out" -R && rc=0 || rc=$?; fi
        read -r mbps retr bytes zero <<<"$(iperf_summary "$out")"
        ((rc == 0)) || fail "iperf3 $dir exited $rc: $(head -c 400 "$out.err") $(grep -m1 '"error"' "$out")"
        ((bytes > 100000 && zero == 0)) || fail "iperf3 $dir: $bytes bytes, $zero intervals without data"
        lab_log "iperf3 $([[ $dir == fwd ]] && echo 'left->right' || echo 'right->left'): $mbps Mbit/s, $bytes bytes, $retr retransmits"
    done
}

# counters_check SIDE MIN_PACKETS: SIDE's Child SA counters carried traffic both ways,
# few drops.
counters_check() {
    local side=$1 min=$2 out
    peer_sas "$side" >"$LAB_RUN/sas-$side.json" || fail "no status from $side"
    out=$(python3 "$HERE/check_counters.py" "$LAB_RUN/sas-$side.json" --min-packets "$min" \
        --label "$side (${PEER_KIND[$side]}) ") || { cat "$LAB_RUN/sas-$side.json"; fail "$out"; }
    lab_log "$out"
}

# esp_on_wire ID: "<ESP in UDP/4500> <raw ESP>" frame counts of capture ID
esp_on_wire() {
    echo "$(tshark -n -r "$LAB_RUN/cap/$1.raw" -Y 'esp && udp' 2>/dev/null | wc -l) $(tshark -n -r "$LAB_RUN/cap/$1.raw" -Y 'esp && !udp' 2>/dev/null | wc -l)"
}

traffic() { # KIND WHO: Cygnet against strongSwan, WHO initiates
    local kind=$1 who=$2 cside udp raw
    lab_net_up v4
    cside=$([[ $who == cygnet ]] && echo left || echo right)
    traffic_setup "$(scenario_dir "$kind")" "$cside"
    cap_start run "$cside" "veth-${cside:0:1}"
    peer_initiate "$([[ $who == cygnet ]] && echo "$CYG_SIDE" || echo "$SW_SIDE")" || fail "initiate ($who)"
    wait_tunnel
    ping_both 5
    cap_stop run
    read -r udp raw <<<"$(esp_on_wire run)"
    lab_log "ESP on the wire: $udp in UDP/4500, $raw raw"
    # strongSwan's libipsec always encapsulates (it fakes NAT detection)
    ((udp >= 20 && raw == 0)) || fail "want >= 20 ESP packets, all in UDP/4500 (kernel-libipsec); got $udp in UDP, $raw raw"
    decrypt_check run
    iperf_both 3
    counters_check "$CYG_SIDE" 1000
    counters_check "$SW_SIDE" 1000
}

encap() { # Cygnet (left, encap = yes) initiates against strongSwan
    traffic encap cygnet
    is_standin && return 0
    # strongSwan believes Cygnet's faked NAT_DETECTION_SOURCE_IP
    grep -q "remote host is behind NAT" "$(peer_log "$SW_SIDE")" ||
        fail "strongSwan did not see the faked NAT (no 'remote host is behind NAT' in its log)"
}

pair() { # raw | encap: Cygnet on both sides, no NAT
    local mode=$1 udp raw
    lab_net_up v4
    traffic_setup "$(scenario_dir "$([[ $mode == raw ]] && echo traffic-gcm || echo encap)")" left cygnet
    cap_start run left veth-l
    peer_initiate left || fail "initiate"
    wait_tunnel
    ping_both 5
    cap_stop run
    read -r udp raw <<<"$(esp_on_wire run)"
    lab_log "ESP on the wire: $udp in UDP/4500, $raw raw"
    if ! is_standin; then
        case $mode in
        raw) ((raw >= 20 && udp == 0)) || fail "want raw ESP only (IP protocol 50) without NAT; got $udp in UDP, $raw raw" ;;
        encap) ((udp >= 20 && raw == 0)) || fail "want ESP in UDP/4500 only with encap = yes; got $udp in UDP, $raw raw" ;;
        esac
    fi
    decrypt_check run
    # the right side's key log decrypts the same packets
    CYG_SIDE=right decrypt_check run
    iperf_both 3
    counters_check left 1000
    counters_check right 1000
}

nat() { # Cygnet behind the NAT (left) initiates; keepalives leave the NAT every 2 s
    local udp raw idle_from times total idle gaps
    lab_net_up nat || { cat "$LAB_RUN/nat-setup.log"; fail "no NAT in cyg-m (see above)"; }
    lab_log "NAT in cyg-m: $LAB_NAT masquerade (192.0.2.1 -> 203.0.113.254)"
    traffic_setup "$(scenario_dir nat)" left
    # outside the NAT, what strongSwan sees: the handshake and the pings
    cap_start out mid veth-mr
    peer_initiate left || fail "initiate"
    wait_agree 1
    ping_both 5
    cap_stop out
    read -r udp raw <<<"$(esp_on_wire out)"
    lab_log "ESP leaving the NAT: $udp in UDP/4500, $raw raw"
    ((udp >= 20 && raw == 0)) || fail "want >= 20 ESP packets in UDP/4500 behind a NAT, got $udp in UDP, $raw raw"
    iperf_both 3
    counters_check left 1000
    counters_check right 1000
    # idle for 5.5 s: NAT keepalives (1 byte 0xFF to port 4500, RFC 3948 §2.3) from behind it
    cap_start idle mid veth-mr
    idle_from=$(date +%s.%N)
    sleep 5.5
    cap_stop idle
    times=$(tshark -n -r "$LAB_RUN/cap/idle.raw" \
        -Y 'ip.src == 203.0.113.254 && udp.dstport == 4500 && udp.length == 9 && udp.payload[0] == 0xff' \
        -T fields -e frame.time_epoch 2>/dev/null) || fail "tshark could not read the idle capture"
    read -r total idle gaps <<<"$(python3 -c '
import sys
idle_from = float(sys.argv[1])
t = [float(x) for x in sys.argv[2].split()]
gaps = [round(b - a, 1) for a, b in zip(t, t[1:])]
print(len(t), len([x for x in t if x >= idle_from]), " ".join(map(str, gaps)) or "-")' "$idle_from" "$times")"
    lab_log "NAT keepalives from 203.0.113.254 in 5.5 s idle: $idle; gaps (s): $gaps"
    ((idle >= 2)) || fail "want >= 2 NAT keepalives (keep_alive = 2s) in 5.5 s of idle tunnel, saw $idle"
    python3 -c '
import sys
gaps = [float(g) for g in sys.argv[1].split() if g != "-"]
sys.exit(0 if all(1.0 <= g <= 3.5 for g in gaps) else 1)' "$gaps" || fail "NAT keepalive gaps not ~2 s: $gaps"
}

# sample_spis PID LIMIT: once a second while PID runs (LIMIT times at most), the IKE
# SPIs and inbound Child SA SPIs Cygnet shows, gathered in SEEN_IKE and SEEN_CHILD.
sample_spis() {
    local pid=$1 limit=$2 i spis a s
    SEEN_IKE=()
    SEEN_CHILD=()
    for ((i = 0; i < limit; i++)); do
        [[ -d /proc/$pid ]] || break
        spis=$(sa_spis "$CYG_SIDE" 2>/dev/null | head -n1 || true)
        if [[ -n $spis ]]; then
            read -r -a a <<<"$spis"
            [[ " ${SEEN_IKE[*]} " == *" ${a[0]} "* ]] || SEEN_IKE+=("${a[0]}")
            for s in "${a[@]:2}"; do [[ " ${SEEN_CHILD[*]} " == *" $s "* ]] || SEEN_CHILD+=("$s"); done
        fi
        sleep 1
    done
}

# udp_drops SIDE: the kernel's UDP receive/send buffer error counters in SIDE's namespace
udp_drops() {
    ip netns exec "$(ns_of "$1")" awk '/^Udp:/ { if (!h) { split($0, n); h = 1 } else { split($0, v); for (i in n) c[n[i]] = v[i] } }
        END { printf "RcvbufErrors=%s SndbufErrors=%s", c["RcvbufErrors"], c["SndbufErrors"] }' /proc/net/snmp
}

rekey_load() { # who rekeys: Cygnet (left) initiates, that side has short lifetimes
    local who=$1 pid rc mbps retr bytes zero
    lab_net_up v4
    traffic_setup "$(scenario_dir "rekey-load-$who")" left
    peer_initiate left || fail "initiate"
    wait_agree 1
    iperf_server right
    iperf_run left 26 "$LAB_RUN/iperf-bidir.json" --bidir -i 1 &
    pid=$!
    # sample the SPIs while it runs (bounded: 26 s + iperf_run's own timeout)
    sample_spis "$pid" 60
    wait "$pid" && rc=0 || rc=$?
    read -r mbps retr bytes zero <<<"$(iperf_summary "$LAB_RUN/iperf-bidir.json")"
    lab_log "iperf3 --bidir 26 s: exit $rc, $mbps Mbit/s (both ways), $bytes bytes, $retr retransmits, $zero intervals without data"
    lab_log "seen by Cygnet: ${#SEEN_IKE[@]} IKE SAs (${SEEN_IKE[*]}), ${#SEEN_CHILD[@]} inbound Child SA SPIs (${SEEN_CHILD[*]})"
    # where datagrams (ESP, and IKE with them) were lost under the load
    lab_log "UDP buffer drops: left $(udp_drops left), right $(udp_drops right)"
    ((rc == 0)) || fail "iperf3 exited $rc under rekeying: $(head -c 400 "$LAB_RUN/iperf-bidir.json.err") $(grep -m1 '"error"' "$LAB_RUN/iperf-bidir.json")"
    ((zero == 0 && bytes > 1000000)) || fail "TCP stalled under rekeying: $zero intervals without data, $bytes bytes"
    ((${#SEEN_IKE[@]} >= 2)) || fail "the IKE SA was not rekeyed during the transfer"
    ((${#SEEN_CHILD[@]} >= 3)) || fail "want >= 2 Child SA rekeys during the transfer, saw SPIs ${SEEN_CHILD[*]}"
    wait_agree 1
    # drops only: the Child SA may have been rekeyed a moment ago and carry nothing yet
    counters_check "$CYG_SIDE" 0
}

# Child SAs of SIDE that carry traffic, one line each: "SPI-IN DH-GROUP" ("-": none).
child_groups() {
    peer_sas "$1" | python3 -c '
import json, sys
for sa in json.load(sys.stdin):
    for c in sa.get("child-sas", []):
        if str(c.get("state", "INSTALLED")).upper() == "INSTALLED":
            print(c.get("spi-in"), c.get("dh-group") or "-")'
}

pfs() { # GROUP WHO: PFS in esp_proposals; WHO initiates from the left, which rekeys
    local group=$1 who=$2 name pid rc received side groups
    case $group in x25519) name=CURVE_25519 ;; ecp384) name=ECP_384 ;; modp3072) name=MODP_3072 ;; esac
    lab_net_up v4
    traffic_setup "$(scenario_dir "pfs-$group")" "$([[ $who == cygnet ]] && echo left || echo right)"
    peer_initiate left || fail "initiate ($who)"
    wait_agree 1
    # The first Child SA comes from IKE_AUTH: no key exchange of its own, traffic at once.
    for side in left right; do
        groups=$(child_groups "$side")
        [[ $(awk '{print $2}' <<<"$groups" | sort -u) == - ]] || fail "the IKE_AUTH Child SA of $side shows a group: $groups"
    done
    ping_both 5
    # 120 pings over 24 s while the left side rekeys the Child SA (7 s) and the IKE SA (10 s)
    ip netns exec "$(ns_of left)" ping -n -c 120 -i 0.2 -W 2 -I "$(lab_inner left)" "$(lab_inner right)" \
        >"$LAB_RUN/ping-rekeys.log" 2>&1 &
    pid=$!
    sample_spis "$pid" 40
    wait "$pid" && rc=0 || rc=$?
    received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$LAB_RUN/ping-rekeys.log")
    lab_log "ping while rekeying: ${received:-0}/120 replies; seen by Cygnet: ${#SEEN_IKE[@]} IKE SAs, ${#SEEN_CHILD[@]} inbound Child SA SPIs"
    ((${#SEEN_IKE[@]} >= 2)) || fail "the IKE SA was not rekeyed while ping ran (${SEEN_IKE[*]})"
    ((${#SEEN_CHILD[@]} >= 3)) || fail "want >= 2 Child SA rekeys while ping ran, saw SPIs ${SEEN_CHILD[*]}"
    ((${received:-0} >= 115)) || fail "$((120 - ${received:-0})) of 120 pings lost while rekeying: $(tail -3 "$LAB_RUN/ping-rekeys.log")"
    # The rekeyed Child SA was made with a key exchange of GROUP, as both sides show.
    wait_agree 1
    for side in left right; do
        groups=$(child_groups "$side")
        [[ $(awk '{print $2}' <<<"$groups" | sort -u) == "$name" ]] || fail "the rekeyed Child SA of $side shows '$groups', want $name"
    done
    lab_log "rekeyed Child SA with $name on both sides: $(child_groups "$CYG_SIDE")"
    counters_check "$CYG_SIDE" 0
}

children() { # WHO: one connection with two children, WHO initiates (from the left)
    local who=$1 out n
    lab_net_up v4
    # net2's hosts, beside net's
    ip -n "$(ns_of left)" addr add 198.51.100.11/32 dev lo
    ip -n "$(ns_of right)" addr add 203.0.113.11/32 dev lo
    traffic_setup "$(scenario_dir children)" "$([[ $who == cygnet ]] && echo left || echo right)"
    case $who in
    cygnet) peer_initiate left || fail "cygnet up lab" ;;
    strongswan)
        # strongSwan brings each child with its own --child: the second on the same IKE SA
        # (CREATE_CHILD_SA), which Cygnet as responder must accept.
        for n in net net2; do
            lab_sw left --initiate --ike lab --child "$n" --timeout 20 >"$LAB_RUN/up-$n.log" 2>&1 ||
                { tail -20 "$LAB_RUN/up-$n.log"; fail "swanctl --initiate --child $n"; }
        done
        ;;
    esac
    wait_agree 2
    ping_both 5
    for n in left right; do
        out=$(ip netns exec "$(ns_of "$n")" ping -n -c 5 -i 0.2 -W 2 \
            -I "$([[ $n == left ]] && echo 198.51.100.11 || echo 203.0.113.11)" \
            "$([[ $n == left ]] && echo 203.0.113.11 || echo 198.51.100.11)" 2>&1) || true
        [[ $(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out") -ge 4 ]] || fail "net2 ping from $n: $out"
        lab_log "net2 ping from $n: $(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")/5 replies"
    done
    counters_check "$CYG_SIDE" 8
}

two_connections() { # WHO initiates, from the left: strongswan (alice, bob) or cygnet (bob, alice)
    local who=$1 user users out side
    lab_net_up v4
    # bob's inner addresses, beside alice's (lab_inner)
    ip -n "$(ns_of left)" addr add 198.51.100.2/32 dev lo
    ip -n "$(ns_of right)" addr add 203.0.113.2/32 dev lo
    traffic_setup "$(scenario_dir two-connections)" "$([[ $who == cygnet ]] && echo left || echo right)"
    [[ $who == cygnet ]] && users=(bob alice) || users=(alice bob)
    for user in "${users[@]}"; do
        case ${PEER_KIND[left]} in
        cygnet) peer_cygnet left up "$user" >"$LAB_RUN/up-$user.log" 2>&1 || { cat "$LAB_RUN/up-$user.log"; fail "cygnet up $user"; } ;;
        strongswan) lab_sw left --initiate --ike "$user" --child "$user-net" --timeout 20 >"$LAB_RUN/up-$user.log" 2>&1 ||
            { tail -20 "$LAB_RUN/up-$user.log"; fail "swanctl --initiate $user"; } ;;
        esac
    done
    # Each user in her own gateway connection, with its selectors (20 s at most), then the
    # pings through it (4 of 5 suffice, as in traffic_ping).
    local gateway=(staff:staff-net:203.0.113.1/32:198.51.100.1/32 bob:bob-net:203.0.113.2/32:198.51.100.2/32)
    local users_side=(alice:alice-net:198.51.100.1/32:203.0.113.1/32 bob:bob-net:198.51.100.2/32:203.0.113.2/32)
    check_sides() { # MIN_PACKETS
        peer_sas right >"$LAB_RUN/sas-right.json" 2>/dev/null &&
            python3 "$HERE/check_connections.py" "$LAB_RUN/sas-right.json" --min-packets "$1" \
                --label "gateway (${PEER_KIND[right]}) " "${gateway[@]}" &&
            peer_sas left >"$LAB_RUN/sas-left.json" 2>/dev/null &&
            python3 "$HERE/check_connections.py" "$LAB_RUN/sas-left.json" --min-packets "$1" \
                --label "users (${PEER_KIND[left]}) " "${users_side[@]}"
    }
    local i
    for ((i = 0; i < 100; i++)); do check_sides 0 >"$LAB_RUN/connections.txt" 2>&1 && break; sleep 0.2; done
    ((i < 100)) || { cat "$LAB_RUN/connections.txt"; fail "the users' tunnels are not in their own connections"; }
    for user in 1 2; do
        out=$(ip netns exec "$(ns_of left)" ping -n -c 5 -i 0.2 -W 2 -I 198.51.100.$user 203.0.113.$user 2>&1) || true
        lab_log "ping 198.51.100.$user -> 203.0.113.$user: $(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")/5 replies"
    done
    out=$(check_sides 4 2>&1) || fail "$out"
    while read -r line; do lab_log "$line"; done <<<"$out"
    for side in left right; do
        grep -q "AUTHENTICATION_FAILED\|authentication_failed" "$(peer_log "$side")" && fail "an authentication failed on the $side side"
    done
    return 0
}

ipv6_ts() { # who initiates; Cygnet is on the left
    local who=$1 route
    lab_net_up dual
    traffic_setup "$(scenario_dir ipv6-ts)" left
    cap_start run left veth-l
    peer_initiate "$([[ $who == cygnet ]] && echo left || echo right)" || fail "initiate ($who)"
    wait_tunnel
    if ! is_standin; then
        # The narrowed remote selector runs to the top of the IPv6 space: its routes end
        # with 8000::/1, and 2001:db8:b::1 goes through Cygnet's TUN device.
        route=$(ip -n "$(ns_of left)" -6 route show table 220 2>/dev/null)
        grep -q "^8000::/1 dev cygnet0" <<<"$route" || fail "no route 8000::/1 through cygnet0 in table 220: $(head -5 <<<"$route")"
        lab_log "Cygnet routes $(wc -l <<<"$route") IPv6 prefixes through cygnet0"
    fi
    ping_both 5
    cap_stop run
    decrypt_check run
    iperf_both 3
    counters_check left 1000
    counters_check right 1000
}

# ping_from_vip VIP: 5 pings from the road warrior's (left) virtual IP VIP to the gateway's
# inner address; at least 4 replies.
ping_from_vip() {
    local vip=$1 out received
    out=$(ip netns exec "$(ns_of left)" ping -n -c 5 -i 0.2 -W 2 -I "$vip" "$(lab_inner right)" 2>&1) || true
    received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
    lab_log "ping $vip (virtual IP) -> $(lab_inner right): ${received:-0}/5 replies"
    ((${received:-0} >= 4)) || fail "ping from the virtual IP: $out"
}

# vip CLIENT: the road warrior on the left (vips = 0.0.0.0) gets a virtual IP from the
# gateway's pool on the right (10.3.0.0/24, dns 10.3.0.53) and pings the gateway's
# inner address from it; CLIENT is cygnet or strongswan, the gateway the other.
vip() {
    local client=$1 gateway_log resolv
    lab_net_up v4
    # The Cygnet road warrior writes the DNS servers it gets to a resolv.conf of the lab's.
    resolv=$(lab_dir left)/resolv.conf
    [[ $client == cygnet ]] && PEER_CYGNET_EXTRA="resolv_conf = $resolv"
    traffic_setup "$(scenario_dir vip)" "$([[ $client == cygnet ]] && echo left || echo right)"
    peer_initiate left || fail "initiate (left, $client)"
    wait_tunnel
    ping_from_vip 10.3.0.1
    is_standin && return 0
    case $client in
    cygnet)
        grep -q "got virtual IP 10.3.0.1/32, DNS servers 10.3.0.53" "$(peer_log left)" ||
            fail "cygnetd did not log its virtual IP and DNS server"
        grep -qx "nameserver 10.3.0.53 # by cygnet" "$resolv" || fail "resolv_conf $resolv lacks the DNS server: $(cat "$resolv" 2>&1)"
        lab_log "resolv_conf: $(tr '\n' ';' <"$resolv")"
        ;;
    strongswan)
        gateway_log=$(peer_log right)
        grep -q "assigned virtual IP 10.3.0.1/32 (pool 'rw')" "$gateway_log" || fail "cygnetd did not log the lease"
        ;;
    esac
    counters_check "$CYG_SIDE" 4
}

# freeradius_start SIDE SCENARIO_DIR: FreeRADIUS (`freeradius -X`) in SIDE's namespace with
# the scenario's radiusd.conf and users, until it is ready.
freeradius_start() {
    local side=$1 sdir=$2 dir pid i
    dir=$LAB_RUN/freeradius
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$sdir/radiusd.conf" "$sdir/users" "$dir/"
    ip netns exec "$(ns_of "$side")" freeradius -X -d "$dir" >"$dir/freeradius.log" 2>&1 &
    pid=$!
    lab_track freeradius "$pid"
    for ((i = 0; i < 100; i++)); do
        grep -qs "Ready to process requests" "$dir/freeradius.log" && return 0
        [[ -d /proc/$pid ]] || break
        sleep 0.1
    done
    tail -30 "$dir/freeradius.log" >&2
    fail "FreeRADIUS did not come up"
}

# eap_vip KIND CLIENT: EAP and a virtual IP (eap-vip, eap-radius; see the header). The
# road warrior (left) shows its virtual IP (and DNS from pool rw), the gateway (right)
# the EAP identity alice, and ping and iperf3 run from the virtual IP through the tunnel.
eap_vip() {
    local kind=$1 client=$2 vip=10.3.0.1 dns=10.3.0.53 user=alice out
    if [[ $kind == eap-radius ]]; then
        is_standin && fail "eap-radius needs Cygnet as the gateway (no stand-in)"
        vip=10.9.0.7 dns=
    fi
    # EAP-TLS: alice's EAP identity is her IKE identity, the name in her certificate
    [[ $kind == eap-tls-vip ]] && user=alice@lab.test
    lab_pki "$LAB_RUN/pki"
    lab_net_up v4
    [[ $kind == eap-radius ]] && freeradius_start right "$(scenario_dir eap-radius)"
    traffic_setup "$(scenario_dir "$kind")" "$([[ $client == cygnet ]] && echo left || echo right)" strongswan rsa
    peer_initiate left || fail "initiate (left, $client)"
    wait_tunnel
    out=$(peer_sas left | python3 -c 'import json, sys; print(*json.load(sys.stdin)[0].get("local-vips", []))')
    [[ $out == "$vip" ]] || fail "the road warrior's virtual IPs are '$out', not $vip"
    # charon lists remote-eap-id only where it differs from the IKE identity (EAP-TLS)
    out=$(peer_sas right | python3 -c 'import json, sys; sa = json.load(sys.stdin)[0]; print(sa.get("remote-eap-id") or sa.get("remote-id", ""))')
    [[ $out == "$user" ]] || fail "the gateway shows EAP identity '$out', not $user"
    out=$([[ $kind == eap-tls-vip ]] && echo EAP_TLS || echo EAP_MSCHAPV2)
    grep -q "EAP method $out succeeded, MSK established" "$(lab_dir "$SW_SIDE")/charon.log" ||
        fail "charon did not run $out to an MSK"
    lab_log "road warrior ($client) got $vip; the gateway shows EAP identity $user"
    if [[ -n $dns ]] && ! is_standin; then
        case $client in
        cygnet)
            grep -q "got virtual IP $vip/32, DNS servers $dns" "$(peer_log left)" || fail "cygnetd did not log its DNS server $dns"
            out=$(peer_sas left | python3 -c 'import json, sys; print(*json.load(sys.stdin)[0].get("local-dns", []))')
            [[ $out == "$dns" ]] || fail "cygnet status shows DNS servers '$out', not $dns"
            ;;
        strongswan) # charon names the attribute it got; cygnetd the server it sent
            grep -q "processing INTERNAL_IP4_DNS attribute" "$(peer_log left)" || fail "charon received no DNS server"
            grep -q "assigned virtual IP $vip/32 (pool 'rw'), DNS servers $dns" "$(peer_log right)" ||
                fail "cygnetd did not send DNS server $dns with $vip"
            ;;
        esac
        lab_log "road warrior ($client) got DNS server $dns"
    fi
    ping_from_vip "$vip"
    IPERF_FROM=$vip iperf_both 3
    counters_check "$CYG_SIDE" 1000
}

# client_profile CLIENT: charon on the left in the habits of a built-in client (windows,
# apple, android; scenarios/CLIENT) against the Cygnet gateway on the right, whose
# configuration is the one Docs/clients/CLIENT.md gives. The client authenticates with
# EAP-MSCHAPv2 against the gateway's certificate (the lab's RSA chain: SAN right.lab.test,
# serverAuth), asks for DNS servers (charon's resolve plugin, writing to a file of the
# run), gets 10.3.0.1 and DNS 10.3.0.53 (android also 2001:db8:c::1 and 2001:db8:c::53),
# and pings and runs iperf3 from its virtual IP through the tunnel (android also ping6).
client_profile() {
    local client=$1 sdir request reply charon_log resolv want group ids i side
    sdir=$(scenario_dir "$client")
    lab_net_up v4
    if [[ $client == android ]]; then
        # the gateway's protected IPv6 host, beside its IPv4 one; IPv6 inside only
        lab_ns_v6_on "$(ns_of left)"
        lab_ns_v6_on "$(ns_of right)"
        ip netns exec "$(ns_of left)" sysctl -q -w net.ipv6.conf.veth-l.disable_ipv6=1
        ip netns exec "$(ns_of right)" sysctl -q -w net.ipv6.conf.veth-r.disable_ipv6=1
        ip -n "$(ns_of right)" addr add 2001:db8:b::1/128 dev lo nodad
    fi
    lab_pki "$LAB_RUN/pki"
    CYG_SIDE=right
    SW_SIDE=left
    PEER_KEYLOG=1
    resolv=$(lab_dir left)/resolv.conf
    PEER_CHARON_EXTRA="$PEER_QUIET_NET
plugins { resolve { load = yes
    file = $resolv } }"
    peer_start left strongswan "$sdir" rsa
    peer_start right "$CYGNET_KIND" "$sdir" rsa
    cap_start run right veth-r
    peer_initiate left || fail "initiate (left, $client)"
    wait_tunnel
    cap_stop run
    # The ID types of IKE_AUTH on the wire (RFC 7296 §3.5; 1 IPv4, 2 FQDN, 3 RFC822),
    # decrypted with charon's key log: the client's IDi (and IDr), then the gateway's IDr.
    case $client in windows) want='1 2' ;; apple) want='2,2 2' ;; android) want='3,2 2' ;; esac
    ids=$(decrypted -Y isakmp.id.type -T fields -e isakmp.id.type | xargs) || fail "tshark could not decrypt the capture"
    [[ $ids == "$want" ]] || fail "ID types of IKE_AUTH: '$ids', want '$want'"
    lab_log "ID types of IKE_AUTH (1 IPv4, 2 FQDN, 3 RFC822): request $(cut -d' ' -f1 <<<"$ids"), response $(cut -d' ' -f2 <<<"$ids")"
    # The gateway chose the group the client offers by default.
    case $client in windows) want=MODP_1024 ;; apple) want=MODP_2048 ;; android) want=CURVE_25519 ;; esac
    group=$(peer_sas right | python3 -c 'import json, sys; print(json.load(sys.stdin)[0].get("dh-group"))')
    [[ $group == "$want" ]] || fail "the IKE SA uses $group, want $want"
    # The left side's inner address is now its virtual IP.
    LAB_VIRTUAL_IP=10.3.0.1 ping_both 5
    LAB_VIRTUAL_IP=10.3.0.1 iperf_both 3
    is_standin || counters_check right 1000
    [[ $client == android ]] && LAB_VIRTUAL_IP=2001:db8:c::1 LAB_NET=dual ping_both 5
    if [[ $client == windows ]] && ! is_standin; then
        # Windows's rekey with modp1024, which the gateway's esp_proposals do not name:
        # ms_dh_downgrade takes it, and the new Child SA has the group on both sides.
        lab_sw left --rekey --child net >"$LAB_RUN/rekey.log" 2>&1 || { cat "$LAB_RUN/rekey.log"; fail "swanctl --rekey --child net"; }
        for ((i = 0; i < 50; i++)); do [[ $(child_groups right | awk '{print $2}') == MODP_1024 ]] && break; sleep 0.2; done
        wait_agree 1
        for side in left right; do
            [[ $(child_groups "$side" | awk '{print $2}' | sort -u) == MODP_1024 ]] || fail "the rekeyed Child SA of $side: $(child_groups "$side")"
        done
        lab_log "Child SA rekeyed with MODP_1024 on both sides: $(child_groups right)"
        LAB_VIRTUAL_IP=10.3.0.1 ping_both 5
        counters_check right 8
    fi
    charon_log=$(peer_log left)
    request=$(grep -m1 "generating IKE_AUTH request 1 \\[" "$charon_log") || fail "charon logged no IKE_AUTH request"
    reply=$(grep "parsed IKE_AUTH response .*CPRP(" "$charon_log" | tail -1) || fail "no CFG_REPLY in the IKE_AUTH responses"
    lab_log "client's first IKE_AUTH request: ${request#*generating }"
    lab_log "gateway's last IKE_AUTH response: ${reply#*parsed }"
    grep -q "EAP method EAP_MSCHAPV2 succeeded, MSK established" "$charon_log" ||
        fail "charon did not run EAP-MSCHAPv2 to an MSK"
    want=(10.3.0.1 10.3.0.53)
    [[ $client == android ]] && want+=(2001:db8:c::1 2001:db8:c::53)
    grep -q "installing new virtual IP ${want[0]}" "$charon_log" || fail "charon installed no virtual IP ${want[0]}"
    grep -q "nameserver ${want[1]}" "$resolv" 2>/dev/null || fail "charon got no DNS server ${want[1]}"
    if [[ $client == android ]]; then
        grep -q "installing new virtual IP ${want[2]}" "$charon_log" || fail "charon installed no virtual IP ${want[2]}"
        grep -q "nameserver ${want[3]}" "$resolv" || fail "charon got no DNS server ${want[3]}"
    fi
    lab_log "client's DNS servers: $(awk '/^nameserver/ {print $2}' "$resolv" | tr '\n' ' ')"
    is_standin && return 0
    grep -q "assigned virtual IP 10.3.0.1/32 (pool 'rw4')" "$(peer_log right)" || fail "cygnetd did not log the IPv4 lease"
    if [[ $client == android ]]; then
        grep -q "assigned virtual IP .*2001:db8:c::1/128 (pool 'rw6')" "$(peer_log right)" || fail "cygnetd did not log the IPv6 lease"
    fi
}

# --- mobility: MOBIKE (RFC 4555) and NAT rebinding (RFC 7296 §2.23) -------------------

# The key of an IKE SA's address-update count (IKESAStatus.addressUpdates) in
# `cygnet status --json`, absent while it is 0.
ADDRESS_UPDATES_KEY=address-updates

# sa_show SIDE: "INITIATOR-SPI RESPONDER-SPI LOCAL-HOST REMOTE-HOST REMOTE-PORT
# ADDRESS-UPDATES MOBIKE" of SIDE's one ESTABLISHED IKE SA (all "-" unless exactly one;
# MOBIKE: yes when `cygnet status --json` says it was negotiated, else no).
sa_show() {
    peer_sas "$1" 2>/dev/null | python3 -c '
import json, sys
sas = [sa for sa in json.load(sys.stdin) if str(sa.get("state", "")).upper() == "ESTABLISHED"]
if len(sas) != 1:
    sys.exit(1)
sa = sas[0]
print(*(sa.get(key, "-") for key in ("initiator-spi", "responder-spi", "local-host", "remote-host", "remote-port")),
      sa.get(sys.argv[1], 0), "yes" if sa.get("mobike") is True else "no")' "$ADDRESS_UPDATES_KEY" ||
        echo "- - - - - - -"
}

# move_address SIDE OLD NEW: SIDE's outer address moves on its veth (a /24 of the v4
# lab): NEW added beside OLD, a second later OLD deleted (promote_secondaries keeps NEW),
# the subnet's route from NEW. EVENT_AT: the moment OLD went (seconds since the epoch).
move_address() {
    local side=$1 old=$2 new=$3 ns dev
    ns=$(ns_of "$side")
    dev=veth-${side:0:1}
    ip netns exec "$ns" sysctl -q -w "net.ipv4.conf.$dev.promote_secondaries=1"
    ip -n "$ns" addr add "$new/24" dev "$dev"
    sleep 1
    ip -n "$ns" addr del "$old/24" dev "$dev"
    EVENT_AT=$(date +%s.%N)
    ip -n "$ns" route replace 192.0.2.0/24 dev "$dev" src "$new"
    lab_log "$side moved from $old to $new"
}

# nat_rebind: the masquerade in cyg-m maps UDP to ports 41000-41999 from now on and
# conntrack forgets every mapping, so the client's next datagram leaves the NAT from
# another port. EVENT_AT: the moment of the flush.
nat_rebind() {
    ip netns exec "$NS_M" nft -f - <<'NFT' || fail "nft: could not change the masquerade"
flush chain ip cygnat post
add rule ip cygnat post oifname "veth-mr" meta l4proto udp masquerade to :41000-41999
add rule ip cygnat post oifname "veth-mr" masquerade
NFT
    ip netns exec "$NS_M" conntrack -F 2>/dev/null || fail "conntrack -F in $NS_M"
    EVENT_AT=$(date +%s.%N)
    lab_log "NAT mappings flushed; UDP now leaves cyg-m from ports 41000-41999"
}

# ping_across FROM COUNT WITHIN EVENT...: COUNT pings 0.1 s apart from FROM's inner
# address to the other side's; 3 s in, the command EVENT... runs (it sets EVENT_AT).
# Logs the losses (ping_gap.py) and fails unless a request sent after the event got its
# reply within WITHIN seconds of it. PING_RESULT: the line logged.
ping_across() {
    local from=$1 count=$2 within=$3 pid log=$LAB_RUN/ping-across.log rc
    shift 3
    ip netns exec "$(ns_of "$from")" ping -D -n -i 0.1 -W 1 -c "$count" -I "$(lab_inner "$from")" \
        "$(lab_inner "$(other_side "$from")")" >"$log" 2>&1 &
    pid=$!
    lab_track ping "$pid"
    sleep 3
    "$@"
    wait "$pid" || true
    PING_RESULT=$(python3 "$HERE/ping_gap.py" "$log" "$count" "$EVENT_AT" --within "$within") && rc=0 || rc=$?
    lab_log "ping $from -> $(other_side "$from") across '$*': $PING_RESULT"
    ((rc == 0)) || fail "pings did not resume within $within s of '$*'"
}

# iperf_across FROM SECS EVENT...: iperf3 TCP from FROM to the other side for SECS s; 3 s
# in, EVENT... runs. The run must end without an error and move data.
iperf_across() {
    local from=$1 secs=$2 pid rc mbps retr bytes zero out=$LAB_RUN/iperf-across.json
    shift 2
    iperf_server "$(other_side "$from")"
    iperf_run "$from" "$secs" "$out" -i 1 &
    pid=$!
    sleep 3
    "$@"
    wait "$pid" && rc=0 || rc=$?
    read -r mbps retr bytes zero <<<"$(iperf_summary "$out")"
    lab_log "iperf3 $from -> $(other_side "$from") across '$*' ($secs s): exit $rc, $mbps Mbit/s, $bytes bytes, $retr retransmits, $zero intervals without data"
    ((rc == 0)) || fail "iperf3 across '$*' exited $rc: $(head -c 400 "$out.err") $(grep -m1 '"error"' "$out")"
    ((bytes > 100000)) || fail "iperf3 across '$*' moved only $bytes bytes"
}

# wait_sa SIDE FIELD PATTERN: until field FIELD (1-7, as sa_show) of SIDE's IKE SA
# matches the extended regular expression PATTERN, whole (10 s at most).
wait_sa() {
    local side=$1 field=$2 value=$3 i now
    for ((i = 0; i < 50; i++)); do
        now=$(sa_show "$side")
        [[ $(cut -d' ' -f"$field" <<<"$now") =~ ^($value)$ ]] && return 0
        sleep 0.2
    done
    fail "$side's IKE SA shows '$now' (sa_show), want field $field = $value"
}

# same_ike_sa SIDE BEFORE: SIDE's IKE SA has the SPIs of BEFORE (an earlier sa_show).
same_ike_sa() {
    local now
    now=$(sa_show "$1")
    [[ $(cut -d' ' -f1,2 <<<"$now") == "$(cut -d' ' -f1,2 <<<"$2")" ]] ||
        fail "$1's IKE SA changed: before '$2', now '$now' (want the same SPIs)"
}

# new_ike_sa SIDE BEFORE: SIDE's IKE SA has other SPIs than BEFORE (an earlier sa_show).
new_ike_sa() {
    local now
    now=$(sa_show "$1")
    [[ $(cut -d' ' -f1 <<<"$now") != "$(cut -d' ' -f1 <<<"$2")" ]] ||
        fail "$1's IKE SA has the old SPIs: before '$2', now '$now' (want a new IKE SA)"
}

# address_updates_are N CAUSE [MOBIKE]: the Cygnet side's IKE SA shows N address updates
# (and MOBIKE negotiated, yes or no) in its status, and cygnetd logged N moves for CAUSE
# (mobike, nat_mapping_change) in all (skipped for a stand-in).
address_updates_are() {
    is_standin && return 0
    local now logged
    now=$(sa_show "$CYG_SIDE")
    [[ $(cut -d' ' -f6 <<<"$now") == "$1" ]] ||
        fail "Cygnet's IKE SA shows $ADDRESS_UPDATES_KEY '$(cut -d' ' -f6 <<<"$now")', want $1 ($now)"
    [[ -z ${3:-} || $(cut -d' ' -f7 <<<"$now") == "$3" ]] ||
        fail "Cygnet's IKE SA shows MOBIKE negotiated '$(cut -d' ' -f7 <<<"$now")', want $3 ($now)"
    logged=$(grep -c "IKE SA moved ($2)" "$(peer_log "$CYG_SIDE")" || true)
    ((logged == $1)) || fail "cygnetd logged $logged moves for $2, want $1: $(grep "IKE SA moved" "$(peer_log "$CYG_SIDE")" | tail -3)"
}

# mobike CLIENT: the road warrior on the left (CLIENT: cygnet or strongswan; the gateway on
# the right is the other) gets a virtual IP, then its outer address moves twice while the
# tunnel carries traffic: 192.0.2.1 -> .11 under ping, .11 -> .12 under iperf3. After each
# move the same IKE SA (SPIs) runs from the new address on both sides, and Cygnet counts it.
mobike() {
    local client=$1 before_l before_r new first_move
    lab_net_up v4
    [[ $client == cygnet ]] && PEER_CYGNET_LISTEN=0.0.0.0
    traffic_setup "$(scenario_dir mobike)" "$([[ $client == cygnet ]] && echo left || echo right)"
    peer_initiate left || fail "initiate (left, $client)"
    wait_tunnel
    LAB_VIRTUAL_IP=10.3.0.1
    IPERF_FROM=$LAB_VIRTUAL_IP
    before_l=$(sa_show left)
    before_r=$(sa_show right)
    lab_log "before: road warrior $before_l; gateway $before_r"
    ping_across left 80 2 move_address left 192.0.2.1 192.0.2.11
    first_move=$PING_RESULT
    for new in 192.0.2.11 192.0.2.12; do
        [[ $new == 192.0.2.12 ]] && iperf_across left 8 move_address left 192.0.2.11 192.0.2.12
        wait_sa left 3 "$new"
        wait_sa right 4 "$new"
        same_ike_sa left "$before_l"
        same_ike_sa right "$before_r"
        address_updates_are "$([[ $new == 192.0.2.11 ]] && echo 1 || echo 2)" mobike yes
        lab_log "after the move to $new: road warrior $(sa_show left); gateway $(sa_show right)"
        wait_agree 1
    done
    # charon's word for it: the road warrior asked, the gateway followed
    case $client in
    strongswan) grep -q "requesting address change using MOBIKE" "$(peer_log left)" || fail "charon did not request the address change with MOBIKE" ;;
    cygnet) grep -q "remote endpoint changed from 192.0.2.1\[4500\] to 192.0.2.11\[4500\]" "$(peer_log right)" ||
        fail "charon (gateway) did not follow the road warrior to 192.0.2.11" ;;
    esac
    lab_log "across the first move: $first_move"
}

# mobike_off: MOBIKE offered by strongSwan's road warrior (left, no local_addrs) and not
# taken up by the Cygnet gateway (right, mobike = no). The road warrior's address moves
# (192.0.2.1 -> .11) under ping: nothing moves on the gateway's IKE SA; charon, whose
# path is gone, reauthenticates (strongSwan 5.9.8: the old IKE SA deleted first, then a
# new one from 192.0.2.11), so both sides show new IKE SPIs from the new address.
mobike_off() {
    local before_l before_r log
    lab_net_up v4
    traffic_setup "$(scenario_dir mobike-off)" right
    peer_initiate left || fail "initiate (left)"
    wait_tunnel
    before_l=$(sa_show left)
    before_r=$(sa_show right)
    lab_log "before: road warrior $before_l; gateway $before_r"
    ping_across left 80 3 move_address left 192.0.2.1 192.0.2.11
    wait_sa right 4 192.0.2.11
    wait_agree 1
    new_ike_sa right "$before_r"
    address_updates_are 0 mobike no
    is_standin || lab_log "cygnetd's moves of the old IKE SA without MOBIKE: $(grep -c "IKE SA moved (nat_mapping_change)" "$(peer_log right)" || true)"
    log=$(peer_log left)
    grep -q "reauthenticating IKE_SA due to address change" "$log" ||
        fail "charon did not reauthenticate after its address went: $(grep -m3 "path\|MOBIKE\|reauth" "$log")"
    grep -q "requesting address change using MOBIKE" "$log" && fail "charon used MOBIKE, which the gateway did not negotiate"
    lab_log "after the move: road warrior $(sa_show left); gateway $(sa_show right)"
}

# mobike_off_cygnet: Cygnet as the road warrior (left, listen 0.0.0.0, no local_addrs,
# mobike = no, dpd_delay = 2s, dpd_action = restart) and strongSwan's gateway (right).
# The road warrior's address moves (192.0.2.1 -> .11) under ping. Without MOBIKE its IKE
# SA stays on the deleted address: the next liveness check (at most dpd_delay after the
# last answer) goes unanswered, and after the lab's retransmissions (1 s, x1.4, 3 tries:
# 1 + 1.4 + 1.96 + 2.74 = 7.1 s) the SA closes as peer unreachable; dpd_action = restart
# brings a new IKE SA up from 192.0.2.11, whose INITIAL_CONTACT makes charon drop the old
# one. Pings resume within 2 + 7.1 s of the move, plus the new handshake: 12 s at most.
mobike_off_cygnet() {
    local before_l before_r old log
    lab_net_up v4
    PEER_CYGNET_LISTEN=0.0.0.0
    traffic_setup "$(scenario_dir mobike-off-cygnet)" left
    peer_initiate left || fail "initiate (left)"
    wait_tunnel
    before_l=$(sa_show left)
    before_r=$(sa_show right)
    lab_log "before: road warrior $before_l; gateway $before_r"
    ping_across left 200 12 move_address left 192.0.2.1 192.0.2.11
    wait_sa left 3 192.0.2.11
    wait_sa right 4 192.0.2.11
    wait_agree 1
    new_ike_sa left "$before_l"
    new_ike_sa right "$before_r"
    grep -q "destroying duplicate IKE_SA for peer 'left@lab.test', received INITIAL_CONTACT" "$(peer_log right)" ||
        fail "charon did not drop the old IKE SA for the new one's INITIAL_CONTACT"
    if ! is_standin; then
        address_updates_are 0 mobike no
        log=$(peer_log left)
        grep -q "IKE SA moved" "$log" && fail "cygnetd moved an IKE SA without MOBIKE: $(grep -m3 "IKE SA moved" "$log")"
        old=$(cut -d' ' -f1 <<<"$before_l")
        grep "ike.spi=$old .*reason=peer_unreachable" "$log" | grep -q "IKE SA closed: giving up after 3 retransmits of INFORMATIONAL request" ||
            fail "cygnetd did not close the old IKE SA $old as peer unreachable after its liveness check: $(grep -m3 "IKE SA closed" "$log")"
        grep -q "initiating 'lab' again (dpd_action or close_action)" "$log" || fail "cygnetd did not initiate 'lab' again (dpd_action = restart)"
    fi
    lab_log "after the move: road warrior $(sa_show left); gateway $(sa_show right)"
}

# rebind MOBIKE: strongSwan's client (left, behind cyg-m's masquerade) and the Cygnet
# gateway (right), MOBIKE yes or no on both. Under ping the NAT maps the client to another
# port (nat_rebind); the gateway's ESP to the old mapping is lost until charon's DPD
# (dpd_delay = 2s, nothing inbound) reaches it from the new port: without MOBIKE the
# gateway follows that authenticated request (RFC 7296 §2.23); with MOBIKE the DPD
# carries NAT_DETECTION payloads, charon sees the mapping changed and sends
# UPDATE_SA_ADDRESSES (RFC 4555 §3.8). The same IKE SA then runs from the new port.
rebind() {
    local mobike=$1 before_l before_r log i
    lab_net_up nat || { cat "$LAB_RUN/nat-setup.log"; fail "no NAT in cyg-m (see above)"; }
    [[ $LAB_NAT == nft ]] || fail "rebinding needs the nftables masquerade, not $LAB_NAT"
    traffic_setup "$(scenario_dir "$([[ $mobike == yes ]] && echo rebind || echo rebind-nomobike)")" right
    peer_initiate left || fail "initiate (left)"
    wait_tunnel
    log=$(peer_log left)
    if [[ $mobike == yes ]]; then
        # charon keeps the NAT_DETECTION_DESTINATION_IP of the first DPD response and
        # compares later ones with it: a rebinding before that first DPD would go unseen.
        # The idle tunnel has one after dpd_delay.
        for ((i = 0; i < 50; i++)); do
            grep -q "parsed INFORMATIONAL response .*N(NATD_D_IP)" "$log" && break
            sleep 0.2
        done
        ((i < 50)) || fail "no DPD response with NAT_DETECTION payloads to charon in 10 s: $(grep "INFORMATIONAL" "$log" | tail -3)"
    fi
    before_l=$(sa_show left)
    before_r=$(sa_show right)
    lab_log "before: client $before_l; gateway $before_r"
    ping_across left 120 7 nat_rebind
    wait_sa right 5 '41[0-9]{3}'
    same_ike_sa left "$before_l"
    same_ike_sa right "$before_r"
    address_updates_are 1 "$([[ $mobike == yes ]] && echo mobike || echo nat_mapping_change)" "$mobike"
    wait_agree 1
    if [[ $mobike == yes ]]; then
        grep -q "detected changes in NAT mappings, initiating MOBIKE update" "$log" ||
            fail "charon did not send a MOBIKE update after the rebinding: $(grep -m3 "NAT\|MOBIKE" "$log")"
    else
        grep -q "sending DPD request" "$log" || fail "charon sent no DPD request"
    fi
    lab_log "after the rebinding: client $(sa_show left); gateway $(sa_show right)"
}

case $SCENARIO in
signals-cygnet) signals ;;
mobike-off-strongswan) mobike_off ;;
mobike-off-cygnet) mobike_off_cygnet ;;
mobike-*) mobike "${SCENARIO#mobike-}" ;;
rebind-nomobike-strongswan) rebind no ;;
rebind-strongswan) rebind yes ;;
eap-vip-*) eap_vip eap-vip "${SCENARIO#eap-vip-}" ;;
eap-radius-*) eap_vip eap-radius "${SCENARIO#eap-radius-}" ;;
eap-tls-vip-*) eap_vip eap-tls-vip "${SCENARIO#eap-tls-vip-}" ;;
windows-strongswan | apple-strongswan | android-strongswan) client_profile "${SCENARIO%-strongswan}" ;;
vip-*) vip "${SCENARIO#vip-}" ;;
pfs-*) pfs "$(cut -d- -f2 <<<"$SCENARIO")" "${SCENARIO##*-}" ;;
children-*) children "${SCENARIO#children-}" ;;
two-connections-*) two_connections "${SCENARIO#two-connections-}" ;;
ipv6-ts-*) ipv6_ts "${SCENARIO#ipv6-ts-}" ;;
traffic-*) traffic "${SCENARIO%-*}" "${SCENARIO##*-}" ;;
encap-cygnet) encap ;;
pair-*) pair "${SCENARIO#pair-}" ;;
nat-cygnet) nat ;;
rekey-load-*) rekey_load "${SCENARIO#rekey-load-}" ;;
rekey-*) rekey "${SCENARIO#rekey-}" ;;
dpd-*) dpd "${SCENARIO#dpd-}" ;;
delete-*) delete "${SCENARIO#delete-}" ;;
*) handshake "${SCENARIO%-*}" "${SCENARIO##*-}" ;;
esac
lab_log "PASS $SCENARIO"
