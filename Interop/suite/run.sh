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
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=../lab/lab.sh
source "$REPO/Interop/lab/lab.sh"

CYGNETD=${CYGNETD:-$REPO/.build/debug/cygnetd}
CYGNET=${CYGNET:-$REPO/.build/debug/cygnet}
KINDS=(psk-gcm psk-modp ecdsa rsa)
SCENARIOS=()
for kind in "${KINDS[@]}"; do SCENARIOS+=("$kind-cygnet" "$kind-strongswan"); done
SCENARIOS+=(rekey-cygnet rekey-strongswan dpd-cygnet dpd-strongswan delete-cygnet delete-strongswan signals-cygnet)

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
    cygnetd_start
}

cygnet_address() { [[ $CYG_SIDE == left ]] && echo 192.0.2.1 || echo 192.0.2.2; }
cygnet_socket() { echo "$(lab_dir "$CYG_SIDE")/cygnet.sock"; }

cygnetd_start() {
    local dir conf pid i
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
    cygnet status --json >"$LAB_RUN/cygnet-status.json" 2>"$LAB_RUN/cygnet-status.err" || return 1
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
    case $kind in ecdsa) pki=ecdsa ;; rsa) pki=rsa ;; esac
    [[ $pki == none ]] || lab_pki "$LAB_RUN/pki"
    lab_net_up v4
    # Cygnet sits on the initiating side when it initiates, else on the responding side.
    cside=$([[ $who == cygnet ]] && echo left || echo right)
    suite_setup "$(scenario_dir "$kind")" "$pki" "$cside"
    lab_cap_start run "$cside" "veth-${cside:0:1}"
    initiate "$who"
    wait_agree 1
    check_dissection run
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
    for ((i = 0; i < 50; i++)); do [[ -d /proc/$pid && $(awk '{print $3}' "/proc/$pid/stat") != Z ]] || break; sleep 0.1; done
    [[ -d /proc/$pid && $(awk '{print $3}' "/proc/$pid/stat") != Z ]] && fail "cygnetd still running 5 s after SIGTERM"
    wait "$pid" && status=0 || status=$?
    ((status == 0)) || fail "cygnetd exited $status after SIGTERM"
    # Its Delete reached strongSwan: no SA left there, long before any DPD.
    [[ $(lab_sw "$SW_SIDE" --list-sas --raw 2>/dev/null | python3 "$HERE/swanctl_raw.py" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') == 0 ]] ||
        fail "strongSwan still has the IKE SA after cygnetd stopped"
}

case $SCENARIO in
signals-cygnet) signals ;;
rekey-*) rekey "${SCENARIO#rekey-}" ;;
dpd-*) dpd "${SCENARIO#dpd-}" ;;
delete-*) delete "${SCENARIO#delete-}" ;;
*) handshake "${SCENARIO%-*}" "${SCENARIO##*-}" ;;
esac
lab_log "PASS $SCENARIO"
