import IKECrypto

extension ESPSecurityAssociation {
    /// Seals one payload into an ESP packet (RFC 4303 §3.3) in `output`, and returns the
    /// packet's length (``sealedLength(payloadLength:)``).
    ///
    /// The packet is SPI, sequence number, IV, the payload, padding of 1, 2, 3, … (§2.4),
    /// Pad Length, Next Header, then the ICV. For AES-GCM and ChaCha20-Poly1305 the AAD is
    /// SPI ‖ sequence number, or SPI ‖ ESN high ‖ ESN low with ESN (RFC 4106 §5,
    /// RFC 7634 §2.1); for a cipher with integrity the ICV covers the packet up to the ICV
    /// and, with ESN, the high-order 32 bits appended (RFC 4303 §3.3.2.2).
    ///
    /// `payload` may already lie at ``headerLength`` in `output` (seal in place); then it
    /// is not copied.
    ///
    /// - Throws: ``ESPError/Code/sequenceNumberExhausted`` when the next sequence number
    ///   would cycle, ``ESPError/Code/lifetimeExpired`` once a hard lifetime was reached
    ///   (in both cases the SA must be rekeyed; nothing is written), or
    ///   ``ESPError/Code/bufferTooSmall``.
    public mutating func seal(
        payload: UnsafeRawBufferPointer, nextHeader: ESPNextHeader, into output: UnsafeMutableRawBufferPointer
    ) throws(ESPError) -> Int {
        try seal(payload: payload, nextHeader: nextHeader, into: output, explicitIV: nil)
    }

    /// ``seal(payload:nextHeader:into:)`` with the IV given instead of derived from the
    /// sequence number: a seam for known-answer tests, whose published packets carry IVs
    /// of their authors' choosing. Never used by the data plane (a repeated IV under one
    /// key breaks AES-GCM and ChaCha20-Poly1305).
    @inline(__always)
    mutating func seal(
        payload: UnsafeRawBufferPointer, nextHeader: ESPNextHeader, into output: UnsafeMutableRawBufferPointer,
        explicitIV: UnsafeRawBufferPointer?
    ) throws(ESPError) -> Int {
        // RFC 4303 §3.3.3: "If anti-replay is enabled (the default), the sender checks to
        // ensure that the counter has not cycled before inserting the new value in the
        // Sequence Number field. In other words, the sender MUST NOT send a packet on an
        // SA if doing so would cause the Sequence Number to cycle."
        guard lastSequenceNumber < maximumSequenceNumber else {
            throw ESPError(.sequenceNumberExhausted, "SPI \(spi) sent \(lastSequenceNumber) packets; rekey required")
        }
        try checkLifetime()
        let padding = paddingLength(payloadLength: payload.count)
        let total = headerLength + payload.count + padding + 2 + icvLength
        guard output.count >= total else {
            throw ESPError(.bufferTooSmall, "need \(total) bytes, have \(output.count)")
        }
        let sequence = lastSequenceNumber + 1
        let payloadStart = headerLength
        let trailerStart = payloadStart + payload.count + padding
        let icvStart = trailerStart + 2

        if payload.count > 0, payload.baseAddress != UnsafeRawPointer(output.baseAddress.map { $0 + payloadStart }) {
            output.slice(payloadStart..<payloadStart + payload.count).copyMemory(from: payload)
        }
        output.storeBigEndian(spi, at: 0)
        output.storeBigEndian(UInt32(truncatingIfNeeded: sequence), at: 4)
        // RFC 4303 §2.4: "the Padding bytes are initialized with a series of (unsigned,
        // 1-byte integer) values. The first padding byte appended to the plaintext is
        // numbered 1, with subsequent padding bytes making up a monotonically increasing
        // sequence".
        for index in 0..<padding {
            output[payloadStart + payload.count + index] = UInt8(truncatingIfNeeded: index + 1)
        }
        output[trailerStart] = UInt8(padding)
        output[trailerStart + 1] = nextHeader.rawValue

        let iv = output.slice(8..<payloadStart)
        let plaintext = output.slice(payloadStart..<icvStart)
        let icv = output.slice(icvStart..<total)
        switch protection {
        case .aead(let context):
            if let explicitIV {
                guard explicitIV.count == iv.count else { throw ESPError(.invalidConfiguration, "IV length") }
                iv.copyMemory(from: explicitIV)
            } else {
                iv.storeBigEndian(sequence, at: 0)
            }
            let result: Result<Void, IKECryptoError> = withAAD(sequence: sequence, packet: output) { aad in
                Result { () throws(IKECryptoError) in
                    try context.seal(iv: UnsafeRawBufferPointer(iv), aad: aad, data: plaintext, icv: icv)
                }
            }
            guard case .success = result else { throw ESPError(.cryptoFailure, "AEAD seal failed") }
        case .cipher(let cipher, let blockSize, let integrity):
            if let explicitIV {
                guard explicitIV.count == iv.count else { throw ESPError(.invalidConfiguration, "IV length") }
                if iv.count > 0 { iv.copyMemory(from: explicitIV) }
            } else {
                let ivResult = makeCipherIV(sequence: sequence, cipher: cipher, blockSize: blockSize, iv: iv)
                guard ivResult else { throw ESPError(.cryptoFailure, "IV derivation failed") }
            }
            do {
                try cipher.encrypt(iv: UnsafeRawBufferPointer(iv), data: plaintext)
            } catch {
                throw ESPError(.cryptoFailure, "cipher failed")
            }
            computeICV(integrity: integrity, sequence: sequence, packet: output, icvStart: icvStart, into: icv)
        }
        lastSequenceNumber = sequence
        countLifetime(bytes: icvStart - payloadStart)
        return total
    }

    /// Seals `payload` into a new array: a convenience for tests and cold paths (it
    /// allocates; the data plane uses ``seal(payload:nextHeader:into:)``).
    public mutating func seal(_ payload: [UInt8], nextHeader: ESPNextHeader) throws(ESPError) -> [UInt8] {
        var packet = [UInt8](repeating: 0, count: sealedLength(payloadLength: payload.count))
        let result: Result<Int, ESPError> = payload.withUnsafeBytes { payload in
            packet.withUnsafeMutableBytes { output in
                Result { () throws(ESPError) in try seal(payload: payload, nextHeader: nextHeader, into: output) }
            }
        }
        _ = try result.get()
        return packet
    }

    /// Calls `body` with the AEAD's additional authenticated data: SPI ‖ sequence number
    /// (the packet's first 8 bytes), or SPI ‖ ESN high ‖ ESN low (RFC 4106 §5).
    func withAAD<Result>(
        sequence: UInt64, packet: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        guard usesExtendedSequenceNumbers else {
            return body(UnsafeRawBufferPointer(rebasing: packet[0..<8]))
        }
        return withStackScratch { scratch in
            scratch.storeBigEndian(spi, at: 0)
            scratch.storeBigEndian(sequence, at: 4)
            return body(UnsafeRawBufferPointer(rebasing: scratch[0..<12]))
        }
    }

    /// Writes the IV for a cipher: for a block cipher (CBC), the block holding SPI and
    /// sequence number encrypted under the SA key, so it is unpredictable (RFC 3602 §2.3:
    /// "The IV MUST be chosen at random, and MUST be unpredictable"; NIST SP 800-38A
    /// Appendix C, first method); for a stream mode (CTR), the sequence number, unique
    /// per key (RFC 3686 §3.1: "the IV ... MUST be unique for each packet").
    func makeCipherIV(
        sequence: UInt64, cipher: any CipherContext, blockSize: Int, iv: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard iv.count > 0 else { return true }
        for index in iv.indices { iv[index] = 0 }
        if iv.count >= 8 {
            iv.storeBigEndian(sequence, at: iv.count - 8)
            if iv.count >= 12 { iv.storeBigEndian(spi, at: iv.count - 12) }
        } else {
            for index in 0..<iv.count {
                iv[index] = UInt8(truncatingIfNeeded: sequence >> UInt64(8 * (iv.count - 1 - index)))
            }
        }
        guard blockSize > 1 else { return true }
        return withStackScratch { zeros in
            do {
                try cipher.encrypt(iv: UnsafeRawBufferPointer(rebasing: zeros[0..<iv.count]), data: iv)
                return true
            } catch {
                return false
            }
        }
    }

    /// The ICV over the packet up to `icvStart`, with the ESN high-order bits appended
    /// when ESN is in use (RFC 4303 §2.2.1: "the high-order 32 bits ... are included in
    /// the ICV computation"), written to `icv`. The 4 appended bytes are staged in the
    /// ICV field, which the result then overwrites.
    func computeICV(
        integrity: any IntegrityContext, sequence: UInt64, packet: UnsafeMutableRawBufferPointer, icvStart: Int,
        into icv: UnsafeMutableRawBufferPointer
    ) {
        var covered = icvStart
        if usesExtendedSequenceNumbers {
            packet.storeBigEndian(UInt32(truncatingIfNeeded: sequence >> 32), at: icvStart)
            covered += 4
        }
        withStackScratch { scratch in
            let mac = scratch.slice(0..<icv.count)
            integrity.authenticate(UnsafeRawBufferPointer(rebasing: packet[0..<covered]), icv: mac)
            icv.copyMemory(from: UnsafeRawBufferPointer(mac))
        }
    }
}
