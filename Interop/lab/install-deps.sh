#!/usr/bin/env bash
# Installs everything the Cygnet strongSwan capture lab, the interop suite and
# Interop/throughput.sh need (Debian 12). iperf3's service is not started (no systemd
# in the lab; the suite starts its own servers inside its namespaces).
set -euo pipefail
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    strongswan-charon strongswan-swanctl strongswan-pki charon-cmd \
    libcharon-extra-plugins libcharon-extauth-plugins libstrongswan-extra-plugins \
    libstrongswan-standard-plugins \
    tshark iproute2 iptables nftables conntrack procps \
    iperf3 iputils-ping python3 freeradius
