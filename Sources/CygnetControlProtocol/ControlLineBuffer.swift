import NIOCore

/// Gathers the bytes of one request line, refusing to hold more than a bounded amount.
package struct ControlLineBuffer {
    package enum Outcome: Equatable {
        /// No newline yet; keep reading.
        case incomplete
        /// The line, without its newline (anything after it is ignored).
        case line([UInt8])
        /// More than `limit` bytes came without a newline.
        case tooLong
    }

    package let limit: Int
    private var bytes: [UInt8] = []

    package init(limit: Int) { self.limit = limit }

    package mutating func append(_ buffer: ByteBuffer) -> Outcome {
        let chunk = buffer.readableBytesView
        if let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
            let head = chunk[chunk.startIndex..<newline]
            guard bytes.count + head.count <= limit else { return .tooLong }
            return .line(bytes + head)
        }
        guard bytes.count + chunk.count <= limit else { return .tooLong }
        bytes += chunk
        return .incomplete
    }

    /// At the end of the input: what came without a newline, if anything.
    package var unterminatedLine: [UInt8]? { bytes.isEmpty ? nil : bytes }
}
