/// Puts IPv4 and IPv6 fragments back together (RFC 791 §3.2, RFC 8200 §4.5), so that an
/// IKE message carried in several IP fragments is decoded once, at the frame of the
/// fragment that completes it, as Wireshark does.
///
/// Memory is bounded: at most ``maximumPending`` datagrams wait at once and a datagram
/// may not exceed 65,535 bytes of payload; beyond that the oldest is dropped.
struct IPFragmentReassembler {
    static let maximumPending = 64
    static let maximumPayload = 65_535

    private struct Key: Hashable {
        var version: Int
        var source: [UInt8]
        var destination: [UInt8]
        var identification: UInt32
    }

    private struct Pending {
        var firstFrame: Int
        var upperProtocol: UInt8
        var pieces: [Int: ArraySlice<UInt8>] = [:]
        var totalLength: Int?
    }

    private var pending: [Key: Pending] = [:]
    private var order: [Key] = []

    /// Adds a fragment; returns the reassembled upper-layer payload when this fragment
    /// completes its datagram, with the upper-layer protocol named by its first fragment.
    mutating func add(_ datagram: IPDatagram, frame: Int) -> (upperProtocol: UInt8, payload: ArraySlice<UInt8>)? {
        guard let fragment = datagram.fragment else { return (datagram.upperProtocol, datagram.payload) }
        let key = Key(
            version: datagram.version, source: datagram.source, destination: datagram.destination,
            identification: fragment.identification)
        var entry = pending[key] ?? Pending(firstFrame: frame, upperProtocol: datagram.upperProtocol)
        if pending[key] == nil {
            order.append(key)
            if order.count > Self.maximumPending, let oldest = order.first {
                order.removeFirst()
                pending[oldest] = nil
            }
        }
        guard fragment.offset + datagram.payload.count <= Self.maximumPayload else { return nil }
        entry.pieces[fragment.offset] = datagram.payload
        if !fragment.hasMoreFragments {
            entry.totalLength = fragment.offset + datagram.payload.count
        }
        if fragment.offset == 0 {
            entry.upperProtocol = datagram.upperProtocol
        }
        guard let total = entry.totalLength, let whole = Self.assemble(entry.pieces, total: total) else {
            pending[key] = entry
            return nil
        }
        pending[key] = nil
        order.removeAll { $0 == key }
        return (entry.upperProtocol, whole[...])
    }

    /// Frames of datagrams still missing fragments, for a closing note.
    var incompleteFirstFrames: [Int] { order.compactMap { pending[$0]?.firstFrame } }

    private static func assemble(_ pieces: [Int: ArraySlice<UInt8>], total: Int) -> [UInt8]? {
        var whole: [UInt8] = []
        whole.reserveCapacity(total)
        for offset in pieces.keys.sorted() {
            guard offset <= whole.count, let piece = pieces[offset] else { return nil }
            let overlap = whole.count - offset
            if overlap < piece.count {
                whole.append(contentsOf: piece.dropFirst(overlap))
            }
        }
        return whole.count >= total ? Array(whole.prefix(total)) : nil
    }
}
