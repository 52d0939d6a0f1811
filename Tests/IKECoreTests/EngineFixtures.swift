import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire

/// Two-node setups for engine tests: "left" (192.0.2.1) initiates to "right" (192.0.2.2).
/// Lifetimes are off (`rekey_time = 0`) so a network goes quiet once its exchanges are
/// done; `LifetimeTests` turns them on.
enum EngineFixtures {
    static let leftAddress: [UInt8] = [192, 0, 2, 1]
    static let rightAddress: [UInt8] = [192, 0, 2, 2]
    static let left = IKEEndpointAddress(address: leftAddress, port: 500)
    static let right = IKEEndpointAddress(address: rightAddress, port: 500)
    static let leftID = IKEIdentity("left@lab.test")
    static let rightID = IKEIdentity("right@lab.test")

    static let gcmX25519 = ProposalTemplate(
        encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256],
        keyExchangeMethods: [.curve25519])
    static let cbcModp = ProposalTemplate(
        encryption: [.init(.aesCBC, keyBits: 128)], pseudorandomFunctions: [.hmacSHA2_256],
        integrity: [.hmacSHA2_256_128], keyExchangeMethods: [.modp2048])
    static let espGCM = ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 256)])

    static func child(local: String, remote: String, proposals: [ProposalTemplate] = [espGCM]) -> ChildSAConfiguration {
        ChildSAConfiguration(
            name: "net", localTrafficSelectors: [TrafficSelectorTemplate(ipv4Prefix: local)].compactMap { $0 },
            remoteTrafficSelectors: [TrafficSelectorTemplate(ipv4Prefix: remote)].compactMap { $0 }, proposals: proposals,
            rekeyTime: .zero)
    }

    static func peer(
        local: IKEIdentity, remote: IKEIdentity?, proposals: [ProposalTemplate], child: ChildSAConfiguration
    ) -> PeerConfiguration {
        PeerConfiguration(
            name: "lab", proposals: proposals, localIdentity: local, remoteIdentity: remote,
            localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey, children: [child], rekeyTime: .zero)
    }

    static func network(
        leftProposals: [ProposalTemplate] = [gcmX25519], rightProposals: [ProposalTemplate] = [gcmX25519],
        leftSecret: String = "lab-only-psk-0123456789abcdef", rightSecret: String = "lab-only-psk-0123456789abcdef",
        rightExpects: IKEIdentity? = leftID, conditions: SimulatedNetwork.Conditions = .init(), seed: UInt64 = 1,
        retransmission: RetransmissionPolicy = RetransmissionPolicy()
    ) -> SimulatedNetwork {
        let leftConfig = IKEEngineConfiguration(
            peers: [peer(local: leftID, remote: rightID, proposals: leftProposals, child: child(local: "198.51.100.0/24", remote: "203.0.113.0/24"))],
            preSharedKeys: [PreSharedKey(identities: [leftID, rightID], secret: Array(leftSecret.utf8))],
            retransmission: retransmission)
        let rightConfig = IKEEngineConfiguration(
            peers: [peer(local: rightID, remote: rightExpects, proposals: rightProposals, child: child(local: "203.0.113.0/24", remote: "198.51.100.0/24"))],
            preSharedKeys: [PreSharedKey(identities: [leftID, rightID], secret: Array(rightSecret.utf8))],
            retransmission: retransmission)
        return SimulatedNetwork(
            nodes: [
                .init(address: leftAddress, engine: IKEEngine(configuration: leftConfig, random: SeededRandomSource(seed: seed))),
                .init(address: rightAddress, engine: IKEEngine(configuration: rightConfig, random: SeededRandomSource(seed: seed &+ 1))),
            ],
            conditions: conditions, seed: seed)
    }

    static func installations(_ node: SimulatedNetwork.Node) -> [ChildSAInstallation] {
        node.effects.compactMap { if case .installChildSA(let installation) = $0 { installation } else { nil } }
    }

    static func closeReasons(_ node: SimulatedNetwork.Node) -> [IKECloseReason] {
        node.events.compactMap { if case .ikeSAClosed(_, _, let reason, _) = $0 { reason } else { nil } }
    }

    static func isEstablished(_ node: SimulatedNetwork.Node) -> Bool {
        node.events.contains { if case .ikeSAEstablished = $0 { true } else { false } }
    }
}
