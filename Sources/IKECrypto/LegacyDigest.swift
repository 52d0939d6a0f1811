import Crypto

/// The old digests EAP's methods are defined with: MD4 (the NT password hash of
/// MS-CHAPv2, RFC 2759 §8.3), MD5 (EAP-MD5-Challenge, RFC 3748 §5.4 and RFC 1994 §4.1)
/// and SHA-1 (MS-CHAPv2's challenge hash and authenticator response, RFC 2759 §8.2 and
/// §8.7; the MPPE keys, RFC 3079 §3.4). Not for new designs.
///
/// Input may mix public bytes and secrets; the digest is returned as a secret, since in
/// these methods it usually is one.
public struct LegacyDigest {
    /// Which digest.
    public enum Algorithm: Sendable {
        case md4, md5, sha1

        /// The digest length in bytes.
        public var length: Int {
            switch self {
            case .md4: MD4Hasher.length
            case .md5: Insecure.MD5.byteCount
            case .sha1: Insecure.SHA1.byteCount
            }
        }
    }

    private enum State {
        case md4(MD4Hasher)
        case md5(Insecure.MD5)
        case sha1(Insecure.SHA1)
    }

    private var state: State

    public init(_ algorithm: Algorithm) {
        switch algorithm {
        case .md4: state = .md4(MD4Hasher())
        case .md5: state = .md5(Insecure.MD5())
        case .sha1: state = .sha1(Insecure.SHA1())
        }
    }

    /// The digest of `parts` in order.
    public static func hash(_ algorithm: Algorithm, _ parts: [SecretBytes]) -> SecretBytes {
        var digest = LegacyDigest(algorithm)
        for part in parts { digest.update(part) }
        return digest.finalize()
    }

    public mutating func update(_ secret: SecretBytes) {
        secret.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .md4(var hasher):
            hasher.update(bytes)
            state = .md4(hasher)
        case .md5(var hasher):
            hasher.update(bufferPointer: bytes)
            state = .md5(hasher)
        case .sha1(var hasher):
            hasher.update(bufferPointer: bytes)
            state = .sha1(hasher)
        }
    }

    /// The digest of everything given to ``update(_:)-(SecretBytes)``.
    public consuming func finalize() -> SecretBytes {
        switch state {
        case .md4(var hasher): hasher.finalize()
        case .md5(let hasher): hasher.finalize().withUnsafeBytes { SecretBytes($0) }
        case .sha1(let hasher): hasher.finalize().withUnsafeBytes { SecretBytes($0) }
        }
    }
}
