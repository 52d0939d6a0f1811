import CygnetHostSupport
import ESPCore
import IKECore
import IKEWire

/// One Child SA as a demo peer's data plane holds it: what the engine installed, without
/// the keys, which live only inside the keyed ESP SAs.
struct DemoChildSA: Sendable {
    var inboundSPI: UInt32
    var outboundSPI: UInt32
    var localTrafficSelectors: [TrafficSelector]
    var remoteTrafficSelectors: [TrafficSelector]
    /// Where ESP for this SA goes: the peer's UDP address.
    var remoteAddress: IKEEndpointAddress
    /// Whether the engine negotiated ESP in UDP (RFC 3948); always true in the demo,
    /// which runs both peers on their NAT-T port.
    var isUDPEncapsulated: Bool
    var esp: ESPSecurityAssociationPair
    /// What it carried and dropped.
    var traffic = ChildSATraffic()

    init(_ installation: ChildSAInstallation, esp: ESPSecurityAssociationPair) {
        inboundSPI = installation.inboundSPI
        outboundSPI = installation.outboundSPI
        localTrafficSelectors = installation.localTrafficSelectors
        remoteTrafficSelectors = installation.remoteTrafficSelectors
        remoteAddress = installation.remoteAddress
        isUDPEncapsulated = installation.isUDPEncapsulated
        self.esp = esp
    }

    /// The first address of our side's first IPv4 selector: the inner source we send from.
    var localHost: [UInt8]? { localTrafficSelectors.first { $0.startAddress.count == 4 }?.startAddress }
    /// The first address of the peer's first IPv4 selector: the inner destination.
    var remoteHost: [UInt8]? { remoteTrafficSelectors.first { $0.startAddress.count == 4 }?.startAddress }

    /// RFC 4301 §5.2, step 4 in spirit: a decrypted packet must match the SA's selectors
    /// (its source among the peer's, its destination among ours).
    func admits(source: [UInt8], destination: [UInt8]) -> Bool {
        remoteTrafficSelectors.contains { Self.covers($0, source) } && localTrafficSelectors.contains { Self.covers($0, destination) }
    }

    /// Counts a packet its inbound SA refused.
    mutating func count(_ drop: ESPError.Code) {
        switch drop {
        case .replayed, .tooOld: traffic.replayDrops += 1
        case .icvFailure: traffic.integrityDrops += 1
        default: traffic.malformedDrops += 1
        }
    }

    private static func covers(_ selector: TrafficSelector, _ address: [UInt8]) -> Bool {
        guard selector.startAddress.count == address.count, selector.endAddress.count == address.count else { return false }
        return !address.lexicographicallyPrecedes(selector.startAddress)
            && !selector.endAddress.lexicographicallyPrecedes(address)
    }
}
