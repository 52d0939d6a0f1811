import CCryptoBoringSSL
import IKEWire

/// AUTH_HMAC_SHA1_96 (RFC 2404) and AUTH_HMAC_SHA2_256_128/384_192/512_256 (RFC 4868
/// §2.2): HMAC (RFC 2104) truncated to ``icvLength``, on BoringSSL's SHA state structs.
///
/// The key is absorbed once per SA: the context keeps the hash states after
/// `K ⊕ ipad` and `K ⊕ opad` (RFC 2104 §2), plain C structs, and each ICV copies them on
/// the stack, hashes the message and the inner digest, and truncates. No allocation per
/// message, unlike swift-crypto's `HMAC`, whose copies allocate (4 allocations per ESP
/// packet sealed and opened).
public struct BoringHMACIntegrityAlgorithm: IntegrityAlgorithm {
    /// The hash under the HMAC.
    public enum Hash: Hashable, Sendable {
        case sha1, sha256, sha384, sha512

        /// Output length in bytes.
        public var digestLength: Int {
            switch self {
            case .sha1: 20
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }
    }

    public let id: IntegrityAlgorithmID
    public let hash: Hash
    public let icvLength: Int

    /// HMAC-SHA-256-128, -384-192, -512-256 (RFC 4868) and HMAC-SHA1-96 (RFC 2404).
    public static let all: [BoringHMACIntegrityAlgorithm] = [
        .init(id: .hmacSHA2_256_128, hash: .sha256, icvLength: 16),
        .init(id: .hmacSHA2_384_192, hash: .sha384, icvLength: 24),
        .init(id: .hmacSHA2_512_256, hash: .sha512, icvLength: 32),
        .init(id: .hmacSHA1_96, hash: .sha1, icvLength: 12),
    ]

    public init(id: IntegrityAlgorithmID, hash: Hash, icvLength: Int) {
        self.id = id
        self.hash = hash
        self.icvLength = min(icvLength, hash.digestLength)
    }

    /// RFC 2404 §3: 160-bit key for SHA-1; RFC 4868 §2.1.1: the key is as long as the
    /// hash output.
    public var keyLength: Int { hash.digestLength }

    public func makeContext(key: SecretBytes) throws(IKECryptoError) -> any IntegrityContext {
        guard key.count == keyLength else {
            throw IKECryptoError(.invalidKeyLength, "\(id) needs \(keyLength) bytes, got \(key.count)")
        }
        return key.withUnsafeBytes { key -> any IntegrityContext in
            switch hash {
            case .sha1: BoringHMACContext<BoringSHA1State>(key: key, icvLength: icvLength)
            case .sha256: BoringHMACContext<BoringSHA256State>(key: key, icvLength: icvLength)
            case .sha384: BoringHMACContext<BoringSHA384State>(key: key, icvLength: icvLength)
            case .sha512: BoringHMACContext<BoringSHA512State>(key: key, icvLength: icvLength)
            }
        }
    }
}

/// A hash in progress, as a value: copying it forks the computation.
protocol BoringHashState: Sendable {
    static var blockLength: Int { get }
    static var digestLength: Int { get }
    init()
    mutating func update(_ data: UnsafeRawBufferPointer)
    /// Writes the digest to the first ``digestLength`` bytes of `digest`.
    mutating func finalize(into digest: UnsafeMutableRawBufferPointer)
}

/// HMAC keyed once: the states after the inner and outer padded keys (RFC 2104 §2).
struct BoringHMACContext<State: BoringHashState>: IntegrityContext {
    let inner: State
    let outer: State
    let icvLength: Int

    init(key: UnsafeRawBufferPointer, icvLength: Int) {
        self.icvLength = icvLength
        // RFC 2104 §2: a key longer than the block is hashed first; the key is then
        // padded with zeros to the block length and XORed with ipad (0x36) and opad (0x5c).
        var block = [UInt8](repeating: 0, count: State.blockLength)
        if key.count > State.blockLength {
            var state = State()
            state.update(key)
            block.withUnsafeMutableBytes { state.finalize(into: $0) }
        } else {
            for index in key.indices { block[index] = key[index] }
        }
        var inner = State()
        var outer = State()
        var padded = block.map { $0 ^ 0x36 }
        padded.withUnsafeBytes { inner.update($0) }
        for index in padded.indices { padded[index] = block[index] ^ 0x5c }
        padded.withUnsafeBytes { outer.update($0) }
        for index in padded.indices {
            padded[index] = 0
            block[index] = 0
        }
        self.inner = inner
        self.outer = outer
    }

    func authenticate(_ data: UnsafeRawBufferPointer, icv: UnsafeMutableRawBufferPointer) {
        var digest: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digest) { digest in
            var state = inner
            state.update(data)
            state.finalize(into: digest)
            var outerState = outer
            outerState.update(UnsafeRawBufferPointer(rebasing: digest[0..<State.digestLength]))
            outerState.finalize(into: digest)
            icv.copyMemory(from: UnsafeRawBufferPointer(rebasing: digest[0..<min(icvLength, icv.count)]))
            explicitZero(digest.baseAddress!, digest.count)
        }
    }
}

struct BoringSHA1State: BoringHashState, @unchecked Sendable {
    static let blockLength = 64
    static let digestLength = 20
    private var context = SHA_CTX()
    init() { CCryptoBoringSSL_SHA1_Init(&context) }
    mutating func update(_ data: UnsafeRawBufferPointer) { CCryptoBoringSSL_SHA1_Update(&context, data.baseAddress, data.count) }
    mutating func finalize(into digest: UnsafeMutableRawBufferPointer) {
        CCryptoBoringSSL_SHA1_Final(digest.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
    }
}

struct BoringSHA256State: BoringHashState, @unchecked Sendable {
    static let blockLength = 64
    static let digestLength = 32
    private var context = SHA256_CTX()
    init() { CCryptoBoringSSL_SHA256_Init(&context) }
    mutating func update(_ data: UnsafeRawBufferPointer) { CCryptoBoringSSL_SHA256_Update(&context, data.baseAddress, data.count) }
    mutating func finalize(into digest: UnsafeMutableRawBufferPointer) {
        CCryptoBoringSSL_SHA256_Final(digest.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
    }
}

struct BoringSHA384State: BoringHashState, @unchecked Sendable {
    static let blockLength = 128
    static let digestLength = 48
    private var context = SHA512_CTX()
    init() { CCryptoBoringSSL_SHA384_Init(&context) }
    mutating func update(_ data: UnsafeRawBufferPointer) { CCryptoBoringSSL_SHA384_Update(&context, data.baseAddress, data.count) }
    mutating func finalize(into digest: UnsafeMutableRawBufferPointer) {
        CCryptoBoringSSL_SHA384_Final(digest.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
    }
}

struct BoringSHA512State: BoringHashState, @unchecked Sendable {
    static let blockLength = 128
    static let digestLength = 64
    private var context = SHA512_CTX()
    init() { CCryptoBoringSSL_SHA512_Init(&context) }
    mutating func update(_ data: UnsafeRawBufferPointer) { CCryptoBoringSSL_SHA512_Update(&context, data.baseAddress, data.count) }
    mutating func finalize(into digest: UnsafeMutableRawBufferPointer) {
        CCryptoBoringSSL_SHA512_Final(digest.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
    }
}
