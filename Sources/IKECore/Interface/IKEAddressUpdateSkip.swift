/// Why ``IKECommand/updateLocalAddress(localSPI:address:)`` moved nothing
/// (``IKEEvent/addressUpdateSkipped(name:localSPI:reason:)``). The normal outcomes of a
/// host that reports every route change to every SA, not errors.
public struct IKEAddressUpdateSkip: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// MOBIKE was not negotiated (RFC 4555 §3.2): the peer would not follow, so the SA
    /// stays where it is and dead peer detection decides its fate.
    public static let mobikeNotNegotiated = IKEAddressUpdateSkip(rawValue: "mobike_not_negotiated")
    /// We are the original responder: RFC 4555 §3.5 leaves the choice of addresses to the
    /// initiator. A changed address set is announced instead (ADDITIONAL_*_ADDRESS, §3.6).
    public static let notOriginalInitiator = IKEAddressUpdateSkip(rawValue: "not_original_initiator")
    /// The SA is not established, or is being deleted or replaced.
    public static let notEstablished = IKEAddressUpdateSkip(rawValue: "not_established")
    /// The new address is of another family than the peer's, and the peer announced no
    /// address of that family (RFC 4555 §3.4).
    public static let noPeerAddress = IKEAddressUpdateSkip(rawValue: "no_peer_address")
    /// The SA already uses that local address.
    public static let unchanged = IKEAddressUpdateSkip(rawValue: "unchanged")

    public var description: String { rawValue }
}
