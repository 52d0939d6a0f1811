import IKEConfig
import IKECore
import IKECrypto

/// Answers the engine's ``IKEEffect/sign(_:)`` requests with the host's private keys
/// (long-term keys stay out of the network-facing engine: `Docs/architecture.md`).
public struct LocalSigner: Sendable {
    /// Private keys by the local identity they sign for.
    public var keys: [IKEIdentity: PrivateKey]
    /// Sign with the classic method of the key type (RFC 7296 §3.8: 1 for RSA, 9–11 for
    /// ECDSA) even when the peer announced SIGNATURE_HASH_ALGORITHMS (RFC 7427).
    public var usesClassicMethods: Bool

    public init(keys: [IKEIdentity: PrivateKey], usesClassicMethods: Bool = false) {
        self.keys = keys
        self.usesClassicMethods = usesClassicMethods
    }

    /// The AUTH method and data for `request`, or why none could be made.
    public func sign(_ request: SigningRequest, random: inout some RandomSource) -> IKECompletion {
        guard let key = keys[request.identity] else {
            return .signed(request.id, .failure(IKECompletionFailure(
                "no private key for '\(request.identity)'; add it to the secrets (swanctl private/, rsa/, ecdsa/ or pkcs8/)")))
        }
        do {
            let scheme = try request.scheme(for: key.keyType, classicOnly: usesClassicMethods)
            return .signed(request.id, .success(try key.sign(octets: request.octets, scheme: scheme, random: &random)))
        } catch {
            return .signed(request.id, .failure(IKECompletionFailure("signing as '\(request.identity)': \(error)")))
        }
    }
}
