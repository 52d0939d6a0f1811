import IKEWire

extension PseudorandomFunction {
    /// prf+ (RFC 7296 §2.13):
    ///
    /// ```
    /// prf+ (K,S) = T1 | T2 | T3 | T4 | ...
    /// T1 = prf (K, S | 0x01)
    /// T2 = prf (K, T1 | S | 0x02)
    /// ...
    /// ```
    /// RFC 7296 §2.13: "The prf+ function is not defined beyond 255 times the size of the
    /// prf function output", so longer requests throw.
    public func prfPlus(key: SecretBytes, seed: SecretBytes, length: Int) throws(IKECryptoError) -> SecretBytes {
        guard length >= 0, length <= 255 * outputLength else {
            throw IKECryptoError(.invalidParameter, "prf+ cannot produce \(length) bytes with \(id)")
        }
        var blocks: [SecretBytes] = []
        var produced = 0
        var previous = SecretBytes([UInt8]())
        var counter: UInt8 = 1
        while produced < length {
            let input = SecretBytes(concatenating: [previous, seed, SecretBytes([counter])])
            previous = input.withUnsafeBytes { data in computeSecret(key: key, data: data) }
            blocks.append(previous)
            produced += previous.count
            counter &+= 1
        }
        return SecretBytes(concatenating: blocks)[0..<length]
    }

    /// prf(key, data) where `data` holds secret bytes: the temporary array handed to
    /// ``compute(key:data:)`` is zeroed afterwards.
    public func computeSecret(key: SecretBytes, data: UnsafeRawBufferPointer) -> SecretBytes {
        var copy = Array(data)
        defer { copy.withUnsafeMutableBytes { if let base = $0.baseAddress { explicitZero(base, $0.count) } } }
        return compute(key: key, data: copy)
    }

    /// Whether this PRF takes a fixed-length key, so that SKEYSEED's key is built from the
    /// first halves of the nonces (RFC 7296 §2.14): AES-XCBC-PRF-128 (RFC 4434) and
    /// AES-CMAC-PRF-128 (RFC 4615).
    public var hasFixedKeyLength: Bool { id == .aes128XCBC || id == .aes128CMAC }
}
