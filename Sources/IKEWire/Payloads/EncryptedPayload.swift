import NIOCore

/// Encrypted and Authenticated payload, SK (RFC 7296 §3.14).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// |                     Initialization Vector                     |
/// +---------------+---------------+---------------+---------------+
/// ~                    Encrypted IKE Payloads                     ~
/// +               +-------------+-+-------------------------------+
/// |               |             |    Padding Length             |
/// +---------------+-------------+-+-------------------------------+
/// ~                    Integrity Checksum Data                    ~
/// +---------------+---------------+---------------+---------------+
/// ```
/// The wire layer does not decrypt: it keeps the bytes after the generic header, which
/// the engine splits by the negotiated algorithms. Its Next Payload field names the first
/// payload inside, and it is always the last payload of a message (RFC 7296 §3.14).
public struct EncryptedPayload: Hashable, Sendable {
    /// Type of the first payload inside the encryption.
    public var firstPayloadType: PayloadType
    /// IV, ciphertext (with padding) and ICV, as sent.
    public var data: [UInt8]

    public init(firstPayloadType: PayloadType, data: [UInt8]) {
        self.firstPayloadType = firstPayloadType
        self.data = data
    }
}
