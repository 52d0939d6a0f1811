import IKEWire

/// How the engine cuts its IKE messages into fragments, and how much of a peer's
/// fragments it keeps, for IKE message fragmentation (RFC 7383).
///
/// Which connections fragment at all is `IKEConfig`'s `PeerConfiguration.fragmentation`;
/// this is the engine-wide part, like strongSwan's `charon.fragment_size`.
public struct FragmentationPolicy: Hashable, Sendable {
    /// The largest IP datagram, IP and UDP headers included, that one IKE message or
    /// fragment we send may make (strongSwan's `charon.fragment_size`, default 1280).
    ///
    /// A protected message larger than this is sent as SKF fragments when fragmentation
    /// is in use; each fragment's datagram is at most this large (RFC 7383 §2.5.1).
    public var fragmentSize: Int
    /// The most fragments a peer's message may announce in Total Fragments; a fragment
    /// announcing more is dropped before its integrity is even checked.
    public var maximumFragments: Int
    /// The largest message, in decrypted inner payload bytes, that a peer's fragments may
    /// add up to; past it the whole message is dropped.
    public var maximumMessageSize: Int

    public init(fragmentSize: Int = 1280, maximumFragments: Int = 64, maximumMessageSize: Int = 65_536) {
        self.fragmentSize = fragmentSize
        self.maximumFragments = maximumFragments
        self.maximumMessageSize = maximumMessageSize
    }

    /// The longest IKE message (IKE header included, non-ESP marker excluded) that fits
    /// in one ``fragmentSize`` datagram: RFC 7383 §2.5.1 takes off the IP header (20 bytes
    /// for IPv4, 40 for IPv6), the UDP header (8) and, on port 4500, the non-ESP marker
    /// (4, RFC 3948 §2.2).
    public func maximumMessageLength(isIPv6: Bool, hasNonESPMarker: Bool) -> Int {
        fragmentSize - (isIPv6 ? 40 : 20) - 8 - (hasNonESPMarker ? 4 : 0)
    }

    /// How many bytes of the inner payload chain one SKF fragment carries so that its
    /// datagram stays within ``fragmentSize`` (RFC 7383 §2.5.1): the message length left
    /// after the IKE header (28), the SKF payload header (8), the IV and the ICV, cut down
    /// to a whole number of cipher blocks, less the Pad Length byte (the padding itself is
    /// then empty, RFC 7296 §3.14).
    ///
    /// - Parameters:
    ///   - isIPv6: whether the datagram is IPv6; IPv4 otherwise.
    ///   - hasNonESPMarker: whether the message travels behind the non-ESP marker.
    ///   - overhead: IV plus ICV length of the negotiated transform.
    ///   - blockSize: the cipher's block size; 1 for an AEAD.
    /// - Returns: the content length, or `nil` when not one byte fits.
    public func fragmentContentLength(
        isIPv6: Bool, hasNonESPMarker: Bool, overhead: Int, blockSize: Int
    ) -> Int? {
        let skfHeaderLength = 8
        let available =
            maximumMessageLength(isIPv6: isIPv6, hasNonESPMarker: hasNonESPMarker) - IKEHeader.length
            - skfHeaderLength - overhead
        let block = max(1, blockSize)
        let plaintext = available - available % block
        let content = plaintext - 1
        return content >= 1 ? content : nil
    }
}
