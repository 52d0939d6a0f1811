# shellcheck shell=bash
# Cygnet strongSwan capture lab - helper library (source it, don't run it).
#
#   source Interop/lab/lab.sh
#   lab_isolate "$@"            # re-exec in a private net+mount namespace
#   lab_net_up v4|v6|dual|nat   # namespaces cyg-l / cyg-r (/ cyg-m)
#   lab_pki "$LAB_RUN/pki"      # ECDSA P-256 / P-384 / RSA / RSA-4096 chains (root+intermediate)
#   lab_setup SCENARIO PKI      # per-side swanctl dir + strongswan.conf, charons, load-all
#   lab_cap_start ID NS IFACE [tshark capture options...]
#   lab_sw left --initiate ...  # swanctl against one side's charon
#   lab_cap_stop ID
#   lab_trim ID OUT FORMAT      # keep only IKE frames, write pcap/pcapng
#   lab_teardown                # stop charons + tshark (by PID), delete namespaces
#
# Everything stays inside namespaces this library creates; addresses are
# from RFC 5737 (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and
# RFC 3849 (2001:db8::/32).  No default routes.

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_RUN=${LAB_RUN:-/tmp/cyg-lab}
NS_L=cyg-l
NS_R=cyg-r
NS_M=cyg-m
CAP_FILTER='udp port 500 or udp port 4500'
LAB_PIDS=()            # "kind:pid" of everything we started

lab_log() { printf '[lab %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
lab_die() { lab_log "ERROR: $*"; exit 1; }

ns_of() {
    case $1 in
        left|l|"$NS_L") echo "$NS_L" ;;
        right|r|"$NS_R") echo "$NS_R" ;;
        mid|m|"$NS_M") echo "$NS_M" ;;
        *) lab_die "unknown side $1" ;;
    esac
}
side_of() {
    case $1 in
        "$NS_L"|left) echo left ;;
        "$NS_R"|right) echo right ;;
        *) lab_die "unknown namespace $1" ;;
    esac
}

# Re-execute the calling script inside `unshare --mount --net` with a
# private tmpfs on /run/netns, so our namespaces are invisible to (and
# cannot collide with) other lab users on the machine.
lab_isolate() {
    if [[ -z ${CYG_LAB_ISOLATED:-} ]]; then
        exec unshare --mount --net --propagation private \
            env CYG_LAB_ISOLATED=1 bash "$0" "$@"
    fi
    mkdir -p /run/netns
    mount -t tmpfs -o size=1m,mode=755 cyg-lab-netns /run/netns
    ip link set lo up
}

# --- process bookkeeping ----------------------------------------------------

lab_track() { LAB_PIDS+=("$1:$2"); }

# kill PID (only if its cmdline still contains PATTERN), wait, escalate
lab_kill_pid() {
    local pid=$1 pattern=$2 sig=${3:-TERM} i
    [[ -n $pid && -d /proc/$pid ]] || return 0
    if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"; then
        return 0
    fi
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        [[ -d /proc/$pid ]] || break
        # Reap it once it is a zombie (our child); `wait` on a live process would block
        # for as long as it ignores the signal.
        if [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == Z ]]; then
            wait "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.1
    done
    if [[ -d /proc/$pid ]]; then
        lab_log "pid $pid ($pattern) did not stop, SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
}

# --- network ----------------------------------------------------------------

lab_ns_exec() { local ns; ns=$(ns_of "$1"); shift; ip netns exec "$ns" "$@"; }

lab_ns_add() {
    ip netns add "$1"
    ip -n "$1" link set lo up
    # no IPv6 unless asked for (link-local addresses trigger MOBIKE roams)
    ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
}

lab_ns_v6_on() {
    ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=0 \
        net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.lo.disable_ipv6=0
}

# lab_net_up v4|v6|dual|nat
#   v4 : veth-l 192.0.2.1/24 <-> veth-r 192.0.2.2/24
#        protected hosts lo 198.51.100.1 (left) / 203.0.113.1 (right)
#   dual: IPv4 outside, IPv6 inside: the veths of v4 (IPv6 off on them, no link-local),
#        protected hosts lo 2001:db8:a::1 / 2001:db8:b::1
#   v6 : veth-l 2001:db8:1::1/64 <-> veth-r 2001:db8:1::2/64 (nodad, no
#        link-local: addrgenmode none), lo 2001:db8:a::1 / 2001:db8:b::1
#   nat: cyg-l veth-l 192.0.2.1/24 -> cyg-m (192.0.2.254 | 203.0.113.254,
#        MASQUERADE) -> cyg-r veth-r 203.0.113.2/24
lab_net_up() {
    local mode=$1
    lab_net_down
    LAB_NET=$mode
    lab_ns_add "$NS_L"
    lab_ns_add "$NS_R"
    case $mode in
    v4)
        ip -n "$NS_L" link add veth-l type veth peer name veth-r netns "$NS_R"
        ip -n "$NS_L" addr add 192.0.2.1/24 dev veth-l
        ip -n "$NS_R" addr add 192.0.2.2/24 dev veth-r
        ip -n "$NS_L" addr add 198.51.100.1/32 dev lo
        ip -n "$NS_R" addr add 203.0.113.1/32 dev lo
        ip -n "$NS_L" link set veth-l up
        ip -n "$NS_R" link set veth-r up
        ;;
    dual)
        ip -n "$NS_L" link add veth-l type veth peer name veth-r netns "$NS_R"
        ip -n "$NS_L" addr add 192.0.2.1/24 dev veth-l
        ip -n "$NS_R" addr add 192.0.2.2/24 dev veth-r
        lab_ns_v6_on "$NS_L"
        lab_ns_v6_on "$NS_R"
        ip netns exec "$NS_L" sysctl -q -w net.ipv6.conf.veth-l.disable_ipv6=1
        ip netns exec "$NS_R" sysctl -q -w net.ipv6.conf.veth-r.disable_ipv6=1
        ip -n "$NS_L" addr add 2001:db8:a::1/128 dev lo nodad
        ip -n "$NS_R" addr add 2001:db8:b::1/128 dev lo nodad
        ip -n "$NS_L" link set veth-l up
        ip -n "$NS_R" link set veth-r up
        ;;
    v6)
        lab_ns_v6_on "$NS_L"
        lab_ns_v6_on "$NS_R"
        ip -n "$NS_L" link add veth-l type veth peer name veth-r netns "$NS_R"
        ip -n "$NS_L" link set veth-l addrgenmode none
        ip -n "$NS_R" link set veth-r addrgenmode none
        ip -n "$NS_L" addr add 2001:db8:1::1/64 dev veth-l nodad
        ip -n "$NS_R" addr add 2001:db8:1::2/64 dev veth-r nodad
        ip -n "$NS_L" addr add 2001:db8:a::1/128 dev lo nodad
        ip -n "$NS_R" addr add 2001:db8:b::1/128 dev lo nodad
        ip -n "$NS_L" link set veth-l up
        ip -n "$NS_R" link set veth-r up
        ;;
    nat)
        lab_ns_add "$NS_M"
        ip -n "$NS_L" link add veth-l type veth peer name veth-ml netns "$NS_M"
        ip -n "$NS_R" link add veth-r type veth peer name veth-mr netns "$NS_M"
        ip -n "$NS_L" addr add 192.0.2.1/24 dev veth-l
        ip -n "$NS_M" addr add 192.0.2.254/24 dev veth-ml
        ip -n "$NS_M" addr add 203.0.113.254/24 dev veth-mr
        ip -n "$NS_R" addr add 203.0.113.2/24 dev veth-r
        ip -n "$NS_L" addr add 198.51.100.1/32 dev lo
        ip -n "$NS_R" addr add 198.51.100.2/32 dev lo
        ip -n "$NS_L" link set veth-l up
        ip -n "$NS_R" link set veth-r up
        ip -n "$NS_M" link set veth-ml up
        ip -n "$NS_M" link set veth-mr up
        ip -n "$NS_L" route add 203.0.113.0/24 via 192.0.2.254
        ip netns exec "$NS_M" sysctl -q -w net.ipv4.ip_forward=1
        lab_nat_masquerade
        ;;
    *) lab_die "unknown net mode $mode" ;;
    esac
}

# Source NAT in the middle namespace.  Tries nftables, then iptables;
# records the exact error of each attempt in $LAB_RUN/nat-setup.log.
lab_nat_masquerade() {
    local log=$LAB_RUN/nat-setup.log
    mkdir -p "$LAB_RUN"
    : >"$log"
    if ip netns exec "$NS_M" nft -f - >>"$log" 2>&1 <<'EOF'
table ip cygnat {
    chain post {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "veth-mr" masquerade
    }
}
EOF
    then
        LAB_NAT=nft
        echo "nat: nftables masquerade OK" >>"$log"
        return 0
    fi
    echo "nat: nftables failed (above)" >>"$log"
    if ip netns exec "$NS_M" iptables -t nat -A POSTROUTING -o veth-mr -j MASQUERADE >>"$log" 2>&1; then
        LAB_NAT=iptables
        echo "nat: iptables masquerade OK" >>"$log"
        return 0
    fi
    echo "nat: iptables failed (above)" >>"$log"
    LAB_NAT=none
    return 1
}

lab_net_down() {
    local ns
    for ns in "$NS_L" "$NS_R" "$NS_M"; do
        if ip netns list 2>/dev/null | grep -qw "^$ns"; then
            ip netns del "$ns" 2>/dev/null || true
        fi
    done
}

# --- PKI --------------------------------------------------------------------

lab_pki_run() { STRONGSWAN_CONF=$LAB_HOME/pki.conf pki "$@"; }

# lab_pki_chain DIR NAME TYPE SIZE [DIGEST] : root CA, one intermediate CA per side
#   (int-left / int-right) and end-entity certs left/right issued by them
#   (SAN left.lab.test / right.lab.test).  Each side trusts the root and
#   holds only its own intermediate, so its CERTREQ does not name the
#   peer's intermediate and charon sends the peer chain as two CERT
#   payloads (end entity + "issuer cert").
#   DIGEST (optional): the hash every certificate is signed with (pki's --digest).
lab_pki_chain() {
    local dir=$1/$2 type=$3 size=$4 n
    local dnb="C=XX, O=Cygnet Lab $2"
    local digest=(${5:+--digest "$5"})
    mkdir -p "$dir"
    lab_pki_run --gen --type "$type" --size "$size" --outform pem >"$dir/root.key"
    lab_pki_run --self --ca --lifetime 3650 --in "$dir/root.key" --type "$type" "${digest[@]}" \
        --dn "$dnb, CN=Cygnet Lab $2 Root CA" --outform pem >"$dir/root.crt"
    for n in left right; do
        lab_pki_run --gen --type "$type" --size "$size" --outform pem >"$dir/int-$n.key"
        lab_pki_run --pub --in "$dir/int-$n.key" --type "$type" |
            lab_pki_run --issue --cacert "$dir/root.crt" --cakey "$dir/root.key" "${digest[@]}" \
                --ca --pathlen 0 --lifetime 3000 \
                --dn "$dnb, CN=Cygnet Lab $2 Intermediate CA $n" --outform pem >"$dir/int-$n.crt"
        lab_pki_run --gen --type "$type" --size "$size" --outform pem >"$dir/$n.key"
        lab_pki_run --pub --in "$dir/$n.key" --type "$type" |
            lab_pki_run --issue --cacert "$dir/int-$n.crt" --cakey "$dir/int-$n.key" "${digest[@]}" \
                --lifetime 1000 --dn "$dnb, CN=$n.lab.test" --san "$n.lab.test" \
                --flag serverAuth --flag clientAuth --outform pem >"$dir/$n.crt"
    done
}

# lab_pki_user DIR NAME USER : a client certificate for USER (SAN USER@lab.test,
#   clientAuth) issued by NAME's int-left, for EAP-TLS: DIR/NAME/USER.{crt,key}.
lab_pki_user() {
    local dir=$1/$2 user=$3 type
    type=$(case $2 in ecdsa*) echo ecdsa ;; *) echo rsa ;; esac)
    lab_pki_run --gen --type "$type" --outform pem >"$dir/$user.key"
    lab_pki_run --pub --in "$dir/$user.key" --type "$type" |
        lab_pki_run --issue --cacert "$dir/int-left.crt" --cakey "$dir/int-left.key" \
            --lifetime 1000 --dn "C=XX, O=Cygnet Lab $2, CN=$user@lab.test" --san "$user@lab.test" \
            --flag clientAuth --outform pem >"$dir/$user.crt"
}

lab_pki() {
    local dir=$1
    [[ -s $dir/rsa4096/right.crt && -s $dir/ecdsa/int-right.crt ]] || {
        lab_log "generating PKI in $dir (ECDSA P-256, RSA-2048, RSA-4096 chains)"
        lab_pki_chain "$dir" ecdsa ecdsa 256
        lab_pki_chain "$dir" rsa rsa 2048
        lab_pki_chain "$dir" rsa4096 rsa 4096
    }
    [[ -s $dir/ecdsa384/right.crt ]] || {
        lab_log "generating PKI in $dir (ECDSA P-384 chain, signed with SHA-384)"
        lab_pki_chain "$dir" ecdsa384 ecdsa 384 sha384
    }
    [[ -s $dir/rsa/alice.crt ]] || {
        lab_log "generating PKI in $dir (client certificate for alice, RSA chain)"
        lab_pki_user "$dir" rsa alice
    }
}

# --- charon -----------------------------------------------------------------

lab_dir() { echo "$LAB_RUN/$(side_of "$(ns_of "$1")")"; }

# lab_render_conf SIDE EXTRA_SNIPPET
lab_render_conf() {
    local side=$1 extra=$2 dir
    dir=$(lab_dir "$side")
    mkdir -p "$dir/piddir"
    cp "$extra" "$dir/extra.conf"
    sed -e "s|@DIR@|$dir|g" -e "s|@EXTRA@|$dir/extra.conf|g" \
        "$LAB_HOME/strongswan.conf.in" >"$dir/strongswan.conf"
}

# Start charon in SIDE's namespace.  charon 5.9.8 always writes
# /var/run/charon.pid, so a per-daemon directory is bind-mounted over /run
# in the (private) mount namespace that `ip netns exec` gives us; the
# exec chain keeps a single PID, which we record.
lab_charon_start() {
    local side=$1 dir ns pid i
    dir=$(lab_dir "$side")
    ns=$(ns_of "$side")
    rm -f "$dir/charon.vici"
    ip netns exec "$ns" env STRONGSWAN_CONF="$dir/strongswan.conf" \
        sh -c "mount --bind '$dir/piddir' /run && exec /usr/lib/ipsec/charon" \
        >"$dir/charon.stdout" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/charon.pid"
    lab_track charon "$pid"
    for ((i = 0; i < 100; i++)); do
        [[ -S $dir/charon.vici ]] && return 0
        [[ -d /proc/$pid ]] || break
        sleep 0.1
    done
    cat "$dir/charon.stdout" >&2 || true
    lab_die "charon ($side) did not come up"
}

lab_charon_stop() {
    local side=$1 dir
    dir=$(lab_dir "$side")
    [[ -f $dir/charon.pid ]] || return 0
    lab_kill_pid "$(cat "$dir/charon.pid")" /usr/lib/ipsec/charon TERM
    rm -f "$dir/charon.pid"
}

# swanctl for one side (vici socket from the rendered strongswan.conf)
lab_sw() {
    local side=$1 dir
    shift
    dir=$(lab_dir "$side")
    STRONGSWAN_CONF=$dir/strongswan.conf SWANCTL_DIR=$dir/swanctl swanctl "$@"
}

# lab_side_files SIDE SCENARIO_DIR PKI: a fresh swanctl directory for SIDE with
# SCENARIO_DIR/SIDE.swanctl.conf and, unless PKI is none, the root CA, SIDE's
# intermediate, SIDE's certificate and key, and the certificate and key of each user
# SCENARIO_DIR/SIDE.users names (lab_pki_user).
lab_side_files() {
    local side=$1 sdir=$2 pki=$3 dir user
    dir=$(lab_dir "$side")
    rm -rf "$dir"
    mkdir -p "$dir"/swanctl/{x509,x509ca,private,conf.d}
    cp "$sdir/$side.swanctl.conf" "$dir/swanctl/swanctl.conf"
    if [[ $pki != none ]]; then
        cp "$LAB_RUN/pki/$pki/root.crt" "$dir/swanctl/x509ca/root.crt"
        cp "$LAB_RUN/pki/$pki/int-$side.crt" "$dir/swanctl/x509ca/int-$side.crt"
        cp "$LAB_RUN/pki/$pki/$side.crt" "$dir/swanctl/x509/$side.crt"
        cp "$LAB_RUN/pki/$pki/$side.key" "$dir/swanctl/private/$side.key"
        if [[ -f $sdir/$side.users ]]; then
            while read -r user; do
                [[ -n $user ]] || continue
                cp "$LAB_RUN/pki/$pki/$user.crt" "$dir/swanctl/x509/$user.crt"
                cp "$LAB_RUN/pki/$pki/$user.key" "$dir/swanctl/private/$user.key"
            done <"$sdir/$side.users"
        fi
    fi
}

# lab_setup SCENARIO PKI: prepare both sides from
# scenarios/SCENARIO/{left,right}.swanctl.conf (SCENARIO may also be a
# directory path) (+ optional {left,right}.charon.conf snippets) and PKI
# (none|ecdsa|ecdsa384|rsa|rsa4096), start both charons, load the configs.
lab_setup() {
    local scen=$1 pki=$2 sdir=$LAB_HOME/scenarios/$1 side dir extra
    [[ $scen == */* ]] && sdir=$scen
    [[ -d $sdir ]] || lab_die "no scenario $scen"
    LAB_SCEN=$(basename "$scen")
    for side in left right; do
        dir=$(lab_dir "$side")
        lab_side_files "$side" "$sdir" "$pki"
        extra=$sdir/$side.charon.conf
        [[ -f $extra ]] || extra=/dev/null
        lab_render_conf "$side" "$extra"
        lab_charon_start "$side"
    done
    for side in left right; do
        lab_sw "$side" --load-all --noprompt >"$(lab_dir "$side")/load-all.log" 2>&1 ||
            { cat "$(lab_dir "$side")/load-all.log" >&2; lab_die "load-all $side failed"; }
    done
}

# --- captures -----------------------------------------------------------------

# lab_cap_start ID SIDE IFACE [extra tshark capture options, e.g. -y LINUX_SLL]
lab_cap_start() {
    local id=$1 side=$2 iface=$3 ns pid i
    shift 3
    ns=$(ns_of "$side")
    mkdir -p "$LAB_RUN/cap"
    rm -f "$LAB_RUN/cap/$id.raw" "$LAB_RUN/cap/$id.log"
    ip netns exec "$ns" tshark -n -q -i "$iface" -f "$CAP_FILTER" "$@" \
        -w "$LAB_RUN/cap/$id.raw" >"$LAB_RUN/cap/$id.log" 2>&1 &
    pid=$!
    echo "$pid" >"$LAB_RUN/cap/$id.pid"
    lab_track tshark "$pid"
    for ((i = 0; i < 100; i++)); do
        grep -q "Capturing on" "$LAB_RUN/cap/$id.log" 2>/dev/null && { sleep 0.3; return 0; }
        [[ -d /proc/$pid ]] || break
        sleep 0.1
    done
    cat "$LAB_RUN/cap/$id.log" >&2
    lab_die "tshark $id did not start"
}

lab_cap_stop() {
    local id=$1
    sleep 0.5
    [[ -f $LAB_RUN/cap/$id.pid ]] || return 0
    lab_kill_pid "$(cat "$LAB_RUN/cap/$id.pid")" tshark INT
    rm -f "$LAB_RUN/cap/$id.pid"
}

# lab_trim ID OUT FORMAT: keep only frames tshark dissects as IKE (drops
# ESP-in-UDP and NAT-T keepalives), write as FORMAT (pcap|pcapng).
lab_trim() {
    local id=$1 out=$2 fmt=$3
    mkdir -p "$(dirname "$out")"
    tshark -n -r "$LAB_RUN/cap/$id.raw" -Y isakmp -F "$fmt" -w "$out"
    lab_log "wrote $out ($(stat -c %s "$out") bytes, $(capinfos -c -M "$out" | awk '/Number of packets/{print $NF}') frames, $(capinfos -E "$out" | awk -F': *' '/encapsulation/{print $2}'))"
}

# keep the daemons' logs of the current scenario
lab_save_logs() {
    local dest=$LAB_RUN/results/${1:-$LAB_SCEN} side
    mkdir -p "$dest"
    for side in left right; do
        cp "$(lab_dir "$side")/charon.log" "$dest/$side-charon.log" 2>/dev/null || true
        cp "$(lab_dir "$side")/charon-keys.log" "$dest/$side-keys.log" 2>/dev/null || true
    done
}

# --- teardown -----------------------------------------------------------------

lab_teardown() {
    local entry kind pid
    for entry in "${LAB_PIDS[@]}"; do
        kind=${entry%%:*}
        pid=${entry#*:}
        case $kind in
            tshark) lab_kill_pid "$pid" tshark INT ;;
            charon) lab_kill_pid "$pid" /usr/lib/ipsec/charon TERM ;;
            *) lab_kill_pid "$pid" "$kind" TERM ;;
        esac
    done
    LAB_PIDS=()
    lab_net_down
}
