import IKEWire

/// One item of `local_addrs`, `remote_addrs` or `cygnet.listen`: an address, a prefix,
/// a range, a host name, or a wildcard.
public enum AddressSpecification: Hashable, Sendable, CustomStringConvertible {
    /// `%any`: any address of either family.
    case any
    /// `%any4`, `%any6`.
    case anyIPv4
    case anyIPv6
    /// One address (4 or 16 bytes).
    case address([UInt8])
    /// `192.0.2.0/24` (only as a local or remote address to accept, never to initiate to).
    case prefix([UInt8], length: Int)
    /// `192.0.2.10-192.0.2.20`.
    case range([UInt8], [UInt8])
    /// A DNS name, resolved when used.
    case hostname(String)

    /// Parses one item; `nil` when it is none of the forms.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "%any": self = .any
        case "%any4": self = .anyIPv4
        case "%any6": self = .anyIPv6
        default:
            if let address = IPAddressNotation.parse(text) {
                self = .address(address)
            } else if let slash = text.firstIndex(of: "/") {
                guard let address = IPAddressNotation.parse(String(text[..<slash])),
                    let length = Int(text[text.index(after: slash)...]), (0...(address.count * 8)).contains(length)
                else { return nil }
                self = .prefix(address, length: length)
            } else if let dash = text.firstIndex(of: "-"), let start = IPAddressNotation.parse(String(text[..<dash])) {
                guard let end = IPAddressNotation.parse(String(text[text.index(after: dash)...])), end.count == start.count,
                    start.lexicographicallyPrecedes(end) || start == end
                else { return nil }
                self = .range(start, end)
            } else if Self.isHostname(text) {
                self = .hostname(text)
            } else {
                return nil
            }
        }
    }

    /// Whether this names exactly one peer to send to (an address or a host name).
    public var isSingleHost: Bool {
        switch self {
        case .address, .hostname: true
        case .any, .anyIPv4, .anyIPv6, .prefix, .range: false
        }
    }

    public var description: String {
        switch self {
        case .any: "%any"
        case .anyIPv4: "%any4"
        case .anyIPv6: "%any6"
        case .address(let bytes): IPAddressText.format(bytes)
        case .prefix(let bytes, let length): "\(IPAddressText.format(bytes))/\(length)"
        case .range(let start, let end): "\(IPAddressText.format(start))-\(IPAddressText.format(end))"
        case .hostname(let name): name
        }
    }

    /// RFC 1123 host name characters, labels of 1 to 63, at most 253 in all.
    static func isHostname(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        // All-numeric labels are a mistyped address (`192.0.2.300`), not a name.
        guard !labels.allSatisfy({ $0.allSatisfy { ("0"..."9").contains($0) } }) else { return false }
        for (index, label) in labels.enumerated() {
            if label.isEmpty, index == labels.count - 1, index > 0 { continue }  // trailing dot
            guard (1...63).contains(label.count), label.first != "-", label.last != "-",
                label.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") })
            else { return false }
        }
        return true
    }
}
