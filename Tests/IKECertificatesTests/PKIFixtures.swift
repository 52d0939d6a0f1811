import Foundation
import IKECertificates
import SwiftASN1
import X509

/// The test PKI of `Tests/Fixtures/pki` (see its README for how it was made).
enum PKIFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/pki")

    /// Inside every certificate's validity except right-expired's (fixtures made
    /// 2026-11-29; right-expired ends 30 days later).
    static let validationTime = ISO8601DateFormatter().date(from: "2027-03-01T00:00:00Z")!

    static func pem(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent("\(name).pem"), encoding: .utf8)
    }

    static func certificate(_ name: String) throws -> Certificate {
        try Certificate(pemEncoded: pem(name))
    }

    static func der(_ name: String) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate(name))
        return serializer.serializedBytes
    }

    static func validator(_ anchors: String...) throws -> CertificateValidator {
        CertificateValidator(trustAnchors: try anchors.map(certificate))
    }
}
