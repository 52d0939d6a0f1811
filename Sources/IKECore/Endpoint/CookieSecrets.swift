import IKECrypto

/// The responder's COOKIE secrets (RFC 7296 §2.6):
///
/// ```
/// Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)
/// ```
///
/// "The responder should change the value of <secret> frequently, especially if under
/// attack", and "the <VersionIDofSecret> should be changed whenever <secret> is
/// regenerated". A secret is made from the engine's injected random source the first
/// time a cookie is needed and replaced once it is older than the configured lifetime.
/// Cookies made with the current or the previous secret are accepted (the version byte
/// says which to recompute with), so a cookie handed out just before a rotation still
/// works; one older than two lifetimes never does. Hash is SHA-256; the version is one
/// byte that counts the secrets.
struct CookieSecrets: Sendable {
    struct Secret: Sendable {
        var version: UInt8
        var secret: SecretBytes
        var createdAt: IKEInstant
    }

    private(set) var current: Secret?
    private(set) var previous: Secret?

    /// Secret length: the hash's own strength.
    static let secretLength = 32
    /// `<VersionIDofSecret>` plus the SHA-256 digest: 33 bytes, inside the 1–64 the RFC allows.
    static let cookieLength = 1 + SHA256Digest.length

    /// Makes the first secret, or a new one when the current one has lived `lifetime`.
    mutating func rotate(now: IKEInstant, lifetime: Duration, random: inout some RandomSource) {
        if let current, now < current.createdAt + lifetime { return }
        let version = current.map { $0.version &+ 1 } ?? 0
        // A previous secret older than two lifetimes is forgotten, not kept as "previous".
        previous = current.flatMap { now < $0.createdAt + lifetime * 2 ? $0 : nil }
        current = Secret(version: version, secret: random.secretBytes(Self.secretLength), createdAt: now)
    }

    /// The cookie for one initiator, made with the current secret.
    func cookie(initiatorNonce: [UInt8], initiatorAddress: [UInt8], initiatorSPI: UInt64) -> [UInt8]? {
        guard let current else { return nil }
        return Self.cookie(current, initiatorNonce: initiatorNonce, initiatorAddress: initiatorAddress, initiatorSPI: initiatorSPI)
    }

    /// Whether `cookie` was made by the current or the previous secret for this initiator.
    func isValid(_ cookie: [UInt8], initiatorNonce: [UInt8], initiatorAddress: [UInt8], initiatorSPI: UInt64) -> Bool {
        guard cookie.count == Self.cookieLength, let version = cookie.first else { return false }
        for secret in [current, previous].compactMap({ $0 }) where secret.version == version {
            let expected = Self.cookie(
                secret, initiatorNonce: initiatorNonce, initiatorAddress: initiatorAddress, initiatorSPI: initiatorSPI)
            return ConstantTime.equal(expected, cookie)
        }
        return false
    }

    private static func cookie(
        _ secret: Secret, initiatorNonce: [UInt8], initiatorAddress: [UInt8], initiatorSPI: UInt64
    ) -> [UInt8] {
        let spi = (0..<8).map { UInt8(truncatingIfNeeded: initiatorSPI >> (56 - 8 * $0)) }
        return [secret.version] + SHA256Digest.hash([initiatorNonce, initiatorAddress, spi], secret: secret.secret)
    }
}
