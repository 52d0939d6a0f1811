import CygnetHostSupport
import ESPCore
import IKECore
import IKECrypto
import IKEWire
import NIOCore

/// One of the demo's two peers: a real ``IKEEngine`` (system randomness, the host's
/// monotonic clock) on its own loopback UDP socket, driven through ``IKEEngineHost`` like
/// the daemon's engines, with a ``DemoDataPlane`` installed through the same
/// ``ChildSAInstaller`` seam as the daemon's data plane.
///
/// The peer's socket is its NAT-T port (``IKEEngineConfiguration/natTraversalPort`` is set
/// to the bound port), so it frames every datagram as on UDP port 4500 (RFC 3948): IKE
/// messages behind the 4-byte non-ESP marker, which it adds and removes, and ESP packets
/// starting with their SPI.
///
/// Not thread-safe: ``DemoSession`` touches it only on its event loop.
final class DemoPeer {
    let side: DemoSession.Side
    let address: IKEEndpointAddress
    let channel: any Channel
    private(set) var engine: IKEEngine<SystemRandomSource>
    let dataPlane: DemoDataPlane
    /// The engine's next deadline, as of its last input.
    private(set) var deadline: IKEInstant?
    /// Why each IKE SA of this peer closed, in order.
    private(set) var closeReasons: [IKECloseReason] = []
    /// The engine's last reason for dropping a datagram, to explain a timeout.
    private(set) var lastEngineDrop: String?
    private(set) var ikeDatagramsSent = 0
    private(set) var retransmissions = 0
    private var engineFailure: (code: DemoError.Code, text: String)?

    init(side: DemoSession.Side, address: IKEEndpointAddress, channel: any Channel, configuration: IKEEngineConfiguration) {
        self.side = side
        self.address = address
        self.channel = channel
        var configuration = configuration
        configuration.natTraversalPort = address.port
        engine = IKEEngine(configuration: configuration, random: SystemRandomSource())
        dataPlane = DemoDataPlane(side: side, provider: configuration.provider, channel: channel)
    }

    /// The first thing that went wrong that no step expects, for the session to report.
    var failure: (code: DemoError.Code, text: String)? { engineFailure ?? dataPlane.failure }

    // MARK: Inputs

    /// A datagram arrived on the peer's socket: IKE goes to the engine without its
    /// marker, ESP to the data plane.
    func handleDatagram(_ datagram: ByteBuffer, from remote: IKEEndpointAddress) {
        switch try? UDPEncapsulatedDatagram(classifying: datagram) {
        case .ike(let message):
            engine.handleDatagram(message, from: remote, to: address, now: .uptime)
            drain()
        case .esp(let packet):
            dataPlane.open(Array(packet.readableBytesView))
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

    private func drain() {
        var host = self
        engine.drain(into: &host)
    }

    private func fail(_ code: DemoError.Code, _ text: String) {
        if engineFailure == nil { engineFailure = (code, "\(side): \(text)") }
    }

}

extension DemoPeer: IKEEngineHost {
    /// Sends an IKE message behind the non-ESP marker: the socket is the NAT-T port.
    func send(_ transmit: IKETransmit) {
        guard let destination = try? SocketAddress(transmit.destination) else {
            return fail(.socket, "cannot send to \(transmit.destination)")
        }
        let datagram = UDPEncapsulatedDatagram.ike(transmit.datagram).framed
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: datagram), promise: nil)
        ikeDatagramsSent += 1
    }

    func scheduleTimeout(at deadline: IKEInstant?) { self.deadline = deadline }

    func carryOut(_ effect: IKEEffect) {
        switch effect {
        case .installChildSA(let installation):
            dataPlane.install(installation, engine: 0)
        case .removeChildSA(let inboundSPI, _):
            dataPlane.remove(inboundSPI: inboundSPI)
        case .updateChildSA(let update):
            dataPlane.update(update, engine: 0)
        case .sign, .validateCertificates, .assignAddresses, .eap:
            // PSK authentication without pools never asks the host for a signature, a
            // chain check, addresses or EAP.
            fail(.unexpectedState, "the engine asked for a signature, certificate check, addresses or EAP in a PSK demo")
        case .releaseAddresses, .addVirtualIPs, .removeVirtualIPs:
            break
        }
    }

    func observe(_ event: IKEEvent) {
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
        case .childSAFailed(let name, _, let reason):
            fail(.negotiationFailed, "Child SA '\(name)' not installed: \(reason.text)")
        case .childSAExpired(_, let inboundSPI, _, let reason):
            fail(.unexpectedState, "Child SA \(HexText.string(inboundSPI)) expired: \(reason)")
        case .retransmitted:
            retransmissions += 1
        case .datagramDropped(let reason):
            lastEngineDrop = reason.description
        case .ikeSAAddressesUpdated(_, let spi, _, _, _, _, _):
            fail(.unexpectedState, "IKE SA \(HexText.string(spi)) moved, but the demo's peers never change addresses")
        case .ikeSAStarted, .ikeSAEstablished, .childSAInstalled, .childSADeletedByPeer, .ikeSARekeyed, .cookieRequested,
            .halfOpenLimitReached, .addressesAssigned, .addressAssignmentFailed, .virtualIPsReceived:
            break
        }
    }
}
