# shellcheck shell=bash
# Cygnet lab: one IKE daemon per side, cygnetd or charon, behind one set of
# functions, and traffic through the tunnel (ping, iperf3).  Source lab.sh first.
#
#   peer_start SIDE cygnet|strongswan SCENARIO_DIR PKI
#                      SCENARIO_DIR/SIDE.swanctl.conf (+ SIDE.charon.conf for charon,
#                      + SIDE.cygnet.conf: lines for cygnetd's `cygnet { }` section)
#   peer_initiate SIDE        "up" the connection lab (child net)
#   peer_wait_up SIDE [N]     until SIDE shows an ESTABLISHED IKE SA with N INSTALLED
#                             Child SAs (20 s at most)
#   peer_sas SIDE             its SAs as JSON, swanctl's (vici) vocabulary:
#                             [ {ike sa..., "child-sas": [ {...} ]} ]
#   peer_esp_uat SIDE         Wireshark esp_sa UAT lines for its ESP SAs so far
#   peer_pid SIDE
#   lab_inner SIDE            the protected (inner) address of SIDE for $LAB_NET
#   traffic_ping FROM N       N echo requests from FROM's inner address to the other's
#   iperf_server SIDE         iperf3 -s on SIDE's inner address (background, tracked)
#   iperf_run FROM SECS OUT.json [iperf3 options]   a client run, bounded
#   cpu_ticks PID             utime+stime of a process (all threads), in clock ticks
#
# CYGNETD / CYGNET name the binaries (default: .build/debug/ of this checkout);
# PEER_KEYLOG=1 turns on cygnetd's ESP key log ($(lab_dir SIDE)/esp-keys.log);
# PEER_CYGNET_EXTRA: more lines for every cygnetd's `cygnet { }` section;
# PEER_CYGNET_LISTEN: cygnetd's listen (default: lab_outer's address of its side);
# PEER_CHARON_EXTRA: more lines for every charon's `charon { }` section, e.g.
# PEER_QUIET_NET below (charon logs every ESP packet it sends at net = 2).

PEER_REPO=$(cd "$LAB_HOME/../.." && pwd)
CYGNETD=${CYGNETD:-$PEER_REPO/.build/debug/cygnetd}
CYGNET=${CYGNET:-$PEER_REPO/.build/debug/cygnet}
declare -A PEER_KIND=()

# charon's socket logs each datagram it sends at net level 2, libipsec's ESP too: under
# iperf3 that is megabytes a second, written line by line, which slows charon down.
# net = 1 keeps the IKE messages' "sending/received packet ... (N bytes)" lines.
PEER_QUIET_NET='filelog { main { net = 1 } }'

other_side() { [[ $1 == left ]] && echo right || echo left; }

# Protected hosts as lab_net_up assigns them (on lo); LAB_VIRTUAL_IP, when set, is the
# left side's (a road warrior's virtual IP).
lab_inner() {
    [[ $1 == left && -n ${LAB_VIRTUAL_IP:-} ]] && { echo "$LAB_VIRTUAL_IP"; return; }
    case ${LAB_NET:-v4}:$1 in
    v4:left | nat:left) echo 198.51.100.1 ;;
    v4:right) echo 203.0.113.1 ;;
    nat:right) echo 198.51.100.2 ;;
    v6:left | dual:left) echo 2001:db8:a::1 ;;
    v6:right | dual:right) echo 2001:db8:b::1 ;;
    *) lab_die "no inner address for ${LAB_NET:-v4} $1" ;;
    esac
}

# The outer (IKE) address of SIDE.
lab_outer() {
    case ${LAB_NET:-v4}:$1 in
    v4:left | nat:left | dual:left) echo 192.0.2.1 ;;
    v4:right | dual:right) echo 192.0.2.2 ;;
    nat:right) echo 203.0.113.2 ;;
    v6:left) echo 2001:db8:1::1 ;;
    v6:right) echo 2001:db8:1::2 ;;
    esac
}

peer_socket() { echo "$(lab_dir "$1")/cygnet.sock"; }
peer_cygnet() { local side=$1; shift; "$CYGNET" "$@" --socket "$(peer_socket "$side")"; }

peer_start() {
    local side=$1 kind=$2 sdir=$3 pki=$4 dir extra
    PEER_KIND[$side]=$kind
    lab_side_files "$side" "$sdir" "$pki"
    dir=$(lab_dir "$side")
    case $kind in
    strongswan)
        # A connection's cygnet { } section (Cygnet's own keys) means nothing to charon,
        # which refuses it: gone from charon's copy (harness self-test, INTEROP_CYGNET).
        sed -i '/^ \+cygnet {$/,/^ \+}$/d' "$dir/swanctl/swanctl.conf"
        extra=$sdir/$side.charon.conf
        [[ -f $extra ]] || extra=/dev/null
        lab_render_conf "$side" "$extra"
        [[ -n ${PEER_CHARON_EXTRA:-} ]] && echo "$PEER_CHARON_EXTRA" >>"$dir/extra.conf"
        lab_charon_start "$side"
        lab_sw "$side" --load-all --noprompt >"$dir/load-all.log" 2>&1 ||
            { cat "$dir/load-all.log" >&2; lab_die "swanctl --load-all ($side)"; }
        ;;
    cygnet) peer_cygnetd_start "$side" "$sdir/$side.cygnet.conf" ;;
    *) lab_die "unknown peer kind $kind" ;;
    esac
}

# peer_cygnetd_start SIDE [SNIPPET]: appends the daemon's `cygnet { }` section to
# SIDE's swanctl.conf (SNIPPET's lines inside it), lints the file, starts cygnetd in
# SIDE's namespace and waits for its control socket.
peer_cygnetd_start() {
    local side=$1 snippet=${2:-} dir conf pid i
    dir=$(lab_dir "$side")
    conf=$dir/swanctl/swanctl.conf
    PEER_KIND[$side]=cygnet
    # strongSwan keeps these in strongswan.conf (the lab's charons retransmit after
    # 1 s, x1.4, 3 tries, like this). The key log is for tshark's ESP decryption.
    {
        echo
        echo "cygnet {"
        echo "    listen = ${PEER_CYGNET_LISTEN:-$(lab_outer "$side")}"
        echo "    control_socket = $(peer_socket "$side")"
        echo "    retransmit_timeout = 1s"
        echo "    retransmit_base = 1.4"
        echo "    retransmit_tries = 3"
        [[ -n ${PEER_KEYLOG:-} ]] && echo "    key_log = $dir/esp-keys.log"
        [[ -n $snippet && -f $snippet ]] && sed 's/^/    /' "$snippet"
        [[ -n ${PEER_CYGNET_EXTRA:-} ]] && sed 's/^/    /' <<<"$PEER_CYGNET_EXTRA"
        echo "}"
    } >>"$conf"
    "$CYGNET" lint "$conf" >"$dir/lint.log" 2>&1 || { cat "$dir/lint.log" >&2; lab_die "cygnet lint rejected $conf"; }
    ip netns exec "$(ns_of "$side")" "$CYGNETD" --config "$conf" >"$dir/cygnetd.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/cygnetd.pid"
    lab_track cygnetd "$pid"
    for ((i = 0; i < 100; i++)); do
        [[ -S $(peer_socket "$side") ]] && return 0
        [[ -d /proc/$pid ]] || break
        sleep 0.1
    done
    cat "$dir/cygnetd.log" >&2
    lab_die "cygnetd ($side) did not come up"
}

peer_pid() {
    local dir
    dir=$(lab_dir "$1")
    case ${PEER_KIND[$1]} in
    cygnet) cat "$dir/cygnetd.pid" ;;
    strongswan) cat "$dir/charon.pid" ;;
    esac
}

peer_log() {
    case ${PEER_KIND[$1]} in
    cygnet) echo "$(lab_dir "$1")/cygnetd.log" ;;
    strongswan) echo "$(lab_dir "$1")/charon.log" ;;
    esac
}

peer_initiate() {
    local side=$1 log
    log=$(lab_dir "$side")/up.log
    case ${PEER_KIND[$side]} in
    cygnet) peer_cygnet "$side" up lab >"$log" 2>&1 || { cat "$log" >&2; return 1; } ;;
    strongswan) lab_sw "$side" --initiate --ike lab --child net --timeout 20 >"$log" 2>&1 ||
        { tail -20 "$log" >&2; return 1; } ;;
    esac
}

peer_sas() {
    local side=$1
    case ${PEER_KIND[$side]} in
    cygnet) peer_cygnet "$side" status --json | python3 -c '
import json, sys
sys.path.insert(0, sys.argv[1])
from compare_status import ike_sas
json.dump(ike_sas(json.load(sys.stdin)), sys.stdout)' "$LAB_HOME/../suite" ;;
    strongswan) lab_sw "$side" --list-sas --raw 2>/dev/null | python3 "$LAB_HOME/../suite/swanctl_raw.py" ;;
    esac
}

# exit 0 when SIDE has an ESTABLISHED IKE SA with at least N INSTALLED Child SAs
peer_is_up() {
    peer_sas "$1" 2>/dev/null | python3 -c '
import json, sys
want = int(sys.argv[1])
sas = json.load(sys.stdin)
ok = any(str(sa.get("state", "")).upper() == "ESTABLISHED" and
         sum(str(c.get("state", "INSTALLED")).upper() == "INSTALLED" for c in sa.get("child-sas", [])) >= want
         for sa in sas)
sys.exit(0 if ok else 1)' "${2:-1}"
}

peer_wait_up() {
    local side=$1 n=${2:-1} i
    for ((i = 0; i < 100; i++)); do
        peer_is_up "$side" "$n" && return 0
        sleep 0.2
    done
    return 1
}

peer_esp_uat() {
    local dir
    dir=$(lab_dir "$1")
    case ${PEER_KIND[$1]} in
    cygnet) cat "$dir/esp-keys.log" 2>/dev/null || true ;;
    strongswan) python3 "$LAB_HOME/charon-esp-uat.py" "$dir/charon-keys.log" ;;
    esac
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# --- traffic -------------------------------------------------------------------------

# traffic_ping FROM COUNT: prints ping's summary; exit 0 when at most one reply is missing
traffic_ping() {
    local from=$1 n=$2 to out received
    to=$(other_side "$from")
    out=$(ip netns exec "$(ns_of "$from")" ping -n -c "$n" -i 0.2 -W 2 -I "$(lab_inner "$from")" "$(lab_inner "$to")" 2>&1) || true
    received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
    echo "ping $from -> $to: ${received:-0}/$n replies"
    ((${received:-0} >= n - 1))
}

iperf_server() {
    local side=$1 pid dir
    dir=$(lab_dir "$side")
    ip netns exec "$(ns_of "$side")" iperf3 -s -B "$(lab_inner "$side")" -p 5201 >"$dir/iperf3-server.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/iperf3-server.pid"
    lab_track iperf3 "$pid"
    # listening?
    local i
    for ((i = 0; i < 50; i++)); do
        ip netns exec "$(ns_of "$side")" ss -ltn 2>/dev/null | grep -q ":5201 " && return 0
        sleep 0.1
    done
    lab_die "iperf3 server on $side did not start"
}

# iperf_run FROM SECS OUT.json [options, e.g. -R or --bidir]: a TCP run from FROM's inner
# address (or $IPERF_FROM, a virtual IP) to the other side's server; exit status of
# iperf3 (124 after a hang).
iperf_run() {
    local from=$1 secs=$2 out=$3 to
    shift 3
    to=$(other_side "$from")
    timeout -k 5 $((secs + 20)) ip netns exec "$(ns_of "$from")" \
        iperf3 -c "$(lab_inner "$to")" -B "${IPERF_FROM:-$(lab_inner "$from")}" -p 5201 -t "$secs" -J \
        --connect-timeout 5000 "$@" >"$out" 2>"$out.err"
}

# iperf_summary OUT.json: "<receiver Mbit/s> <retransmits> <bytes> <zero intervals>"
iperf_summary() {
    python3 - "$1" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("0 0 0 -1"); sys.exit(0)
end = d.get("end", {})
recv = end.get("sum_received", {})
sent = end.get("sum_sent", {})
bits = recv.get("bits_per_second", 0)
nbytes = recv.get("bytes", 0)
if "sum_received_bidir_reverse" in end:
    bits += end["sum_received_bidir_reverse"].get("bits_per_second", 0)
    nbytes += end["sum_received_bidir_reverse"].get("bytes", 0)
zero = 0
for iv in d.get("intervals", []):
    for key in ("sum", "sum_bidir_reverse"):
        s = iv.get(key)
        if s is not None and s.get("seconds", 0) > 0.5 and s.get("bytes", 0) == 0:
            zero += 1
print(f"{bits / 1e6:.1f} {sent.get('retransmits', 0)} {nbytes} {zero}")
PY
}
