import IKEWire

/// An integrity transform (RFC 7296 §3.3.2, Transform Type 3), for SK payloads and ESP.
public protocol IntegrityAlgorithm: Sendable {
    var id: IntegrityAlgorithmID { get }
    /// Key length in bytes (RFC 7296 §2.13: SK_ai/SK_ar have this length).
    var keyLength: Int { get }
    /// Length of the truncated ICV in bytes.
    var icvLength: Int { get }
    /// A context keyed once, reused for every message of an SA.
    func makeContext(key: SecretBytes) throws(IKECryptoError) -> any IntegrityContext
}

/// A keyed integrity algorithm.
public protocol IntegrityContext: Sendable {
    var icvLength: Int { get }
    /// Writes the ICV over `data` (the first ``icvLength`` bytes of the MAC) to `icv`.
    func authenticate(_ data: UnsafeRawBufferPointer, icv: UnsafeMutableRawBufferPointer)
}

extension IntegrityContext {
    /// The ICV over `data`.
    public func icv(_ data: [UInt8]) -> [UInt8] {
        var icv = [UInt8](repeating: 0, count: icvLength)
        data.withUnsafeBytes { data in icv.withUnsafeMutableBytes { authenticate(data, icv: $0) } }
        return icv
    }

    /// Checks, in constant time, that `icv` is the ICV over `data`.
    public func verify(_ data: UnsafeRawBufferPointer, icv: UnsafeRawBufferPointer) -> Bool {
        var expected = [UInt8](repeating: 0, count: icvLength)
        expected.withUnsafeMutableBytes { authenticate(data, icv: $0) }
        return expected.withUnsafeBytes { ConstantTime.equal($0, icv) }
    }
}
