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

    static func v6(_ start: [UInt8], _ end: [UInt8]) -> PacketSelector {
        PacketSelector(TrafficSelector(type: .ipv6AddressRange, startAddress: start, endAddress: end))!
    }

    /// 16 bytes: `prefix` then `fill` repeated.
    static func address6(_ prefix: [UInt8], fill: UInt8) -> [UInt8] {
        prefix + [UInt8](repeating: fill, count: 16 - prefix.count)
    }

    /// Checks that `selector.prefixes` covers its range exactly: the first prefix starts
    /// at the range's start, each is aligned to its length and begins right after the
    /// previous one, the last ends at the range's end, and there are no more than the
    /// 2 × bits − 2 a range can need.
    static func expectExactCover(_ selector: PacketSelector, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(coverProblem(selector) == nil, sourceLocation: sourceLocation)
    }

    /// What is wrong with the cover of `selector.prefixes`, or `nil`.
    static func coverProblem(_ selector: PacketSelector) -> String? {
        let bits = selector.isIPv6 ? 128 : 32
        let prefixes = selector.prefixes
        guard !prefixes.isEmpty, prefixes.count <= 2 * bits - 2 else { return "\(prefixes.count) prefixes" }
        var next: UInt128? = selector.start
        var covered: UInt128?
        for prefix in prefixes {
            var text: String { "\(IPAddressText.format(prefix.address))/\(prefix.length)" }
            guard prefix.address.count == bits / 8 else { return "\(text) has the wrong length" }
            let low = PacketSelector.number(prefix.address)
            let size = bits - prefix.length
            let mask: UInt128 = size >= 128 ? .max : (UInt128(1) << size) - 1
            guard low & mask == 0 else { return "\(text) is not aligned" }
            guard next == low else { return "gap or overlap before \(text)" }
            covered = low | mask
            next = low | mask == .max ? nil : (low | mask) + 1
        }
        return covered == selector.end ? nil : "the prefixes end before or after the range"
    }

    @Test("IPv6 ranges that end at ffff:…:ffff become prefixes without overflow, covering the range exactly")
    func ipv6TopOfSpace() {
        let top = Self.address6([], fill: 0xFF)
        let all6 = Self.v6(Self.address6([], fill: 0), top)
        #expect(all6.prefixes.map { "\(IPAddressText.format($0.address))/\($0.length)" } == ["::/0"])
        // From 2001:db8:: to the top: a peer's selector the responder may accept under ::/0.
        let upper = Self.v6(Self.address6([0x20, 0x01, 0x0D, 0xB8], fill: 0), top)
        Self.expectExactCover(upper)
        #expect(upper.prefixes.last.map { "\(IPAddressText.format($0.address))/\($0.length)" } == "8000::/1")
        let last = Self.v6(top, top)
        #expect(last.prefixes.map { "\(IPAddressText.format($0.address))/\($0.length)" } == ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"])
        let lastTwo = Self.v6(Self.address6([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], fill: 0xFE), top)
        #expect(lastTwo.prefixes.map(\.length) == [127])
        // The worst case: everything but ::, 128 prefixes (/128, /127, …, /1).
        let allButZero = Self.v6([UInt8](repeating: 0, count: 15) + [1], top)
        Self.expectExactCover(allButZero)
        #expect(allButZero.prefixes.map(\.length) == Array((1...128).reversed()))
        Self.expectExactCover(Self.v6(Self.address6([0xFF], fill: 0), top))
        Self.expectExactCover(Self.v6(Self.address6([], fill: 0x7F), top))
    }

    @Test("IPv4 ranges at the edges of the space and odd ranges are covered exactly")
    func ipv4Edges() {
        Self.expectExactCover(Self.v4([255, 255, 255, 255], [255, 255, 255, 255]))
        Self.expectExactCover(Self.v4([0, 0, 0, 1], [255, 255, 255, 255]))
        #expect(Self.v4([0, 0, 0, 1], [255, 255, 255, 255]).prefixes.count == 32)
        Self.expectExactCover(Self.v4([0, 0, 0, 0], [255, 255, 255, 254]))
        Self.expectExactCover(Self.v4([0, 0, 0, 1], [255, 255, 255, 254]))
        #expect(Self.v4([0, 0, 0, 1], [255, 255, 255, 254]).prefixes.count == 62)
        Self.expectExactCover(Self.v4([10, 0, 0, 0], [10, 0, 0, 0]))
        Self.expectExactCover(Self.v4([192, 0, 2, 7], [198, 51, 100, 200]))
    }

    @Test("Pseudo-random ranges of both families are covered exactly (seeded)", arguments: [UInt64(1), 2, 3, 4])
    func randomRanges(seed: UInt64) {
        var state = seed
        func next() -> UInt64 {
            // SplitMix64.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for _ in 0..<200 {
            let a = UInt128(next()) << 64 | UInt128(next())
            let b = UInt128(next()) << 64 | UInt128(next())
            // Bias towards the edges: sometimes keep only low bits, sometimes set the top.
            let shapes: [(UInt128) -> UInt128] = [{ $0 }, { $0 >> Int(next() % 128) }, { $0 | ~(UInt128.max >> Int(next() % 128)) }]
            let x = shapes[Int(next() % 3)](a)
            let y = shapes[Int(next() % 3)](b)
            let (low, high) = (min(x, y), max(x, y))
            Self.expectExactCover(Self.v6(PacketSelector.bytes(low, count: 16), PacketSelector.bytes(high, count: 16)))
            let (low4, high4) = (min(UInt32(truncatingIfNeeded: x), UInt32(truncatingIfNeeded: y)), max(UInt32(truncatingIfNeeded: x), UInt32(truncatingIfNeeded: y)))
            Self.expectExactCover(Self.v4(PacketSelector.bytes(UInt128(low4), count: 4), PacketSelector.bytes(UInt128(high4), count: 4)))
        }
    }
}
