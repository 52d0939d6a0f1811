import IKEWire

/// Who a peer says it is in EAP: the Identity Response's data (RFC 3748 §5.1) or the
/// Name of an MS-CHAPv2 Response (RFC 2759 §4). Octets as sent, usually UTF-8; printed
/// escaped (`PeerText`), since a peer chose them.
public struct EAPIdentity: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The identity spelled as UTF-8.
    public init(_ text: String) { bytes = Array(text.utf8) }

    /// The identity as text, if it is valid UTF-8.
    public var text: String? { String(validating: bytes, as: UTF8.self) }

    /// The user name without a domain in front: what follows the last `\` of
    /// `DOMAIN\user`, else the whole identity. MS-CHAPv2's challenge hash takes it so:
    /// "Only the user name (as presented by the peer and excluding any prepended domain
    /// name) is used as input to SHAUpdate()." (RFC 2759 §8.2)
    public var userNameWithoutDomain: [UInt8] {
        guard let backslash = bytes.lastIndex(of: UInt8(ascii: "\\")) else { return bytes }
        return Array(bytes[(backslash + 1)...])
    }

    public var description: String { PeerText.escaped(bytes) }
}
