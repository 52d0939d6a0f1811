#!/usr/bin/env python3
"""Writes the IKE messages found in the fixtures as fuzzing seeds, one file each.

    extract-seeds.py OUTDIR FIXTURES_DIR...

Reads every *.pcap / *.pcapng (Ethernet, Linux cooked v1/v2, raw IP, BSD loopback) and
every *.hex (one message per line, optionally after a frame number, or one
message in the whole file; '#' comments ignored) under the given folders.
From captures it keeps UDP payloads to or from port 500, and port 4500 datagrams that
carry the non-ESP marker (RFC 3948 §2.2), with the marker stripped. Standard library only.
"""
import hashlib
import os
import struct
import sys


def ip_udp_payload(packet, linktype):
    """Returns (src_port, dst_port, udp_payload) or None."""
    if linktype == 1:  # Ethernet
        off, ethertype = 14, struct.unpack_from(">H", packet, 12)[0] if len(packet) >= 14 else 0
        while ethertype in (0x8100, 0x88A8) and len(packet) >= off + 4:  # VLAN tags
            ethertype = struct.unpack_from(">H", packet, off + 2)[0]
            off += 4
    elif linktype == 113:  # Linux cooked (SLL)
        if len(packet) < 16:
            return None
        off, ethertype = 16, struct.unpack_from(">H", packet, 14)[0]
    elif linktype == 276:  # Linux cooked v2 (SLL2)
        if len(packet) < 20:
            return None
        off, ethertype = 20, struct.unpack_from(">H", packet, 0)[0]
    elif linktype in (101, 12, 14, 228, 229):  # raw IP
        off = 0
        ethertype = 0x0800 if packet and packet[0] >> 4 == 4 else 0x86DD
    elif linktype in (0, 108):  # BSD loopback
        if len(packet) < 4:
            return None
        off = 4
        ethertype = 0x0800 if len(packet) > 4 and packet[4] >> 4 == 4 else 0x86DD
    else:
        return None
    ip = packet[off:]
    if ethertype == 0x0800:
        if len(ip) < 20 or ip[9] != 17:
            return None
        if struct.unpack_from(">H", ip, 6)[0] & 0x1FFF:  # a later fragment
            return None
        udp = ip[(ip[0] & 0x0F) * 4:]
    elif ethertype == 0x86DD:
        if len(ip) < 40:
            return None
        next_header, udp = ip[6], ip[40:]
        while next_header in (0, 43, 60) and len(udp) >= 8:  # hop-by-hop, routing, dest. options
            next_header, udp = udp[0], udp[(udp[1] + 1) * 8:]
        if next_header == 44 and len(udp) >= 8:  # fragment header
            if struct.unpack_from(">H", udp, 2)[0] & 0xFFF8:
                return None
            next_header, udp = udp[0], udp[8:]
        if next_header != 17:
            return None
    else:
        return None
    if len(udp) < 8:
        return None
    sport, dport, length = struct.unpack_from(">HHH", udp, 0)
    return sport, dport, udp[8:max(8, length)] if length >= 8 else udp[8:]


def pcap_packets(data):
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        return
    linktype = struct.unpack_from(endian + "I", data, 20)[0] & 0x0FFFFFFF
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack_from(endian + "I", data, off + 8)[0]
        yield linktype, data[off + 16:off + 16 + incl]
        off += 16 + incl


def pcapng_packets(data):
    off, endian, linktypes = 0, "<", []
    while off + 12 <= len(data):
        block_type = struct.unpack_from(endian + "I", data, off)[0]
        if block_type == 0x0A0D0D0A:  # section header: byte order magic decides endianness
            endian = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            linktypes = []
        length = struct.unpack_from(endian + "I", data, off + 4)[0]
        if length < 12 or off + length > len(data):
            return
        body = data[off + 8:off + length - 4]
        if block_type == 1:  # interface description
            linktypes.append(struct.unpack_from(endian + "H", body, 0)[0])
        elif block_type == 6:  # enhanced packet
            interface, _, _, captured = struct.unpack_from(endian + "IIII", body, 0)
            if interface < len(linktypes):
                yield linktypes[interface], body[20:20 + captured]
        elif block_type == 3 and linktypes:  # simple packet
            captured = struct.unpack_from(endian + "I", body, 0)[0]
            yield linktypes[0], body[4:4 + captured]
        off += length


def messages_in_capture(path):
    with open(path, "rb") as f:
        data = f.read()
    packets = pcapng_packets(data) if data[:4] == b"\x0a\x0d\x0d\x0a" else pcap_packets(data)
    for linktype, packet in packets:
        found = ip_udp_payload(packet, linktype)
        if not found:
            continue
        sport, dport, payload = found
        if 500 in (sport, dport):
            yield payload
        elif 4500 in (sport, dport) and len(payload) > 4 and payload[:4] == b"\0\0\0\0":
            yield payload[4:]


def messages_in_hex(path):
    """One message per line, optionally behind a frame number ("3 2120..."); or, when no
    line looks like that, the whole file as one message."""
    with open(path) as f:
        lines = [line.split("#", 1)[0].split() for line in f]
    lines = [tokens for tokens in lines if tokens]
    numbered = lines and all(len(t) == 2 and t[0].isdigit() for t in lines)
    chunks = [t[1] for t in lines] if numbered else ["".join(sum(lines, []))]
    for chunk in chunks:
        try:
            yield bytes.fromhex(chunk)
        except ValueError:
            print(f"extract-seeds: {path}: not hex, skipped", file=sys.stderr)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    written = 0
    for root_dir in sys.argv[2:]:
        for root, _, files in os.walk(root_dir):
            for name in sorted(files):
                path = os.path.join(root, name)
                if name.endswith((".pcap", ".pcapng", ".cap")):
                    messages = messages_in_capture(path)
                elif name.endswith(".hex"):
                    messages = messages_in_hex(path)
                else:
                    continue
                try:
                    for message in messages:
                        seed = os.path.join(outdir, "seed-" + hashlib.sha1(message).hexdigest())
                        if not os.path.exists(seed):
                            with open(seed, "wb") as f:
                                f.write(message)
                            written += 1
                except (struct.error, IndexError) as error:
                    print(f"extract-seeds: {path}: {error}, rest skipped", file=sys.stderr)
    print(f"extract-seeds: {written} seeds written to {outdir}")


if __name__ == "__main__":
    main()
