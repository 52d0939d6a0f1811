import CCryptoBoringSSL

/// The first side of a MODP exchange: the private exponent (zeroed on release) and the
/// public value g^x mod p.
struct MODPKeyExchangeShare: KeyExchangeShare {
    let group: MODPGroup
    let exponent: SecretBytes
    let publicValue: [UInt8]

    /// Checks the peer's value (RFC 7296 §3.4 length, RFC 6989 §2.1 range) and returns
    /// y^x mod p, left-padded to the prime length (RFC 7296 §2.14: g^ir is "padded with
    /// zeros if necessary to make it the length of the modulus").
    func complete(peerValue: [UInt8]) throws(IKECryptoError) -> SecretBytes {
        let peer = try group.parsePeerValue(peerValue)
        defer { BoringBignum.free(peer) }
        return try sharedSecret(with: peer)
    }

    /// y^x mod p for an already checked `peer`.
    func sharedSecret(with peer: UnsafeMutablePointer<BIGNUM>) throws(IKECryptoError) -> SecretBytes {
        var outcome: Result<Void, IKECryptoError> = .success(())
        let secret = SecretBytes(count: group.byteCount) { output in
            outcome = exponent.withUnsafeBytes { exponent in
                Result { () throws(IKECryptoError) in
                    try group.power(base: peer, exponent: exponent, into: output)
                }
            }
        }
        try outcome.get()
        return secret
    }
}
