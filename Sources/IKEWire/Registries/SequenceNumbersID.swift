/// Transform Type 5, Sequence Numbers Transform IDs (IANA, formerly "Extended Sequence
/// Numbers"; RFC 7296 §3.3.2).
public struct SequenceNumbersID: IANARegistry {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt16

    public static let noExtendedSequenceNumbers: SequenceNumbersID = 0
    public static let extendedSequenceNumbers: SequenceNumbersID = 1

    public static let names: [UInt16: String] = [
        0: "No Extended Sequence Numbers", 1: "Extended Sequence Numbers",
    ]
}
