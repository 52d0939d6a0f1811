import CygnetHostSupport
import ESPCore
import IKECore
import IKECrypto
import IKEWire
import NIOCore

/// One demo peer's data plane, installed through the same seam as the daemon's TUN data
/// plane (``ChildSAInstaller``): it keys ESP SAs from the engine's installations, seals
/// demo packets to the peer and opens what arrives, checking each inner packet against
/// its SA's selectors.
///
/// Not thread-safe: the demo touches it only on its event loop.
final class DemoDataPlane: ChildSAInstaller {
    let side: DemoSession.Side
    let provider: CryptoProvider
    /// The peer's socket, shared with its engine.
    private let channel: any Channel
    /// The installed Child SAs by inbound SPI.
    private(set) var childSAs: [UInt32: DemoChildSA] = [:]
    /// ICMP sequence numbers received and verified, by ICMP identifier (one per part of
    /// the demo).
    private(set) var received: [UInt16: Set<UInt16>] = [:]
    /// ESP packets dropped, in order (cleared by ``clearDrops()``).
    private(set) var drops: [ESPError.Code] = []
    /// The first thing that went wrong that no step expects.
    private(set) var failure: (code: DemoError.Code, text: String)?
    private(set) var packetsSent = 0
    private(set) var packetsVerified = 0

    init(side: DemoSession.Side, provider: CryptoProvider, channel: any Channel) {
        self.side = side
        self.provider = provider
        self.channel = channel
    }

    // MARK: ChildSAInstaller

    func install(_ installation: ChildSAInstallation, engine: Int) {
        do {
            let esp = try ESPSecurityAssociationPair(installation, provider: provider)
            childSAs[installation.inboundSPI] = DemoChildSA(installation, esp: esp)
        } catch {
            fail(.espFailure, "could not key the ESP SAs of Child SA \(HexText.string(installation.inboundSPI)): \(error)")
        }
    }

    func remove(inboundSPI: UInt32) { childSAs[inboundSPI] = nil }

    /// Refused: the demo's peers never change addresses, so a move is a failure of the
    /// demo.
    func update(_ update: ChildSAPathUpdate, engine: Int) {
        fail(.unexpectedState, "Child SA \(HexText.string(update.inboundSPI)) moved to \(update.remoteAddress), but the demo's peers never change addresses")
    }

    func traffic(engine: Int?) -> [UInt32: ChildSATraffic] { childSAs.mapValues(\.traffic) }

    /// None: the demo sends far fewer than 2^32 packets on an SA.
    func takeRekeyRequests(engine: Int) -> [UInt32] { [] }

    // MARK: Packets

    /// The one installed Child SA, or `nil` when there is none or more than one (during
    /// a rekey).
    var onlyChildSA: DemoChildSA? { childSAs.count == 1 ? childSAs.values.first : nil }

    /// Seals one demo packet on the only Child SA and sends it to the peer.
    func sendPacket(identifier: UInt16, sequence: UInt16) throws(DemoError) {
        let (packet, remote) = try seal(identifier: identifier, sequence: sequence)
        sendESP(packet, to: remote)
    }

    /// Sends one authentic packet, then the same bytes again: the peer opens the first and
    /// must drop the copy as a replay (RFC 4303 §3.4.3).
    func sendPacketTwice(identifier: UInt16, sequence: UInt16) throws(DemoError) {
        let (packet, remote) = try seal(identifier: identifier, sequence: sequence)
        sendESP(packet, to: remote)
        sendESP(packet, to: remote)
    }

    /// Sends one packet with a bit of its ciphertext flipped (the first byte after the IV,
    /// part of the inner IPv4 header): the peer must drop it because the ICV does not
    /// verify (RFC 4303 §3.4.4).
    func sendTamperedPacket(identifier: UInt16, sequence: UInt16) throws(DemoError) {
        var (packet, remote) = try seal(identifier: identifier, sequence: sequence)
        let offset = onlyChildSA?.esp.outbound.headerLength ?? 0
        guard packet.indices.contains(offset) else { return }
        packet[offset] ^= 0x01
        sendESP(packet, to: remote)
    }

    private func seal(identifier: UInt16, sequence: UInt16) throws(DemoError) -> ([UInt8], IKEEndpointAddress) {
        guard var child = onlyChildSA, let source = child.localHost, let destination = child.remoteHost else {
            throw DemoError(
                .unexpectedState, step: "ESP", "\(side) has \(childSAs.count) Child SAs, expected one with IPv4 selectors")
        }
        let inner = DemoPacket(source: source, destination: destination, identifier: identifier, sequence: sequence)
        let sealed: [UInt8]
        do {
            sealed = try child.esp.outbound.seal(inner.bytes, nextHeader: .ipv4)
        } catch {
            throw DemoError(.espFailure, step: "ESP", "\(side) could not seal packet \(sequence): \(error)")
        }
        child.traffic.packetsOut += 1
        child.traffic.bytesOut += UInt64(DemoPacket.length)
        childSAs[child.inboundSPI] = child
        return (sealed, child.remoteAddress)
    }

    /// Sends an ESP packet as it is (ESP in UDP needs no marker, RFC 3948 §2.1).
    private func sendESP(_ packet: [UInt8], to remote: IKEEndpointAddress) {
        guard let destination = try? SocketAddress(remote) else { return fail(.socket, "cannot send to \(remote)") }
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: ByteBuffer(bytes: packet)), promise: nil)
        packetsSent += 1
    }

    /// Opens an ESP packet with the inbound SA its SPI names, then checks the inner packet
    /// and its addresses against the SA's traffic selectors.
    func open(_ bytes: [UInt8]) {
        var packet = bytes
        guard packet.count >= 4 else { return drops.append(.truncated) }
        let spi = UInt32(packet[0]) << 24 | UInt32(packet[1]) << 16 | UInt32(packet[2]) << 8 | UInt32(packet[3])
        guard var child = childSAs[spi] else { return drops.append(.badSPI) }
        defer { childSAs[spi] = child }
        let opened: ESPInboundPacket
        do {
            opened = try child.esp.inbound.open(&packet)
        } catch {
            child.count(error.code)
            return drops.append(error.code)
        }
        guard !opened.isDummy else { return }
        guard opened.nextHeader == .ipv4 else {
            child.traffic.malformedDrops += 1
            return fail(.espFailure, "ESP packet \(opened.sequenceNumber) on \(HexText.string(spi)) carries \(opened.nextHeader), not IPv4")
        }
        let inner: DemoPacket
        do {
            inner = try DemoPacket(verifying: packet[opened.payloadRange])
        } catch {
            child.traffic.malformedDrops += 1
            return fail(.espFailure, "ESP packet \(opened.sequenceNumber) on \(HexText.string(spi)) decrypted to a bad packet: \(error)")
        }
        guard child.admits(source: inner.source, destination: inner.destination) else {
            child.traffic.selectorDrops += 1
            return fail(.espFailure, "ESP packet \(opened.sequenceNumber) on \(HexText.string(spi)) is outside the traffic selectors")
        }
        guard received[inner.identifier, default: []].insert(inner.sequence).inserted else {
            return fail(.espFailure, "inner packet \(inner.identifier)/\(inner.sequence) delivered twice")
        }
        child.traffic.packetsIn += 1
        child.traffic.bytesIn += UInt64(DemoPacket.length)
        packetsVerified += 1
    }

    /// Forgets the drops seen so far (once a step has checked them).
    func clearDrops() { drops.removeAll() }

    func fail(_ code: DemoError.Code, _ text: String) {
        if failure == nil { failure = (code, "\(side): \(text)") }
    }
}
