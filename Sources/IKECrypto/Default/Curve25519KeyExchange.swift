import Crypto
import Foundation
import IKEWire

/// Curve25519 Diffie-Hellman, group 31 (RFC 8031).
public struct Curve25519KeyExchange: KeyExchangeMethod {
    public init() {}

    public var id: KeyExchangeMethodID { .curve25519 }
    /// RFC 8031 §3.1: "The public key ... is 32 octets".
    public var initiatorValueLength: Int { 32 }
    public var responderValueLength: Int { 32 }

    public func generate(using random: inout some RandomSource) throws(IKECryptoError) -> any KeyExchangeShare {
        try Share(scalar: random.secretBytes(32))
    }

    public func respond(to peerValue: [UInt8], using random: inout some RandomSource) throws(IKECryptoError)
        -> (publicValue: [UInt8], sharedSecret: SecretBytes)
    {
        let share = try Share(scalar: random.secretBytes(32))
        return (share.publicValue, try share.complete(peerValue: peerValue))
    }

    struct Share: KeyExchangeShare {
        let scalar: SecretBytes
        let publicValue: [UInt8]

        init(scalar: SecretBytes) throws(IKECryptoError) {
            self.scalar = scalar
            publicValue = Array(try Self.privateKey(scalar).publicKey.rawRepresentation)
        }

        static func privateKey(_ scalar: SecretBytes) throws(IKECryptoError) -> Curve25519.KeyAgreement.PrivateKey {
            do {
                return try scalar.withUnsafeBytes { try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: $0) }
            } catch {
                throw IKECryptoError(.invalidKey, "X25519 scalar must be 32 bytes")
            }
        }

        func complete(peerValue: [UInt8]) throws(IKECryptoError) -> SecretBytes {
            guard peerValue.count == 32 else {
                throw IKECryptoError(.invalidPublicValue, "X25519 value of \(peerValue.count) bytes, expected 32")
            }
            let secret: SharedSecret
            do {
                let peer = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: peerValue)
                secret = try Self.privateKey(scalar).sharedSecretFromKeyAgreement(with: peer)
            } catch {
                throw IKECryptoError(.invalidPublicValue, "X25519 agreement failed")
            }
            // RFC 8031 §2: "Implementations MUST check whether the computed Diffie-Hellman
            // shared secret is the all-zero value and abort if so".
            let result = secret.withUnsafeBytes { SecretBytes($0) }
            let isZero = result.withUnsafeBytes { $0.reduce(UInt8(0)) { $0 | $1 } == 0 }
            guard !isZero else { throw IKECryptoError(.invalidPublicValue, "X25519 result is all zero") }
            return result
        }
    }
}
