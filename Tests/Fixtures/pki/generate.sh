#!/bin/sh
# Regenerates the test PKI. Run from this folder: sh generate.sh
# Everything is valid for 100 years from the day it is made, except right-expired
# (30 days). Tests pass the validation time explicitly (see README.md).
set -eu
DAYS=36500
ext() { printf '%s\n' "$@" > ext.cnf; }

key() { # name type
  case "$2" in
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$1.key" ;;
  esac
}

root() { # name type cn
  key "$1" "$2"
  openssl req -new -x509 -key "$1.key" -subj "/O=Cygnet Lab/CN=$3" -days $DAYS -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$1.pem"
}

issue() { # name type cn issuer days extensions...
  name=$1; type=$2; cn=$3; issuer=$4; days=$5; shift 5
  key "$name" "$type"
  openssl req -new -key "$name.key" -subj "/O=Cygnet Lab/CN=$cn" -out "$name.csr"
  ext "$@" "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid"
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -CAcreateserial \
    -days "$days" -sha256 -extfile ext.cnf -out "$name.pem"
  rm -f "$name.csr"
}

ca_ext="basicConstraints=critical,CA:TRUE,pathlen:0"
ca_ku="keyUsage=critical,keyCertSign,cRLSign"
ee_ku="keyUsage=critical,digitalSignature"

# ECDSA P-256: root -> intermediate -> end entities (some with Ed25519 keys)
root ec-root p256 "Cygnet Lab EC Root"
issue ec-intermediate p256 "Cygnet Lab EC Intermediate" ec-root $DAYS "$ca_ext" "$ca_ku"
issue left-ec p256 left.lab.test ec-intermediate $DAYS "$ee_ku" \
  "subjectAltName=DNS:left.lab.test,email:left@lab.test,IP:192.0.2.1,IP:2001:db8::1"
issue right-ec p256 right.lab.test ec-intermediate $DAYS "$ee_ku" \
  "subjectAltName=DNS:right.lab.test,email:right@lab.test,IP:192.0.2.2,IP:2001:db8::2"
issue mallory-ec p256 mallory.lab.test ec-intermediate $DAYS "$ee_ku" \
  "subjectAltName=DNS:mallory.lab.test,email:mallory@lab.test,IP:192.0.2.66"
issue right-expired p256 right.lab.test ec-intermediate 30 "$ee_ku" "subjectAltName=DNS:right.lab.test"
# A remote-access gateway's certificate as the built-in clients want it: serverAuth.
issue vpn-gateway-ec p256 vpn.lab.test ec-intermediate $DAYS "$ee_ku" "extendedKeyUsage=serverAuth" \
  "subjectAltName=DNS:vpn.lab.test,IP:192.0.2.2"
issue left-ed25519 ed25519 left.lab.test ec-intermediate $DAYS "$ee_ku" "subjectAltName=DNS:left.lab.test"
issue right-ed25519 ed25519 right.lab.test ec-intermediate $DAYS "$ee_ku" "subjectAltName=DNS:right.lab.test"

# RSA-2048: root -> intermediate -> end entities
root rsa-root rsa "Cygnet Lab RSA Root"
issue rsa-intermediate rsa "Cygnet Lab RSA Intermediate" rsa-root $DAYS "$ca_ext" "$ca_ku"
issue left-rsa rsa left.lab.test rsa-intermediate $DAYS "$ee_ku" \
  "subjectAltName=DNS:left.lab.test,email:left@lab.test,IP:192.0.2.1"
issue right-rsa rsa right.lab.test rsa-intermediate $DAYS "$ee_ku" \
  "subjectAltName=DNS:right.lab.test,email:right@lab.test,IP:192.0.2.2"

# A CA nobody configures, and a certificate for right.lab.test from it.
root other-root p256 "Someone Else's Root"
issue other-right p256 right.lab.test other-root $DAYS "$ee_ku" "subjectAltName=DNS:right.lab.test"

rm -f ext.cnf *.srl
