import IKEWire

/// AUTH_AES_XCBC_96 (RFC 3566): AES-XCBC-MAC with a 128-bit key, truncated to 96 bits.
///
/// RFC 3566: the key is 128 bits, and the ICV is the first 96 bits of the 128-bit
/// AES-XCBC-MAC output.
public struct AESXCBCIntegrityAlgorithm: IntegrityAlgorithm {
    public init() {}

    public var id: IntegrityAlgorithmID { .aesXCBC96 }
    public var keyLength: Int { 16 }
    public var icvLength: Int { 12 }

    /// - Throws: ``IKECryptoError/Code/invalidKeyLength`` unless `key` is 16 bytes.
    public func makeContext(key: SecretBytes) throws(IKECryptoError) -> any IntegrityContext {
        guard key.count == keyLength else { throw IKECryptoError(.invalidKeyLength, "AES-XCBC-96 needs 16 bytes") }
        let mac: Result<AESXCBCMAC, IKECryptoError> = key.withUnsafeBytes { key in
            Result { () throws(IKECryptoError) in try AESXCBCMAC(key: key) }
        }
        return Context(mac: try mac.get())
    }

    struct Context: IntegrityContext {
        let mac: AESXCBCMAC
        var icvLength: Int { 12 }

        func authenticate(_ data: UnsafeRawBufferPointer, icv: UnsafeMutableRawBufferPointer) {
            mac.mac(data, into: UnsafeMutableRawBufferPointer(rebasing: icv[0..<min(12, icv.count)]))
        }
    }
}
