import CygnetHostSupport
import ESPCore
import IKECore
import Synchronization

/// One installed Child SA in the data plane: both ESP directions, the selectors packets
/// are matched and checked against, where outbound packets go, and counters.
///
/// The outbound worker is the only one to lock ``outbound`` on the packet path and the
/// inbound worker the only one to lock ``inbound``: each SA has its own locks, so no lock
/// is shared across SAs or directions (so SAs can be carried on several cores without a
/// global lock, ADR 0005). A move (``DataPlane/update(_:engine:)``) takes ``outbound``
/// once to change the path.
final class DataPlaneChildSA: Sendable {
    /// Where outbound packets go: the outer addresses, the encapsulation, the socket they
    /// leave by (UDP on the NAT-T port, or raw ESP) and the destination made once.
    struct Path: Sendable {
        var local: IKEEndpointAddress
        var remote: IKEEndpointAddress
        var isUDPEncapsulated: Bool
        var socket: PacketSocket
        var destination: SocketAddressStorage
    }

    /// The outbound ESP SA (its sequence numbers) and the path, changed together.
    struct Outbound: Sendable {
        var esp: ESPSecurityAssociation
        var path: Path
    }

    let name: String
    let shard: Int
    let inboundSPI: UInt32
    let outboundSPI: UInt32
    let localSelectors: [PacketSelector]
    let remoteSelectors: [PacketSelector]

    let inbound: Mutex<ESPSecurityAssociation>
    let outbound: Mutex<Outbound>
    let counters = ChildSACounters()

    init(
        installation: ChildSAInstallation, shard: Int, inbound: ESPSecurityAssociation,
        outbound: ESPSecurityAssociation, path: Path
    ) {
        name = installation.name
        self.shard = shard
        inboundSPI = installation.inboundSPI
        outboundSPI = installation.outboundSPI
        localSelectors = installation.localTrafficSelectors.compactMap(PacketSelector.init)
        remoteSelectors = installation.remoteTrafficSelectors.compactMap(PacketSelector.init)
        self.inbound = Mutex(inbound)
        self.outbound = Mutex(Outbound(esp: outbound, path: path))
    }

    /// The path outbound packets take now.
    var path: Path { outbound.withLock { $0.path } }

    /// Whether a packet has been received on this SA (see ``DataPlane/promote(_:)``).
    let hasReceived = Atomic<Bool>(false)

    func hasSameSelectors(as other: DataPlaneChildSA) -> Bool {
        localSelectors == other.localSelectors && remoteSelectors == other.remoteSelectors
    }

    /// Whether an outbound packet belongs to this SA: from the local selectors to the
    /// remote ones.
    func carries(_ header: InnerIPHeader) -> Bool {
        PacketSelector.matches(header, source: localSelectors, destination: remoteSelectors)
    }

    /// Whether a decrypted inbound packet is one this SA may carry: RFC 4301 §5.2, "check
    /// ... that the packet's selectors match the SA's" (from remote to local).
    func admits(_ header: InnerIPHeader) -> Bool {
        PacketSelector.matches(header, source: remoteSelectors, destination: localSelectors)
    }
}

/// Traffic and drop counters of one Child SA, updated without locks.
final class ChildSACounters: Sendable {
    let packetsIn = Atomic<UInt64>(0)
    let bytesIn = Atomic<UInt64>(0)
    let packetsOut = Atomic<UInt64>(0)
    let bytesOut = Atomic<UInt64>(0)
    /// Inbound packets dropped: replayed or too old, failed ICV, bad padding or a
    /// malformed inner packet, and inner packets outside the SA's selectors.
    let replayDrops = Atomic<UInt64>(0)
    let integrityDrops = Atomic<UInt64>(0)
    let malformedDrops = Atomic<UInt64>(0)
    let selectorDrops = Atomic<UInt64>(0)
    /// Set when sealing failed because the SA must be rekeyed (its sequence numbers are
    /// exhausted, RFC 4303 §3.3.3); the engine's shard asks for the rekey.
    let rekeyRequested = Atomic<Bool>(false)

    var snapshot: ChildSATraffic {
        ChildSATraffic(
            packetsIn: packetsIn.load(ordering: .relaxed), bytesIn: bytesIn.load(ordering: .relaxed),
            packetsOut: packetsOut.load(ordering: .relaxed), bytesOut: bytesOut.load(ordering: .relaxed),
            replayDrops: replayDrops.load(ordering: .relaxed), integrityDrops: integrityDrops.load(ordering: .relaxed),
            malformedDrops: malformedDrops.load(ordering: .relaxed), selectorDrops: selectorDrops.load(ordering: .relaxed))
    }
}
