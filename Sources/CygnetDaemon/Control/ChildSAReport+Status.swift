import CygnetHostSupport
import CygnetControlProtocol
import IKEConfig
import IKECore
import IKEWire

extension ChildSAReport {
    /// The report of one Child SA of an engine snapshot, `now` on the engine's clock.
    init(_ status: ChildSAStatus, isUDPEncapsulated: Bool, traffic: ChildSATraffic = ChildSATraffic(), now: IKEInstant) {
        let transforms = NegotiatedTransforms(status.transforms)
        let mode: String
        switch status.mode {
        case .tunnel: mode = "TUNNEL"
        case .transport: mode = "TRANSPORT"
        }
        self.init(
            name: status.name, mode: mode, encap: isUDPEncapsulated, spiIn: HexText.string(status.inboundSPI),
            spiOut: HexText.string(status.outboundSPI), encrAlg: transforms.encryption.map(StrongSwanNames.encryption),
            encrKeysize: transforms.encryptionKeyBits, integAlg: transforms.integrity.map(StrongSwanNames.integrity),
            dhGroup: transforms.keyExchange.map(StrongSwanNames.keyExchange),
            esn: transforms.usesExtendedSequenceNumbers, bytesIn: traffic.bytesIn, packetsIn: traffic.packetsIn,
            bytesOut: traffic.bytesOut, packetsOut: traffic.packetsOut, dropsIn: traffic.drops,
            rekeyTime: status.rekeyAt.map { IKESAReport.seconds(from: now, to: $0) },
            lifeTime: status.expiresAt.map { IKESAReport.seconds(from: now, to: $0) },
            localTS: status.localTrafficSelectors.map(TrafficSelectorText.format),
            remoteTS: status.remoteTrafficSelectors.map(TrafficSelectorText.format))
    }
}
