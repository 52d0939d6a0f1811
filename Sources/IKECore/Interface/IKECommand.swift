/// What the host asks the engine to do, with `handleCommand(_:now:)`.
public enum IKECommand: Sendable {
    /// Starts the connection named `peer` from `local` to `remote`.
    case initiate(peer: String, local: IKEEndpointAddress, remote: IKEEndpointAddress)
    /// Deletes the IKE SA with this local SPI (and its Child SAs), telling the peer.
    case delete(localSPI: UInt64)
    /// Sends an empty INFORMATIONAL request to check that the peer is alive.
    case checkLiveness(localSPI: UInt64)
}
