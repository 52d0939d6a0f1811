import IKECrypto
import IKEWire
import Testing

/// Signatures made by OpenSSL 3.0 over `Tests/Fixtures/keys/message.bin` with the fixture
/// keys (`Tests/Fixtures/keys/openssl-signatures.txt`; commands in the README there).
@Suite("Verifying OpenSSL-made signatures (RFC 7427 schemes, RFC 4055 PSS salt lengths)")
struct OpenSSLSignatureTests {
    typealias Support = SignatureTestSupport

    static let cases: [(String, String, SignatureScheme)] = [
        ("rsa-pkcs1-sha1", "rsa2048-spki.pem", .rsaSHA1),
        ("rsa-pkcs1-sha256", "rsa2048-spki.pem", .rsaPKCS1v15(.sha2_256)),
        ("rsa-pkcs1-sha384", "rsa2048-spki.pem", .rsaPKCS1v15(.sha2_384)),
        ("rsa-pkcs1-sha512", "rsa2048-spki.pem", .rsaPKCS1v15(.sha2_512)),
        ("rsa-pss-sha256-salt32", "rsa2048-spki.pem", .rsaPSS(.sha2_256, saltLength: 32)),
        ("rsa-pss-sha384-salt48", "rsa2048-spki.pem", .rsaPSS(.sha2_384, saltLength: 48)),
        ("rsa-pss-sha512-salt64", "rsa2048-spki.pem", .rsaPSS(.sha2_512, saltLength: 64)),
        ("rsa-pss-sha256-salt20", "rsa2048-spki.pem", .rsaPSS(.sha2_256, saltLength: 20)),
        ("rsa-pss-sha256-salt0", "rsa2048-spki.pem", .rsaPSS(.sha2_256, saltLength: 0)),
        ("ecdsa-p256-sha256", "ecp256-spki.pem", .ecdsa(.sha2_256)),
        ("ecdsa-p384-sha384", "ecp384-spki.pem", .ecdsa(.sha2_384)),
        ("ecdsa-p521-sha512", "ecp521-spki.pem", .ecdsa(.sha2_512)),
        ("ecdsa-p256-sha384", "ecp256-spki.pem", .ecdsa(.sha2_384)),
        ("ed25519", "ed25519-spki.pem", .ed25519),
    ]

    static func signatures() throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for line in try Support.fixtureText("openssl-signatures.txt").split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { result[String(parts[0])] = Support.bytes(hex: String(parts[1])) }
        }
        return result
    }

    /// Method-14 AUTH data for any scheme, including PSS salt lengths Cygnet does not send.
    static func authData(_ scheme: SignatureScheme, _ value: [UInt8]) -> (AuthenticationMethod, [UInt8]) {
        if case .rsaPSS(let hash, let salt) = scheme, scheme.algorithmIdentifier == nil {
            // RFC 4055 §3.1 RSASSA-PSS-params with the hash and salt (salt < 128).
            let last: UInt8 = hash == .sha2_256 ? 1 : hash == .sha2_384 ? 2 : 3
            var identifier = SignatureAlgorithmIdentifier.rsassaPSSSHA256
            identifier[identifier.count - 1] = UInt8(salt)
            identifier[29] = last  // id-sha2xx's last arc in hashAlgorithm
            identifier[59] = last  // and in MGF1's parameters
            return (.digitalSignature, [UInt8(identifier.count)] + identifier + value)
        }
        let signature = (try? AuthenticationSignature(scheme: scheme, signatureValue: value))
        return (signature?.method ?? .digitalSignature, signature?.data ?? [])
    }

    @Test("OpenSSL signatures verify; a changed message does not", arguments: cases.indices)
    func verify(index: Int) throws {
        let (name, keyFile, scheme) = Self.cases[index]
        let value = try #require(try Self.signatures()[name], "no \(name) in openssl-signatures.txt")
        let key = try PublicKey(pemRepresentation: Support.fixtureText(keyFile))
        let message = try Support.fixtureBytes("message.bin")
        let (method, data) = Self.authData(scheme, value)
        let used = try AuthenticationVerifier.verify(octets: message, authMethod: method, authData: data, publicKey: key)
        #expect(used == scheme)
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try AuthenticationVerifier.verify(octets: message + [0], authMethod: method, authData: data, publicKey: key)
        }
    }
}
