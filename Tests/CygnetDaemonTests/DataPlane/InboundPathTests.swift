import CygnetHostSupport
import ESPCore
import IKEConfig
import IKECrypto
import IKEWire
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Synchronization
import Testing

@testable import CygnetDaemon
@testable import IKECore

/// The NAT-T port and the data plane's inbound path without a TUN device: what a datagram
/// on the NAT-T port becomes (`NATTraversalSockets.receive`, `InboundWorker.open`), and
/// what is counted.
@Suite("Data plane inbound: ESP opened, checked against the SA and counted; everything else sorted")
struct InboundPathTests {
    static let local = IKEEndpointAddress(address: [127, 0, 0, 1], port: 0)
    static let remote = IKEEndpointAddress(address: [127, 0, 0, 2], port: 4500)

    /// A data plane with one NAT-T socket on loopback and no TUN, one AES-GCM (or NULL
    /// with HMAC-SHA-256-128) Child SA 198.51.100.1/32 === 203.0.113.1/32 published, and
    /// the peer's sealing SA.
    final class Fixture: Sendable {
        let natTraversal: NATTraversalSockets
        let dataPlane: DataPlane
        let child: DataPlaneChildSA
        let ike = NIOLockedValueBox<[ByteBuffer]>([])
        let unknownSPIs = NIOLockedValueBox<[UInt32]>([])
        let peer: NIOLockedValueBox<ESPSecurityAssociation>

        /// `extraLocal`: more addresses with a NAT-T socket, beside ``InboundPathTests/local``.
        init(nullEncryption: Bool = false, extraLocal: [IKEEndpointAddress] = []) throws {
            let ike = self.ike
            let unknownSPIs = self.unknownSPIs
            var settings = DaemonSettings()
            settings.dataPlane = false
            natTraversal = try NATTraversalSockets(
                addresses: [InboundPathTests.local] + extraLocal, port: 0, logger: Logger(label: "test"),
                deliverIKE: { message, _, _ in ike.withLockedValue { $0.append(message) } })
            dataPlane = try DataPlane(
                natTraversal: natTraversal, settings: settings, logger: Logger(label: "test"),
                reportUnknownSPI: { spi, _ in unknownSPIs.withLockedValue { $0.append(spi) } })
            let installation = Self.installation(inboundSPI: 0xC0DE_0001, outboundSPI: 0xC0DE_0002, nullEncryption: nullEncryption)
            child = try dataPlane.makeChildSA(installation, shard: 0)
            dataPlane.publish(child)
            let transforms = try CryptoProvider.default.childSATransforms(
                encryption: installation.encryption, keyBits: installation.encryptionKeyBits, integrity: installation.integrity)
            peer = NIOLockedValueBox(try ESPSecurityAssociation(
                spi: 0xC0DE_0001, encryption: transforms.encryption, encryptionKey: installation.inboundEncryptionKey,
                integrity: transforms.integrity, integrityKey: installation.inboundIntegrityKey, usesExtendedSequenceNumbers: false))
        }

        static let key = SecretBytes((0..<36).map { UInt8($0) })
        static let integrityKey = SecretBytes((0..<32).map { UInt8($0 + 100) })

        static func installation(inboundSPI: UInt32, outboundSPI: UInt32, nullEncryption: Bool = false) -> ChildSAInstallation {
            let key = nullEncryption ? SecretBytes([]) : Self.key
            let integrityKey = nullEncryption ? Self.integrityKey : SecretBytes([])
            return ChildSAInstallation(
                name: "net", inboundSPI: inboundSPI, outboundSPI: outboundSPI, encryption: nullEncryption ? .null : .aesGCM16,
                encryptionKeyBits: nullEncryption ? nil : 256, integrity: nullEncryption ? .hmacSHA2_256_128 : nil,
                usesExtendedSequenceNumbers: false, inboundEncryptionKey: key, inboundIntegrityKey: integrityKey,
                outboundEncryptionKey: key, outboundIntegrityKey: integrityKey,
                localTrafficSelectors: [TrafficSelector(type: .ipv4AddressRange, startAddress: [198, 51, 100, 1], endAddress: [198, 51, 100, 1])],
                remoteTrafficSelectors: [TrafficSelector(type: .ipv4AddressRange, startAddress: [203, 0, 113, 1], endAddress: [203, 0, 113, 1])],
                mode: .tunnel, localAddress: InboundPathTests.local, remoteAddress: InboundPathTests.remote, isUDPEncapsulated: true)
        }

        deinit {
            natTraversal.stop()
            dataPlane.stop()
        }

        func seal(_ inner: [UInt8], nextHeader: ESPNextHeader = .ipv4) throws -> [UInt8] {
            try peer.withLockedValue { try $0.seal(inner, nextHeader: nextHeader) }
        }

        /// Receives a copy of `datagram` on the NAT-T socket; returns what would go to the
        /// TUN device.
        func handle(_ datagram: [UInt8]) -> [UInt8]? {
            var bytes = datagram
            return handle(in: &bytes, at: bytes.indices)
        }

        /// Receives the datagram at `range` of `buffer` (what lies around it stands for
        /// the rest of the receive slot); returns what would go to the TUN device.
        func handle(in buffer: inout [UInt8], at range: Range<Int>) -> [UInt8]? {
            var esp: InboundWorker? = InboundWorker(dataPlane: dataPlane)
            defer { esp?.deallocate() }
            let socket = natTraversal.socket(for: InboundPathTests.local)!
            let from = SocketAddressStorage(InboundPathTests.remote).storage
            return buffer.withUnsafeMutableBytes { buffer in
                let datagram = UnsafeMutableRawBufferPointer(rebasing: buffer[range])
                return natTraversal.receive(datagram, from: from, on: socket, esp: &esp).map(Array.init)
            }
        }

        var traffic: ChildSATraffic { child.counters.snapshot }
    }

    static func inner(from source: [UInt8] = [203, 0, 113, 1], to destination: [UInt8] = [198, 51, 100, 1], padding: Int = 0)
        -> [UInt8]
    {
        var packet: [UInt8] = [0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0] + source + destination + [8, 0, 0xF7, 0xFE, 0, 1, 0, 0]
        packet += [UInt8](repeating: 0, count: padding)
        return packet
    }

    @Test("An authentic packet is delivered once, behind a DATA_VALID virtio-net header; its replay is dropped and counted (RFC 4303 §3.4.3)")
    func deliverThenReplay() throws {
        let fixture = try Fixture()
        let packet = try fixture.seal(Self.inner())
        let delivered = try #require(fixture.handle(packet))
        #expect(Array(delivered.prefix(VirtioNetHeader.length)) == [VirtioNetHeader.dataValid] + [UInt8](repeating: 0, count: 9))
        #expect(Array(delivered.dropFirst(VirtioNetHeader.length)) == Self.inner())
        #expect(fixture.handle(packet) == nil)
        #expect(fixture.traffic.packetsIn == 1 && fixture.traffic.bytesIn == 28)
        #expect(fixture.traffic.replayDrops == 1)
    }

    @Test("NULL encryption (no IV, RFC 2410): delivered behind its virtio-net header, nothing written outside the datagram")
    func nullEncryption() throws {
        let fixture = try Fixture(nullEncryption: true)
        let packet = try fixture.seal(Self.inner(padding: 3))
        // The datagram between two canaries, as in a receive slot that holds more.
        let canary = [UInt8](repeating: 0xA5, count: 32)
        var buffer = canary + packet + canary
        let delivered = try #require(fixture.handle(in: &buffer, at: canary.count..<canary.count + packet.count))
        #expect(Array(buffer.prefix(canary.count)) == canary)
        #expect(Array(buffer.suffix(canary.count)) == canary)
        #expect(Array(delivered.prefix(VirtioNetHeader.length)) == [VirtioNetHeader.dataValid] + [UInt8](repeating: 0, count: 9))
        #expect(Array(delivered.dropFirst(VirtioNetHeader.length)) == Self.inner())
        #expect(fixture.traffic.packetsIn == 1 && fixture.traffic.bytesIn == 28)
        // Every shorter datagram is dropped, and still nothing is written outside it.
        let again = try fixture.seal(Self.inner())
        for length in 8..<again.count {
            var short = canary + again.prefix(length) + canary
            #expect(fixture.handle(in: &short, at: canary.count..<canary.count + length) == nil, "length \(length)")
            #expect(Array(short.prefix(canary.count)) == canary && Array(short.suffix(canary.count)) == canary)
        }
    }

    @Test("Tampered at any byte after the SPI: dropped and counted, nothing delivered (RFC 4303 §3.4.4)")
    func tampered() throws {
        let fixture = try Fixture()
        let packet = try fixture.seal(Self.inner())
        for index in 8..<packet.count {
            var copy = packet
            copy[index] ^= 0x01
            #expect(fixture.handle(copy) == nil, "byte \(index)")
        }
        let traffic = fixture.traffic
        #expect(traffic.packetsIn == 0)
        #expect(traffic.integrityDrops + traffic.replayDrops == UInt64(packet.count - 8))
        #expect(traffic.integrityDrops > 0)
        // The window did not move: the untouched packet still opens.
        #expect(fixture.handle(packet) != nil)
    }

    @Test("Truncated at every length: dropped and counted as malformed, never delivered")
    func truncated() throws {
        let fixture = try Fixture()
        let packet = try fixture.seal(Self.inner())
        for length in 1..<packet.count { #expect(fixture.handle(Array(packet.prefix(length))) == nil, "length \(length)") }
        let traffic = fixture.traffic
        // Under 4 bytes the NAT-T port cannot tell ESP from IKE; from 4 the ESP path counts.
        let short = fixture.natTraversal.malformed.load(ordering: .relaxed)
            + fixture.dataPlane.counters.inboundMalformed.load(ordering: .relaxed)
        #expect(fixture.natTraversal.malformed.load(ordering: .relaxed) == 3)
        #expect(short + traffic.malformedDrops + traffic.integrityDrops == UInt64(packet.count - 1))
        #expect(fixture.handle(packet) != nil)
    }

    @Test("An inner packet outside the SA's selectors is dropped and counted (RFC 4301 §5.2)")
    func outsideSelectors() throws {
        let fixture = try Fixture()
        #expect(fixture.handle(try fixture.seal(Self.inner(from: [203, 0, 113, 9]))) == nil)
        #expect(fixture.handle(try fixture.seal(Self.inner(to: [198, 51, 100, 2]))) == nil)
        #expect(fixture.traffic.selectorDrops == 2 && fixture.traffic.packetsIn == 0)
    }

    @Test("TFC padding after the inner packet is cut off (RFC 4303 §2.7); a dummy packet is discarded (§2.6)")
    func tfcAndDummy() throws {
        let fixture = try Fixture()
        let delivered = try #require(fixture.handle(try fixture.seal(Self.inner(padding: 300))))
        #expect(Array(delivered.dropFirst(VirtioNetHeader.length)) == Self.inner())
        #expect(fixture.handle(try fixture.seal([1, 2, 3, 4], nextHeader: .noNextHeader)) == nil)
        #expect(fixture.dataPlane.counters.inboundDummy.load(ordering: .relaxed) == 1)
        // Next Header IPv6 over an IPv4 packet: malformed.
        #expect(fixture.handle(try fixture.seal(Self.inner(), nextHeader: .ipv6)) == nil)
        #expect(fixture.traffic.malformedDrops == 1)
    }

    @Test("An unknown SPI is counted and reported to the engine; keepalives and IKE are sorted out (RFC 3948 §2.2, §2.3)")
    func sorting() throws {
        let fixture = try Fixture()
        var stranger = try fixture.seal(Self.inner())
        stranger[3] ^= 0xFF
        #expect(fixture.handle(stranger) == nil)
        #expect(fixture.dataPlane.counters.inboundUnknownSPI.load(ordering: .relaxed) == 1)
        #expect(fixture.unknownSPIs.withLockedValue { $0 } == [0xC0DE_00FE])
        #expect(fixture.handle([0xFF]) == nil)
        #expect(fixture.natTraversal.keepalivesReceived.load(ordering: .relaxed) == 1)
        // IKE reaches the engines without its non-ESP marker, removed here and nowhere else.
        #expect(fixture.handle([0, 0, 0, 0, 1, 2, 3]) == nil)
        #expect(fixture.ike.withLockedValue { $0.map { Array($0.readableBytesView) } } == [[1, 2, 3]])
        #expect(fixture.handle([0, 0, 0]) == nil)
        #expect(fixture.natTraversal.malformed.load(ordering: .relaxed) == 1)
    }

    @Test("After a rekey the new SA carries outbound traffic once the peer uses it, or once the old SA is gone; the old one still accepts packets")
    func rekeySwitchOver() throws {
        let fixture = try Fixture()
        let old = fixture.child
        let new = try fixture.dataPlane.makeChildSA(Fixture.installation(inboundSPI: 0xC0DE_0003, outboundSPI: 0xC0DE_0004), shard: 0)
        fixture.dataPlane.publish(new)
        #expect(fixture.dataPlane.currentTable.outbound.map(\.inboundSPI) == [old.inboundSPI, new.inboundSPI])
        // In flight on the old SA: still accepted.
        #expect(fixture.handle(try fixture.seal(InboundPathTests.inner())) != nil)
        #expect(fixture.dataPlane.currentTable.outbound.first === old)
        // The peer's first packet on the new SA moves our outbound traffic to it.
        let aead = try CryptoProvider.default.encryptionAlgorithm(.aesGCM16, keyBits: 256)
        var peerNew = try ESPSecurityAssociation(
            spi: 0xC0DE_0003, encryption: aead, encryptionKey: Fixture.key, integrity: nil, integrityKey: SecretBytes([]),
            usesExtendedSequenceNumbers: false)
        #expect(fixture.handle(try peerNew.seal(InboundPathTests.inner(), nextHeader: .ipv4)) != nil)
        #expect(fixture.dataPlane.currentTable.outbound.map(\.inboundSPI) == [new.inboundSPI, old.inboundSPI])
        #expect(fixture.handle(try fixture.seal(InboundPathTests.inner())) != nil)
        fixture.dataPlane.remove(inboundSPI: old.inboundSPI)
        #expect(fixture.dataPlane.currentTable.outbound.map(\.inboundSPI) == [new.inboundSPI])
        #expect(fixture.handle(try fixture.seal(InboundPathTests.inner())) == nil)
        #expect(fixture.dataPlane.counters.inboundUnknownSPI.load(ordering: .relaxed) == 1)
    }
}
