import IKECrypto

/// The type data of EAP-MD5-Challenge (RFC 3748 §5.4, the CHAP computation of
/// RFC 1994 §4.1): Value-Size, Value, then an optional Name.
struct MD5Challenge {
    static let valueSize = 16

    var value: [UInt8]
    var name: [UInt8]

    init(value: [UInt8], name: [UInt8] = []) {
        self.value = value
        self.name = name
    }

    init(decoding data: [UInt8]) throws(EAPFailure) {
        guard let size = data.first, Int(size) == Self.valueSize, data.count >= 1 + Self.valueSize else {
            throw EAPFailure(.malformed, "MD5-Challenge value of \(data.count) octets")
        }
        value = Array(data[1...Self.valueSize])
        name = Array(data[(1 + Self.valueSize)...])
    }

    func encoded() -> [UInt8] { [UInt8(Self.valueSize)] + value + name }

    /// The response value: MD5(Identifier | secret | challenge) (RFC 1994 §4.1).
    static func response(identifier: UInt8, password: SecretBytes, challenge: [UInt8]) -> SecretBytes {
        var digest = LegacyDigest(.md5)
        digest.update([identifier])
        digest.update(password)
        digest.update(challenge)
        return digest.finalize()
    }
}
