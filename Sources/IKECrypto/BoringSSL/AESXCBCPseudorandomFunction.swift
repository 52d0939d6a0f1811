import IKEWire

/// PRF_AES128_XCBC (RFC 4434): AES-XCBC-PRF-128, a PRF that takes a key of any length.
public struct AESXCBCPseudorandomFunction: PseudorandomFunction {
    public init() {}

    public var id: PseudorandomFunctionID { .aes128XCBC }
    public var outputLength: Int { 16 }
    public var keyLength: Int { 16 }

    /// prf(key, data), the key first brought to 128 bits as RFC 4434 §2 requires:
    /// "If the key is exactly 128 bits long, use it as-is. If the key has fewer than 128
    /// bits, lengthen it to exactly 128 bits by padding it on the right with zero bits.
    /// If the key is 129 bits or longer, shorten it to exactly 128 bits by performing
    /// the steps in AES-XCBC-PRF-128 (that is, the algorithm described in this
    /// document). In that re-application of this algorithm, the key is 128 zero bits;
    /// the message is the too-long current key."
    public func compute(key: SecretBytes, data: [UInt8]) -> SecretBytes {
        let key128: SecretBytes
        if key.count == 16 {
            key128 = key
        } else if key.count < 16 {
            key128 = SecretBytes(count: 16) { padded in
                key.withUnsafeBytes { padded.copyMemory(from: $0) }
            }
        } else {
            let zero = [UInt8](repeating: 0, count: 16)
            key128 = key.withUnsafeBytes { key in zero.withUnsafeBytes { Self.mac(key: $0, key) } }
        }
        return key128.withUnsafeBytes { key in data.withUnsafeBytes { Self.mac(key: key, $0) } }
    }

    /// AES-XCBC-MAC-128 with a 16-byte key. A 16-byte key always schedules; should the
    /// schedule still fail, the output is zero bytes, which the peer's ICV check then
    /// rejects, rather than a trap.
    static func mac(key: UnsafeRawBufferPointer, _ message: UnsafeRawBufferPointer) -> SecretBytes {
        guard let xcbc = try? AESXCBCMAC(key: key) else { return SecretBytes([UInt8](repeating: 0, count: 16)) }
        return SecretBytes(count: 16) { xcbc.mac(message, into: $0) }
    }
}
