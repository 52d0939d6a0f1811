import IKEWire

/// Derives the keys of an IKE SA and of its Child SAs (RFC 7296 §2.13, §2.14, §2.17,
/// §2.18) from the negotiated transforms.
public struct IKEKeySchedule: Sendable {
    public var prf: any PseudorandomFunction
    public var encryption: EncryptionAlgorithm
    /// `nil` with an AEAD (RFC 5282 §8: no integrity transform is negotiated).
    public var integrity: (any IntegrityAlgorithm)?

    public init(prf: any PseudorandomFunction, encryption: EncryptionAlgorithm, integrity: (any IntegrityAlgorithm)?) {
        self.prf = prf
        self.encryption = encryption
        self.integrity = integrity
    }

    /// The negotiated transforms from a provider.
    public init(
        provider: CryptoProvider, prf: PseudorandomFunctionID, encryption: EncryptionAlgorithmID, keyBits: Int?,
        integrity: IntegrityAlgorithmID?
    ) throws(IKECryptoError) {
        self.prf = try provider.pseudorandomFunction(prf)
        self.encryption = try provider.encryptionAlgorithm(encryption, keyBits: keyBits)
        self.integrity = try integrity.flatMap { id throws(IKECryptoError) in
            id == .none ? nil : try provider.integrityAlgorithm(id)
        }
    }

    /// `SKEYSEED = prf(Ni | Nr, g^ir)` (RFC 7296 §2.14).
    ///
    /// For a PRF with a fixed key length, RFC 7296 §2.14: "if the negotiated PRF requires a
    /// fixed-length key and the lengths of Ni and Nr do not add up to that length, half the
    /// bits must come from Ni and half from Nr, taking the first bits of each."
    public func skeyseed(initiatorNonce: [UInt8], responderNonce: [UInt8], sharedSecret: SecretBytes)
        throws(IKECryptoError) -> SecretBytes
    {
        var key = initiatorNonce + responderNonce
        if prf.hasFixedKeyLength, key.count != prf.keyLength {
            let half = prf.keyLength / 2
            guard initiatorNonce.count >= half, responderNonce.count >= prf.keyLength - half else {
                throw IKECryptoError(.invalidParameter, "nonces too short for \(prf.id)")
            }
            key = Array(initiatorNonce.prefix(half) + responderNonce.prefix(prf.keyLength - half))
        }
        return sharedSecret.withUnsafeBytes { prf.computeSecret(key: SecretBytes(key), data: $0) }
    }

    /// `SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)` for a rekeyed IKE SA (RFC 7296
    /// §2.18), computed with the old SA's PRF (`oldPRF`); `sharedSecret` is `nil` when
    /// the rekey had no key exchange... which RFC 7296 §2.18 does not allow for IKE SAs,
    /// but RFC 9370 additional key exchanges append their secrets here in order.
    public static func rekeyedSkeyseed(
        oldPRF: any PseudorandomFunction, oldSKd: SecretBytes, sharedSecrets: [SecretBytes], initiatorNonce: [UInt8],
        responderNonce: [UInt8]
    ) -> SecretBytes {
        let data = SecretBytes(concatenating: sharedSecrets + [SecretBytes(initiatorNonce + responderNonce)])
        return data.withUnsafeBytes { oldPRF.computeSecret(key: oldSKd, data: $0) }
    }

    /// The seven keys: `prf+ (SKEYSEED, Ni | Nr | SPIi | SPIr)` (RFC 7296 §2.14). SK_d,
    /// SK_pi and SK_pr have the PRF's preferred key length (§2.13).
    public func keyMaterial(
        skeyseed: SecretBytes, initiatorNonce: [UInt8], responderNonce: [UInt8], initiatorSPI: UInt64,
        responderSPI: UInt64
    ) throws(IKECryptoError) -> IKEKeyMaterial {
        let seed = SecretBytes(initiatorNonce + responderNonce + initiatorSPI.bigEndianBytes + responderSPI.bigEndianBytes)
        let integrityLength = integrity?.keyLength ?? 0
        let encryptionLength = encryption.keyMaterialLength
        let lengths = [
            prf.keyLength, integrityLength, integrityLength, encryptionLength, encryptionLength, prf.keyLength,
            prf.keyLength,
        ]
        let stream = try prf.prfPlus(key: skeyseed, seed: seed, length: lengths.reduce(0, +))
        var keys: [SecretBytes] = []
        var offset = 0
        for length in lengths {
            keys.append(stream[offset..<offset + length])
            offset += length
        }
        return IKEKeyMaterial(d: keys[0], ai: keys[1], ar: keys[2], ei: keys[3], er: keys[4], pi: keys[5], pr: keys[6])
    }

    /// Child SA keys (RFC 7296 §2.17): `KEYMAT = prf+(SK_d, Ni | Nr)`, or with PFS
    /// `prf+(SK_d, g^ir (new) | Ni | Nr)`. "All keys for SAs carrying data from the
    /// initiator to the responder are taken before SAs going from the responder to the
    /// initiator", and within each direction the encryption key comes first.
    public func childKeyMaterial(
        skD: SecretBytes, encryption: EncryptionAlgorithm, integrity: (any IntegrityAlgorithm)?,
        sharedSecrets: [SecretBytes] = [], initiatorNonce: [UInt8], responderNonce: [UInt8]
    ) throws(IKECryptoError) -> ChildSAKeyMaterial {
        let seed = SecretBytes(concatenating: sharedSecrets + [SecretBytes(initiatorNonce + responderNonce)])
        let encryptionLength = encryption.keyMaterialLength
        let integrityLength = integrity?.keyLength ?? 0
        let perDirection = encryptionLength + integrityLength
        let stream = try prf.prfPlus(key: skD, seed: seed, length: 2 * perDirection)
        return ChildSAKeyMaterial(
            initiatorEncryption: stream[0..<encryptionLength],
            initiatorIntegrity: stream[encryptionLength..<perDirection],
            responderEncryption: stream[perDirection..<perDirection + encryptionLength],
            responderIntegrity: stream[perDirection + encryptionLength..<2 * perDirection])
    }
}

extension UInt64 {
    var bigEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * $0)) } }
}
