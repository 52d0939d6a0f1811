import IKEWire

/// The signed part of an AUTH payload (RFC 7296 §3.8): the Auth Method and the
/// Authentication Data.
///
/// For method 14 the data is `ASN.1 Length (1 octet) | AlgorithmIdentifier | Signature
/// Value` (RFC 7427 §3); for methods 1 and 9–11 it is the signature alone.
public struct AuthenticationSignature: Hashable, Sendable {
    public var method: AuthenticationMethod
    public var data: [UInt8]

    public init(method: AuthenticationMethod, data: [UInt8]) {
        self.method = method
        self.data = data
    }

    /// Wraps a signature value for `scheme`: adds the RFC 7427 §3 length octet and
    /// AlgorithmIdentifier for method 14.
    ///
    /// - Throws: ``IKECryptoError/Code/invalidSignature`` when the scheme has no
    ///   AlgorithmIdentifier Cygnet can send (for example RSASSA-PSS with a salt length
    ///   other than the hash length).
    public init(scheme: SignatureScheme, signatureValue: [UInt8]) throws(IKECryptoError) {
        method = scheme.authenticationMethod
        guard method == .digitalSignature else {
            data = signatureValue
            return
        }
        guard let identifier = scheme.algorithmIdentifier, identifier.count <= 255 else {
            throw IKECryptoError(.invalidSignature, "no AlgorithmIdentifier to send for \(scheme)")
        }
        data = [UInt8(identifier.count)] + identifier + signatureValue
    }
}
