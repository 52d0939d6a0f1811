/// Where every random byte the IKE and ESP code uses comes from: SPIs, nonces, IVs,
/// padding and ephemeral private keys. Injected, so tests can be deterministic.
public protocol RandomSource {
    /// Fills `buffer` with random bytes.
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer)
}

extension RandomSource {
    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { fill($0) }
        return bytes
    }

    /// `count` random bytes kept as a secret (for private keys).
    public mutating func secretBytes(_ count: Int) -> SecretBytes {
        SecretBytes(count: count) { fill($0) }
    }
}

/// The operating system's cryptographically secure generator.
public struct SystemRandomSource: RandomSource, Sendable {
    public init() {}

    public mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var generator = SystemRandomNumberGenerator()
        var index = 0
        while index < buffer.count {
            var word = generator.next()
            let chunk = min(8, buffer.count - index)
            withUnsafeBytes(of: &word) { word in
                UnsafeMutableRawBufferPointer(rebasing: buffer[index..<index + chunk])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: word[0..<chunk]))
            }
            explicitZero(&word, 8)
            index += chunk
        }
    }
}
