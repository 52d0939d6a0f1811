import IKEWire
import NIOCore

/// The fragments of one IKE message received so far, put back together in order once
/// all are here (RFC 7383 §2.6).
///
/// It keeps only fragments whose integrity was checked: the engine opens each SKF
/// message with `SKPayloadProtection.open(_:)` and hands over the decrypted content of
/// those that pass, since §2.6 has a fragment that fails the check discarded on its own,
/// without disturbing the others. ``check(_:)`` says, from the SKF header alone and
/// before that costly step, whether a fragment could be taken at all.
///
/// Memory is bounded: at most ``maximumFragments`` fragments and
/// ``maximumMessageSize`` decrypted bytes for one message.
///
/// ```swift
/// var reassembly = FragmentReassembly(maximumFragments: 64, maximumMessageSize: 65_536)
/// for (fragment, content) in fragments {
///     if case .complete(let first, let inner) = try reassembly.add(fragment, content: content) {
///         payloads = try IKEPayload.decodeChain(inner, firstPayloadType: first)
///     }
/// }
/// ```
public struct FragmentReassembly: Sendable {
    /// What ``add(_:content:)`` made of a fragment.
    public enum Progress: Hashable, Sendable {
        /// Kept; `received` of `total` fragments are here.
        case incomplete(received: Int, total: Int)
        /// The last missing fragment arrived: the decrypted contents of every fragment in
        /// Fragment Number order (the inner payload chain of the original message), and
        /// the type of its first payload, from fragment 1's Next Payload.
        case complete(firstPayloadType: PayloadType, inner: ByteBuffer)
    }

    /// The most fragments one message may announce in Total Fragments.
    public let maximumFragments: Int
    /// The most decrypted bytes the fragments of one message may add up to.
    public let maximumMessageSize: Int
    /// Total Fragments of the fragments kept; 0 before the first.
    public private(set) var totalFragments: UInt16 = 0
    /// Decrypted bytes kept.
    public private(set) var byteCount = 0
    /// Decrypted content by Fragment Number.
    private var contents: [UInt16: ByteBuffer] = [:]
    /// Next Payload of fragment 1: the first payload inside the original SK payload.
    private var firstPayloadType: PayloadType?

    public init(maximumFragments: Int = 64, maximumMessageSize: Int = 65_536) {
        self.maximumFragments = maximumFragments
        self.maximumMessageSize = maximumMessageSize
    }

    /// An empty reassembly with the limits of `policy`.
    public init(policy: FragmentationPolicy) {
        self.init(maximumFragments: policy.maximumFragments, maximumMessageSize: policy.maximumMessageSize)
    }

    /// The number of fragments kept.
    public var receivedCount: Int { contents.count }

    /// Checks, from the SKF header alone, whether `fragment` could be taken: valid
    /// numbering within the limits, not older than the fragments kept, not one of them.
    public func check(_ fragment: EncryptedFragmentPayload) throws(FragmentReassemblyError) {
        let number = fragment.fragmentNumber
        let total = fragment.totalFragments
        // RFC 7383 §2.5: Fragment Number "MUST be less than or equal to the next field
        // (Total Fragments). This field MUST NOT be zero."; Total Fragments "MUST NOT be
        // zero". The decoder already refuses such fragments; a value built in code is
        // checked here too.
        guard total >= 1, number >= 1, number <= total else {
            throw FragmentReassemblyError(.invalidNumbering, "fragment \(number) of \(total)")
        }
        guard Int(total) <= maximumFragments else {
            throw FragmentReassemblyError(
                .tooManyFragments, "Total Fragments \(total) exceeds the limit of \(maximumFragments)")
        }
        guard totalFragments != 0 else { return }
        // RFC 7383 §2.6: fragments of one message may come with different Total Fragments
        // when the sender retransmitted it with a smaller fragment size (§2.5.2); the
        // fragments with the largest Total Fragments are kept and those with a smaller one
        // are discarded.
        guard total >= totalFragments else {
            throw FragmentReassemblyError(
                .smallerTotal, "Total Fragments \(total) below the \(totalFragments) of the fragments kept")
        }
        if total == totalFragments, contents[number] != nil {
            throw FragmentReassemblyError(.duplicate, "fragment \(number) of \(total) already received")
        }
    }

    /// Adds a fragment that passed its integrity check.
    ///
    /// A fragment announcing more fragments than those kept replaces them all (they came
    /// from an earlier transmission with a larger fragment size, RFC 7383 §2.6). When the
    /// contents would exceed ``maximumMessageSize``, everything kept is discarded and
    /// ``FragmentReassemblyError/Code/messageTooLarge`` thrown.
    ///
    /// - Parameters:
    ///   - fragment: the SKF payload, for its Fragment Number, Total Fragments and (in
    ///     fragment 1) Next Payload.
    ///   - content: its decrypted content, padding removed (`SKPayloadProtection.open(_:)`).
    public mutating func add(_ fragment: EncryptedFragmentPayload, content: ByteBuffer) throws(FragmentReassemblyError)
        -> Progress
    {
        try check(fragment)
        let number = fragment.fragmentNumber
        if fragment.totalFragments > totalFragments {
            contents = [:]
            byteCount = 0
            firstPayloadType = nil
            totalFragments = fragment.totalFragments
        }
        guard content.readableBytes <= maximumMessageSize - byteCount else {
            let kept = byteCount
            self = FragmentReassembly(maximumFragments: maximumFragments, maximumMessageSize: maximumMessageSize)
            throw FragmentReassemblyError(
                .messageTooLarge,
                "\(kept + content.readableBytes) bytes of fragments exceed the limit of \(maximumMessageSize)")
        }
        contents[number] = content
        byteCount += content.readableBytes
        if number == 1 { firstPayloadType = fragment.firstPayloadType }
        guard contents.count == Int(totalFragments), let firstPayloadType else {
            return .incomplete(received: contents.count, total: Int(totalFragments))
        }
        var inner = ByteBuffer()
        inner.reserveCapacity(byteCount)
        for index in 1...totalFragments {
            guard let part = contents[index] else {
                return .incomplete(received: contents.count, total: Int(totalFragments))
            }
            inner.writeImmutableBuffer(part)
        }
        return .complete(firstPayloadType: firstPayloadType, inner: inner)
    }
}
