import IKEConfig
import IKECrypto

/// The engine asks the host to sign the AUTH octets of one side (RFC 7296 §2.15) with the
/// private key of ``connection``'s local identity.
///
/// The host picks the scheme for its key with ``scheme(for:classicOnly:)``: RFC 7427 method 14 with a
/// hash from ``peerSignatureHashes``, or the classic method of the key type (1 for RSA,
/// 9–11 for ECDSA) when the peer sent no SIGNATURE_HASH_ALGORITHMS, within the
/// connection's ``signatureConstraints``.
public struct SigningRequest: Sendable {
    public var id: IKECompletionID
    /// The connection whose key signs.
    public var connection: String
    /// Our identity as sent in IDi/IDr.
    public var identity: IKEIdentity
    /// InitiatorSignedOctets or ResponderSignedOctets.
    public var octets: [UInt8]
    /// What the peer announced in SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4), `nil` when it
    /// sent none.
    public var peerSignatureHashes: SignatureHashAlgorithms?
    /// `local { auth = … }`: the schemes we may sign with, in order of preference.
    public var signatureConstraints: SignatureConstraints

    public init(
        id: IKECompletionID, connection: String, identity: IKEIdentity, octets: [UInt8],
        peerSignatureHashes: SignatureHashAlgorithms?, signatureConstraints: SignatureConstraints = .none
    ) {
        self.id = id
        self.connection = connection
        self.identity = identity
        self.octets = octets
        self.peerSignatureHashes = peerSignatureHashes
        self.signatureConstraints = signatureConstraints
    }

    /// The scheme to sign with a key of `keyType`: the first one
    /// ``signatureConstraints`` allow that the peer can verify.
    ///
    /// - Parameters:
    ///   - keyType: the type of the private key that signs.
    ///   - classicOnly: ignore the peer's SIGNATURE_HASH_ALGORITHMS and use the
    ///     classic methods (RFC 7296 §3.8), as a peer without RFC 7427 would.
    /// - Throws: `IKECryptoError.Code.invalidSignature` when none fits.
    public func scheme(for keyType: KeyType, classicOnly: Bool = false) throws(IKECryptoError) -> SignatureScheme {
        try signatureConstraints.signingScheme(for: keyType, peerHashes: classicOnly ? nil : peerSignatureHashes)
    }
}
