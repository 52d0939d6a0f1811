import CygnetHostSupport
import ESPCore
import Foundation
import IKECore
import IKECrypto
import IKEConfig
import IKEWire
import Logging
import NIOConcurrencyHelpers

/// The data plane's inbound path for the fuzzer (`Fuzz/Sources/FuzzDataPlane`): a Child SA
/// with traffic selectors from the input, datagrams on the NAT-T port sorted
/// (``NATTraversalSockets/receive(_:from:on:esp:)``), ESP opened and checked against the
/// selectors (``InboundWorker``), TCP segments merged (``TCPCoalescer``), and the route
/// prefixes of every selector (``PacketSelector/prefixes``).
///
/// Input:
/// - byte 0, flags: bit 0 NULL encryption with HMAC-SHA2-256-128 (else AES-GCM-16-256);
///   bit 1 ESP as the raw ESP socket hands it over (else a datagram on the NAT-T port);
/// - the local selectors, then the remote ones: a count byte (low two bits), then per
///   selector a type byte (bit 0: IPv6), the IP protocol, start and end port (2 bytes
///   each) and the start and end address (4 or 16 bytes each);
/// - records `[kind][length][bytes]` (length in bytes, at most what is left): kind & 3 =
///   0, the bytes are an inner packet sealed by the peer with Next Header `kind >> 2`
///   (0 meaning IPv4, 1 IPv6); 1, the bytes are a datagram as received; 2, the batch
///   ends (the merged segments are written); 3, the next TCP segment of one flow from
///   the first remote to the first local selector's start, with the bytes as payload
///   and PSH when `kind & 4`.
///
/// Properties checked (a failure traps): the prefixes of a selector cover exactly its
/// range; nothing is written outside a datagram (the fuzzer's address sanitizer sees
/// that); every packet written to the TUN device is a virtio-net header and an IP packet
/// whose length field is its length, at most 64 KiB.
public enum DataPlaneFuzzHarness {
    /// What one input did, for tests of the seeds.
    public struct Outcome: Equatable, Sendable {
        /// Inner packets the inbound path delivered.
        public var delivered = 0
        /// Writes to the TUN device, and how many of them were merged TCP segments.
        public var writes = 0
        public var mergedWrites = 0
    }

    /// Runs one input; inputs run one at a time, as they share one Child SA's SPI.
    @discardableResult
    public static func run(_ bytes: [UInt8]) -> Outcome {
        runLock.withLock { runAlone(bytes) }
    }

    private static let runLock = NIOLock()

    private static func runAlone(_ bytes: [UInt8]) -> Outcome {
        var outcome = Outcome()
        var input = Input(bytes)
        guard let flags = input.byte() else { return outcome }
        let local = input.selectors()
        let remote = input.selectors()
        for selector in local + remote { checkPrefixes(selector) }
        let isNull = flags & 1 != 0
        guard let fixture = Fixture.shared, let peer = fixture.install(local: local, remote: remote, null: isNull) else { return outcome }
        defer { fixture.dataPlane.remove(inboundSPI: Fixture.spi) }
        var sender = peer
        var worker: InboundWorker? = InboundWorker(dataPlane: fixture.dataPlane)
        var coalescer = TCPCoalescer()
        defer {
            worker?.deallocate()
            coalescer.deallocate()
        }
        var flow = Flow(local: local.first, remote: remote.first)
        let write = { (packet: UnsafeRawBufferPointer) in
            checkDelivery(packet)
            outcome.writes += 1
            if packet[1] != 0 { outcome.mergedWrites += 1 }
        }
        while let kind = input.byte(), let length = input.byte() {
            let record = input.bytes(Int(length))
            let datagram: [UInt8]
            switch kind & 3 {
            case 0:
                let nextHeader = kind >> 2 == 0 ? ESPNextHeader.ipv4 : kind >> 2 == 1 ? .ipv6 : ESPNextHeader(rawValue: kind >> 2)
                guard let sealed = try? sender.seal(record, nextHeader: nextHeader) else { continue }
                datagram = sealed
            case 1:
                datagram = record
            case 2:
                coalescer.flush(write: write)
                continue
            default:
                guard let segment = flow.next(payload: record, push: kind & 4 != 0),
                    let sealed = try? sender.seal(segment, nextHeader: flow.isIPv6 ? .ipv6 : .ipv4)
                else { continue }
                datagram = sealed
            }
            if receive(datagram, rawESP: flags & 2 != 0, fixture: fixture, worker: &worker, coalescer: &coalescer, write: write) {
                outcome.delivered += 1
            }
        }
        coalescer.flush(write: write)
        return outcome
    }

    /// Hands one datagram, in a buffer of exactly its size, to the inbound path; returns
    /// whether it delivered an inner packet.
    private static func receive(
        _ datagram: [UInt8], rawESP: Bool, fixture: Fixture, worker: inout InboundWorker?, coalescer: inout TCPCoalescer,
        write: (UnsafeRawBufferPointer) -> Void
    ) -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(datagram.count, 1), alignment: 1)
        defer { buffer.deallocate() }
        let bytes = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<datagram.count])
        bytes.copyBytes(from: datagram)
        let from = SocketAddressStorage(Fixture.remote).storage
        let delivered = rawESP
            ? worker?.open(bytes, from: from)
            : fixture.natTraversal.receive(bytes, from: from, on: fixture.socket, esp: &worker)
        guard let delivered else { return false }
        checkDelivery(delivered)
        coalescer.add(delivered, write: write)
        return true
    }

    /// A packet for the TUN device: a virtio-net header, then an IP packet of its own
    /// length.
    private static func checkDelivery(_ packet: UnsafeRawBufferPointer) {
        let ip = UnsafeRawBufferPointer(rebasing: packet[min(VirtioNetHeader.length, packet.count)...])
        guard packet.count > VirtioNetHeader.length, ip.count <= TCPCoalescer.maximumLength else {
            fatalError("a TUN write of \(packet.count) bytes")
        }
        let length: Int
        switch ip[0] >> 4 {
        case 4 where ip.count >= 20: length = Int(ip[2]) << 8 | Int(ip[3])
        case 6 where ip.count >= 40: length = 40 + (Int(ip[4]) << 8 | Int(ip[5]))
        default: fatalError("a TUN write that is no IP packet")
        }
        if length != ip.count { fatalError("an IP packet of \(ip.count) bytes says it has \(length)") }
    }

    /// The prefixes of a selector cover its range exactly, in order, aligned.
    private static func checkPrefixes(_ selector: TrafficSelector) {
        guard let packet = PacketSelector(selector) else { return }
        let prefixes = packet.prefixes
        guard packet.start <= packet.end else {
            if !prefixes.isEmpty { fatalError("prefixes for an empty range") }
            return
        }
        let bits = packet.isIPv6 ? 128 : 32
        var next = packet.start
        for (index, prefix) in prefixes.enumerated() {
            let low = PacketSelector.number(prefix.address)
            let mask = PacketSelector.hostMask(bits - prefix.length)
            if low != next || low & mask != 0 || low | mask > packet.end { fatalError("prefix \(index) does not continue the cover") }
            if low | mask == packet.end {
                if index != prefixes.count - 1 { fatalError("prefixes past the end") }
                return
            }
            next = (low | mask) + 1
        }
        fatalError("the prefixes stop short of the range's end")
    }

    /// Inputs that reach every part: ICMP both families, a run of TCP segments that merge,
    /// NULL encryption, raw ESP, datagrams that are keepalives or IKE, and selectors up to
    /// the top of both address spaces.
    public static func seeds() -> [(name: String, bytes: [UInt8])] {
        let v4Local = Input.selector(v6: false, start: [198, 51, 100, 0], end: [198, 51, 100, 255])
        let v4Remote = Input.selector(v6: false, start: [203, 0, 113, 0], end: [203, 0, 113, 255])
        let all6 = Input.selector(v6: true, start: [UInt8](repeating: 0, count: 16), end: [UInt8](repeating: 0xFF, count: 16))
        let doc6 = Input.selector(v6: true, start: [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 12),
            end: [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0xFF, count: 12))
        let ping4: [UInt8] = [0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 203, 0, 113, 1, 198, 51, 100, 1, 8, 0, 0xF7, 0xFE, 0, 1, 0, 0]
        let ping6: [UInt8] = [0x60, 0, 0, 0, 0, 8, 58, 64] + [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1]
            + [UInt8](repeating: 0, count: 15) + [1] + [128, 0, 0, 0, 0, 1, 0, 1]
        func records(_ items: [(UInt8, [UInt8])]) -> [UInt8] { items.flatMap { [$0.0, UInt8($0.1.count)] + $0.1 } }
        let segments = records([(3, [UInt8](repeating: 0x61, count: 100)), (3, [UInt8](repeating: 0x62, count: 100)), (7, [0x63]), (2, [])])
        return [
            ("icmp-v4-gcm", [0, 1] + v4Local + [1] + v4Remote + records([(0, ping4), (0, ping4)])),
            ("icmp-v4-null", [1, 1] + v4Local + [1] + v4Remote + records([(0, ping4)])),
            ("tcp-v4-merge", [0, 1] + v4Local + [1] + v4Remote + segments),
            ("icmp-v6-any", [0, 1] + all6 + [1] + doc6 + records([(4, ping6)])),
            ("tcp-v6-raw-esp", [3, 1] + all6 + [1] + doc6 + segments),
            ("keepalive-ike", [0, 1] + v4Local + [1] + v4Remote + records([(1, [0xFF]), (1, [0, 0, 0, 0, 1, 2, 3]), (1, [9, 9, 9, 9, 9])])),
        ]
    }

    /// The fuzz input as a stream.
    struct Input {
        private let bytes: [UInt8]
        private var offset = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func bytes(_ count: Int) -> [UInt8] {
            let end = min(bytes.count, offset + count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }

        mutating func selectors() -> [TrafficSelector] {
            guard let count = byte() else { return [] }
            return (0..<Int(count & 3)).compactMap { _ in
                guard let type = byte(), let proto = byte() else { return nil }
                let ports = bytes(4)
                let length = type & 1 == 0 ? 4 : 16
                let start = bytes(length)
                let end = bytes(length)
                guard ports.count == 4, end.count == length else { return nil }
                return TrafficSelector(
                    type: length == 4 ? .ipv4AddressRange : .ipv6AddressRange, ipProtocolID: proto,
                    startPort: UInt16(ports[0]) << 8 | UInt16(ports[1]), endPort: UInt16(ports[2]) << 8 | UInt16(ports[3]),
                    startAddress: start, endAddress: end)
            }
        }

        /// The encoding of one selector of any protocol and port.
        static func selector(v6: Bool, start: [UInt8], end: [UInt8]) -> [UInt8] {
            [v6 ? 1 : 0, 0, 0, 0, 0xFF, 0xFF] + start + end
        }
    }

    /// One TCP flow from the first remote selector's start to the first local one's,
    /// whose segments follow each other.
    struct Flow {
        let source: [UInt8]?
        let destination: [UInt8]?
        let ports: (UInt16, UInt16)
        var sequence: UInt32 = 1000

        init(local: TrafficSelector?, remote: TrafficSelector?) {
            source = remote?.startAddress
            destination = local?.startAddress
            ports = (remote?.startPort ?? 0, local?.startPort ?? 0)
        }

        var isIPv6: Bool { source?.count == 16 }

        mutating func next(payload: [UInt8], push: Bool) -> [UInt8]? {
            guard let source, let destination, source.count == destination.count, !payload.isEmpty else { return nil }
            var tcp: [UInt8] = [UInt8(ports.0 >> 8), UInt8(ports.0 & 0xFF), UInt8(ports.1 >> 8), UInt8(ports.1 & 0xFF)]
            tcp += withUnsafeBytes(of: sequence.bigEndian, Array.init) + [0, 0, 0, 1, 0x50, push ? 0x18 : 0x10, 0xFF, 0xFF, 0, 0, 0, 0]
            sequence &+= UInt32(payload.count)
            let length = tcp.count + payload.count
            let ip: [UInt8] = isIPv6
                ? [0x60, 0, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), 6, 64] + source + destination
                : [0x45, 0, UInt8((20 + length) >> 8), UInt8((20 + length) & 0xFF), 0, 0, 0x40, 0, 64, 6, 0, 0] + source + destination
            return ip + tcp + payload
        }
    }

    /// A data plane without a TUN device on one loopback NAT-T socket, made once.
    final class Fixture: Sendable {
        static let spi: UInt32 = 0xC0DE_0001
        static let local = IKEEndpointAddress(address: [127, 0, 0, 1], port: 0)
        static let remote = IKEEndpointAddress(address: [127, 0, 0, 2], port: 4500)
        static let shared: Fixture? = try? Fixture()

        let natTraversal: NATTraversalSockets
        let dataPlane: DataPlane
        let socket: PacketSocket

        private init() throws {
            var settings = DaemonSettings()
            settings.dataPlane = false
            var logger = Logger(label: "fuzz")
            logger.logLevel = .critical
            natTraversal = try NATTraversalSockets(addresses: [Self.local], port: 0, logger: logger, deliverIKE: { _, _, _ in })
            dataPlane = try DataPlane(natTraversal: natTraversal, settings: settings, logger: logger, reportUnknownSPI: { _, _ in })
            guard let socket = natTraversal.sockets.values.first else { throw DaemonError("no NAT-T socket") }
            self.socket = socket
        }

        /// Publishes the Child SA of these selectors; returns the peer's sealing SA.
        func install(local: [TrafficSelector], remote: [TrafficSelector], null: Bool) -> ESPSecurityAssociation? {
            let key = SecretBytes(null ? [] : (0..<36).map { UInt8($0) })
            let integrityKey = SecretBytes(null ? (0..<32).map { UInt8($0 &+ 100) } : [])
            let installation = ChildSAInstallation(
                name: "fuzz", inboundSPI: Self.spi, outboundSPI: Self.spi + 1, encryption: null ? .null : .aesGCM16,
                encryptionKeyBits: null ? nil : 256, integrity: null ? .hmacSHA2_256_128 : nil, usesExtendedSequenceNumbers: false,
                inboundEncryptionKey: key, inboundIntegrityKey: integrityKey, outboundEncryptionKey: key,
                outboundIntegrityKey: integrityKey, localTrafficSelectors: local, remoteTrafficSelectors: remote, mode: .tunnel,
                localAddress: Self.local, remoteAddress: Self.remote, isUDPEncapsulated: true)
            guard let child = try? dataPlane.makeChildSA(installation, shard: 0),
                let transforms = try? CryptoProvider.default.childSATransforms(
                    encryption: installation.encryption, keyBits: installation.encryptionKeyBits, integrity: installation.integrity)
            else { return nil }
            dataPlane.publish(child)
            return try? ESPSecurityAssociation(
                spi: Self.spi, encryption: transforms.encryption, encryptionKey: key, integrity: transforms.integrity,
                integrityKey: integrityKey, usesExtendedSequenceNumbers: false)
        }
    }
}
