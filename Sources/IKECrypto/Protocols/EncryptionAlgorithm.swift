import IKEWire

/// An encryption transform (RFC 7296 §3.3.2, Transform Type 1): a plain cipher used with
/// an integrity transform, or an AEAD.
public enum EncryptionAlgorithm: Sendable {
    case cipher(any CipherAlgorithm)
    case aead(any AEADAlgorithm)

    public var id: EncryptionAlgorithmID {
        switch self {
        case .cipher(let cipher): cipher.id
        case .aead(let aead): aead.id
        }
    }

    /// Bytes of key material taken from prf+ (RFC 7296 §2.13 SK_e; RFC 5282 §7.1 and
    /// RFC 7634 §2 add the salt; RFC 3686 §5.1 the CTR nonce).
    public var keyMaterialLength: Int {
        switch self {
        case .cipher(let cipher): cipher.keyMaterialLength
        case .aead(let aead): aead.keyMaterialLength
        }
    }

    /// Length of the IV sent in each message.
    public var ivLength: Int {
        switch self {
        case .cipher(let cipher): cipher.ivLength
        case .aead(let aead): aead.ivLength
        }
    }

    public var isAEAD: Bool {
        if case .aead = self { true } else { false }
    }
}

/// A cipher without integrity (AES-CBC, AES-CTR, 3DES, NULL).
public protocol CipherAlgorithm: Sendable {
    var id: EncryptionAlgorithmID { get }
    /// Cipher key length in bits, as in the Key Length attribute.
    var keyBits: Int { get }
    /// Key material in bytes: the key, plus the 4-byte nonce for AES-CTR.
    var keyMaterialLength: Int { get }
    /// Length of the explicit IV in each message.
    var ivLength: Int { get }
    /// Plaintext is padded to a multiple of this (1 for stream modes). RFC 4303 §2.4 and
    /// RFC 7296 §3.14 pad to the block size.
    var blockSize: Int { get }
    func makeContext(key: SecretBytes) throws(IKECryptoError) -> any CipherContext
}

/// A keyed cipher.
public protocol CipherContext: Sendable {
    /// Encrypts `data` in place; its length must be a multiple of the block size.
    func encrypt(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError)
    /// Decrypts `data` in place.
    func decrypt(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError)
}

/// An AEAD (AES-GCM with 8, 12 or 16-byte ICV, ChaCha20-Poly1305).
public protocol AEADAlgorithm: Sendable {
    var id: EncryptionAlgorithmID { get }
    /// Cipher key length in bits, as in the Key Length attribute.
    var keyBits: Int { get }
    /// Key plus salt, in bytes (RFC 5282 §7.1: AES-GCM takes 4 salt bytes; RFC 7634 §2:
    /// ChaCha20-Poly1305 too).
    var keyMaterialLength: Int { get }
    /// Length of the explicit IV (8 for both, RFC 4106 §3.1, RFC 7634 §2).
    var ivLength: Int { get }
    var icvLength: Int { get }
    func makeContext(keyMaterial: SecretBytes) throws(IKECryptoError) -> any AEADContext
}

/// A keyed AEAD, built once per SA and used in place for every packet.
public protocol AEADContext: Sendable {
    var icvLength: Int { get }
    /// Encrypts `data` in place and writes the ICV. The nonce is salt ‖ `iv`.
    func seal(
        iv: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer,
        icv: UnsafeMutableRawBufferPointer
    ) throws(IKECryptoError)
    /// Checks the ICV and decrypts `data` in place; on failure `data` is unspecified.
    func open(
        iv: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer,
        icv: UnsafeRawBufferPointer
    ) throws(IKECryptoError)
}
