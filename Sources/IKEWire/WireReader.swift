import NIOCore

/// A cursor over part of an IKE message that knows its offset in the whole message, so
/// every error can name where it happened. Every read is bounds-checked and throws.
struct WireReader {
    private var buffer: ByteBuffer
    /// Offset of `buffer`'s first readable byte within the whole message.
    private let base: Int
    private let start: Int

    init(_ buffer: ByteBuffer, base: Int = 0) {
        self.buffer = buffer
        self.base = base
        self.start = buffer.readerIndex
    }

    /// Offset of the next unread byte from the start of the message.
    var offset: Int { base + buffer.readerIndex - start }
    var remaining: Int { buffer.readableBytes }
    var isAtEnd: Bool { buffer.readableBytes == 0 }

    mutating func readUInt8(_ field: String) throws(IKEWireError) -> UInt8 {
        guard let value = buffer.readInteger(as: UInt8.self) else { throw truncated(field, need: 1) }
        return value
    }

    mutating func readUInt16(_ field: String) throws(IKEWireError) -> UInt16 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt16.self) else {
            throw truncated(field, need: 2)
        }
        return value
    }

    mutating func readUInt32(_ field: String) throws(IKEWireError) -> UInt32 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt32.self) else {
            throw truncated(field, need: 4)
        }
        return value
    }

    mutating func readUInt64(_ field: String) throws(IKEWireError) -> UInt64 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt64.self) else {
            throw truncated(field, need: 8)
        }
        return value
    }

    mutating func readBytes(_ count: Int, _ field: String) throws(IKEWireError) -> [UInt8] {
        guard count >= 0, let bytes = buffer.readBytes(length: count) else { throw truncated(field, need: count) }
        return bytes
    }

    mutating func readRest() -> [UInt8] {
        buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// Splits off the next `count` bytes as their own reader (for a length-delimited
    /// substructure).
    mutating func readReader(_ count: Int, _ field: String) throws(IKEWireError) -> WireReader {
        let offset = self.offset
        guard count >= 0, let slice = buffer.readSlice(length: count) else { throw truncated(field, need: count) }
        return WireReader(slice, base: offset)
    }

    func error(
        _ code: IKEWireError.Code, _ field: String, at offset: Int? = nil, payload: PayloadType? = nil,
        _ detail: String = ""
    ) -> IKEWireError {
        IKEWireError(code, offset: offset ?? self.offset, field: field, payloadType: payload, detail: detail)
    }

    private func truncated(_ field: String, need: Int) -> IKEWireError {
        IKEWireError(
            .truncated, offset: offset, field: field,
            detail: "needs \(need) bytes, \(buffer.readableBytes) left")
    }
}
