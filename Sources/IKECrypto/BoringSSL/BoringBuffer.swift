import CCryptoBoringSSL

/// Base addresses for BoringSSL's `(pointer, length)` arguments.
///
/// Swift gives an empty buffer a `nil` base address. BoringSSL accepts `NULL` with a
/// zero length in most places, but not all, so an empty buffer is passed as a pointer to
/// a private byte that is never read or written (its length is 0).
enum BoringBuffer {
    nonisolated(unsafe) private static let placeholder: UnsafeMutablePointer<UInt8> = {
        let byte = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        byte.initialize(to: 0)
        return byte
    }()

    /// `buffer`'s bytes as a C `const uint8_t *`, never `NULL`.
    static func base(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return UnsafePointer(placeholder) }
        return base.assumingMemoryBound(to: UInt8.self)
    }

    /// `buffer`'s bytes as a C `uint8_t *`, never `NULL`.
    static func base(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8> {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return placeholder }
        return base.assumingMemoryBound(to: UInt8.self)
    }
}
