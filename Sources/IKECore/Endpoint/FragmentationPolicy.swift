/// How much of a peer's fragments the engine keeps, for IKE message fragmentation
/// (RFC 7383).
public struct FragmentationPolicy: Hashable, Sendable {
    /// The most fragments a peer's message may announce in Total Fragments; a fragment
    /// announcing more is dropped before its integrity is even checked.
    public var maximumFragments: Int
    /// The largest message, in decrypted inner payload bytes, that a peer's fragments may
    /// add up to; past it the whole message is dropped.
    public var maximumMessageSize: Int

    public init(maximumFragments: Int = 64, maximumMessageSize: Int = 65_536) {
        self.maximumFragments = maximumFragments
        self.maximumMessageSize = maximumMessageSize
    }
}
