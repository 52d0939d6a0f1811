import IKEWire

/// An inclusive range of IPv4 or IPv6 addresses, `first` to `last`, of one family.
public struct AddressRange: Hashable, Sendable, CustomStringConvertible {
    /// 4 or 16 bytes, network order.
    public let first: [UInt8]
    /// Of the same length as ``first``, not below it.
    public let last: [UInt8]

    /// `nil` unless both are addresses of the same family and `first` is not above `last`.
    public init?(first: [UInt8], last: [UInt8]) {
        guard first.count == 4 || first.count == 16, first.count == last.count,
            !last.lexicographicallyPrecedes(first)
        else { return nil }
        self.first = first
        self.last = last
    }

    public var isIPv6: Bool { first.count == 16 }

    public func contains(_ address: [UInt8]) -> Bool {
        address.count == first.count && !address.lexicographicallyPrecedes(first) && !last.lexicographicallyPrecedes(address)
    }

    public func overlaps(_ other: AddressRange) -> Bool {
        other.first.count == first.count && !other.last.lexicographicallyPrecedes(first)
            && !last.lexicographicallyPrecedes(other.first)
    }

    /// How many addresses it holds, at most `limit`.
    public func count(limit: UInt64) -> UInt64 {
        AddressArithmetic.distance(from: first, to: last, limit: limit).map { min(limit, $0 + 1) } ?? limit
    }

    /// The address `offset` places after ``first``, or `nil` past ``last``.
    public func address(at offset: UInt64) -> [UInt8]? {
        guard let address = AddressArithmetic.adding(offset, to: first), contains(address) else { return nil }
        return address
    }

    /// How far `address` is from ``first``; `nil` when it is outside the range.
    public func offset(of address: [UInt8]) -> UInt64? {
        guard contains(address) else { return nil }
        return AddressArithmetic.distance(from: first, to: address, limit: .max)
    }

    public var description: String { "\(IPAddressText.format(first))-\(IPAddressText.format(last))" }
}

/// An address and a prefix length: a subnet (`10.1.0.0/16`) or an address with the length
/// of its network.
public struct AddressPrefix: Hashable, Sendable, CustomStringConvertible {
    /// 4 or 16 bytes.
    public var address: [UInt8]
    /// 0–32 or 0–128.
    public var length: Int

    public init(address: [UInt8], length: Int) {
        self.address = address
        self.length = length
    }

    /// `10.1.0.0/16`, `fd00::/120`, or a plain address (the full length); `nil` otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddressNotation.parse(String(parts[0])) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : address.count * 8
        guard let length, (0...(address.count * 8)).contains(length) else { return nil }
        self.init(address: address, length: length)
    }

    /// Every address of the prefix, from its network address to its last.
    public var range: AddressRange {
        var first = address
        var last = address
        for index in address.indices {
            let bits = max(0, min(8, length - index * 8))
            let mask: UInt8 = bits == 0 ? 0 : ~UInt8(0) << (8 - bits)
            first[index] &= mask
            last[index] |= ~mask
        }
        // Both have address.count bytes and first <= last by construction.
        return AddressRange(unchecked: first, last)
    }

    public var description: String { "\(IPAddressText.format(address))/\(length)" }
}

extension AddressRange {
    fileprivate init(unchecked first: [UInt8], _ last: [UInt8]) {
        self.first = first
        self.last = last
    }
}

/// Sums and differences of addresses as big-endian numbers.
enum AddressArithmetic {
    /// `address + offset`, or `nil` when it overflows the family.
    static func adding(_ offset: UInt64, to address: [UInt8]) -> [UInt8]? {
        var result = address
        var carry = offset
        var index = result.count - 1
        while carry > 0 {
            guard index >= 0 else { return nil }
            let sum = UInt64(result[index]) + (carry & 0xFF)
            result[index] = UInt8(truncatingIfNeeded: sum)
            carry = (carry >> 8) + (sum >> 8)
            index -= 1
        }
        return result
    }

    /// `to - from` when `from <= to` and the difference is at most `limit`; `nil` otherwise.
    static func distance(from: [UInt8], to: [UInt8], limit: UInt64) -> UInt64? {
        guard from.count == to.count, !to.lexicographicallyPrecedes(from) else { return nil }
        var difference: [Int] = zip(to, from).map { Int($0) - Int($1) }
        for index in difference.indices.reversed() where difference[index] < 0 {
            difference[index] += 256
            difference[index - 1] -= 1
        }
        var value: UInt64 = 0
        for byte in difference {
            guard value <= (UInt64.max >> 8) else { return nil }
            value = value << 8 | UInt64(byte)
        }
        return value <= limit ? value : nil
    }
}
