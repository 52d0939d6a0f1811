import Crypto

/// SHA-256 of some public octets followed by a secret, for the engine's stateless COOKIE
/// (RFC 7296 §2.6: `Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)`),
/// so `IKECore` needs no `Crypto` import of its own.
public enum SHA256Digest {
    /// The digest length in bytes.
    public static let length = 32

    /// `SHA-256(parts[0] | parts[1] | … | secret)`.
    public static func hash(_ parts: [[UInt8]], secret: SecretBytes) -> [UInt8] {
        var hasher = SHA256()
        for part in parts { hasher.update(data: part) }
        secret.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize())
    }
}
