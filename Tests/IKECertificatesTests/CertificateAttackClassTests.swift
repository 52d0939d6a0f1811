import Crypto
import Foundation
import IKECertificates
import IKEConfig
import IKEWire
import SwiftASN1
import Testing
import X509
import _CryptoExtras

/// The X.509 attacks that let peers of other IKEv2 daemons authenticate with certificates
/// they should not have, or crash them: each chain is built here with swift-certificates
/// and must be refused by ``CertificateValidator`` with its typed failure.
@Suite("CVE classes: certificates outside their CA's name constraints, crafted DNs, garbage CERT payloads (RFC 5280, RFC 7296 §3.5, §3.6)")
struct CertificateAttackClassTests {
    static let time = PKIFixtures.validationTime

    /// A certificate signed by `issuer` (itself when `nil`), valid around ``time``.
    struct Issued {
        var certificate: Certificate
        var key: P256.Signing.PrivateKey

        init(
            _ name: String, issuer: Issued? = nil, key: P256.Signing.PrivateKey = P256.Signing.PrivateKey(),
            publicKey: Certificate.PublicKey? = nil, extensions: Certificate.Extensions
        ) throws {
            let subject = try DistinguishedName { CommonName(name) }
            certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey ?? .init(key.publicKey),
                notValidBefore: CertificateAttackClassTests.time - 86400 * 30,
                notValidAfter: CertificateAttackClassTests.time + 86400 * 365,
                issuer: issuer?.certificate.subject ?? subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions, issuerPrivateKey: .init(issuer?.key ?? key))
            self.key = key
        }

        /// A CA, with `constraints` as a critical extension when given.
        static func authority(_ name: String, issuer: Issued? = nil, constraints: NameConstraints? = nil) throws -> Issued {
            try Issued(name, issuer: issuer, extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
                if let constraints { Critical(constraints) }
            })
        }

        /// An end entity carrying `names` as subjectAltNames.
        static func endEntity(_ names: [GeneralName], issuer: Issued) throws -> Issued {
            try Issued("end entity", issuer: issuer, extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true))
                SubjectAlternativeNames(names)
            })
        }

        var der: [UInt8] {
            var serializer = DER.Serializer()
            try? serializer.serialize(certificate)
            return serializer.serializedBytes
        }
    }

    // MARK: Name constraints

    @Test(
        "CVE-2026-35331 class: a root's dNSName constraint (permitted lab.test) is enforced on the peer's certificate",
        arguments: [("right.lab.test", true), ("lab.test", true), ("right.evil.test", false), ("notlab.test", false)])
    func permittedDNSName(name: String, accepted: Bool) async throws {
        let root = try Issued.authority("Constrained root", constraints: NameConstraints(permittedDNSDomains: ["lab.test"]))
        let leaf = try Issued.endEntity([.dnsName(name)], issuer: root)
        let result = await CertificateValidator(trustAnchors: [root.certificate])
            .validate(chain: [leaf.der], identity: IKEIdentity(name), at: Self.time)
        #expect(result.failure?.code == (accepted ? nil : .untrustedChain), "\(name)")
    }

    @Test(
        "CVE-2026-35331 class: an intermediate's excluded iPAddress range (192.0.2.0/24) is enforced on the end entity",
        arguments: [([UInt8]([198, 51, 100, 2]), true), ([192, 0, 2, 2], false)])
    func excludedAddress(address: [UInt8], accepted: Bool) async throws {
        let root = try Issued.authority("Root")
        let excluded = NameConstraints(excludedIPRanges: [ASN1OctetString(contentBytes: [192, 0, 2, 0, 255, 255, 255, 0])])
        let intermediate = try Issued.authority("Constrained intermediate", issuer: root, constraints: excluded)
        let leaf = try Issued.endEntity([.ipAddress(ASN1OctetString(contentBytes: address[...]))], issuer: intermediate)
        let result = await CertificateValidator(trustAnchors: [root.certificate]).validate(
            chain: [leaf.der, intermediate.der], identity: IKEIdentity(type: .ipv4Address, data: address), at: Self.time)
        #expect(result.failure?.code == (accepted ? nil : .untrustedChain))
    }

    @Test("CVE-2026-35331 class: a name constraint that cannot be checked (rfc822Name) refuses the chain instead of being ignored")
    func uncheckableConstraint() async throws {
        // RFC 5280 §4.2.1.10: "If a name constraints extension that is marked as critical
        // imposes constraints on a particular name form, and an instance of that name form
        // appears in the subject field or subjectAltName extension of a subsequent
        // certificate, then the application MUST either process the constraint or reject
        // the certificate."
        let root = try Issued.authority("Root with e-mail constraints", constraints: NameConstraints(permittedEmailAddresses: ["lab.test"]))
        let leaf = try Issued.endEntity([.rfc822Name("right@lab.test")], issuer: root)
        let result = await CertificateValidator(trustAnchors: [root.certificate])
            .validate(chain: [leaf.der], identity: IKEIdentity("right@lab.test"), at: Self.time)
        #expect(result.failure?.code == .untrustedChain)
    }

    // MARK: Identities

    @Test("CVE-2013-6075 class: a crafted ID_DER_ASN1_DN (truncated, extended, lying lengths, empty) never matches the subject")
    func craftedDistinguishedName() async throws {
        let chain = [try PKIFixtures.der("right-ec"), try PKIFixtures.der("ec-intermediate")]
        var serializer = DER.Serializer()
        try serializer.serialize(try PKIFixtures.certificate("right-ec").subject)
        let subject = serializer.serializedBytes
        let validator = try PKIFixtures.validator("ec-root")
        let subjectIdentity = IKEIdentity(type: .derASN1DN, data: subject)
        let genuine = await validator.validate(chain: chain, identity: subjectIdentity, at: Self.time)
        #expect(genuine.failure == nil)
        var lyingLength = subject
        lyingLength[1] = 0x7F
        let crafted: [[UInt8]] = [
            [], [0x30], [0x30, 0x00], Array(subject.dropLast()), subject + [0x00], subject + subject, lyingLength,
            [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF] + subject.dropFirst(2), Array(subject.prefix(subject.count / 2)),
        ]
        for data in crafted {
            let identity = IKEIdentity(type: .derASN1DN, data: data)
            let result = await validator.validate(chain: chain, identity: identity, at: Self.time)
            #expect(result.failure?.code == .identityMismatch, "\(data.count) octets")
            // The text for logs is made without a trap, and is not the subject's.
            #expect(CertificateIdentityMatching.describe(identity) != CertificateIdentityMatching.describe(subjectIdentity))
        }
    }

    // MARK: CERT payloads

    @Test("CVE-2021-41991 class: many CERT payloads of garbage after a valid chain are a malformed certificate, not a crash")
    func garbageCertificatePayloads() async throws {
        let chain = [try PKIFixtures.der("right-ec"), try PKIFixtures.der("ec-intermediate")]
        let validator = try PKIFixtures.validator("ec-root")
        var random = SystemRandomNumberGenerator()
        let garbage = (0..<200).map { index in
            [0x30, 0x82, 0x01, 0x00] + (0..<(index % 300)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        for payloads in [garbage, chain + garbage, [chain[0]] + garbage + [chain[1]]] {
            let result = await validator.validate(chain: payloads, identity: IKEIdentity("right.lab.test"), at: Self.time)
            #expect(result.failure?.code == .malformedCertificate)
        }
    }

    @Test("CVE-2021-41991 class: a copy of the intermediate with another outer signatureAlgorithm does not validate")
    func changedSignatureAlgorithm() async throws {
        let intermediate = try PKIFixtures.der("ec-intermediate")
        // The outer signatureAlgorithm follows the TBSCertificate: the last ecdsa-with-SHA256
        // OID of the certificate. Make it ecdsa-with-SHA384, same length.
        let oid: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]
        let position = try #require(
            (0...(intermediate.count - oid.count)).last { intermediate[$0..<($0 + oid.count)].elementsEqual(oid) })
        var changed = intermediate
        changed[position + oid.count - 1] = 0x03
        let validator = try PKIFixtures.validator("ec-root")
        let result = await validator.validate(
            chain: [try PKIFixtures.der("right-ec"), changed], identity: IKEIdentity("right.lab.test"), at: Self.time)
        #expect(result.failure?.code == .untrustedChain)
    }

    @Test("CVE-2018-17540 class: a certificate for a 1024-bit RSA key, properly signed by a trusted CA, is refused")
    func smallRSAKeyInCertificate() async throws {
        let pem = try String(
            contentsOf: PKIFixtures.directory.deletingLastPathComponent().appendingPathComponent("keys/rsa1024-pkcs8.pem"),
            encoding: .utf8)
        let rsa = try _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem)
        let root = try Issued.authority("Root")
        let leaf = try Issued(
            "small key", issuer: root, publicKey: .init(rsa.publicKey),
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true))
                SubjectAlternativeNames([.dnsName("right.lab.test")])
            })
        let result = await CertificateValidator(trustAnchors: [root.certificate])
            .validate(chain: [leaf.der], identity: IKEIdentity("right.lab.test"), at: Self.time)
        // swift-certificates refuses RSA keys below 2048 bits when it decodes the certificate;
        // IKECrypto's key reader, behind it, refuses them too (SignatureAttackClassTests).
        #expect(result.failure?.code == .malformedCertificate)
    }
}
