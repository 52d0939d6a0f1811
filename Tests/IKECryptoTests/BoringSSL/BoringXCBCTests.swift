import IKEWire
import Testing

@testable import IKECrypto

/// One AES-XCBC known answer; `mac` is the full 128-bit output.
struct BoringXCBCVector: Sendable, CustomTestStringConvertible {
    var name: String
    var key: String
    var message: String
    var mac: String

    var testDescription: String { name }
}

@Suite("BoringSSL AES-XCBC (RFC 3566, RFC 4434)")
struct BoringXCBCTests {
    typealias H = BoringTestSupport

    static let key = "000102030405060708090a0b0c0d0e0f"

    /// Source: RFC 3566 §4.6, Test Cases #1–#5 (the full 128-bit AES-XCBC-MAC; the
    /// AES-XCBC-MAC-96 ICV is its first 12 bytes).
    static let rfc3566Cases: [BoringXCBCVector] = [
        .init(name: "RFC 3566 #1 (0 bytes)", key: key, message: "", mac: "75f0251d528ac01c4573dfd584d79f29"),
        .init(name: "RFC 3566 #2 (3 bytes)", key: key, message: "000102", mac: "5b376580ae2f19afe7219ceef172756f"),
        .init(name: "RFC 3566 #3 (16 bytes)", key: key, message: "000102030405060708090a0b0c0d0e0f",
              mac: "d2a246fa349b68a79998a4394ff7a263"),
        .init(name: "RFC 3566 #4 (20 bytes)", key: key, message: "000102030405060708090a0b0c0d0e0f10111213",
              mac: "47f51b4564966215b8985c63055ed308"),
        .init(name: "RFC 3566 #5 (32 bytes)", key: key,
              message: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
              mac: "f54f0ec8d2b9f3d36807734bd5283fd4"),
    ]

    /// Source: RFC 4434 §5, the three AES-XCBC-PRF-128 cases with a 20-byte message and
    /// 16, 10 and 18-byte keys.
    static let rfc4434Cases: [BoringXCBCVector] = [
        .init(name: "RFC 4434 §5, 16-byte key", key: key, message: "000102030405060708090a0b0c0d0e0f10111213",
              mac: "47f51b4564966215b8985c63055ed308"),
        .init(name: "RFC 4434 §5, 10-byte key", key: "00010203040506070809",
              message: "000102030405060708090a0b0c0d0e0f10111213", mac: "0fa087af7d866e7653434e602fdde835"),
        .init(name: "RFC 4434 §5, 18-byte key", key: key + "edcb",
              message: "000102030405060708090a0b0c0d0e0f10111213", mac: "8cd3c93ae598a9803006ffb67c40e9e4"),
    ]

    @Test("AES-XCBC-MAC-96 ICVs (RFC 3566 §4.6)", arguments: rfc3566Cases)
    func integrity(_ vector: BoringXCBCVector) throws {
        let algorithm = AESXCBCIntegrityAlgorithm()
        #expect(algorithm.id == .aesXCBC96 && algorithm.keyLength == 16 && algorithm.icvLength == 12)
        let context = try algorithm.makeContext(key: SecretBytes(H.hex(vector.key)))
        let message = H.hex(vector.message)
        let icv = context.icv(message)
        #expect(icv == Array(H.hex(vector.mac).prefix(12)))
        let verified = message.withUnsafeBytes { data in icv.withUnsafeBytes { context.verify(data, icv: $0) } }
        #expect(verified)
        var bad = icv
        bad[11] ^= 1
        let rejected = message.withUnsafeBytes { data in bad.withUnsafeBytes { context.verify(data, icv: $0) } }
        #expect(!rejected)
    }

    @Test("AES-XCBC-PRF-128 on the RFC 3566 cases (RFC 4434 §2: a 128-bit key is used as-is)", arguments: rfc3566Cases)
    func prfOnMACCases(_ vector: BoringXCBCVector) {
        let prf = AESXCBCPseudorandomFunction()
        #expect(prf.compute(key: SecretBytes(H.hex(vector.key)), data: H.hex(vector.message)).unprotectedBytes == H.hex(vector.mac))
    }

    @Test("AES-XCBC-PRF-128 with any key length (RFC 4434 §5)", arguments: rfc4434Cases)
    func prf(_ vector: BoringXCBCVector) {
        let prf = AESXCBCPseudorandomFunction()
        #expect(prf.id == .aes128XCBC && prf.outputLength == 16 && prf.keyLength == 16)
        let output = prf.compute(key: SecretBytes(H.hex(vector.key)), data: H.hex(vector.message))
        #expect(output.unprotectedBytes == H.hex(vector.mac))
    }

    @Test("An empty PRF key is padded with zeros (RFC 4434 §2)")
    func emptyKey() {
        let prf = AESXCBCPseudorandomFunction()
        let zero = prf.compute(key: SecretBytes([UInt8](repeating: 0, count: 16)), data: [1, 2, 3])
        #expect(prf.compute(key: SecretBytes([]), data: [1, 2, 3]) == zero)
    }

    @Test("AES-XCBC-96 rejects keys other than 16 bytes (RFC 3566)", arguments: [0, 15, 17, 32])
    func badKey(length: Int) {
        #expect(
            H.errorCode { _ = try AESXCBCIntegrityAlgorithm().makeContext(key: SecretBytes([UInt8](repeating: 1, count: length))) }
                == .invalidKeyLength)
    }
}
