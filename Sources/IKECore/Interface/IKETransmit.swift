import NIOCore

/// A datagram the engine wants sent.
public struct IKETransmit: Sendable {
    public var source: IKEEndpointAddress
    public var destination: IKEEndpointAddress
    /// The UDP payload. On port 4500 it already carries the non-ESP marker.
    public var datagram: ByteBuffer

    public init(source: IKEEndpointAddress, destination: IKEEndpointAddress, datagram: ByteBuffer) {
        self.source = source
        self.destination = destination
        self.datagram = datagram
    }
}
