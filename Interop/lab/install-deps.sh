#!/usr/bin/env bash
# Installs everything the Cygnet strongSwan capture lab needs (Debian 12).
set -euo pipefail
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    strongswan-charon strongswan-swanctl strongswan-pki charon-cmd \
    libcharon-extra-plugins libstrongswan-extra-plugins \
    libstrongswan-standard-plugins \
    tshark iproute2 iptables nftables procps
