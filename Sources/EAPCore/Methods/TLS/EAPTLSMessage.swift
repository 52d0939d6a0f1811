/// The type data of an EAP-TLS packet (RFC 5216 §3.1, §3.2):
///
/// ```
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Flags     |      TLS Message Length (if L)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     TLS Message Length    |       TLS Data...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Flags: L (0x80) length included, M (0x40) more fragments, S (0x20) EAP-TLS start.
/// ```
struct EAPTLSMessage: Equatable {
    static let lengthIncluded: UInt8 = 0x80
    static let moreFragments: UInt8 = 0x40
    static let start: UInt8 = 0x20

    var flags: UInt8
    /// The whole TLS message's length, in the first fragment of a fragmented one.
    var totalLength: UInt32?
    var data: [UInt8]

    init(flags: UInt8 = 0, totalLength: UInt32? = nil, data: [UInt8] = []) {
        self.flags = flags | (totalLength == nil ? 0 : Self.lengthIncluded)
        self.totalLength = totalLength
        self.data = data
    }

    init(decoding typeData: [UInt8]) throws(EAPFailure) {
        guard let flags = typeData.first else { throw EAPFailure(.malformed, "EAP-TLS without flags") }
        self.flags = flags
        var offset = 1
        if flags & Self.lengthIncluded != 0 {
            guard typeData.count >= 5 else { throw EAPFailure(.malformed, "EAP-TLS length cut short") }
            totalLength = UInt32(typeData[1]) << 24 | UInt32(typeData[2]) << 16 | UInt32(typeData[3]) << 8
                | UInt32(typeData[4])
            offset = 5
        } else {
            totalLength = nil
        }
        data = Array(typeData[offset...])
    }

    var hasMoreFragments: Bool { flags & Self.moreFragments != 0 }
    var isStart: Bool { flags & Self.start != 0 }
    /// An empty message without S: the acknowledgement of a fragment (RFC 5216 §2.1.5).
    var isAcknowledgement: Bool { flags & (Self.start | Self.moreFragments) == 0 && data.isEmpty && totalLength == nil }

    func encoded() -> [UInt8] {
        var bytes = [flags]
        if let totalLength {
            bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: totalLength >> UInt32($0)) }
        }
        return bytes + data
    }
}
