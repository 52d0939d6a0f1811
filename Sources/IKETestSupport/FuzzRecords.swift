/// The records of a fuzz input after its first byte, as the fuzz harnesses read them:
/// each `flags(1) length(2, big-endian) body(length)`, a short last body taken as it is.
struct FuzzRecords: Sequence, IteratorProtocol {
    private let input: [UInt8]
    private var offset = 1

    init(_ input: [UInt8]) { self.input = input }

    mutating func next() -> (flags: UInt8, body: [UInt8])? {
        guard offset + 3 <= input.count else { return nil }
        let flags = input[offset]
        let length = Int(input[offset + 1]) << 8 | Int(input[offset + 2])
        offset += 3
        let end = Swift.min(input.count, offset + length)
        defer { offset = end }
        return (flags, Array(input[offset..<end]))
    }
}
