import IKEWire

/// One item of `local_ts` or `remote_ts`, as swanctl reads it (`parse_ts` in
/// strongSwan's `vici_config.c`): `10.0.0.0/24`, `2001:db8::/32`, `10.0.0.1-10.0.0.9`,
/// `dynamic`, each optionally followed by `[protocol/port]` (`[tcp/443]`, `[udp]`,
/// `[any/1024-65535]`, `[icmp/opaque]`).
public enum TrafficSelectorSpecification: Hashable, Sendable, CustomStringConvertible {
    /// `dynamic`: the SA's own address (or virtual IP), known only when the SA is set up.
    case dynamic(ipProtocol: UInt8, startPort: UInt16, endPort: UInt16)
    /// A fixed address range.
    case selector(TrafficSelector)

    /// Parses one item; the error says what is wrong.
    public static func parse(_ text: String) -> Result<TrafficSelectorSpecification, ProposalSyntaxError> {
        var base = text
        var ipProtocol: UInt8 = 0
        var startPort: UInt16 = 0
        var endPort: UInt16 = 65535
        if let open = text.firstIndex(of: "[") {
            guard text.hasSuffix("]") else {
                return .failure(ProposalSyntaxError("missing ']' in traffic selector '\(text)'"))
            }
            base = String(text[..<open])
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
            let pieces = inner.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let protocolText = String(pieces[0]).lowercased()
            if protocolText == "any" || protocolText.isEmpty {
                ipProtocol = 0
            } else if let number = SwanctlValue.unsigned(protocolText, maximum: 255) {
                ipProtocol = UInt8(number)
            } else if let number = Self.protocolNumbers[protocolText] {
                ipProtocol = number
            } else {
                return .failure(
                    ProposalSyntaxError(
                        "unknown IP protocol '\(pieces[0])' in traffic selector '\(text)'",
                        hint: "use a number or one of \(Self.protocolNumbers.keys.sorted().joined(separator: ", "))"))
            }
            if pieces.count == 2 {
                let port = String(pieces[1]).lowercased()
                if port == "opaque" {
                    startPort = 65535
                    endPort = 0
                } else if port != "any" {
                    let bounds = port.split(separator: "-", omittingEmptySubsequences: false)
                    guard bounds.count <= 2, let low = SwanctlValue.unsigned(String(bounds[0]), maximum: 65535),
                        let high = bounds.count == 2 ? SwanctlValue.unsigned(String(bounds[1]), maximum: 65535) : low,
                        low <= high
                    else {
                        return .failure(
                            ProposalSyntaxError(
                                "invalid port '\(pieces[1])' in traffic selector '\(text)'",
                                hint: "use a number, a range such as 1024-65535, 'any' or 'opaque' (service names are not supported)"))
                    }
                    startPort = UInt16(low)
                    endPort = UInt16(high)
                }
            }
        }
        if base.lowercased() == "dynamic" {
            return .success(.dynamic(ipProtocol: ipProtocol, startPort: startPort, endPort: endPort))
        }
        let range: ([UInt8], [UInt8])
        if let slash = base.firstIndex(of: "/") {
            guard let address = IPAddressNotation.parse(String(base[..<slash])),
                let length = SwanctlValue.unsigned(String(base[base.index(after: slash)...]), maximum: UInt64(address.count * 8))
            else {
                return .failure(ProposalSyntaxError("invalid subnet '\(base)' in traffic selector", hint: "write e.g. 10.0.0.0/24 or 2001:db8::/64"))
            }
            range = Self.bounds(of: address, prefixLength: Int(length))
        } else if let dash = base.firstIndex(of: "-") {
            guard let start = IPAddressNotation.parse(String(base[..<dash])),
                let end = IPAddressNotation.parse(String(base[base.index(after: dash)...])), start.count == end.count,
                start.lexicographicallyPrecedes(end) || start == end
            else {
                return .failure(ProposalSyntaxError("invalid address range '\(base)' in traffic selector", hint: "write e.g. 10.0.0.1-10.0.0.9"))
            }
            range = (start, end)
        } else if let address = IPAddressNotation.parse(base) {
            range = (address, address)
        } else {
            return .failure(
                ProposalSyntaxError(
                    "invalid traffic selector '\(text)'", hint: "write a subnet (10.0.0.0/24), a range (10.0.0.1-10.0.0.9), an address or 'dynamic'"))
        }
        let type: TrafficSelectorType = range.0.count == 4 ? .ipv4AddressRange : .ipv6AddressRange
        return .success(
            .selector(
                TrafficSelector(
                    type: type, ipProtocolID: ipProtocol, startPort: startPort, endPort: endPort, startAddress: range.0,
                    endAddress: range.1)))
    }

    /// The first and last address of a prefix.
    static func bounds(of address: [UInt8], prefixLength: Int) -> ([UInt8], [UInt8]) {
        var start = address
        var end = address
        for index in 0..<address.count {
            let bitsBefore = index * 8
            let keep = max(0, min(8, prefixLength - bitsBefore))
            let mask: UInt8 = keep == 0 ? 0 : ~UInt8(0) << (8 - keep)
            start[index] = address[index] & mask
            end[index] = address[index] | ~mask
        }
        return (start, end)
    }

    /// Protocol names strongSwan resolves through `getprotobyname`, the common ones.
    static let protocolNumbers: [String: UInt8] = [
        "icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51, "ipv6-icmp": 58, "icmpv6": 58,
        "sctp": 132,
    ]

    public var description: String {
        switch self {
        case .dynamic(let proto, let start, let end):
            "dynamic" + Self.suffix(proto, start, end)
        case .selector(let selector):
            Self.rangeText(selector.startAddress, selector.endAddress)
                + Self.suffix(selector.ipProtocolID, selector.startPort, selector.endPort)
        }
    }

    static func rangeText(_ start: [UInt8], _ end: [UInt8]) -> String {
        for length in 0...(start.count * 8) where bounds(of: start, prefixLength: length) == (start, end) {
            return "\(IPAddressText.format(start))/\(length)"
        }
        return "\(IPAddressText.format(start))-\(IPAddressText.format(end))"
    }

    static func suffix(_ proto: UInt8, _ start: UInt16, _ end: UInt16) -> String {
        if proto == 0, start == 0, end == 65535 { return "" }
        let ports = start == 0 && end == 65535 ? "" : start == end ? "/\(start)" : "/\(start)-\(end)"
        return "[\(proto == 0 ? "any" : String(proto))\(ports)]"
    }
}
