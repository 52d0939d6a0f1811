import CygnetHostSupport
import CygnetControlProtocol
import IKECertificates
import IKECore
import IKEWire

extension IKESAReport {
    /// The report of an engine's status snapshot. `records` are the daemon's installed
    /// Child SAs by inbound SPI (for UDP encapsulation); `now` is the engine's clock.
    init(_ status: IKESAStatus, records: [UInt32: ChildSARecord], traffic: [UInt32: ChildSATraffic] = [:], now: IKEInstant) {
        let state: String
        switch status.phase {
        case .connecting: state = "CONNECTING"
        case .established: state = "ESTABLISHED"
        case .deleting: state = "DELETING"
        }
        let transforms = NegotiatedTransforms(status.transforms)
        self.init(
            name: status.name, state: state, initiator: status.isInitiator,
            localHost: IPAddressText.format(status.local.address), localPort: Int(status.local.port),
            localID: CertificateIdentityMatching.describe(status.localIdentity),
            remoteHost: IPAddressText.format(status.remote.address), remotePort: Int(status.remote.port),
            remoteID: status.remoteIdentity.map(CertificateIdentityMatching.describe),
            initiatorSPI: HexText.string(status.isInitiator ? status.localSPI : status.remoteSPI),
            responderSPI: HexText.string(status.isInitiator ? status.remoteSPI : status.localSPI),
            encrAlg: transforms.encryption.map(StrongSwanNames.encryption), encrKeysize: transforms.encryptionKeyBits,
            integAlg: transforms.integrity.map(StrongSwanNames.integrity),
            prfAlg: transforms.prf.map(StrongSwanNames.pseudorandomFunction),
            dhGroup: transforms.keyExchange.map(StrongSwanNames.keyExchange),
            established: status.establishedAt.map { Self.seconds(from: $0, to: now) },
            rekeyTime: status.rekeyAt.map { Self.seconds(from: now, to: $0) },
            reauthTime: status.reauthAt.map { Self.seconds(from: now, to: $0) },
            lifeTime: status.expiresAt.map { Self.seconds(from: now, to: $0) },
            natAny: status.isUDPEncapsulated,
            childSAs: status.children.map { child in
                ChildSAReport(
                    child,
                    isUDPEncapsulated: records[child.inboundSPI]?.isUDPEncapsulated ?? status.isUDPEncapsulated,
                    traffic: traffic[child.inboundSPI] ?? ChildSATraffic(), now: now)
            },
            localVIPs: status.virtualIPs.map { $0.addresses.map { IPAddressText.format($0.address) } },
            remoteVIPs: status.peerVirtualIPs.isEmpty ? nil : status.peerVirtualIPs.map(IPAddressText.format),
            remoteEAPID: status.remoteEAPIdentity.map { PeerText.escaped($0) },
            localDNS: status.virtualIPs.flatMap { $0.dnsServers.isEmpty ? nil : $0.dnsServers.map(IPAddressText.format) },
            mobike: status.isMOBIKENegotiated ? true : nil, addressUpdates: status.addressUpdates > 0 ? status.addressUpdates : nil,
            remoteAdditionalHosts: status.peerAdditionalAddresses.isEmpty
                ? nil : status.peerAdditionalAddresses.map(IPAddressText.format))
    }

    /// Whole seconds from `start` to `end`, never negative (a deadline just passed reads 0).
    static func seconds(from start: IKEInstant, to end: IKEInstant) -> Int {
        max(0, Int((end.nanoseconds &- start.nanoseconds) / 1_000_000_000))
    }
}
