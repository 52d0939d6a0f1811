#!/usr/bin/env python3
"""Known answers for Tests/CygnetDaemonTests/AAA/RADIUSKnownAnswerTests.swift, computed here
with Python's hashlib and hmac, independently of the Swift code (RFC 2865 §3, RFC 3579
§3.2, RFC 2548 §2.4.2/§2.4.3). Run it to print the vectors; the test holds a copy.
"""
import hashlib
import hmac
import struct

SECRET = b"cygnet-radius-secret"
REQUEST_AUTH = bytes(range(0x10, 0x20))


def attr(t, v):
    return bytes([t, len(v) + 2]) + v


def packet(code, ident, auth, attrs):
    body = b"".join(attrs)
    return bytes([code, ident]) + struct.pack(">H", 20 + len(body)) + auth + body


def with_message_authenticator(code, ident, auth_for_hmac, attrs):
    """The packet with a Message-Authenticator last, computed over auth_for_hmac."""
    unsigned = packet(code, ident, auth_for_hmac, attrs + [attr(80, bytes(16))])
    mac = hmac.new(SECRET, unsigned, hashlib.md5).digest()
    return attrs + [attr(80, mac)]


def answer(code, ident, attrs):
    attrs = with_message_authenticator(code, ident, REQUEST_AUTH, attrs)
    unsigned = packet(code, ident, REQUEST_AUTH, attrs)
    response_auth = hashlib.md5(unsigned + SECRET).digest()
    return packet(code, ident, response_auth, attrs)


def mppe(vendor_type, salt, key):
    plain = bytes([len(key)]) + key
    plain += bytes(-len(plain) % 16)
    out = b""
    previous = REQUEST_AUTH + salt
    for i in range(0, len(plain), 16):
        b = hashlib.md5(SECRET + previous).digest()
        c = bytes(x ^ y for x, y in zip(plain[i:i + 16], b))
        out += c
        previous = c
    sub = bytes([vendor_type, 2 + 2 + len(out)]) + salt + out
    return attr(26, struct.pack(">I", 311) + sub)


SEND_KEY = bytes(range(0xa0, 0xc0))
RECV_KEY = bytes(range(0x40, 0x60))

request = packet(1, 7, REQUEST_AUTH, with_message_authenticator(
    1, 7, REQUEST_AUTH, [attr(1, b"alice"), attr(79, bytes.fromhex("0201000a01616c696365"))]))
challenge = answer(11, 7, [attr(79, bytes.fromhex("0102001604101112131415161718191a1b1c1d1e1f20")), attr(24, b"state-1")])
accept = answer(2, 7, [
    attr(8, bytes([10, 3, 0, 7])),
    attr(25, b"class-a"),
    attr(27, struct.pack(">I", 3600)),
    mppe(16, bytes([0x80, 0x01]), SEND_KEY),
    mppe(17, bytes([0x80, 0x02]), RECV_KEY),
    attr(79, bytes.fromhex("03020004")),
])
print("request  ", request.hex())
print("challenge", challenge.hex())
print("accept   ", accept.hex())
print("msk      ", (RECV_KEY + SEND_KEY).hex())
