extension ESPSecurityAssociation {
    /// The most an ESP packet adds to its payload with this SA: header, IV, the largest
    /// padding this SA makes, Pad Length, Next Header and ICV.
    public var maximumOverhead: Int { headerLength + alignment - 1 + 2 + icvLength }

    /// Seals an IP packet in transport mode (RFC 4303 §3.1.1): its IP header (see
    /// ``ESPTransportHeader`` for which IPv6 extension headers stay in front) is kept,
    /// announces ESP (50) with the new lengths, and the upper-layer payload is sealed
    /// after it with the upper-layer protocol as Next Header.
    ///
    /// `output` may be a separate buffer or the one `ipPacket` starts (with room after it
    /// for ``maximumOverhead`` more bytes); the payload is moved, never read after it was
    /// overwritten.
    ///
    /// - Returns: the length of the packet written at the start of `output`.
    /// - Throws: what ``ESPTransportHeader/init(outbound:)`` and
    ///   ``seal(payload:nextHeader:into:)`` throw.
    public mutating func sealTransportMode(
        _ ipPacket: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(ESPError) -> Int {
        let header = try ESPTransportHeader(outbound: ipPacket)
        let payload = UnsafeRawBufferPointer(rebasing: ipPacket[header.length...])
        let espLength = sealedLength(payloadLength: payload.count)
        guard output.count >= header.length + espLength else {
            throw ESPError(.bufferTooSmall, "need \(header.length + espLength) bytes, have \(output.count)")
        }
        let sealed = try seal(
            payload: payload, nextHeader: header.nextHeader, into: output.slice(header.length..<output.count))
        if ipPacket.baseAddress != UnsafeRawPointer(output.baseAddress) {
            output.slice(0..<header.length).copyMemory(from: UnsafeRawBufferPointer(rebasing: ipPacket[0..<header.length]))
        }
        try header.rewrite(output, nextHeader: .esp, payloadLength: sealed)
        return header.length + sealed
    }

    /// Opens a transport-mode packet (an IP header, then ESP) in place and rebuilds the
    /// IP packet that was protected: the header is moved up against the decrypted
    /// payload and gets back the upper-layer protocol (ESP's Next Header), its lengths,
    /// and for IPv4 a new header checksum.
    ///
    /// A dummy packet (Next Header 59) comes back like any other, with
    /// ``ESPInboundPacket/isDummy`` set, for the caller to drop.
    ///
    /// - Returns: where the rebuilt IP packet lies in `packet`, and what ``open(_:)-(UnsafeMutableRawBufferPointer)``
    ///   found (its payload range is that of the upper-layer payload).
    /// - Throws: what ``ESPTransportHeader/init(inbound:)`` and ``open(_:)-(UnsafeMutableRawBufferPointer)`` throw.
    public mutating func openTransportMode(
        _ packet: UnsafeMutableRawBufferPointer
    ) throws(ESPError) -> (packet: Range<Int>, opened: ESPInboundPacket) {
        let header = try ESPTransportHeader(inbound: UnsafeRawBufferPointer(packet))
        let esp = packet.slice(header.length..<packet.count)
        var opened = try open(esp)
        opened.payloadRange = header.length + opened.payloadRange.lowerBound..<header.length + opened.payloadRange.upperBound
        let start = opened.payloadRange.lowerBound - header.length
        let rebuilt = packet.slice(start..<opened.payloadRange.lowerBound)
        // Move the header up against the payload (the regions may overlap).
        rebuilt.copyMemory(from: UnsafeRawBufferPointer(rebasing: packet[0..<header.length]))
        try header.rewrite(rebuilt, nextHeader: opened.nextHeader, payloadLength: opened.payloadRange.count)
        return (start..<opened.payloadRange.upperBound, opened)
    }
}
