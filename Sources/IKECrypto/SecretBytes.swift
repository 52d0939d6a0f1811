#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Key material: bytes that are zeroed when the last copy is released, compare in
/// constant time, and never print.
///
/// `description` and `debugDescription` show only the length, so a secret that reaches a
/// log line by mistake leaks nothing.
public struct SecretBytes: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let storage: Storage

    /// Copies `bytes`; the caller should drop or zero its own copy.
    public init(_ bytes: some Collection<UInt8>) {
        storage = Storage(count: bytes.count)
        storage.withMutableBytes { buffer in buffer.copyBytes(from: bytes) }
    }

    /// `count` bytes filled by `body`.
    public init(count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        storage = Storage(count: count)
        try storage.withMutableBytes { try body($0) }
    }

    /// Concatenates secrets.
    public init(concatenating parts: [SecretBytes]) {
        let total = parts.reduce(0) { $0 + $1.count }
        storage = Storage(count: total)
        storage.withMutableBytes { buffer in
            var offset = 0
            for part in parts {
                part.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + source.count]).copyMemory(from: source)
                }
                offset += part.count
            }
        }
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.count == 0 }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try storage.withBytes(body)
    }

    /// Bytes `range` as a new secret.
    public subscript(range: Range<Int>) -> SecretBytes {
        withUnsafeBytes { buffer in SecretBytes(UnsafeRawBufferPointer(rebasing: buffer[range])) }
    }

    /// A copy as a plain array, for an API that needs one. The copy is not zeroed on
    /// release: use only where the value stops being secret (a public output) or is
    /// handed to a library that keeps its own zeroing copy.
    public var unprotectedBytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Constant-time comparison (the time depends on the lengths only).
    public static func == (lhs: SecretBytes, rhs: SecretBytes) -> Bool {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in ConstantTime.equal(left, right) } }
    }

    public var description: String { "SecretBytes(\(count) bytes)" }
    public var debugDescription: String { description }

    /// The heap allocation behind a `SecretBytes`, zeroed in `deinit`.
    private final class Storage: @unchecked Sendable {
        // Written only during initialisation, then read-only: safe to share.
        private let pointer: UnsafeMutableRawBufferPointer

        init(count: Int) {
            pointer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
            pointer.initializeMemory(as: UInt8.self, repeating: 0)
            self.count = count
        }

        let count: Int

        func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
            try body(UnsafeRawBufferPointer(rebasing: pointer[0..<count]))
        }

        func withMutableBytes<Result>(_ body: (UnsafeMutableRawBufferPointer) throws -> Result) rethrows -> Result {
            try body(UnsafeMutableRawBufferPointer(rebasing: pointer[0..<count]))
        }

        deinit {
            if let base = pointer.baseAddress { explicitZero(base, pointer.count) }
            pointer.deallocate()
        }
    }
}

/// Zeroes memory in a way the optimiser may not remove.
func explicitZero(_ pointer: UnsafeMutableRawPointer, _ count: Int) {
    #if canImport(Glibc)
    explicit_bzero(pointer, count)
    #else
    _ = memset_s(pointer, count, 0, count)
    #endif
}
