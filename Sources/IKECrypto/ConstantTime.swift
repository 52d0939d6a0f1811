/// Comparisons whose running time does not depend on the bytes compared.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes. Different lengths compare unequal at
    /// once (lengths are not secret).
    public static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    public static func equal(_ lhs: some ContiguousBytesView, _ rhs: some ContiguousBytesView) -> Bool {
        lhs.withBytes { left in rhs.withBytes { right in equal(left, right) } }
    }
}

/// Anything whose bytes can be viewed contiguously: arrays and slices of `UInt8`.
public protocol ContiguousBytesView {
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result
}

extension Array: ContiguousBytesView where Element == UInt8 {
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: ContiguousBytesView where Element == UInt8 {
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}
