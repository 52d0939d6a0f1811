import IKEWire

/// A key exchange method (RFC 7296 §3.3.2, Transform Type 4; RFC 9370 for KEMs):
/// Diffie-Hellman over MODP or elliptic-curve groups, or a KEM.
///
/// Both shapes fit one API: the side that sends first (the initiator of the exchange)
/// calls ``generate(using:)`` and later ``KeyExchangeShare/complete(peerValue:)``; the
/// side that answers calls ``respond(to:using:)``, which for Diffie-Hellman makes its own
/// key pair and the shared secret, and for a KEM encapsulates to the peer's public key.
///
/// ### Invariants
/// Every value received from the peer is checked before use (RFC 7296 §3.4, RFC 6989):
/// its length for the method, `1 < y < p-1` for MODP, on-curve and not the point at
/// infinity for ECP, a non-zero result for Curve25519, the exact sizes for ML-KEM. A bad
/// value throws ``IKECryptoError/Code/invalidPublicValue``.
public protocol KeyExchangeMethod: Sendable {
    var id: KeyExchangeMethodID { get }
    /// Length of the value the first side sends.
    var initiatorValueLength: Int { get }
    /// Length of the value the answering side sends.
    var responderValueLength: Int { get }
    /// Makes this side's ephemeral key from `random`.
    func generate(using random: inout some RandomSource) throws(IKECryptoError) -> any KeyExchangeShare
    /// Answers the peer's first value: returns what to send back and the shared secret.
    func respond(to peerValue: [UInt8], using random: inout some RandomSource) throws(IKECryptoError)
        -> (publicValue: [UInt8], sharedSecret: SecretBytes)
}

/// The first side's half of a key exchange: its public value and private state.
public protocol KeyExchangeShare: Sendable {
    /// What goes into the KE payload.
    var publicValue: [UInt8] { get }
    /// Derives the shared secret from the peer's answer.
    func complete(peerValue: [UInt8]) throws(IKECryptoError) -> SecretBytes
}
