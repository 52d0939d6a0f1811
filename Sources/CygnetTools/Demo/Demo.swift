import CygnetControlProtocol
import ESPCore
import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import NIOCore
import NIOPosix

/// `cygnet demo`: two Cygnet peers in one process, each a real ``IKEEngine`` on its own
/// UDP socket on 127.0.0.1 (no root, no TUN), run through an IKE SA's whole life:
///
/// 1. IKE_SA_INIT and IKE_AUTH with a pre-shared key (random, per run), making the IKE SA
///    and one Child SA (`10.0.0.1/32 === 10.0.0.2/32`);
/// 2. ESP both ways: each peer keys ``ESPSecurityAssociation``s from the engine's
///    installation and seals IPv4 ICMP echo requests that the other opens and checks byte
///    for byte; an authentic packet sent twice must be dropped as replayed, one with a
///    flipped ciphertext bit for its ICV;
/// 3. a Child SA rekey, then ESP on the new SA;
/// 4. an IKE SA rekey, then ESP on the Child SA it kept;
/// 5. a delete, after which neither engine nor data plane holds an SA.
///
/// Both sockets are their peer's NAT-T port (``IKEEngineConfiguration/natTraversalPort``),
/// and both connections have `encap = yes`, so everything is framed as on UDP port 4500
/// (RFC 3948): IKE messages behind the non-ESP marker, ESP packets beside them on the same
/// socket — the path a peer behind a NAT takes. Every step waits at most ``stepTimeout``.
public struct Demo: Sendable {
    /// Demo packets each way on the first and the rekeyed Child SA.
    public var packets: Int
    /// The IKE proposal, in strongSwan's syntax (`aes256gcm16-prfsha256-x25519`).
    public var ikeProposal: String
    /// The ESP proposal, in strongSwan's syntax (`aes256gcm16`, `chacha20poly1305`,
    /// `aes128-sha256`).
    public var espProposal: String
    /// How long one step (a handshake, a burst of packets, a rekey, the delete) may take
    /// before the demo fails with ``DemoError/Code/timeout``.
    public var stepTimeout: Duration

    /// The most packets each way: ICMP sequence numbers are 16 bits.
    public static let maximumPackets = 10_000
    /// Packets sent each way before waiting for them to arrive, so a burst never fills a
    /// socket's receive buffer.
    static let burst = 25
    /// Packets each way after the IKE rekey.
    static let packetsAfterIKERekey = 10

    /// The defaults are the README's: 100 packets, `aes256gcm16-prfsha256-x25519` for IKE,
    /// `aes256gcm16` for ESP, 10 seconds per step. Values are checked by ``run()``.
    public init(
        packets: Int = 100, ikeProposal: String = "aes256gcm16-prfsha256-x25519", espProposal: String = "aes256gcm16",
        stepTimeout: Duration = .seconds(10)
    ) {
        self.packets = packets
        self.ikeProposal = ikeProposal
        self.espProposal = espProposal
        self.stepTimeout = stepTimeout
    }

    /// The two peers' configuration: the proposals, identities, the subnets and a fresh
    /// random PSK.
    func peers() throws(DemoError) -> PSKPeerPair {
        guard (1...Self.maximumPackets).contains(packets) else {
            throw DemoError(.invalidArgument, step: "setup", "packets must be 1 to \(Self.maximumPackets), not \(packets)")
        }
        var random = SystemRandomSource()
        return PSKPeerPair(
            connection: "demo", child: "demo", ikeProposals: try Self.parse(ikeProposal, for: .ike),
            espProposals: try Self.parse(espProposal, for: .esp), initiatorIdentity: IKEIdentity("initiator.demo.cygnet"),
            responderIdentity: IKEIdentity("responder.demo.cygnet"), initiatorSubnet: "10.0.0.1/32",
            responderSubnet: "10.0.0.2/32", secret: random.bytes(32), forcesUDPEncapsulation: true)
    }

    private static func parse(_ text: String, for proto: ProposalProtocol) throws(DemoError) -> [ProposalTemplate] {
        var templates: [ProposalTemplate] = []
        for item in text.split(separator: ",") {
            do {
                templates += try ProposalParser.parse(String(item), for: proto)
            } catch {
                throw DemoError(.invalidArgument, step: "setup", error.message + (error.hint.map { " (\($0))" } ?? ""))
            }
        }
        guard !templates.isEmpty else { throw DemoError(.invalidArgument, step: "setup", "empty \(proto.label) proposal") }
        return templates
    }

    /// Runs the demo on a private one-thread event loop group, closed before returning.
    public func run() async throws(DemoError) -> DemoReport {
        let pair = try peers()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let session = DemoSession(eventLoop: group.next(), stepTimeout: TimeAmount(stepTimeout))
        let result: Result<DemoReport, DemoError>
        do {
            result = .success(try await run(session, pair))
        } catch {
            result = .failure(error)
        }
        await session.close()
        try? await group.shutdownGracefully()
        return try result.get()
    }

    private func run(_ session: DemoSession, _ pair: PSKPeerPair) async throws(DemoError) -> DemoReport {
        let started = NIODeadline.now()
        try await session.start(pair)
        let (ikeSA, childSA, established) = try await handshake(session, connection: pair.connection)
        let traffic = try await esp(session)
        let (childRekey, rekeyedChild) = try await rekeyChildSA(session, established)
        let (ikeRekey, rekeyedIKE) = try await rekeyIKESA(session, rekeyedChild)
        let delete = try await delete(session, rekeyedIKE)
        return try await session.read("report") { session in
            let peers = [session.initiator, session.responder]
            return DemoReport(
                initiator: session.initiator.address.description, responder: session.responder.address.description,
                transport: "ESP in UDP (RFC 3948): each socket is its peer's NAT-T port, IKE behind the non-ESP marker",
                ikeSA: ikeSA, childSA: childSA, traffic: traffic, childRekey: childRekey, ikeRekey: ikeRekey,
                delete: delete, ikeMessages: peers.map(\.ikeDatagramsSent).reduce(0, +),
                espPackets: peers.map(\.dataPlane.packetsSent).reduce(0, +),
                retransmissions: peers.map(\.retransmissions).reduce(0, +),
                totalMilliseconds: Self.milliseconds(.now() - started))
        }
    }

    // MARK: Steps

    /// IKE_SA_INIT and IKE_AUTH, until both peers have the IKE SA and the Child SA
    /// installed in their data plane as ESP in UDP.
    private func handshake(_ session: DemoSession, connection: String) async throws(DemoError)
        -> (DemoReport.IKESA, DemoReport.ChildSA, DemoSnapshot)
    {
        let step = "IKE_SA_INIT and IKE_AUTH"
        let elapsed = try await session.step(
            step, waitingFor: "IKE SA established with its Child SA installed on both peers",
            action: { session throws(DemoError) in
                try session.command(
                    .initiate(peer: connection, local: session.initiator.address, remote: session.responder.address),
                    on: session.initiator)
            },
            until: { DemoSnapshot($0) != nil })
        let established = try await snapshot(session, step)
        guard established.isUDPEncapsulated else {
            throw DemoError(.unexpectedState, step: step, "the Child SA was not set up for ESP in UDP")
        }
        let spis = established.ikeSPIs
        let child = established.childSA
        return (
            DemoReport.IKESA(
                algorithms: Self.algorithms(established.initiatorIKESA.transforms), initiatorSPI: HexText.string(spis.initiator),
                responderSPI: HexText.string(spis.responder), milliseconds: Self.milliseconds(elapsed)),
            DemoReport.ChildSA(
                algorithms: Self.algorithms(child.transforms), inboundSPI: HexText.string(child.inboundSPI),
                outboundSPI: HexText.string(child.outboundSPI),
                localTrafficSelectors: child.localTrafficSelectors.map(TrafficSelectorText.format),
                remoteTrafficSelectors: child.remoteTrafficSelectors.map(TrafficSelectorText.format),
                isUDPEncapsulated: established.isUDPEncapsulated),
            established
        )
    }

    /// ESP both ways on the first Child SA, then an authentic packet sent twice (initiator
    /// to responder) and one with a flipped ciphertext bit (responder to initiator), each of
    /// which must be dropped with its code.
    private func esp(_ session: DemoSession) async throws(DemoError) -> DemoReport.Traffic {
        let esp = try await traffic(session, "ESP", identifier: 1, count: packets)
        let sequence = UInt16(packets + 1)
        let replayed = try await drop(session, "replayed ESP packet", by: .responder) { session throws(DemoError) in
            try session.initiator.dataPlane.sendPacketTwice(identifier: 1, sequence: sequence)
        }
        let tampered = try await drop(session, "tampered ESP packet", by: .initiator) { session throws(DemoError) in
            try session.responder.dataPlane.sendTamperedPacket(identifier: 1, sequence: sequence)
        }
        guard replayed.code == ESPError.Code.replayed.rawValue, tampered.code == ESPError.Code.icvFailure.rawValue else {
            throw DemoError(
                .espFailure, step: "ESP",
                "the replayed packet was dropped as \(replayed.reason) and the tampered one as \(tampered.reason)")
        }
        return DemoReport.Traffic(esp: esp, replayedPacket: replayed, tamperedPacket: tampered)
    }

    /// Replaces the Child SA (RFC 7296 §1.3.3), waits until both peers hold only the new
    /// one, then sends ESP on it.
    private func rekeyChildSA(_ session: DemoSession, _ before: DemoSnapshot) async throws(DemoError)
        -> (DemoReport.ChildRekey, DemoSnapshot)
    {
        let step = "Child SA rekey"
        let ikeSPI = before.initiatorIKESA.localSPI
        let old = before.childSA
        let elapsed = try await session.step(
            step, waitingFor: "new Child SA installed and the old one removed on both peers",
            action: { session throws(DemoError) in
                try session.command(.rekeyChildSA(localSPI: ikeSPI, inboundSPI: old.inboundSPI), on: session.initiator)
            },
            until: { session in
                guard let now = DemoSnapshot(session) else { return false }
                return now.childSA.inboundSPI != old.inboundSPI && now.childSA.outboundSPI != old.outboundSPI
            })
        let after = try await snapshot(session, step)
        let esp = try await traffic(session, "ESP on the rekeyed Child SA", identifier: 2, count: packets)
        return (
            DemoReport.ChildRekey(
                milliseconds: Self.milliseconds(elapsed), oldInboundSPI: HexText.string(old.inboundSPI),
                oldOutboundSPI: HexText.string(old.outboundSPI), newInboundSPI: HexText.string(after.childSA.inboundSPI),
                newOutboundSPI: HexText.string(after.childSA.outboundSPI), esp: esp),
            after
        )
    }

    /// Replaces the IKE SA (RFC 7296 §1.3.2), waits until both peers hold only the new one
    /// with the Child SA moved over, then sends ESP on that Child SA.
    private func rekeyIKESA(_ session: DemoSession, _ before: DemoSnapshot) async throws(DemoError)
        -> (DemoReport.IKERekey, DemoSnapshot)
    {
        let step = "IKE SA rekey"
        let oldInitiatorSPI = before.initiatorIKESA.localSPI
        let oldResponderSPI = before.responderIKESA.localSPI
        let elapsed = try await session.step(
            step, waitingFor: "new IKE SA established and the old one deleted on both peers",
            action: { session throws(DemoError) in
                try session.command(.rekeyIKESA(localSPI: oldInitiatorSPI), on: session.initiator)
            },
            until: { session in
                guard let now = DemoSnapshot(session) else { return false }
                return now.initiatorIKESA.localSPI != oldInitiatorSPI && now.responderIKESA.localSPI != oldResponderSPI
            })
        let after = try await snapshot(session, step)
        let esp = try await traffic(
            session, "ESP after the IKE SA rekey", identifier: 3, count: min(packets, Self.packetsAfterIKERekey))
        let (old, new) = (before.ikeSPIs, after.ikeSPIs)
        return (
            DemoReport.IKERekey(
                milliseconds: Self.milliseconds(elapsed), oldInitiatorSPI: HexText.string(old.initiator),
                oldResponderSPI: HexText.string(old.responder), newInitiatorSPI: HexText.string(new.initiator),
                newResponderSPI: HexText.string(new.responder),
                isChildSAKept: after.childSA.inboundSPI == before.childSA.inboundSPI
                    && after.childSA.outboundSPI == before.childSA.outboundSPI,
                esp: esp),
            after
        )
    }

    /// Deletes the IKE SA, and with it the Child SA, until neither engine nor data plane
    /// holds an SA.
    private func delete(_ session: DemoSession, _ before: DemoSnapshot) async throws(DemoError) -> DemoReport.Delete {
        let step = "delete"
        let ikeSPI = before.initiatorIKESA.localSPI
        let elapsed = try await session.step(
            step, waitingFor: "IKE SA and Child SA gone from both peers",
            action: { session throws(DemoError) in
                try session.command(.delete(localSPI: ikeSPI), on: session.initiator)
            },
            until: { session in
                [session.initiator, session.responder].allSatisfy { $0.engine.ikeSACount == 0 && $0.dataPlane.childSAs.isEmpty }
            })
        return try await session.read(step) { session in
            let peers = [session.initiator, session.responder]
            return DemoReport.Delete(
                milliseconds: Self.milliseconds(elapsed),
                initiatorCloseReason: session.initiator.closeReasons.last?.code.name ?? "none",
                responderCloseReason: session.responder.closeReasons.last?.code.name ?? "none",
                ikeSAsLeft: peers.map(\.engine.ikeSACount).reduce(0, +),
                childSAsLeft: peers.map { $0.dataPlane.childSAs.count + $0.engine.statuses.map(\.children.count).reduce(0, +) }
                    .reduce(0, +))
        }
    }

    private func snapshot(_ session: DemoSession, _ step: String) async throws(DemoError) -> DemoSnapshot {
        try await session.read(step) { session throws(DemoError) in
            guard let snapshot = DemoSnapshot(session) else {
                throw DemoError(.unexpectedState, step: step, "the peers do not agree on one IKE SA with one Child SA")
            }
            return snapshot
        }
    }

    /// Sends `count` demo packets each way on the only Child SA, in bursts, and waits for
    /// both peers to verify them all; any drop fails the step.
    private func traffic(
        _ session: DemoSession, _ step: String, identifier: UInt16, count: Int
    ) async throws(DemoError) -> DemoReport.ESPTraffic {
        var sent = 0
        while sent < count {
            let burst = (sent + 1)...min(count, sent + Self.burst)
            try await session.step(
                step, waitingFor: "packets \(burst.lowerBound)–\(burst.upperBound) verified by both peers",
                action: { session throws(DemoError) in
                    for sequence in burst {
                        try session.initiator.dataPlane.sendPacket(identifier: identifier, sequence: UInt16(sequence))
                        try session.responder.dataPlane.sendPacket(identifier: identifier, sequence: UInt16(sequence))
                    }
                },
                until: { session throws(DemoError) in
                    for peer in [session.initiator, session.responder] {
                        if let drop = peer.dataPlane.drops.first {
                            throw DemoError(.espFailure, step: step, "the \(peer.side) dropped an ESP packet: \(drop)")
                        }
                    }
                    return [session.initiator, session.responder].allSatisfy {
                        $0.dataPlane.received[identifier, default: []].count >= burst.upperBound
                    }
                })
            sent = burst.upperBound
        }
        return try await session.read(step) { session in
            DemoReport.ESPTraffic(
                packetsEachWay: count, verifiedByInitiator: session.initiator.dataPlane.received[identifier]?.count ?? 0,
                verifiedByResponder: session.responder.dataPlane.received[identifier]?.count ?? 0)
        }
    }

    /// Runs `action`, waits for `receiver` to drop one ESP packet, and reports its code;
    /// the drop is then forgotten.
    private func drop(
        _ session: DemoSession, _ step: String, by receiver: DemoSession.Side,
        _ action: @escaping @Sendable (DemoSession) throws(DemoError) -> Void
    ) async throws(DemoError) -> DemoReport.ESPDrop {
        try await session.step(
            step, waitingFor: "the \(receiver) to drop the packet", action: action,
            until: { session in !session.peer(receiver).dataPlane.drops.isEmpty })
        return try await session.read(step) { session throws(DemoError) in
            let peer = session.peer(receiver)
            guard peer.dataPlane.drops.count == 1, let code = peer.dataPlane.drops.first else {
                throw DemoError(.espFailure, step: step, "the \(receiver) dropped \(peer.dataPlane.drops.count) packets, expected one")
            }
            peer.dataPlane.clearDrops()
            return DemoReport.ESPDrop(code: code.rawValue, reason: code.description)
        }
    }

    // MARK: Formatting

    /// strongSwan's names joined with `/`: encryption with its key size, integrity, PRF,
    /// key exchange, and `ESN` when negotiated.
    static func algorithms(_ transforms: [Transform]) -> String {
        let negotiated = NegotiatedTransforms(transforms)
        var names: [String] = []
        if let encryption = negotiated.encryption {
            names.append(
                StrongSwanNames.encryption(encryption) + (negotiated.encryptionKeyBits.map { "-\($0)" } ?? ""))
        }
        if let integrity = negotiated.integrity { names.append(StrongSwanNames.integrity(integrity)) }
        if let prf = negotiated.prf { names.append(StrongSwanNames.pseudorandomFunction(prf)) }
        if let keyExchange = negotiated.keyExchange { names.append(StrongSwanNames.keyExchange(keyExchange)) }
        if negotiated.usesExtendedSequenceNumbers { names.append("ESN") }
        return names.joined(separator: "/")
    }

    static func milliseconds(_ amount: TimeAmount) -> Double { Double(amount.nanoseconds) / 1_000_000 }
}
