import Foundation
import IKECertificates
import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import SwiftASN1
import Testing
import X509

@Suite("Certificate chains and identities (RFC 7296 §3.5–§3.6, RFC 4945, RFC 5280)")
struct CertificateValidatorTests {
    let ecChain: [[UInt8]]
    let rsaChain: [[UInt8]]

    init() throws {
        ecChain = [try PKIFixtures.der("right-ec"), try PKIFixtures.der("ec-intermediate")]
        rsaChain = [try PKIFixtures.der("right-rsa"), try PKIFixtures.der("rsa-intermediate")]
    }

    @Test("RFC 5280 §6: ECDSA P-256 root → intermediate → end entity validates; its key comes back")
    func ecdsaChainValidates() async throws {
        let validator = try PKIFixtures.validator("ec-root", "rsa-root")
        let key = try await validator.validate(
            chain: ecChain, identity: IKEIdentity("right.lab.test"), at: PKIFixtures.validationTime).get()
        #expect(key.keyType == .p256)
    }

    @Test(
        "remote { cacerts }: the chain must pass through one of the connection's CAs, a root or an intermediate",
        arguments: [
            (["ec-root"], true), (["ec-intermediate"], true), (["rsa-root", "ec-intermediate"], true),
            (["rsa-root"], false), (["other-root"], false),
        ])
    func connectionAuthorities(_ authorities: [String], accepted: Bool) async throws {
        let validator = try PKIFixtures.validator("ec-root", "rsa-root")
        let request = CertificateValidationRequest(
            id: IKECompletionID(localSPI: 1, step: .validateAuthRequest), connection: "c", certificates: ecChain,
            claimedIdentity: IKEIdentity("right.lab.test"), certificateAuthorities: try authorities.map(PKIFixtures.der))
        guard case .certificatesValidated(_, let result) = await validator.complete(request, at: PKIFixtures.validationTime)
        else {
            Issue.record("no validation answer")
            return
        }
        switch result {
        case .success: #expect(accepted, "\(authorities)")
        case .failure(let failure):
            #expect(!accepted, "\(authorities): \(failure)")
            #expect(failure.code == .certificateAuthorityMismatch)
        }
    }

    @Test("RFC 5280 §6: RSA-2048 root → intermediate → end entity validates")
    func rsaChainValidates() async throws {
        let validator = try PKIFixtures.validator("rsa-root")
        let key = try await validator.validate(
            chain: rsaChain, identity: IKEIdentity("right@lab.test"), at: PKIFixtures.validationTime).get()
        #expect(key.keyType == .rsa(bits: 2048))
    }

    @Test("RFC 8410: an Ed25519 end entity under the ECDSA CA gives an Ed25519 key")
    func ed25519Key() async throws {
        let validator = try PKIFixtures.validator("ec-root")
        let chain = [try PKIFixtures.der("left-ed25519"), try PKIFixtures.der("ec-intermediate")]
        let key = try await validator.validate(
            chain: chain, identity: IKEIdentity("left.lab.test"), at: PKIFixtures.validationTime).get()
        #expect(key.keyType == .ed25519)
    }

    @Test("RFC 5280 §4.1.2.5: an expired end entity is refused, naming the identity and the date")
    func expired() async throws {
        let validator = try PKIFixtures.validator("ec-root")
        let chain = [try PKIFixtures.der("right-expired"), try PKIFixtures.der("ec-intermediate")]
        let result = await validator.validate(
            chain: chain, identity: IKEIdentity("right.lab.test"), at: PKIFixtures.validationTime)
        let failure = try #require(result.failure)
        #expect(failure.code == .expired)
        #expect(failure.text.hasPrefix("certificate for 'right.lab.test' expired 20"))
    }

    @Test("RFC 5280 §4.1.2.5: before notBefore the chain is not yet valid")
    func notYetValid() async throws {
        let validator = try PKIFixtures.validator("ec-root")
        let early = ISO8601DateFormatter().date(from: "2020-01-01T00:00:00Z")!
        let result = await validator.validate(chain: ecChain, identity: IKEIdentity("right.lab.test"), at: early)
        #expect(result.failure?.code == .notYetValid)
    }

    @Test("RFC 5280 §6.1: a chain from a CA nobody configured does not lead to a configured CA")
    func wrongCA() async throws {
        let validator = try PKIFixtures.validator("ec-root")
        let result = await validator.validate(
            chain: [try PKIFixtures.der("other-right")], identity: IKEIdentity("right.lab.test"),
            at: PKIFixtures.validationTime)
        let failure = try #require(result.failure)
        #expect(failure.code == .untrustedChain)
        #expect(failure.text.contains("does not lead to a configured CA"))
    }

    @Test("RFC 7296 §3.6: without the intermediate CERT the chain cannot be built")
    func missingIntermediate() async throws {
        let validator = try PKIFixtures.validator("ec-root")
        let result = await validator.validate(
            chain: [try PKIFixtures.der("right-ec")], identity: IKEIdentity("right.lab.test"),
            at: PKIFixtures.validationTime)
        #expect(result.failure?.code == .untrustedChain)
    }

    @Test("Garbage in a CERT payload is a malformed certificate, not a crash")
    func malformed() async throws {
        let validator = try PKIFixtures.validator("ec-root")
        let result = await validator.validate(
            chain: [[0x30, 0x03, 0x02, 0x01]], identity: IKEIdentity("right.lab.test"), at: PKIFixtures.validationTime)
        #expect(result.failure?.code == .malformedCertificate)
        let none = await validator.validate(chain: [], identity: IKEIdentity("x"), at: PKIFixtures.validationTime)
        #expect(none.failure?.code == .malformedCertificate)
    }

    static let matching: [(String, IKEIdentity)] = [
        ("ID_FQDN ↔ dNSName", IKEIdentity("right.lab.test")),
        ("ID_FQDN is case-insensitive", IKEIdentity("RIGHT.lab.test")),
        ("ID_RFC822_ADDR ↔ rfc822Name", IKEIdentity("right@lab.test")),
        ("ID_IPV4_ADDR ↔ iPAddress", IKEIdentity("192.0.2.2")),
        ("ID_IPV6_ADDR ↔ iPAddress", IKEIdentity(type: .ipv6Address, data: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [2])),
    ]

    @Test("RFC 4945 §3.1: each identity type matches the end entity", arguments: matching)
    func identityMatches(_ label: String, _ identity: IKEIdentity) async throws {
        let validator = try PKIFixtures.validator("ec-root")
        let result = await validator.validate(chain: ecChain, identity: identity, at: PKIFixtures.validationTime)
        #expect(result.failure == nil, "\(label): \(String(describing: result.failure))")
    }

    static let mismatching: [(String, IKEIdentity)] = [
        ("ID_FQDN", IKEIdentity("left.lab.test")),
        ("ID_RFC822_ADDR", IKEIdentity("left@lab.test")),
        ("ID_IPV4_ADDR", IKEIdentity("192.0.2.1")),
        ("ID_IPV6_ADDR", IKEIdentity(type: .ipv6Address, data: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])),
        ("ID_KEY_ID", IKEIdentity(type: .keyID, data: [1, 2, 3, 4])),
    ]

    @Test("RFC 4945 §3.1: an identity the end entity does not carry is refused", arguments: mismatching)
    func identityMismatch(_ label: String, _ identity: IKEIdentity) async throws {
        let validator = try PKIFixtures.validator("ec-root")
        let result = await validator.validate(chain: ecChain, identity: identity, at: PKIFixtures.validationTime)
        let failure = try #require(result.failure, "\(label)")
        #expect(failure.code == .identityMismatch)
        #expect(failure.text.contains("identity '"))
    }

    @Test("RFC 4945 §3.1: the FQDN mismatch names the subjectAltNames it looked at")
    func mismatchText() async throws {
        let validator = try PKIFixtures.validator("ec-root")
        let result = await validator.validate(chain: ecChain, identity: IKEIdentity("x.lab.test"), at: PKIFixtures.validationTime)
        #expect(result.failure?.text == "identity 'x.lab.test' not in the certificate's subjectAltNames "
            + "[DNS:right.lab.test, email:right@lab.test, IP:192.0.2.2, IP:2001:db8::2]")
    }

    @Test("RFC 7296 §3.5: ID_DER_ASN1_DN matches the subject by DER, and another DN does not")
    func distinguishedName() async throws {
        let validator = try PKIFixtures.validator("ec-root")
        var serializer = DER.Serializer()
        try serializer.serialize(try PKIFixtures.certificate("right-ec").subject)
        let subject = IKEIdentity(type: .derASN1DN, data: serializer.serializedBytes)
        let ok = await validator.validate(chain: ecChain, identity: subject, at: PKIFixtures.validationTime)
        #expect(ok.failure == nil)
        var other = DER.Serializer()
        try other.serialize(try PKIFixtures.certificate("left-ec").subject)
        let wrong = await validator.validate(
            chain: ecChain, identity: IKEIdentity(type: .derASN1DN, data: other.serializedBytes),
            at: PKIFixtures.validationTime)
        #expect(wrong.failure?.code == .identityMismatch)
    }

    @Test("RFC 7296 §3.7: CERTREQ hashes are 20-octet SHA-1 hashes, one per anchor")
    func certificateRequestHashes() throws {
        let hashes = try PKIFixtures.validator("ec-root", "rsa-root").certificateRequestHashes
        #expect(hashes.count == 2)
        #expect(hashes.allSatisfy { $0.count == 20 })
        #expect(hashes[0] != hashes[1])
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { failure } else { nil }
    }
}
