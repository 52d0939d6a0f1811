import Crypto
import Foundation
import _CryptoExtras

/// Reads key containers: PEM labels to formats, and a strict DER walk of PKCS#1, PKCS#8,
/// SEC1 and SubjectPublicKeyInfo to find the algorithm before handing the key to swift-crypto.
enum KeyDecoder {
    // MARK: PEM

    static func privateKey(pem: String) throws(IKECryptoError) -> PrivateKey {
        let blocks = try PEMBlock.parseAll(pem).filter { $0.label != "EC PARAMETERS" }
        guard blocks.count == 1, let block = blocks.first else {
            throw invalid("expected one private key block, found \(blocks.count): \(blocks.map(\.label))")
        }
        if block.isLegacyEncrypted || block.label == "ENCRYPTED PRIVATE KEY" {
            throw invalid("the \(block.label) is encrypted; encrypted private keys are not supported yet "
                + "(decrypt it with `openssl pkey -in KEY -out PLAIN`)")
        }
        switch block.label {
        case "RSA PRIVATE KEY": return try rsaPrivateKey(der: block.der[...], format: "PKCS#1")
        case "PRIVATE KEY": return try pkcs8PrivateKey(der: block.der[...])
        case "EC PRIVATE KEY": return try sec1PrivateKey(der: block.der[...], curveFromOuter: nil)
        case "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE":
            throw invalid("a \(block.label) block holds no private key")
        default:
            throw invalid("unsupported PEM label \"\(block.label)\"")
        }
    }

    static func publicKey(pem: String) throws(IKECryptoError) -> PublicKey {
        let blocks = try PEMBlock.parseAll(pem)
        guard blocks.count == 1, let block = blocks.first else {
            throw invalid("expected one public key block, found \(blocks.count): \(blocks.map(\.label))")
        }
        switch block.label {
        case "PUBLIC KEY": return try subjectPublicKeyInfo(der: block.der[...])
        case "RSA PUBLIC KEY": return try rsaPublicKey(der: block.der[...], format: "PKCS#1")
        default: throw invalid("unsupported PEM label \"\(block.label)\" for a public key")
        }
    }

    // MARK: DER, told apart by structure

    static func privateKey(der: ArraySlice<UInt8>) throws(IKECryptoError) -> PrivateKey {
        var outer = DERReader(der, errorCode: .invalidKey, what: "private key")
        var sequence = try outer.readSequence("private key SEQUENCE")
        try outer.finish()
        // EncryptedPrivateKeyInfo (RFC 5958 §3) starts with an AlgorithmIdentifier SEQUENCE.
        if sequence.peekTag == DERReader.Tag.sequence {
            throw invalid("an EncryptedPrivateKeyInfo; encrypted private keys are not supported yet")
        }
        let version = try sequence.readSmallInteger("version")
        switch sequence.peekTag {
        case DERReader.Tag.sequence: return try pkcs8PrivateKey(der: der)  // PrivateKeyInfo: AlgorithmIdentifier
        case DERReader.Tag.integer where version == 0: return try rsaPrivateKey(der: der, format: "PKCS#1")
        case DERReader.Tag.octetString where version == 1: return try sec1PrivateKey(der: der, curveFromOuter: nil)
        default: throw invalid("not a PKCS#1, PKCS#8 or SEC1 private key")
        }
    }

    static func publicKey(der: ArraySlice<UInt8>) throws(IKECryptoError) -> PublicKey {
        var outer = DERReader(der, errorCode: .invalidKey, what: "public key")
        let sequence = try outer.readSequence("public key SEQUENCE")
        try outer.finish()
        switch sequence.peekTag {
        case DERReader.Tag.sequence: return try subjectPublicKeyInfo(der: der)
        case DERReader.Tag.integer: return try rsaPublicKey(der: der, format: "PKCS#1")
        default: throw invalid("not a SubjectPublicKeyInfo or PKCS#1 public key")
        }
    }

    // MARK: Formats

    /// PrivateKeyInfo / OneAsymmetricKey (RFC 5958 §2):
    /// `SEQUENCE { version INTEGER (0|1), privateKeyAlgorithm AlgorithmIdentifier,
    /// privateKey OCTET STRING, [0] attributes OPTIONAL, [1] publicKey OPTIONAL }`.
    static func pkcs8PrivateKey(der: ArraySlice<UInt8>) throws(IKECryptoError) -> PrivateKey {
        var outer = DERReader(der, errorCode: .invalidKey, what: "PKCS#8 private key")
        var info = try outer.readSequence("PrivateKeyInfo")
        try outer.finish()
        if info.peekTag == DERReader.Tag.sequence {
            throw invalid("an EncryptedPrivateKeyInfo; encrypted private keys are not supported yet")
        }
        let version = try info.readSmallInteger("version")
        guard version == 0 || version == 1 else { throw invalid("PKCS#8 version \(version)") }
        var algorithm = try info.readSequence("privateKeyAlgorithm")
        let oid = try algorithm.readObjectIdentifier("algorithm")
        let privateKey = try info.readOctetString("privateKey")
        // [0] attributes and [1] publicKey may follow; the key itself is all we need.
        while !info.isAtEnd {
            let element = try info.readElement()
            guard element.tag == 0xA0 || element.tag == 0x81 || element.tag == 0xA1 else {
                throw invalid("unexpected element in PrivateKeyInfo")
            }
        }
        if oid.elementsEqual(KnownOID.rsaEncryption) {
            return try rsaPrivateKey(der: der, format: "PKCS#8")
        } else if oid.elementsEqual(KnownOID.ecPublicKey) {
            let curve = try algorithm.readObjectIdentifier("namedCurve")
            try algorithm.finish()
            return try sec1PrivateKey(der: privateKey, curveFromOuter: curve)
        } else if oid.elementsEqual(KnownOID.ed25519) {
            // RFC 8410 §3: "the parameters MUST be absent".
            try algorithm.finish()
            // RFC 8410 §7: CurvePrivateKey ::= OCTET STRING, inside the privateKey OCTET STRING.
            var inner = DERReader(privateKey, errorCode: .invalidKey, what: "Ed25519 private key")
            let seed = try inner.readOctetString("CurvePrivateKey")
            try inner.finish()
            guard seed.count == 32 else { throw invalid("Ed25519 private key of \(seed.count) octets, expected 32") }
            do {
                return .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: Array(seed)))
            } catch {
                throw invalid("Ed25519 private key rejected")
            }
        } else if oid.elementsEqual(KnownOID.rsassaPSS) {
            throw invalid("RSASSA-PSS-restricted keys (id-RSASSA-PSS) are not supported yet; use an rsaEncryption key")
        } else {
            throw invalid("unsupported private key algorithm \(oidString(oid))")
        }
    }

    /// ECPrivateKey (RFC 5915 §3): `SEQUENCE { version INTEGER (1), privateKey OCTET STRING,
    /// [0] parameters ECParameters OPTIONAL, [1] publicKey BIT STRING OPTIONAL }`.
    static func sec1PrivateKey(der: ArraySlice<UInt8>, curveFromOuter: ArraySlice<UInt8>?) throws(IKECryptoError)
        -> PrivateKey
    {
        var outer = DERReader(der, errorCode: .invalidKey, what: "EC private key")
        var key = try outer.readSequence("ECPrivateKey")
        try outer.finish()
        let version = try key.readSmallInteger("version")
        guard version == 1 else { throw invalid("ECPrivateKey version \(version), expected 1") }
        let scalar = try key.readOctetString("privateKey")
        var curve = curveFromOuter
        var embeddedPublicKey: ArraySlice<UInt8>?
        if key.peekTag == 0xA0 {
            var parameters = try key.readConstructed(0xA0, "[0] parameters")
            let named = try parameters.readObjectIdentifier("namedCurve")
            try parameters.finish()
            // RFC 5915 §3: the parameters, when present in both, must agree with PKCS#8's.
            if let outerCurve = curveFromOuter, !outerCurve.elementsEqual(named) {
                throw invalid("curve in ECPrivateKey differs from the PKCS#8 AlgorithmIdentifier")
            }
            curve = named
        }
        if key.peekTag == 0xA1 {
            var publicKey = try key.readConstructed(0xA1, "[1] publicKey")
            embeddedPublicKey = try publicKey.readOctetAlignedBitString("publicKey")
            try publicKey.finish()
        }
        try key.finish()
        guard let curve else { throw invalid("EC private key names no curve") }

        func padded(_ size: Int) throws(IKECryptoError) -> [UInt8] {
            // RFC 5915 §3 fixes the length at ceiling(log2(n)/8); accept a shorter encoding
            // from encoders that strip leading zeros, never a longer one.
            guard scalar.count <= size, !scalar.isEmpty else {
                throw invalid("EC private key of \(scalar.count) octets for a \(size)-octet curve")
            }
            return [UInt8](repeating: 0, count: size - scalar.count) + scalar
        }
        let privateKey: PrivateKey
        do {
            if curve.elementsEqual(KnownOID.secp256r1) {
                privateKey = .p256(try P256.Signing.PrivateKey(rawRepresentation: try padded(32)))
            } else if curve.elementsEqual(KnownOID.secp384r1) {
                privateKey = .p384(try P384.Signing.PrivateKey(rawRepresentation: try padded(48)))
            } else if curve.elementsEqual(KnownOID.secp521r1) {
                privateKey = .p521(try P521.Signing.PrivateKey(rawRepresentation: try padded(66)))
            } else {
                throw invalid("unsupported curve \(oidString(curve)); Cygnet signs with P-256, P-384 or P-521")
            }
        } catch let error as IKECryptoError {
            throw error
        } catch {
            throw invalid("EC private key is not a valid scalar for its curve")
        }
        if let embeddedPublicKey {
            let derived: [UInt8] =
                switch privateKey {
                case .p256(let key): Array(key.publicKey.x963Representation)
                case .p384(let key): Array(key.publicKey.x963Representation)
                case .p521(let key): Array(key.publicKey.x963Representation)
                case .rsa, .ed25519: []
                }
            guard derived.elementsEqual(embeddedPublicKey) else {
                throw invalid("the public key stored with the EC private key does not match it")
            }
        }
        return privateKey
    }

    /// RSAPrivateKey (PKCS#1) or a PKCS#8 wrapper around one; swift-crypto (BoringSSL)
    /// parses and checks the numbers.
    static func rsaPrivateKey(der: ArraySlice<UInt8>, format: String) throws(IKECryptoError) -> PrivateKey {
        var outer = DERReader(der, errorCode: .invalidKey, what: "\(format) RSA private key")
        _ = try outer.readSequence("RSAPrivateKey")
        try outer.finish()
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(unsafeDERRepresentation: Array(der))
        } catch {
            throw invalid("\(format) RSA private key rejected by the RSA parser")
        }
        try checkRSASize(key.keySizeInBits)
        return .rsa(key)
    }

    /// RSAPublicKey (PKCS#1) or a SubjectPublicKeyInfo holding one.
    static func rsaPublicKey(der: ArraySlice<UInt8>, format: String) throws(IKECryptoError) -> PublicKey {
        var outer = DERReader(der, errorCode: .invalidKey, what: "\(format) RSA public key")
        _ = try outer.readSequence("RSAPublicKey")
        try outer.finish()
        let key: _RSA.Signing.PublicKey
        do {
            key = try _RSA.Signing.PublicKey(unsafeDERRepresentation: Array(der))
        } catch {
            throw invalid("\(format) RSA public key rejected by the RSA parser")
        }
        try checkRSASize(key.keySizeInBits)
        return .rsa(key)
    }

    /// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7):
    /// `SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }`.
    static func subjectPublicKeyInfo(der: ArraySlice<UInt8>) throws(IKECryptoError) -> PublicKey {
        var outer = DERReader(der, errorCode: .invalidKey, what: "SubjectPublicKeyInfo")
        var info = try outer.readSequence("SubjectPublicKeyInfo")
        try outer.finish()
        var algorithm = try info.readSequence("algorithm")
        let oid = try algorithm.readObjectIdentifier("algorithm")
        let keyBits = try info.readOctetAlignedBitString("subjectPublicKey")
        try info.finish()
        if oid.elementsEqual(KnownOID.rsaEncryption) {
            return try rsaPublicKey(der: der, format: "SubjectPublicKeyInfo")
        } else if oid.elementsEqual(KnownOID.ecPublicKey) {
            // RFC 5480 §2.1.1: "namedCurve" is the only form allowed in PKIX.
            let curve = try algorithm.readObjectIdentifier("namedCurve")
            try algorithm.finish()
            return try ecPublicKey(point: Array(keyBits), curve: curve)
        } else if oid.elementsEqual(KnownOID.ed25519) {
            // RFC 8410 §3: "the parameters MUST be absent".
            try algorithm.finish()
            guard keyBits.count == 32 else { throw invalid("Ed25519 public key of \(keyBits.count) octets") }
            do {
                return .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: Array(keyBits)))
            } catch {
                throw invalid("Ed25519 public key rejected")
            }
        } else if oid.elementsEqual(KnownOID.rsassaPSS) {
            throw invalid("RSASSA-PSS-restricted keys (id-RSASSA-PSS) are not supported yet; use an rsaEncryption key")
        } else {
            throw invalid("unsupported public key algorithm \(oidString(oid))")
        }
    }

    /// An EC point (SEC 1 §2.3.3, uncompressed or compressed) on a named curve.
    static func ecPublicKey(point: [UInt8], curve: ArraySlice<UInt8>) throws(IKECryptoError) -> PublicKey {
        let compressed = point.first == 0x02 || point.first == 0x03
        guard compressed || point.first == 0x04 else { throw invalid("EC point is neither compressed nor uncompressed") }
        do {
            if curve.elementsEqual(KnownOID.secp256r1) {
                return .p256(
                    compressed
                        ? try P256.Signing.PublicKey(compressedRepresentation: point)
                        : try P256.Signing.PublicKey(x963Representation: point))
            } else if curve.elementsEqual(KnownOID.secp384r1) {
                return .p384(
                    compressed
                        ? try P384.Signing.PublicKey(compressedRepresentation: point)
                        : try P384.Signing.PublicKey(x963Representation: point))
            } else if curve.elementsEqual(KnownOID.secp521r1) {
                return .p521(
                    compressed
                        ? try P521.Signing.PublicKey(compressedRepresentation: point)
                        : try P521.Signing.PublicKey(x963Representation: point))
            }
        } catch {
            throw invalid("EC public key is not a point on its curve")
        }
        throw invalid("unsupported curve \(oidString(curve)); Cygnet verifies P-256, P-384 and P-521")
    }

    static func checkRSASize(_ bits: Int) throws(IKECryptoError) {
        guard KeyType.rsaBits.contains(bits) else {
            throw invalid("RSA key of \(bits) bits; Cygnet accepts \(KeyType.rsaBits.lowerBound) to "
                + "\(KeyType.rsaBits.upperBound) bits (RFC 8247 §3.2)")
        }
    }

    /// Dotted form of an OID's content octets, for messages.
    static func oidString(_ content: ArraySlice<UInt8>) -> String {
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        for byte in content {
            guard value >> 56 == 0 else { return "(unreadable OID)" }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 {
                if arcs.isEmpty {
                    let first: UInt64 = value < 40 ? 0 : value < 80 ? 1 : 2
                    arcs.append(first)
                    arcs.append(value - first * 40)
                } else {
                    arcs.append(value)
                }
                value = 0
            }
        }
        return arcs.map(String.init).joined(separator: ".")
    }

    private static func invalid(_ message: String) -> IKECryptoError {
        IKECryptoError(.invalidKey, message)
    }
}
