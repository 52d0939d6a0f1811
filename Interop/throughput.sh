#!/usr/bin/env bash
# ESP throughput: iperf3 TCP through Cygnet<->Cygnet, Cygnet<->strongSwan and
# strongSwan<->strongSwan tunnels over the same veth pair, on this machine.
#
#   Interop/throughput.sh [--duration S] [--repeats N] [--pairs cc,cs,ss] [--json FILE]
#                         [--results DIR]
#
#   --duration S   seconds per iperf3 run (default 10)
#   --repeats N    runs per direction and pair (default 3)
#   --pairs LIST   which tunnels, in order: cc = Cygnet<->Cygnet, cs = Cygnet (left) <->
#                  strongSwan (right), ss = strongSwan<->strongSwan (default cc,cs,ss)
#   --json FILE    also write every run and the summary as JSON
#   --results DIR  keep per-run iperf3 JSON and the daemons' logs there
#                  (default: a new /tmp/cyg-throughput.XXXXXX, printed at the end)
#
# cygnetd and cygnet: CYGNETD / CYGNET, default .build/release/ (swift build -c release).
#
# Per pair: fresh namespaces cyg-l (192.0.2.1, inner 198.51.100.1) and cyg-r (192.0.2.2,
# inner 203.0.113.1) joined by one veth pair; the daemons from
# Interop/suite/scenarios/psk-gcm (IKE aes256gcm16-prfsha256-x25519, ESP aes256gcm16 =
# AES-GCM-16-256); MTU 1400 inside (charon's ipsec0, Cygnet's tun_mtu = 1400); left
# initiates; an iperf3 server on right's inner address; then N runs of S seconds
# left->right and N runs right->left (-R), alternating. A figure is the iperf3 receiver's
# Mbit/s, median [min-max] over the runs; "both" pools both directions. Daemon CPU is
# (utime+stime) from /proc/PID/stat over each run, in cores (1.00 = one core busy).
#
# strongSwan's kernel-libipsec always sends ESP in UDP/4500; Cygnet<->Cygnet without NAT
# sends raw ESP (IP protocol 50). Everything runs in a private network + mount
# namespace (lab_isolate); daemons, iperf3 and the measuring all share this machine's
# cores, so compare the pairs of one run, not runs on different machines.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
# A release build by default: a debug cygnetd measures Swift's debug code, not Cygnet.
CYGNETD=${CYGNETD:-$REPO/.build/release/cygnetd}
CYGNET=${CYGNET:-$REPO/.build/release/cygnet}
# shellcheck source=lab/lab.sh
source "$REPO/Interop/lab/lab.sh"
# shellcheck source=lab/peer.sh
source "$REPO/Interop/lab/peer.sh"

DURATION=10
REPEATS=3
PAIRS=cc,cs,ss
JSON_OUT=
RESULTS=
ORIG_ARGS=("$@")
while (($#)); do
    case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --repeats) REPEATS=$2; shift 2 ;;
    --pairs) PAIRS=$2; shift 2 ;;
    --json) JSON_OUT=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 1 && $DURATION -le 600 ]] || { echo "--duration: 1..600 s" >&2; exit 2; }
[[ $REPEATS =~ ^[0-9]+$ && $REPEATS -ge 1 && $REPEATS -le 50 ]] || { echo "--repeats: 1..50" >&2; exit 2; }
IFS=, read -r -a PAIR_LIST <<<"$PAIRS"
for p in "${PAIR_LIST[@]}"; do [[ $p == cc || $p == cs || $p == ss ]] || { echo "--pairs: cc, cs, ss" >&2; exit 2; }; done

missing=()
[[ $(id -u) == 0 ]] || missing+=("root (network namespaces)")
[[ -x /usr/lib/ipsec/charon ]] && command -v swanctl >/dev/null || missing+=("strongSwan: Interop/lab/install-deps.sh")
command -v iperf3 >/dev/null || missing+=("iperf3: apt-get install iperf3")
command -v ip >/dev/null || missing+=("iproute2: apt-get install iproute2")
command -v python3 >/dev/null || missing+=("python3: apt-get install python3")
if [[ $PAIRS == *c* ]]; then
    [[ -x $CYGNETD && -x $CYGNET ]] || missing+=("cygnetd and cygnet: swift build -c release (looked for $CYGNETD and $CYGNET; or set CYGNETD/CYGNET)")
fi
if ((${#missing[@]})); then
    printf 'throughput prerequisites missing:\n'; printf '  - %s\n' "${missing[@]}"; exit 3
fi

if [[ -z ${CYG_LAB_ISOLATED:-} ]]; then
    LAB_RUN=$(mktemp -d /tmp/cyg-throughput-run.XXXXXX)
    [[ -n $RESULTS ]] || RESULTS=$(mktemp -d /tmp/cyg-throughput.XXXXXX)
    mkdir -p "$RESULTS"
    RESULTS=$(cd "$RESULTS" && pwd)
    CYG_TP_RESULTS=$RESULTS
    export LAB_RUN CYG_TP_RESULTS
    # Other daemons, iperf3s and builds on the machine compete for the same cores; the
    # report says how many there were at the start.
    FOREIGN=$(pgrep -c -x 'charon|cygnetd|iperf3|swift-build|swift-frontend' 2>/dev/null || true)
    export FOREIGN
    export THROUGHPUT_COMMAND="Interop/throughput.sh ${ORIG_ARGS[*]}"
fi
lab_isolate "${ORIG_ARGS[@]}"
RESULTS=${CYG_TP_RESULTS:?}
trap 'status=$?; lab_teardown; rm -rf "$LAB_RUN"; exit $status' EXIT

SCEN=$REPO/Interop/suite/scenarios/psk-gcm
PEER_CYGNET_EXTRA=$'tun_name = cygnet0\ntun_mtu = 1400'
PEER_CHARON_EXTRA=$PEER_QUIET_NET
TSV=$RESULTS/runs.tsv
printf 'pair\tdirection\trun\tmbps\tretransmits\tbytes\tzero_intervals\tcpu_left\tcpu_right\n' >"$TSV"

kind_of() { # pair side
    case $1:$2 in
    cc:*) echo cygnet ;;
    cs:left) echo cygnet ;;
    cs:right | ss:*) echo strongswan ;;
    esac
}
pair_name() {
    case $1 in
    cc) echo "Cygnet<->Cygnet" ;;
    cs) echo "Cygnet<->strongSwan" ;;
    ss) echo "strongSwan<->strongSwan" ;;
    esac
}

# cores TICKS0 TICKS1 T0 T1: CPU time over wall time
cores() { awk -v a="$1" -v b="$2" -v t0="$3" -v t1="$4" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz / (t1 - t0) }'; }

measure_pair() {
    local pair=$1 side r dir opt out t0 t1 l0 l1 r0 r1 lpid rpid sum cl cr
    lab_log "pair $(pair_name "$pair"): setting up"
    lab_net_up v4
    for side in left right; do peer_start "$side" "$(kind_of "$pair" "$side")" "$SCEN" none; done
    peer_initiate left || lab_die "$pair: initiate failed"
    peer_wait_up left && peer_wait_up right || lab_die "$pair: tunnel not up in 20 s"
    ip netns exec "$NS_L" ping -n -c 2 -W 2 -I 198.51.100.1 203.0.113.1 >/dev/null ||
        lab_die "$pair: no ping through the tunnel"
    iperf_server right
    lpid=$(peer_pid left)
    rpid=$(peer_pid right)
    for ((r = 1; r <= REPEATS; r++)); do
        for dir in fwd rev; do
            opt=()
            [[ $dir == rev ]] && opt=(-R)
            out=$RESULTS/$pair-$dir-$r.json
            l0=$(cpu_ticks "$lpid"); r0=$(cpu_ticks "$rpid"); t0=$(date +%s.%N)
            iperf_run left "$DURATION" "$out" "${opt[@]}" || lab_log "$pair $dir run $r: iperf3 exit $? ($(head -c 300 "$out.err"))"
            l1=$(cpu_ticks "$lpid"); r1=$(cpu_ticks "$rpid"); t1=$(date +%s.%N)
            read -r sum <<<"$(iperf_summary "$out")"
            cl=$(cores "$l0" "$l1" "$t0" "$t1")
            cr=$(cores "$r0" "$r1" "$t0" "$t1")
            # shellcheck disable=SC2086
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pair" "$dir" "$r" $sum "$cl" "$cr" >>"$TSV"
            lab_log "$(pair_name "$pair") $([[ $dir == fwd ]] && echo 'left->right' || echo 'right->left') run $r: $(cut -d' ' -f1 <<<"$sum") Mbit/s, CPU left $cl right $cr"
        done
    done
    mkdir -p "$RESULTS/logs-$pair"
    for side in left right; do
        cp "$(peer_log "$side")" "$RESULTS/logs-$pair/$side-$(basename "$(peer_log "$side")")" 2>/dev/null || true
    done
    lab_teardown
}

for p in "${PAIR_LIST[@]}"; do measure_pair "$p"; done

# --- report ---------------------------------------------------------------------------
{
    echo "Cygnet ESP throughput: iperf3 TCP through IKEv2/ESP tunnels ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo "machine:  $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nproc) cores; $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
    echo "software: cygnetd $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo '?') ($CYGNETD); strongSwan $(/usr/lib/ipsec/charon --version 2>/dev/null | head -n1 | awk '{print $NF}') kernel-libipsec; $(iperf3 --version | head -n1 | cut -d' ' -f1,2)"
    echo "command:  $THROUGHPUT_COMMAND"
    echo "tunnel:   ESP AES-GCM-16-256 (aes256gcm16), IKE aes256gcm16-prfsha256-x25519, inner MTU 1400, veth 192.0.2.1 <-> 192.0.2.2, inner 198.51.100.1 <-> 203.0.113.1; left initiates, iperf3 client on left"
    echo "runs:     $REPEATS x ${DURATION}s per direction; Mbit/s at the iperf3 receiver, median [min-max]; CPU = daemon cores, median"
    echo "other daemons/iperf3/swift builds on the machine at the start: ${FOREIGN:-0}"
    echo
} >"$RESULTS/report.txt"
python3 - "$TSV" "${JSON_OUT:-}" "$PAIRS" >>"$RESULTS/report.txt" <<'PY'
import csv, json, statistics, sys
tsv, json_out, pairs = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
names = {"cc": "Cygnet<->Cygnet", "cs": "Cygnet<->strongSwan", "ss": "strongSwan<->strongSwan"}
rows = list(csv.DictReader(open(tsv), delimiter="\t"))
def fig(values):
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}
def text(f):
    return "-" if f is None else f"{f['median']:.0f} [{f['min']:.0f}-{f['max']:.0f}]"
summary = {}
print(f"{'pair':<25} {'left->right':>18} {'right->left':>18} {'both':>18}   {'CPU left/right fwd':>19}   {'CPU left/right rev':>19}   TCP retr/run fwd")
for p in pairs:
    rs = [r for r in rows if r["pair"] == p]
    s = {}
    for d in ("fwd", "rev"):
        dr = [r for r in rs if r["direction"] == d]
        s[d] = fig([float(r["mbps"]) for r in dr])
        s[d + "_cpu"] = (statistics.median([float(r["cpu_left"]) for r in dr]) if dr else 0,
                         statistics.median([float(r["cpu_right"]) for r in dr]) if dr else 0)
    s["both"] = fig([float(r["mbps"]) for r in rs])
    # iperf3's client reports the sender's retransmits: left->right runs only
    fwd = [r for r in rs if r["direction"] == "fwd"]
    s["retransmits"] = statistics.median([int(float(r["retransmits"])) for r in fwd]) if fwd else 0
    s["failed_runs"] = sum(1 for r in rs if float(r["mbps"]) == 0 or int(r["zero_intervals"]) != 0)
    summary[p] = s
    print(f"{names[p]:<25} {text(s['fwd']):>18} {text(s['rev']):>18} {text(s['both']):>18}   "
          f"{s['fwd_cpu'][0]:>9.2f}/{s['fwd_cpu'][1]:<9.2f}   {s['rev_cpu'][0]:>9.2f}/{s['rev_cpu'][1]:<9.2f}   {s['retransmits']:.0f}"
          + (f"   ({s['failed_runs']} runs failed or had 0-byte intervals)" if s["failed_runs"] else ""))
ratios = {}
if "ss" in summary and summary["ss"]["both"] and summary["ss"]["both"]["median"] > 0:
    base = summary["ss"]
    print()
    for p in ("cc", "cs"):
        if p in summary and summary[p]["both"]:
            r = {k: (summary[p][k]["median"] / base[k]["median"]) if summary[p][k] and base[k] and base[k]["median"] else None
                 for k in ("fwd", "rev", "both")}
            ratios[p] = r
            print(f"ratio {names[p]} / {names['ss']}: {r['both']:.2f} (left->right {r['fwd']:.2f}, right->left {r['rev']:.2f})")
if json_out:
    json.dump({"runs": rows, "summary": summary, "ratios_to_strongswan": ratios}, open(json_out, "w"), indent=1)
PY
cat "$RESULTS/report.txt"
echo
echo "per-run data and logs: $RESULTS"
