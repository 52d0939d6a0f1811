/// New outer addresses for an installed Child SA pair, after its IKE SA moved (MOBIKE,
/// RFC 4555 §3.5, or a NAT mapping change, RFC 7296 §2.23): the host's data plane sends
/// to `remoteAddress` from `localAddress` from now on, UDP-encapsulated or not, and keeps
/// the pair's keys, sequence numbers and replay windows.
public struct ChildSAPathUpdate: Sendable, Equatable {
    /// Our inbound SPI of the pair, which names it (as in ``IKEEffect/removeChildSA(inboundSPI:outboundSPI:)``).
    public var inboundSPI: UInt32
    public var outboundSPI: UInt32
    /// Ports as in ``ChildSAInstallation``: those of the IKE SA.
    public var localAddress: IKEEndpointAddress
    public var remoteAddress: IKEEndpointAddress
    /// Whether ESP now travels in UDP on port 4500 (RFC 3948).
    public var isUDPEncapsulated: Bool

    public init(
        inboundSPI: UInt32, outboundSPI: UInt32, localAddress: IKEEndpointAddress, remoteAddress: IKEEndpointAddress,
        isUDPEncapsulated: Bool
    ) {
        self.inboundSPI = inboundSPI
        self.outboundSPI = outboundSPI
        self.localAddress = localAddress
        self.remoteAddress = remoteAddress
        self.isUDPEncapsulated = isUDPEncapsulated
    }
}
