import CygnetDaemon
import Foundation
import IKEConfig
import IKECore
import IKEWire
import Logging

/// Two daemons on loopback (127.0.0.1 "left" and 127.0.0.2 "right"), unprivileged ports
/// of their own per test, PSK, one Child SA.
enum DaemonFixtures {
    static let leftID = IKEIdentity("left@lab.test")
    static let rightID = IKEIdentity("right@lab.test")
    static let psk = Array("lab-only-psk-0123456789abcdef".utf8)
    static let proposal = ProposalTemplate(
        encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256], keyExchangeMethods: [.curve25519])

    /// Ports unique to this process and call: (IKE, NAT-T).
    static func ports() -> (UInt16, UInt16) {
        let slot = nextSlot.withLock { value -> Int in
            value += 1
            return value
        }
        let base = 20_000 + (Int(getpid()) % 500) * 40 + slot * 2
        return (UInt16(base), UInt16(base + 1))
    }

    private static let nextSlot = NSLockedCounter()

    static func configuration(
        local: IKEIdentity, remote: IKEIdentity, address: String, peerAddress: String, ports: (UInt16, UInt16),
        localNet: String, remoteNet: String, engines: Int = 2
    ) -> DaemonConfiguration {
        let child = ChildSAConfiguration(
            name: "net", localTrafficSelectors: [TrafficSelectorTemplate(ipv4Prefix: localNet)].compactMap { $0 },
            remoteTrafficSelectors: [TrafficSelectorTemplate(ipv4Prefix: remoteNet)].compactMap { $0 },
            proposals: [ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 256)])])
        let peer = PeerConfiguration(
            name: "lab", proposals: [proposal], localIdentity: local, remoteIdentity: remote,
            localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey, children: [child])
        let listen = AddressSpecification(address) ?? .any
        let connection = ConnectionConfiguration(
            peer: peer, localAddresses: [listen], remoteAddresses: [AddressSpecification(peerAddress) ?? .any],
            remotePort: ports.0, location: SourceLocation(file: "fixture", line: 1, column: 1))
        var settings = DaemonSettings()
        settings.listenAddresses = [listen]
        settings.port = ports.0
        settings.natTraversalPort = ports.1
        settings.dataPlane = false
        return DaemonConfiguration(
            connections: [connection], preSharedKeys: [PreSharedKey(identities: [local, remote], secret: psk)],
            settings: settings, engineCount: engines)
    }

    /// The daemon's view of the child `net` (the engine's is in the peer configuration):
    /// its actions.
    static func childConfiguration(dpd: ChildAction = .none, close: ChildAction = .none) -> ChildConfiguration {
        ChildConfiguration(
            child: ChildSAConfiguration(name: "net", localTrafficSelectors: [], remoteTrafficSelectors: [], proposals: []),
            localTrafficSelectors: [], remoteTrafficSelectors: [], proposals: [], startAction: .none, dpdAction: dpd,
            closeAction: close, location: SourceLocation(file: "fixture", line: 1, column: 1), keyLocations: [:])
    }

    /// Left and right daemons, started; `leftChildren` are the daemon's view of the left
    /// connection's children (their actions).
    static func pair(engines: Int = 2, metrics: Bool = false, leftChildren: [ChildConfiguration] = []) async throws
        -> (left: IKEDaemon, right: IKEDaemon)
    {
        let ports = ports()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let right = try await IKEDaemon.start(
            configuration(
                local: rightID, remote: leftID, address: "127.0.0.2", peerAddress: "127.0.0.1", ports: ports,
                localNet: "203.0.113.0/24", remoteNet: "198.51.100.0/24", engines: engines),
            logger: logger)
        do {
            var leftConfiguration = configuration(
                local: leftID, remote: rightID, address: "127.0.0.1", peerAddress: "127.0.0.2", ports: ports,
                localNet: "198.51.100.0/24", remoteNet: "203.0.113.0/24", engines: engines)
            if metrics { leftConfiguration.settings.metricsAddress = "127.0.0.1:0" }
            leftConfiguration.connections[0].children = leftChildren
            let left = try await IKEDaemon.start(leftConfiguration, logger: logger)
            return (left, right)
        } catch {
            await right.shutdown(grace: .zero)
            throw error
        }
    }

    /// Waits (polling, at most `limit`) until `condition` holds; returns whether it did.
    /// The limit only bounds a hang (it returns as soon as the condition holds).
    static func eventually(within limit: Duration = .seconds(60), _ condition: () async -> Bool) async -> Bool {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }
}

/// A counter behind a lock, for unique test ports.
final class NSLockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func withLock<T>(_ body: (inout Int) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
