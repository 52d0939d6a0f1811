import Crypto
import Foundation
import IKEWire

/// Elliptic-curve Diffie-Hellman over the NIST curves, groups 19, 20 and 21 (RFC 5903).
///
/// RFC 5903 §7: the Key Exchange Data is "the concatenation of the x and y values" of the
/// public point, each as long as the field; §9: the shared secret is the x value.
public struct ECPKeyExchange: KeyExchangeMethod {
    public enum Curve: Sendable {
        case p256, p384, p521
    }

    public let curve: Curve

    public init(_ curve: Curve) { self.curve = curve }

    public var id: KeyExchangeMethodID {
        switch curve {
        case .p256: .ecp256
        case .p384: .ecp384
        case .p521: .ecp521
        }
    }

    /// Bytes of one coordinate (and of a private scalar).
    var fieldLength: Int {
        switch curve {
        case .p256: 32
        case .p384: 48
        case .p521: 66
        }
    }

    public var initiatorValueLength: Int { 2 * fieldLength }
    public var responderValueLength: Int { 2 * fieldLength }

    public func generate(using random: inout some RandomSource) throws(IKECryptoError) -> any KeyExchangeShare {
        try Share(curve: curve, scalar: privateScalar(using: &random))
    }

    public func respond(to peerValue: [UInt8], using random: inout some RandomSource) throws(IKECryptoError)
        -> (publicValue: [UInt8], sharedSecret: SecretBytes)
    {
        let share = try Share(curve: curve, scalar: privateScalar(using: &random))
        return (share.publicValue, try share.complete(peerValue: peerValue))
    }

    /// A private scalar in [1, n-1] from the random source: candidates outside the range
    /// are rejected and drawn again (at most a handful of times in practice).
    private func privateScalar(using random: inout some RandomSource) throws(IKECryptoError) -> SecretBytes {
        for _ in 0..<64 {
            let candidate = SecretBytes(count: fieldLength) { bytes in
                random.fill(bytes)
                // P-521's order has 521 bits: keep the 9 top bits of the 66 bytes to one,
                // so about half the candidates are in range instead of 1 in 128.
                if curve == .p521 { bytes[0] &= 0x01 }
            }
            if (try? Share.privateKey(curve: curve, scalar: candidate)) != nil { return candidate }
        }
        throw IKECryptoError(.internalFailure, "random source gave no valid \(id) scalar")
    }

    struct Share: KeyExchangeShare {
        let curve: Curve
        let scalar: SecretBytes
        let publicValue: [UInt8]

        init(curve: Curve, scalar: SecretBytes) throws(IKECryptoError) {
            self.curve = curve
            self.scalar = scalar
            self.publicValue =
                switch try Self.privateKey(curve: curve, scalar: scalar) {
                case .p256(let key): Array(key.publicKey.rawRepresentation)
                case .p384(let key): Array(key.publicKey.rawRepresentation)
                case .p521(let key): Array(key.publicKey.rawRepresentation)
                }
        }

        enum PrivateKey {
            case p256(P256.KeyAgreement.PrivateKey)
            case p384(P384.KeyAgreement.PrivateKey)
            case p521(P521.KeyAgreement.PrivateKey)
        }

        static func privateKey(curve: Curve, scalar: SecretBytes) throws(IKECryptoError) -> PrivateKey {
            do {
                return try scalar.withUnsafeBytes { bytes in
                    switch curve {
                    case .p256: .p256(try P256.KeyAgreement.PrivateKey(rawRepresentation: bytes))
                    case .p384: .p384(try P384.KeyAgreement.PrivateKey(rawRepresentation: bytes))
                    case .p521: .p521(try P521.KeyAgreement.PrivateKey(rawRepresentation: bytes))
                    }
                }
            } catch {
                throw IKECryptoError(.invalidKey, "scalar out of range")
            }
        }

        func complete(peerValue: [UInt8]) throws(IKECryptoError) -> SecretBytes {
            // RFC 7296 §3.4: "the Key Exchange Data field ... length ... MUST" match the
            // group; RFC 6989 §2.3: the recipient MUST check that the point is on the
            // curve (swift-crypto's raw initialiser does) and not the point at infinity
            // (which has no x‖y encoding at all).
            let expected = 2 * (publicValue.count / 2)
            guard peerValue.count == expected else {
                throw IKECryptoError(.invalidPublicValue, "\(peerValue.count) bytes, expected \(expected)")
            }
            do {
                let secret: SharedSecret =
                    switch try Self.privateKey(curve: curve, scalar: scalar) {
                    case .p256(let key):
                        try key.sharedSecretFromKeyAgreement(with: .init(rawRepresentation: peerValue))
                    case .p384(let key):
                        try key.sharedSecretFromKeyAgreement(with: .init(rawRepresentation: peerValue))
                    case .p521(let key):
                        try key.sharedSecretFromKeyAgreement(with: .init(rawRepresentation: peerValue))
                    }
                return secret.withUnsafeBytes { SecretBytes($0) }
            } catch let error as IKECryptoError {
                throw error
            } catch {
                throw IKECryptoError(.invalidPublicValue, "not a point on the curve")
            }
        }
    }
}
