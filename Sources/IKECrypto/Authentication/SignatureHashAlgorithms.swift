import IKEWire

/// The Notification Data of SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4): the hash algorithms a
/// peer can verify signatures with, as 2-octet numbers from the IKEv2 Hash Algorithms
/// registry.
///
/// ```
///                      1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    Hash Algorithm 1           |    Hash Algorithm 2           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                              ...                              ~
/// ```
///
/// Unknown numbers are kept (the registry is open), so the list round-trips.
public struct SignatureHashAlgorithms: Hashable, Sendable, CustomStringConvertible {
    public var algorithms: [HashAlgorithm]

    public init(_ algorithms: [HashAlgorithm]) {
        self.algorithms = algorithms
    }

    /// What Cygnet sends: SHA2-256, SHA2-384, SHA2-512 and Identity (RFC 8420 §2: Identity
    /// announces that Ed25519, which signs the message itself, can be verified). SHA-1 is
    /// left out (RFC 8247 §3.2 deprecates it for signatures).
    public static let cygnetDefault = SignatureHashAlgorithms([.sha2_256, .sha2_384, .sha2_512, .identity])

    /// Decodes the Notification Data.
    ///
    /// - Throws: ``IKECryptoError/Code/invalidParameter`` when the length is odd (each
    ///   entry is 2 octets, RFC 7427 §4).
    public init(decoding data: some Collection<UInt8>) throws(IKECryptoError) {
        guard data.count % 2 == 0 else {
            throw IKECryptoError(.invalidParameter,
                "SIGNATURE_HASH_ALGORITHMS data of \(data.count) octets is not a list of 2-octet numbers")
        }
        var algorithms: [HashAlgorithm] = []
        algorithms.reserveCapacity(data.count / 2)
        var high: UInt8?
        for byte in data {
            if let first = high {
                algorithms.append(HashAlgorithm(rawValue: UInt16(first) << 8 | UInt16(byte)))
                high = nil
            } else {
                high = byte
            }
        }
        self.algorithms = algorithms
    }

    /// The Notification Data.
    public var encoded: [UInt8] {
        algorithms.flatMap { [UInt8(truncatingIfNeeded: $0.rawValue >> 8), UInt8(truncatingIfNeeded: $0.rawValue)] }
    }

    public func contains(_ algorithm: HashAlgorithm) -> Bool { algorithms.contains(algorithm) }

    public var description: String { "[" + algorithms.map(\.description).joined(separator: ", ") + "]" }
}
