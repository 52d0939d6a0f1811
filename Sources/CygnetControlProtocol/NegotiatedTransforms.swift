import IKEWire

/// The transforms of a chosen proposal sorted by type, for status: one of each, the
/// "none" values dropped (an AEAD's absent integrity, a Child SA without PFS).
package struct NegotiatedTransforms: Hashable, Sendable {
    package var encryption: EncryptionAlgorithmID?
    /// The Key Length attribute (RFC 7296 §3.3.5), in bits.
    package var encryptionKeyBits: Int?
    package var integrity: IntegrityAlgorithmID?
    package var prf: PseudorandomFunctionID?
    package var keyExchange: KeyExchangeMethodID?
    package var usesExtendedSequenceNumbers = false

    package init(_ transforms: [Transform]) {
        for transform in transforms {
            switch transform.type {
            case .encryptionAlgorithm where encryption == nil:
                encryption = EncryptionAlgorithmID(rawValue: transform.id)
                encryptionKeyBits = transform.keyLength.map(Int.init)
            case .integrityAlgorithm where integrity == nil && transform.id != IntegrityAlgorithmID.none.rawValue:
                integrity = IntegrityAlgorithmID(rawValue: transform.id)
            case .pseudorandomFunction where prf == nil:
                prf = PseudorandomFunctionID(rawValue: transform.id)
            case .keyExchangeMethod where keyExchange == nil && transform.id != KeyExchangeMethodID.none.rawValue:
                keyExchange = KeyExchangeMethodID(rawValue: transform.id)
            case .sequenceNumbers:
                usesExtendedSequenceNumbers =
                    usesExtendedSequenceNumbers || transform.id == SequenceNumbersID.extendedSequenceNumbers.rawValue
            default:
                break
            }
        }
    }
}
