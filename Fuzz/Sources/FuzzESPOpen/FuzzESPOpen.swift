import ESPCore
import IKECrypto
import IKEWire

/// libFuzzer entry point for ESP open (RFC 4303 §3.4) on one inbound SA.
///
/// Input: a first byte choosing the suite (low two bits: AES-GCM-16-128,
/// ChaCha20-Poly1305, AES-CBC-128 with HMAC-SHA2-256-128, NULL with HMAC-SHA2-256-128)
/// and ESN (bit 2); then records of `[kind][length][bytes]`. Kind bit 0 set: the bytes
/// are a payload, sealed by the matching outbound SA first, so the fuzzer reaches past
/// the ICV into padding and the window. Otherwise they are a raw packet.
///
/// Properties: nothing traps; a sealed payload opens to the same bytes unless its packet
/// was judged a replay or too old, which the fuzzer cannot cause for a fresh sequence
/// number; a tunnel-mode inner packet found after TFC padding lies inside the payload;
/// the transport-mode header parsers and rewrite stay inside the bytes they are given.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzESPOpen(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let flags = bytes.first, let (outbound, inbound) = pair(flags) else { return 0 }
    var sender = outbound
    var receiver = inbound
    var offset = 1
    while offset + 2 <= bytes.count {
        let kind = bytes[offset]
        let length = min(Int(bytes[offset + 1]) * 8, bytes.count - offset - 2)
        let record = Array(bytes[(offset + 2)..<(offset + 2 + length)])
        offset += 2 + length
        if kind & 1 == 1 {
            guard var packet = try? sender.seal(record, nextHeader: ESPNextHeader(rawValue: kind >> 1)) else { continue }
            guard let opened = try? receiver.open(&packet) else {
                fatalError("a freshly sealed packet did not open")
            }
            if Array(packet[opened.payloadRange]) != record { fatalError("opened payload differs from the sealed one") }
            checkTunnelPayload(opened, packet)
        } else {
            var packet = record
            if let opened = try? receiver.open(&packet) { checkTunnelPayload(opened, packet) }
            checkTransportHeader(record)
        }
    }
    return 0
}

private func pair(_ flags: UInt8) -> (ESPSecurityAssociation, ESPSecurityAssociation)? {
    let provider = CryptoProvider.default
    let suites: [(EncryptionAlgorithmID, Int?, IntegrityAlgorithmID?)] = [
        (.aesGCM16, 128, nil), (.chacha20Poly1305, nil, nil), (.aesCBC, 128, .hmacSHA2_256_128),
        (.null, nil, .hmacSHA2_256_128),
    ]
    let (encryptionID, keyBits, integrityID) = suites[Int(flags & 3)]
    let legacy = provider.addingLegacyTransforms()
    guard let encryption = try? legacy.encryptionAlgorithm(encryptionID, keyBits: keyBits) else { return nil }
    let integrity = integrityID.flatMap { try? provider.integrityAlgorithm($0) }
    let key = SecretBytes((0..<encryption.keyMaterialLength).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) })
    let integrityKey = SecretBytes((0..<(integrity?.keyLength ?? 0)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) })
    let make = {
        try? ESPSecurityAssociation(
            spi: 0x1234_5678, encryption: encryption, encryptionKey: key, integrity: integrity,
            integrityKey: integrityKey, usesExtendedSequenceNumbers: flags & 4 != 0, replayWindowSize: 64)
    }
    guard let outbound = make(), let inbound = make() else { return nil }
    return (outbound, inbound)
}

/// The inner packet `ESPTunnelPayload` cuts from an opened packet lies in its payload.
private func checkTunnelPayload(_ opened: ESPInboundPacket, _ packet: [UInt8]) {
    guard let range = try? ESPTunnelPayload.innerPacketRange(of: opened, in: packet) else { return }
    if range.lowerBound != opened.payloadRange.lowerBound || range.upperBound > opened.payloadRange.upperBound {
        fatalError("inner packet \(range) outside the payload \(opened.payloadRange)")
    }
}

/// Both transport-mode parsers on raw bytes; a parsed header is rewritten in place.
private func checkTransportHeader(_ record: [UInt8]) {
    var bytes = record
    bytes.withUnsafeMutableBytes { raw in
        for header in [try? ESPTransportHeader(inbound: UnsafeRawBufferPointer(raw)), try? ESPTransportHeader(outbound: UnsafeRawBufferPointer(raw))] {
            guard let header else { continue }
            if header.length > raw.count || header.protocolFieldOffset >= header.length {
                fatalError("transport header of \(header.length) bytes in \(raw.count)")
            }
            _ = try? header.rewrite(raw, nextHeader: .esp, payloadLength: raw.count - header.length)
        }
    }
}
