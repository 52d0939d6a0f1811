import IKECrypto
import IKEWire

/// ⚠️ INSECURE, test-only (see ``InsecureCryptoProvider``): a "key exchange" registered as
/// Curve25519 whose public values are 32 random bytes and whose shared secret is their
/// XOR — public knowledge to anyone who sees IKE_SA_INIT.
///
/// It keeps the checks a real method makes, so the engine's error paths stay reachable:
/// a peer value that is not 32 bytes, or a shared secret that is all zero (the peer sent
/// our own value back), throws ``IKECryptoError/Code/invalidPublicValue``.
public struct InsecureKeyExchange: KeyExchangeMethod {
    public let id: KeyExchangeMethodID
    public static let valueLength = 32

    public init(id: KeyExchangeMethodID = .curve25519) { self.id = id }

    public var initiatorValueLength: Int { Self.valueLength }
    public var responderValueLength: Int { Self.valueLength }

    public func generate(using random: inout some RandomSource) throws(IKECryptoError) -> any KeyExchangeShare {
        Share(publicValue: random.bytes(Self.valueLength))
    }

    public func respond(to peerValue: [UInt8], using random: inout some RandomSource) throws(IKECryptoError)
        -> (publicValue: [UInt8], sharedSecret: SecretBytes)
    {
        let share = Share(publicValue: random.bytes(Self.valueLength))
        return (share.publicValue, try share.complete(peerValue: peerValue))
    }

    /// The shared secret both sides compute: `initiatorValue XOR responderValue`.
    public static func sharedSecret(_ first: [UInt8], _ second: [UInt8]) throws(IKECryptoError) -> SecretBytes {
        guard first.count == valueLength, second.count == valueLength else {
            throw IKECryptoError(
                .invalidPublicValue, "insecure KE value of \(second.count) bytes, expected \(valueLength)")
        }
        let secret = zip(first, second).map { $0 ^ $1 }
        guard secret.contains(where: { $0 != 0 }) else {
            throw IKECryptoError(.invalidPublicValue, "insecure KE result is all zero")
        }
        return SecretBytes(secret)
    }

    struct Share: KeyExchangeShare {
        let publicValue: [UInt8]

        func complete(peerValue: [UInt8]) throws(IKECryptoError) -> SecretBytes {
            try InsecureKeyExchange.sharedSecret(publicValue, peerValue)
        }
    }
}
