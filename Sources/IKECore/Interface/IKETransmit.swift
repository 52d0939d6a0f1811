import NIOCore

/// A datagram the engine wants sent.
public struct IKETransmit: Sendable {
    public var source: IKEEndpointAddress
    public var destination: IKEEndpointAddress
    /// The IKE message. Sent from the NAT-T port, it goes behind the non-ESP marker,
    /// which the host's socket adds (RFC 3948 §2.2).
    public var datagram: ByteBuffer

    public init(source: IKEEndpointAddress, destination: IKEEndpointAddress, datagram: ByteBuffer) {
        self.source = source
        self.destination = destination
        self.datagram = datagram
    }
}
