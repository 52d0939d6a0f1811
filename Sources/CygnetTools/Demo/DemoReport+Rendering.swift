import CygnetControlProtocol
import Foundation

extension DemoReport {
    /// A few lines, one per step: what was negotiated, with which SPIs, how long it took,
    /// and what the ESP packets showed.
    public var text: String {
        func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }
        func traffic(_ esp: ESPTraffic) -> String {
            esp.isComplete
                ? "\(esp.packetsEachWay) packets each way, all verified"
                : "\(esp.packetsEachWay) packets each way, verified \(esp.verifiedByResponder) by the responder and "
                    + "\(esp.verifiedByInitiator) by the initiator"
        }
        let child = childSA
        var lines: [String] = []
        lines.append("cygnet demo: two peers in one process on \(initiator) and \(responder) (loopback UDP, no root, no TUN)")
        lines.append("  transport    \(transport)")
        lines.append(
            "IKE SA       IKE_SA_INIT + IKE_AUTH in \(ms(ikeSA.milliseconds))  \(ikeSA.algorithms)  "
                + "SPIs \(ikeSA.initiatorSPI)_i \(ikeSA.responderSPI)_r")
        lines.append(
            "Child SA     \(child.algorithms)  SPIs \(child.inboundSPI)_i \(child.outboundSPI)_o  "
                + "\(child.localTrafficSelectors.joined(separator: ",")) === \(child.remoteTrafficSelectors.joined(separator: ","))")
        lines.append(
            "ESP          \(traffic(self.traffic.esp)); replayed packet dropped (\(self.traffic.replayedPacket.reason)), "
                + "tampered packet dropped (\(self.traffic.tamperedPacket.reason))")
        lines.append(
            "Child rekey  CREATE_CHILD_SA + delete in \(ms(childRekey.milliseconds))  "
                + "SPIs \(childRekey.oldInboundSPI)_i \(childRekey.oldOutboundSPI)_o -> "
                + "\(childRekey.newInboundSPI)_i \(childRekey.newOutboundSPI)_o; \(traffic(childRekey.esp)) on the new SA")
        lines.append(
            "IKE rekey    CREATE_CHILD_SA + delete in \(ms(ikeRekey.milliseconds))  "
                + "SPIs \(ikeRekey.oldInitiatorSPI)_i \(ikeRekey.oldResponderSPI)_r -> "
                + "\(ikeRekey.newInitiatorSPI)_i \(ikeRekey.newResponderSPI)_r; "
                + (ikeRekey.isChildSAKept ? "Child SA kept" : "Child SA NOT kept") + ", \(traffic(ikeRekey.esp))")
        let left =
            delete.ikeSAsLeft == 0 && delete.childSAsLeft == 0
            ? "no IKE or Child SA left on either peer"
            : "\(delete.ikeSAsLeft) IKE SAs and \(delete.childSAsLeft) Child SAs left"
        lines.append(
            "Delete       INFORMATIONAL in \(ms(delete.milliseconds))  \(left) "
                + "(initiator: \(delete.initiatorCloseReason), responder: \(delete.responderCloseReason))")
        lines.append(
            "done in \(ms(totalMilliseconds)): \(ikeMessages) IKE messages, \(espPackets) ESP packets, "
                + "\(retransmissions) retransmissions")
        return lines.joined(separator: "\n")
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> String { try prettyJSON() }
}
