import IKECrypto
import IKEWire

/// ⚠️ INSECURE, test-only (see ``InsecureCryptoProvider``): an "AEAD" registered as
/// ENCR_AES_GCM_16 with the real key material (key + 4-byte salt), IV (8) and ICV (16)
/// lengths, so messages have the real shape.
///
/// "Encryption" XORs each byte with a key byte and an IV byte; the ICV is a keyed
/// checksum over salt, IV, associated data and ciphertext. The ICV **is checked** on
/// ``InsecureAEADContext/open(iv:aad:data:icv:)``: a message whose bytes were changed
/// after sealing fails with ``IKECryptoError/Code/authenticationFailed`` exactly as with
/// AES-GCM, so a fuzzer reaches both the reject path and, by re-sealing, the accept path.
public struct InsecureAEAD: AEADAlgorithm {
    public let id: EncryptionAlgorithmID
    public let keyBits: Int

    public init(id: EncryptionAlgorithmID = .aesGCM16, keyBits: Int = 256) {
        self.id = id
        self.keyBits = keyBits
    }

    public var keyMaterialLength: Int { keyBits / 8 + 4 }
    public var ivLength: Int { 8 }
    public var icvLength: Int { 16 }

    public func makeContext(keyMaterial: SecretBytes) throws(IKECryptoError) -> any AEADContext {
        guard keyMaterial.count == keyMaterialLength else {
            throw IKECryptoError(
                .invalidKeyLength, "insecure AEAD wants \(keyMaterialLength) bytes of key material, got \(keyMaterial.count)")
        }
        return InsecureAEADContext(key: keyMaterial.unprotectedBytes, icvLength: icvLength)
    }
}

/// A keyed ``InsecureAEAD``. ⚠️ Test-only.
public struct InsecureAEADContext: AEADContext {
    let key: [UInt8]
    public let icvLength: Int

    public func seal(
        iv: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer,
        icv: UnsafeMutableRawBufferPointer
    ) throws(IKECryptoError) {
        guard icv.count == icvLength else { throw IKECryptoError(.invalidParameter, "ICV buffer of \(icv.count) bytes") }
        transform(iv: iv, data: data)
        checksum(iv: iv, aad: aad, ciphertext: UnsafeRawBufferPointer(data), into: icv)
    }

    public func open(
        iv: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer,
        icv: UnsafeRawBufferPointer
    ) throws(IKECryptoError) {
        var expected = [UInt8](repeating: 0, count: icvLength)
        expected.withUnsafeMutableBytes { checksum(iv: iv, aad: aad, ciphertext: UnsafeRawBufferPointer(data), into: $0) }
        guard expected.withUnsafeBytes({ ConstantTime.equal($0, icv) }) else {
            throw IKECryptoError(.authenticationFailed, "insecure AEAD ICV mismatch")
        }
        transform(iv: iv, data: data)
    }

    /// XOR with key and IV bytes: its own inverse.
    private func transform(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) {
        guard !key.isEmpty else { return }
        for index in 0..<data.count {
            let ivByte: UInt8 = iv.isEmpty ? 0 : iv[index % iv.count]
            data[index] ^= key[index % key.count] ^ ivByte ^ UInt8(truncatingIfNeeded: index)
        }
    }

    private func checksum(
        iv: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer, ciphertext: UnsafeRawBufferPointer,
        into icv: UnsafeMutableRawBufferPointer
    ) {
        key.withUnsafeBytes { key in InsecureMix.digest([key, iv, aad, ciphertext], count: icvLength, into: icv) }
    }
}
