import ESPCore
import IKEWire
import Testing

@testable import CygnetDaemon

@Suite("Packet selectors: traffic selectors as the data plane matches them")
struct PacketSelectorTests {
    static func v4(_ start: [UInt8], _ end: [UInt8], protocol number: UInt8 = 0, ports: ClosedRange<UInt16> = 0...65535)
        -> PacketSelector
    {
        PacketSelector(TrafficSelector(
            type: .ipv4AddressRange, ipProtocolID: number, startPort: ports.lowerBound, endPort: ports.upperBound,
            startAddress: start, endAddress: end))!
    }

    static func header(source: UInt32, destination: UInt32, protocol number: UInt8 = 6, ports: (UInt16, UInt16)? = (1000, 80))
        -> InnerIPHeader
    {
        var bytes: [UInt8] = [0x45, 0, 0, 40, 0, 0, 0, 0, 64, number, 0, 0]
        bytes += withUnsafeBytes(of: source.bigEndian) { Array($0) } + withUnsafeBytes(of: destination.bigEndian) { Array($0) }
        if let ports {
            bytes += [UInt8(ports.0 >> 8), UInt8(ports.0 & 0xFF), UInt8(ports.1 >> 8), UInt8(ports.1 & 0xFF)]
        } else {
            bytes += [0, 0, 0, 0]
        }
        bytes += [UInt8](repeating: 0, count: 16)
        return bytes.withUnsafeBytes { InnerIPHeader($0)! }
    }

    @Test("Address ranges, protocol and ports decide; a packet of another family never matches")
    func matching() {
        let subnet = Self.v4([10, 1, 0, 0], [10, 1, 255, 255])
        let web = Self.v4([203, 0, 113, 1], [203, 0, 113, 1], protocol: 6, ports: 80...80)
        let inside = Self.header(source: 0x0A01_0203, destination: 0xCB00_7101)
        #expect(PacketSelector.matches(inside, source: [subnet], destination: [web]))
        #expect(!PacketSelector.matches(Self.header(source: 0x0A02_0001, destination: 0xCB00_7101), source: [subnet], destination: [web]))
        #expect(!PacketSelector.matches(Self.header(source: 0x0A01_0203, destination: 0xCB00_7101, ports: (1000, 443)),
                                        source: [subnet], destination: [web]))
        #expect(!PacketSelector.matches(Self.header(source: 0x0A01_0203, destination: 0xCB00_7101, protocol: 17),
                                        source: [subnet], destination: [web]))
        let v6 = PacketSelector(TrafficSelector(
            type: .ipv6AddressRange, startAddress: [UInt8](repeating: 0, count: 16),
            endAddress: [UInt8](repeating: 0xFF, count: 16)))!
        #expect(!PacketSelector.matches(inside, source: [v6], destination: [v6]))
    }

    @Test("A packet without ports matches only selectors of any port (RFC 4301 §7)")
    func portless() {
        let any = Self.v4([0, 0, 0, 0], [255, 255, 255, 255])
        let web = Self.v4([0, 0, 0, 0], [255, 255, 255, 255], protocol: 6, ports: 80...80)
        let fragment = Self.header(source: 1, destination: 2, protocol: 47, ports: nil)
        #expect(PacketSelector.matches(fragment, source: [any], destination: [any]))
        #expect(!PacketSelector.matches(fragment, source: [any], destination: [web]))
    }

    @Test("Ranges become the fewest CIDR prefixes for routes")
    func prefixes() {
        let host = Self.v4([203, 0, 113, 1], [203, 0, 113, 1])
        #expect(host.prefixes.map { "\(IPAddressText.format($0.address))/\($0.length)" } == ["203.0.113.1/32"])
        #expect(host.hostAddress == [203, 0, 113, 1])
        let subnet = Self.v4([10, 1, 0, 0], [10, 1, 255, 255])
        #expect(subnet.prefixes.map { "\(IPAddressText.format($0.address))/\($0.length)" } == ["10.1.0.0/16"])
        #expect(subnet.hostAddress == nil)
        let odd = Self.v4([10, 0, 0, 1], [10, 0, 0, 6])
        #expect(odd.prefixes.map { "\(IPAddressText.format($0.address))/\($0.length)" }
            == ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"])
        let everything = Self.v4([0, 0, 0, 0], [255, 255, 255, 255])
        #expect(everything.prefixes.map { "\(IPAddressText.format($0.address))/\($0.length)" } == ["0.0.0.0/0"])
        let all6 = PacketSelector(TrafficSelector(
            type: .ipv6AddressRange, startAddress: [UInt8](repeating: 0, count: 16),
            endAddress: [UInt8](repeating: 0xFF, count: 16)))!
        #expect(all6.prefixes.map(\.length) == [0])
    }
}
