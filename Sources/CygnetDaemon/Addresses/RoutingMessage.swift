import CCygnetNet

/// One rtnetlink message (rtnetlink(7)) as the address monitor reads it: an address
/// added or removed, a route added or removed, the end of a dump, an error, or something
/// else. ``parse(_:)`` reads a datagram of them with every length checked: the kernel is
/// trusted, but nothing read from a socket may trap.
enum RoutingMessage: Equatable, Sendable {
    case newAddress(InterfaceAddress)
    case deletedAddress(InterfaceAddress)
    case newRoute(Route)
    case deletedRoute(Route)
    /// NLMSG_DONE: the end of a dump.
    case done
    /// NLMSG_ERROR: the (negative) errno, 0 for an acknowledgement.
    case error(code: Int32)
    case other(type: UInt16)

    /// An address of an interface (`struct ifaddrmsg` and its IFA_* attributes).
    struct InterfaceAddress: Hashable, Sendable {
        /// IFA_LOCAL, or IFA_ADDRESS without it (on a point-to-point link IFA_ADDRESS is the
        /// other end's).
        var address: [UInt8]
        var prefixLength: UInt8
        /// IFA_FLAGS when present (32 bits), else `ifa_flags`.
        var flags: UInt32
        var scope: UInt8
        var interfaceIndex: UInt32

        var isTentative: Bool { flags & UInt32(CYG_IFA_F_TENTATIVE | CYG_IFA_F_DADFAILED) != 0 }
        var isSecondary: Bool { flags & UInt32(CYG_IFA_F_SECONDARY) != 0 }
    }

    /// A route (`struct rtmsg` and the RTA_* attributes the source selection reads).
    struct Route: Equatable, Sendable {
        var family: UInt8
        var destination: [UInt8]
        var destinationLength: UInt8
        /// RTA_TABLE when present, else `rtm_table`.
        var table: UInt32
        var type: UInt8
        var outputInterface: UInt32?
        var preferredSource: [UInt8]?
        var gateway: [UInt8]?
        var priority: UInt32
    }

    static let headerLength = 16
    static let addressBodyLength = 8
    static let routeBodyLength = 12

    /// The messages of one netlink datagram, in order, each with its sequence number, up
    /// to the first that does not fit (a length shorter than its header or beyond the
    /// datagram ends the parse).
    static func parse(_ bytes: [UInt8]) -> [(message: RoutingMessage, sequence: UInt32)] {
        var messages: [(message: RoutingMessage, sequence: UInt32)] = []
        var offset = 0
        while offset + headerLength <= bytes.count {
            guard let length = bytes.hostUInt32(at: offset).map(Int.init), length >= headerLength,
                length <= bytes.count - offset, let type = bytes.hostUInt16(at: offset + 4),
                let sequence = bytes.hostUInt32(at: offset + 8)
            else { break }
            let body = Array(bytes[offset + headerLength..<offset + length])
            messages.append((message(type: type, body: body), sequence))
            offset += align(length)
        }
        return messages
    }

    private static func message(type: UInt16, body: [UInt8]) -> RoutingMessage {
        switch Int(type) {
        case CYG_NLMSG_DONE:
            return .done
        case CYG_NLMSG_ERROR:
            return .error(code: body.hostUInt32(at: 0).map { Int32(bitPattern: $0) } ?? -1)
        case CYG_RTM_NEWADDR, CYG_RTM_DELADDR:
            guard let address = interfaceAddress(body) else { return .other(type: type) }
            return Int(type) == CYG_RTM_NEWADDR ? .newAddress(address) : .deletedAddress(address)
        case CYG_RTM_NEWROUTE, CYG_RTM_DELROUTE:
            guard let route = route(body) else { return .other(type: type) }
            return Int(type) == CYG_RTM_NEWROUTE ? .newRoute(route) : .deletedRoute(route)
        default:
            return .other(type: type)
        }
    }

    /// `struct ifaddrmsg` (family, prefix length, flags, scope, index) and its attributes;
    /// `nil` without an address of the family's length.
    private static func interfaceAddress(_ body: [UInt8]) -> InterfaceAddress? {
        guard body.count >= addressBodyLength, let index = body.hostUInt32(at: 4) else { return nil }
        let length = addressLength(family: body[0])
        var local: [UInt8]?
        var address: [UInt8]?
        var flags = UInt32(body[2])
        for (type, value) in attributes(body, from: addressBodyLength) {
            switch Int(type) {
            case CYG_IFA_LOCAL where value.count == length: local = value
            case CYG_IFA_ADDRESS where value.count == length: address = value
            case CYG_IFA_FLAGS: flags = value.hostUInt32(at: 0) ?? flags
            default: break
            }
        }
        guard let chosen = local ?? address else { return nil }
        return InterfaceAddress(address: chosen, prefixLength: body[1], flags: flags, scope: body[3], interfaceIndex: index)
    }

    /// `struct rtmsg` (family, dst_len, src_len, tos, table, protocol, scope, type, flags)
    /// and its attributes; `nil` for a family other than IPv4 and IPv6.
    private static func route(_ body: [UInt8]) -> Route? {
        guard body.count >= routeBodyLength else { return nil }
        let length = addressLength(family: body[0])
        guard length > 0 else { return nil }
        var route = Route(
            family: body[0], destination: [UInt8](repeating: 0, count: length), destinationLength: body[1],
            table: UInt32(body[4]), type: body[7], priority: 0)
        for (type, value) in attributes(body, from: routeBodyLength) {
            switch Int(type) {
            case CYG_RTA_DST where value.count == length: route.destination = value
            case CYG_RTA_OIF: route.outputInterface = value.hostUInt32(at: 0)
            case CYG_RTA_PREFSRC where value.count == length: route.preferredSource = value
            case CYG_RTA_GATEWAY where value.count == length: route.gateway = value
            case CYG_RTA_PRIORITY: route.priority = value.hostUInt32(at: 0) ?? 0
            case CYG_RTA_TABLE: route.table = value.hostUInt32(at: 0) ?? route.table
            default: break
            }
        }
        guard Int(route.destinationLength) <= length * 8 else { return nil }
        return route
    }

    /// The rtattrs (length, type, value) from `offset` on, up to the first whose length
    /// does not fit.
    static func attributes(_ body: [UInt8], from offset: Int) -> [(type: UInt16, value: [UInt8])] {
        var result: [(type: UInt16, value: [UInt8])] = []
        var offset = offset
        while offset + 4 <= body.count {
            guard let length = body.hostUInt16(at: offset).map(Int.init), length >= 4, length <= body.count - offset,
                let type = body.hostUInt16(at: offset + 2)
            else { break }
            // NLA_F_NESTED and NLA_F_NET_BYTEORDER are the top bits of the type.
            result.append((type & 0x3FFF, Array(body[offset + 4..<offset + length])))
            offset += align(length)
        }
        return result
    }

    /// AF_INET (2) is 4 bytes, AF_INET6 (10) 16; anything else 0.
    static func addressLength(family: UInt8) -> Int {
        switch family {
        case 2: 4
        case 10: 16
        default: 0
        }
    }

    /// NLMSG_ALIGN and RTA_ALIGN: 4 bytes.
    static func align(_ length: Int) -> Int { (length + 3) & ~3 }
}

extension [UInt8] {
    /// A 16- or 32-bit integer in the host's byte order (netlink's) at `offset`, `nil`
    /// when it does not fit.
    func hostUInt16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset <= count - 2 else { return nil }
        return withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt16.self) }
    }

    func hostUInt32(at offset: Int) -> UInt32? {
        guard offset >= 0, offset <= count - 4 else { return nil }
        return withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
    }
}
