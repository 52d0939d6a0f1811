import CygnetHostSupport
import ESPCore
import IKECore
import IKECrypto
import IKEWire
import NIOCore

/// One of the demo's two peers: a real ``IKEEngine`` (system randomness, the host's
/// monotonic clock) on its own loopback UDP socket, and a small user-space data plane that
/// keys ESP SAs from the engine's installations and seals and opens packets with them.
///
/// The peer's socket is its NAT-T port (``IKEEngineConfiguration/natTraversalPort`` is set
/// to the bound port), so every datagram is framed as on UDP port 4500 (RFC 3948): IKE
/// messages behind the 4-byte non-ESP marker, ESP packets starting with their SPI.
///
/// Not thread-safe: ``DemoSession`` touches it only on its event loop.
final class DemoPeer {
    let side: DemoSession.Side
    let address: IKEEndpointAddress
    let channel: any Channel
    private(set) var engine: IKEEngine<SystemRandomSource>
    /// The installed Child SAs by inbound SPI.
    private(set) var childSAs: [UInt32: DemoChildSA] = [:]
    /// ICMP sequence numbers received and verified, by ICMP identifier (one per part of
    /// the demo).
    private(set) var received: [UInt16: Set<UInt16>] = [:]
    /// ESP packets dropped, in order (cleared by ``clearDrops()``).
    private(set) var drops: [ESPError.Code] = []
    /// The first thing that went wrong that no step expects, for the session to report.
    private(set) var failure: (code: DemoError.Code, text: String)?
    /// Why each IKE SA of this peer closed, in order.
    private(set) var closeReasons: [IKECloseReason] = []
    /// The engine's last reason for dropping a datagram, to explain a timeout.
    private(set) var lastEngineDrop: String?
    private(set) var ikeDatagramsSent = 0
    private(set) var espPacketsSent = 0
    private(set) var espPacketsVerified = 0
    private(set) var retransmissions = 0

    init(side: DemoSession.Side, address: IKEEndpointAddress, channel: any Channel, configuration: IKEEngineConfiguration) {
        self.side = side
        self.address = address
        self.channel = channel
        var configuration = configuration
        configuration.natTraversalPort = address.port
        engine = IKEEngine(configuration: configuration, random: SystemRandomSource())
    }

    // MARK: Inputs

    /// A datagram arrived on the peer's socket: IKE goes to the engine, ESP to the data
    /// plane.
    func handleDatagram(_ datagram: ByteBuffer, from remote: IKEEndpointAddress) {
        switch try? UDPEncapsulatedDatagram(classifying: datagram) {
        case .ike:
            // The engine strips the non-ESP marker itself (it arrived on its NAT-T port).
            engine.handleDatagram(datagram, from: remote, to: address, now: .uptime)
            drain()
        case .esp(let packet):
            open(Array(packet.readableBytesView))
        case .natKeepalive:
            break
        case nil:
            lastEngineDrop = "a \(datagram.readableBytes)-byte datagram from \(remote) is neither IKE nor ESP"
        }
    }

    func handleCommand(_ command: IKECommand) throws(IKECoreError) {
        defer { drain() }
        try engine.handleCommand(command, now: .uptime)
    }

    func handleTimeout() {
        engine.handleTimeout(now: .uptime)
        drain()
    }

    /// Polls the engine in its documented order: transmits, (the deadline is read by the
    /// session), effects, events.
    private func drain() {
        while let transmit = engine.pollTransmit() {
            send(transmit.datagram, to: transmit.destination)
            ikeDatagramsSent += 1
        }
        while let effect = engine.pollEffect() { carryOut(effect) }
        while let event = engine.pollEvent() { observe(event) }
    }

    private func carryOut(_ effect: IKEEffect) {
        switch effect {
        case .installChildSA(let installation):
            do {
                let esp = try ESPSecurityAssociationPair(installation, provider: engine.configuration.provider)
                childSAs[installation.inboundSPI] = DemoChildSA(installation, esp: esp)
            } catch {
                fail(.espFailure, "could not key the ESP SAs of Child SA \(HexText.string(installation.inboundSPI)): \(error)")
            }
        case .removeChildSA(let inboundSPI, _):
            childSAs[inboundSPI] = nil
        case .sign, .validateCertificates:
            // PSK authentication never asks the host for a signature or a chain check.
            fail(.unexpectedState, "the engine asked for a signature or certificate check in a PSK demo")
        }
    }

    private func observe(_ event: IKEEvent) {
        switch event {
        case .ikeSAClosed(_, let spi, let reason, _):
            closeReasons.append(reason)
            if ![.rekeyed, .deletedLocally, .deletedByPeer].contains(reason.code) {
                fail(.negotiationFailed, "IKE SA \(HexText.string(spi)) closed (\(reason.code.name)): \(reason.text)")
            }
        case .negotiationRefused(_, let reason):
            fail(.negotiationFailed, "negotiation refused: \(reason.text)")
        case .errorNotifyReceived(_, let type, _):
            fail(.negotiationFailed, "the peer sent the error notify \(type)")
        case .childSAExpired(_, let inboundSPI, _, let reason):
            fail(.unexpectedState, "Child SA \(HexText.string(inboundSPI)) expired: \(reason)")
        case .retransmitted:
            retransmissions += 1
        case .datagramDropped(let reason):
            lastEngineDrop = reason.description
        case .ikeSAStarted, .ikeSAEstablished, .childSAInstalled, .ikeSARekeyed, .cookieRequested, .halfOpenLimitReached:
            break
        }
    }

    private func fail(_ code: DemoError.Code, _ text: String) {
        if failure == nil { failure = (code, "\(side): \(text)") }
    }

    // MARK: Data plane

    /// The one installed Child SA, or `nil` when there is none or more than one (during
    /// a rekey).
    var onlyChildSA: DemoChildSA? { childSAs.count == 1 ? childSAs.values.first : nil }

    /// Seals one demo packet on the only Child SA and sends it to the peer.
    func sendPacket(identifier: UInt16, sequence: UInt16) throws(DemoError) {
        let (packet, remote) = try seal(identifier: identifier, sequence: sequence)
        sendRaw(packet, to: remote)
    }

    /// Sends one authentic packet, then the same bytes again: the peer opens the first and
    /// must drop the copy as a replay (RFC 4303 §3.4.3).
    func sendPacketTwice(identifier: UInt16, sequence: UInt16) throws(DemoError) {
        let (packet, remote) = try seal(identifier: identifier, sequence: sequence)
        sendRaw(packet, to: remote)
        sendRaw(packet, to: remote)
    }

    /// Sends one packet with a bit of its ciphertext flipped (the first byte after the IV,
    /// part of the inner IPv4 header): the peer must drop it because the ICV does not
    /// verify (RFC 4303 §3.4.4).
    func sendTamperedPacket(identifier: UInt16, sequence: UInt16) throws(DemoError) {
        var (packet, remote) = try seal(identifier: identifier, sequence: sequence)
        let offset = onlyChildSA?.esp.outbound.headerLength ?? 0
        guard packet.indices.contains(offset) else { return }
        packet[offset] ^= 0x01
        sendRaw(packet, to: remote)
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
        childSAs[child.inboundSPI] = child
        return (sealed, child.remoteAddress)
    }

    /// Sends bytes as they are to the peer's socket (an ESP packet needs no marker).
    private func sendRaw(_ packet: [UInt8], to remote: IKEEndpointAddress) {
        send(ByteBuffer(bytes: packet), to: remote)
        espPacketsSent += 1
    }

    /// Opens an ESP packet with the inbound SA its SPI names, then checks the inner packet
    /// and its addresses against the SA's traffic selectors.
    private func open(_ bytes: [UInt8]) {
        var packet = bytes
        guard packet.count >= 4 else { return drops.append(.truncated) }
        let spi = UInt32(packet[0]) << 24 | UInt32(packet[1]) << 16 | UInt32(packet[2]) << 8 | UInt32(packet[3])
        guard var child = childSAs[spi] else { return drops.append(.badSPI) }
        let opened: ESPInboundPacket
        do {
            opened = try child.esp.inbound.open(&packet)
        } catch {
            return drops.append(error.code)
        }
        childSAs[spi] = child
        guard !opened.isDummy else { return }
        guard opened.nextHeader == .ipv4 else {
            return fail(.espFailure, "ESP packet \(opened.sequenceNumber) on \(HexText.string(spi)) carries \(opened.nextHeader), not IPv4")
        }
        let inner: DemoPacket
        do {
            inner = try DemoPacket(verifying: packet[opened.payloadRange])
        } catch {
            return fail(.espFailure, "ESP packet \(opened.sequenceNumber) on \(HexText.string(spi)) decrypted to a bad packet: \(error)")
        }
        guard child.admits(source: inner.source, destination: inner.destination) else {
            return fail(.espFailure, "ESP packet \(opened.sequenceNumber) on \(HexText.string(spi)) is outside the traffic selectors")
        }
        guard received[inner.identifier, default: []].insert(inner.sequence).inserted else {
            return fail(.espFailure, "inner packet \(inner.identifier)/\(inner.sequence) delivered twice")
        }
        espPacketsVerified += 1
    }

    /// Forgets the drops seen so far (once a step has checked them).
    func clearDrops() { drops.removeAll() }

    private func send(_ datagram: ByteBuffer, to remote: IKEEndpointAddress) {
        guard let destination = try? SocketAddress(remote) else {
            return fail(.socket, "cannot send to \(remote)")
        }
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: datagram), promise: nil)
    }
}
