import IKEWire

/// An IKE identity (RFC 7296 §3.5) as configured and as received, compared by type and
/// data.
public struct IKEIdentity: Hashable, Sendable, CustomStringConvertible {
    public var type: IdentificationType
    public var data: [UInt8]

    public init(type: IdentificationType, data: [UInt8]) {
        self.type = type
        self.data = data
    }

    /// An identity from strongSwan-style text: `user@domain` (ID_RFC822_ADDR), an IPv4
    /// address (ID_IPV4_ADDR), or otherwise a host name (ID_FQDN).
    public init(_ text: String) {
        if let ipv4 = Self.parseIPv4(text) {
            self.init(type: .ipv4Address, data: ipv4)
        } else if text.contains("@") {
            self.init(type: .rfc822Address, data: Array(text.utf8))
        } else {
            self.init(type: .fqdn, data: Array(text.utf8))
        }
    }

    public init(_ payload: IdentificationPayload) { self.init(type: payload.type, data: payload.data) }

    public var payload: IdentificationPayload { IdentificationPayload(type: type, data: data) }

    /// The identity as one line of bounded length, safe to log before the peer is
    /// authenticated (``IKEWire/PeerText``): names escaped and cut, other types in hex.
    public var description: String {
        switch type {
        case .fqdn, .rfc822Address: PeerText.escaped(data)
        case .ipv4Address where data.count == 4, .ipv6Address where data.count == 16: IPAddressText.format(data)
        default: "\(type):" + PeerText.hex(data)
        }
    }

    static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? bytes : nil
    }
}
