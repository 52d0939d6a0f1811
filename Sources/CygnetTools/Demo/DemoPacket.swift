/// The inner packet `cygnet demo` carries through its tunnel: an IPv4 ICMP echo request
/// (RFC 791, RFC 792) from one protected host to the other, with both checksums and a
/// payload derived from the identifier and sequence number, so the receiver checks every
/// byte it decrypted without keeping a copy of what was sent.
///
/// ```
/// IPv4 header (20 bytes, no options, protocol 1, TTL 64)
/// ICMP: type 8, code 0, checksum, identifier, sequence number
/// payload: 48 bytes, byte i = identifier ^ sequence ^ i (low 8 bits)
/// ```
struct DemoPacket: Hashable, Sendable {
    /// The IPv4 source and destination (4 bytes each).
    var source: [UInt8]
    var destination: [UInt8]
    /// Which part of the demo sent it (the ICMP identifier).
    var identifier: UInt16
    /// The packet's number within that part, from 1 (the ICMP sequence number).
    var sequence: UInt16

    static let headerLength = 20
    static let icmpHeaderLength = 8
    static let payloadLength = 48
    static var length: Int { headerLength + icmpHeaderLength + payloadLength }

    /// Why bytes are not a demo packet.
    struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        var description: String
    }

    init(source: [UInt8], destination: [UInt8], identifier: UInt16, sequence: UInt16) {
        self.source = source
        self.destination = destination
        self.identifier = identifier
        self.sequence = sequence
    }

    /// The packet's bytes, checksums filled in.
    var bytes: [UInt8] {
        var packet = [UInt8](repeating: 0, count: Self.length)
        packet[0] = 0x45  // version 4, IHL 5
        store(UInt16(Self.length), at: 2, in: &packet)
        store(sequence, at: 4, in: &packet)  // Identification
        packet[8] = 64  // TTL
        packet[9] = 1  // ICMP
        for index in 0..<4 {
            packet[12 + index] = source.indices.contains(index) ? source[index] : 0
            packet[16 + index] = destination.indices.contains(index) ? destination[index] : 0
        }
        store(Self.checksum(packet[0..<Self.headerLength]), at: 10, in: &packet)
        let icmp = Self.headerLength
        packet[icmp] = 8  // echo request
        store(identifier, at: icmp + 4, in: &packet)
        store(sequence, at: icmp + 6, in: &packet)
        for index in 0..<Self.payloadLength {
            packet[icmp + Self.icmpHeaderLength + index] = Self.payloadByte(index, identifier: identifier, sequence: sequence)
        }
        store(Self.checksum(packet[icmp...]), at: icmp + 2, in: &packet)
        return packet
    }

    /// Parses and checks a received packet: the IPv4 header and its checksum, ICMP echo
    /// request and its checksum, and every payload byte.
    init(verifying packet: some Collection<UInt8>) throws(Invalid) {
        let packet = Array(packet)
        guard packet.count == Self.length else { throw Invalid(description: "\(packet.count) bytes, expected \(Self.length)") }
        guard packet[0] == 0x45 else { throw Invalid(description: "not an IPv4 header without options") }
        guard Self.load(packet, at: 2) == UInt16(Self.length) else { throw Invalid(description: "IPv4 total length is wrong") }
        guard Self.checksum(packet[0..<Self.headerLength]) == 0 else { throw Invalid(description: "IPv4 header checksum is wrong") }
        guard packet[9] == 1 else { throw Invalid(description: "protocol \(packet[9]), expected ICMP") }
        let icmp = Self.headerLength
        guard packet[icmp] == 8, packet[icmp + 1] == 0 else { throw Invalid(description: "not an ICMP echo request") }
        guard Self.checksum(packet[icmp...]) == 0 else { throw Invalid(description: "ICMP checksum is wrong") }
        let identifier = Self.load(packet, at: icmp + 4)
        let sequence = Self.load(packet, at: icmp + 6)
        for index in 0..<Self.payloadLength
        where packet[icmp + Self.icmpHeaderLength + index] != Self.payloadByte(index, identifier: identifier, sequence: sequence) {
            throw Invalid(description: "payload byte \(index) is wrong")
        }
        self.init(
            source: Array(packet[12..<16]), destination: Array(packet[16..<20]), identifier: identifier, sequence: sequence)
    }

    private static func payloadByte(_ index: Int, identifier: UInt16, sequence: UInt16) -> UInt8 {
        UInt8(truncatingIfNeeded: Int(identifier) ^ Int(sequence) ^ index)
    }

    /// The Internet checksum (RFC 1071) of `bytes`: 0 over a block that holds its own
    /// correct checksum.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var sum: UInt32 = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let high = UInt32(bytes[index]) << 8
            let low = index + 1 < bytes.endIndex ? UInt32(bytes[index + 1]) : 0
            sum += high | low
            index += 2
        }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    private func store(_ value: UInt16, at offset: Int, in packet: inout [UInt8]) {
        packet[offset] = UInt8(value >> 8)
        packet[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    private static func load(_ packet: [UInt8], at offset: Int) -> UInt16 {
        UInt16(packet[offset]) << 8 | UInt16(packet[offset + 1])
    }
}
