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

extension AddressSpecification {
    /// How closely this item names `address` (4 or 16 bytes), to rank the connections that
    /// accept an IKE SA, as strongSwan ranks them: 0 when it does not include the address;
    /// 1 for `%any` (and `%any4`/`%any6` of the address's family), a range that is not a
    /// subnet, or a host name (not resolved for this); the prefix length + 1 for a subnet
    /// (a range that is one counts as that subnet); 129 for the address itself.
    public func matchQuality(for address: [UInt8]) -> Int {
        switch self {
        case .any: 1
        case .anyIPv4: address.count == 4 ? 1 : 0
        case .anyIPv6: address.count == 16 ? 1 : 0
        case .hostname: 1
        case .address(let bytes): bytes == address ? 129 : 0
        case .prefix(let bytes, let length):
            bytes.count == address.count && length <= 8 * bytes.count && Self.samePrefix(bytes, address, length: length)
                ? length + 1 : 0
        case .range(let start, let end):
            start.count == address.count && !address.lexicographicallyPrecedes(start) && !end.lexicographicallyPrecedes(address)
                ? (Self.subnetLength(start, end).map { $0 + 1 } ?? 1) : 0
        }
    }

    /// Whether the first `length` bits of `a` and `b` agree.
    static func samePrefix(_ a: [UInt8], _ b: [UInt8], length: Int) -> Bool {
        for bit in 0..<length where (a[bit / 8] ^ b[bit / 8]) & (0x80 >> UInt8(bit % 8)) != 0 { return false }
        return true
    }

    /// The prefix length of the subnet that is exactly `start`...`end`, if it is one.
    static func subnetLength(_ start: [UInt8], _ end: [UInt8]) -> Int? {
        let bits = start.count * 8
        let bit = { (bytes: [UInt8], index: Int) in bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0 }
        var length = 0
        while length < bits, bit(start, length) == bit(end, length) { length += 1 }
        for index in length..<bits where bit(start, index) || !bit(end, index) { return nil }
        return length
    }
}
