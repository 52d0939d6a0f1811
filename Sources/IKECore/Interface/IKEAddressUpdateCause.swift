/// Why an IKE SA's addresses changed (``IKEEvent/ikeSAAddressesUpdated(name:localSPI:oldLocal:oldRemote:newLocal:newRemote:cause:)``),
/// the label of the daemon's address-update counter.
public struct IKEAddressUpdateCause: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// An UPDATE_SA_ADDRESSES exchange (RFC 4555 §3.5), which either side may have started
    /// the move of: we sent it as the initiator, or answered it as the responder.
    public static let mobike = IKEAddressUpdateCause(rawValue: "mobike")
    /// Without MOBIKE, an authenticated request arrived from a new address of a peer
    /// behind a NAT (RFC 7296 §2.23): the NAT changed its mapping.
    public static let natMappingChange = IKEAddressUpdateCause(rawValue: "nat_mapping_change")

    public var description: String { rawValue }
}
