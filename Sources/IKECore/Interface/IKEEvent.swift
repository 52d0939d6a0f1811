import IKEWire

/// Something that happened, for logs, status and metrics, polled with `pollEvent()`.
public enum IKEEvent: Sendable, Equatable {
    case ikeSAEstablished(name: String, localSPI: UInt64, remoteSPI: UInt64)
    case ikeSAClosed(name: String, localSPI: UInt64, reason: IKECloseReason)
    case childSAInstalled(name: String, inboundSPI: UInt32, outboundSPI: UInt32)
    /// A datagram was dropped; the reason says why (for counters and debug logs).
    case datagramDropped(reason: String)
    /// A request was retransmitted.
    case retransmitted(localSPI: UInt64, messageID: UInt32, attempt: Int)
}
