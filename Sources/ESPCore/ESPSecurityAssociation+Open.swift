import IKECrypto

extension ESPSecurityAssociation {
    /// The shortest packet this SA can accept: header, IV, Pad Length, Next Header and
    /// ICV, with the ciphertext at least one cipher block.
    public var minimumPacketLength: Int { headerLength + max(2, blockSize) + icvLength }

    /// Opens one inbound ESP packet (RFC 4303 §3.4) in place: checks its length, SPI and
    /// sequence number against the anti-replay window, verifies the ICV, decrypts it in
    /// `packet`, updates the window, and checks the padding.
    ///
    /// The steps run in the order §3.4 gives, so a forged packet never moves the window:
    /// "the receiver proceeds to ICV verification" only for a packet that is new or right
    /// of the window, and "the receive window is updated only if the ICV verification
    /// succeeds" (§3.4.3). A dummy packet (Next Header 59, §2.6) is returned like any
    /// other, with ``ESPInboundPacket/isDummy`` set, for the caller to discard and count.
    ///
    /// - Returns: the Next Header and where the payload lies in `packet`.
    /// - Throws: ``ESPError`` with ``ESPError/Code/truncated``, ``ESPError/Code/badSPI``,
    ///   ``ESPError/Code/replayed``, ``ESPError/Code/tooOld``,
    ///   ``ESPError/Code/icvFailure``, ``ESPError/Code/badPadding`` or
    ///   ``ESPError/Code/lifetimeExpired`` (a hard lifetime was reached); the SA's state is
    ///   then unchanged, except that a packet dropped for bad padding was authentic and
    ///   stays recorded in the window.
    public mutating func open(_ packet: UnsafeMutableRawBufferPointer) throws(ESPError) -> ESPInboundPacket {
        // Lengths first, before any field is read.
        guard packet.count >= minimumPacketLength else {
            throw ESPError(.truncated, "\(packet.count) bytes, at least \(minimumPacketLength) needed")
        }
        let payloadStart = headerLength
        let icvStart = packet.count - icvLength
        let ciphertextLength = icvStart - payloadStart
        // RFC 3602 §3: the ciphertext of a CBC mode is a whole number of blocks.
        let partialBlock =
            blockSize & (blockSize &- 1) == 0 ? ciphertextLength & (blockSize &- 1) : ciphertextLength % blockSize
        guard partialBlock == 0 else {
            throw ESPError(.truncated, "ciphertext of \(ciphertextLength) bytes is not whole \(blockSize)-byte blocks")
        }
        // RFC 4303 §3.4.2: "If no valid Security Association exists for this packet, the
        // receiver MUST discard the packet".
        let receivedSPI = packet.loadBigEndianUInt32(at: 0)
        guard receivedSPI == spi else { throw ESPError(.badSPI, "SPI \(receivedSPI)") }
        try checkLifetime()
        // RFC 4303 §3.4.3: "Duplicates are rejected through the use of a sliding receive
        // window"; checked before the ICV so a replay costs no crypto.
        let sequence = try replayWindow.check(packet.loadBigEndianUInt32(at: 4))

        let iv = UnsafeRawBufferPointer(rebasing: packet[8..<payloadStart])
        let ciphertext = packet.slice(payloadStart..<icvStart)
        let icv = packet.slice(icvStart..<packet.count)
        switch protection {
        case .aead(let context):
            let opened: Bool = withAAD(sequence: sequence, packet: packet) { aad in
                do {
                    try context.open(iv: iv, aad: aad, data: ciphertext, icv: UnsafeRawBufferPointer(icv))
                    return true
                } catch {
                    return false
                }
            }
            // RFC 4303 §3.4.4.2: "If the ICV validation fails, the receiver MUST discard
            // the received IP datagram as invalid".
            guard opened else { throw ESPError(.icvFailure) }
        case .cipher(let cipher, _, let integrity):
            guard verifyICV(integrity: integrity, sequence: sequence, packet: packet, icvStart: icvStart) else {
                throw ESPError(.icvFailure)
            }
            do {
                try cipher.decrypt(iv: iv, data: ciphertext)
            } catch {
                throw ESPError(.truncated, "cipher refused the ciphertext length")
            }
        }
        replayWindow.accept(sequence)
        countLifetime(bytes: ciphertextLength)

        let nextHeader = ESPNextHeader(rawValue: ciphertext[ciphertextLength - 1])
        let padding = Int(ciphertext[ciphertextLength - 2])
        guard padding + 2 <= ciphertextLength else {
            throw ESPError(.badPadding, "Pad Length \(padding) exceeds the \(ciphertextLength)-byte plaintext")
        }
        let payloadLength = ciphertextLength - 2 - padding
        // RFC 4303 §2.4: "the receiver SHOULD inspect the Padding field" (for the default
        // padding scheme, 1, 2, 3, …); Cygnet drops a packet whose padding differs.
        for index in 0..<padding where ciphertext[payloadLength + index] != UInt8(truncatingIfNeeded: index + 1) {
            throw ESPError(.badPadding, "padding byte \(index + 1) is \(ciphertext[payloadLength + index])")
        }
        return ESPInboundPacket(
            nextHeader: nextHeader, payloadRange: payloadStart..<payloadStart + payloadLength, sequenceNumber: sequence)
    }

    /// Opens `packet` in place in an array (a convenience over ``open(_:)-(UnsafeMutableRawBufferPointer)`` for tests and
    /// cold paths).
    public mutating func open(_ packet: inout [UInt8]) throws(ESPError) -> ESPInboundPacket {
        let result: Result<ESPInboundPacket, ESPError> = packet.withUnsafeMutableBytes { buffer in
            Result { () throws(ESPError) in try open(buffer) }
        }
        return try result.get()
    }

    /// Checks, in constant time, the ICV at `icvStart` against one computed over the
    /// packet before it (plus the ESN high-order bits, RFC 4303 §3.4.4.1). The ICV field
    /// is restored before returning.
    func verifyICV(
        integrity: any IntegrityContext, sequence: UInt64, packet: UnsafeMutableRawBufferPointer, icvStart: Int
    ) -> Bool {
        let icv = packet.slice(icvStart..<packet.count)
        return withStackScratch { received in
            let saved = received.slice(0..<icv.count)
            saved.copyMemory(from: UnsafeRawBufferPointer(icv))
            return withStackScratch { computed in
                let expected = computed.slice(0..<icv.count)
                computeICV(integrity: integrity, sequence: sequence, packet: packet, icvStart: icvStart, into: expected)
                icv.copyMemory(from: UnsafeRawBufferPointer(saved))
                return ConstantTime.equal(UnsafeRawBufferPointer(expected), UnsafeRawBufferPointer(saved))
            }
        }
    }
}
