/// An error found while reading a capture file (pcap, pcapng or hex dump).
///
/// A capture error means the *file* cannot be read further; a malformed IKE message
/// inside a readable file is an ``IKEWire/IKEWireError`` instead. Equality compares
/// ``code`` only.
public struct CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The file ends in the middle of a header or record.
        public static let truncated = Code(rawValue: 1)
        /// A header or block field holds an impossible value.
        public static let invalidFormat = Code(rawValue: 2)
        /// The file is neither pcap, pcapng nor a hex dump.
        public static let unrecognizedFormat = Code(rawValue: 3)
        /// The file could not be opened or read.
        public static let unreadable = Code(rawValue: 4)

        public var description: String {
            switch self {
            case .truncated: "truncated"
            case .invalidFormat: "invalid format"
            case .unrecognizedFormat: "unrecognized format"
            case .unreadable: "unreadable"
            default: "error \(rawValue)"
            }
        }
    }

    /// What kind of problem this is.
    public var code: Code
    /// Byte offset in the file where the problem was found (for hex dumps, the line).
    public var offset: Int
    private var detail: String

    /// Creates an error at `offset` in the file.
    public init(_ code: Code, offset: Int, _ detail: String = "") {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        var text = "\(code) at offset \(offset)"
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }

    public static func == (lhs: CaptureError, rhs: CaptureError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
