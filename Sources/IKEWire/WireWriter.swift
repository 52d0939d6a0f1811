import NIOCore

extension ByteBuffer {
    /// Writes a big-endian 16-bit length placeholder, runs `body`, then back-patches the
    /// placeholder with the number of bytes written since `regionStart` (which lies at or
    /// before the placeholder, so a length can count its own header).
    mutating func writeLengthPrefixed16(
        countingFrom regionStart: Int, field: String, _ body: (inout ByteBuffer) throws(IKEWireError) -> Void
    ) throws(IKEWireError) {
        let lengthIndex = writerIndex
        writeInteger(UInt16(0))
        try body(&self)
        let length = writerIndex - regionStart
        guard length <= Int(UInt16.max) else {
            throw IKEWireError(.unencodable, offset: regionStart, field: field, detail: "\(length) bytes do not fit")
        }
        setInteger(UInt16(length), at: lengthIndex)
    }

    /// Writes `value` as a count field of `Count`'s width, or throws when it does not fit.
    mutating func writeCount<Count: FixedWidthInteger>(_ value: Int, as: Count.Type, field: String)
        throws(IKEWireError)
    {
        guard let count = Count(exactly: value) else {
            throw IKEWireError(.unencodable, offset: writerIndex, field: field, detail: "\(value) does not fit")
        }
        writeInteger(count)
    }
}
