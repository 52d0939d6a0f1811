import CCryptoBoringSSL

/// A heap-allocated BoringSSL `AES_KEY`, zeroed when released.
///
/// `@unchecked Sendable` is safe: the schedule is written only in `init` and then only
/// read (`AES_encrypt`, `AES_cbc_encrypt` and `AES_ctr128_encrypt` take it `const`).
final class AESKeySchedule: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AES_KEY>

    enum Direction {
        case encrypt
        case decrypt
    }

    /// Schedules a 16, 24 or 32-byte key.
    init(key: UnsafeRawBufferPointer, direction: Direction) throws(IKECryptoError) {
        guard [16, 24, 32].contains(key.count) else {
            throw IKECryptoError(.invalidKeyLength, "AES needs a 16, 24 or 32-byte key")
        }
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: AES_KEY())
        let bits = UInt32(key.count * 8)
        let result: Int32 =
            switch direction {
            case .encrypt: CCryptoBoringSSL_AES_set_encrypt_key(BoringBuffer.base(key), bits, pointer)
            case .decrypt: CCryptoBoringSSL_AES_set_decrypt_key(BoringBuffer.base(key), bits, pointer)
            }
        guard result == 0 else { throw IKECryptoError(.internalFailure, "AES key schedule failed") }
    }

    /// Encrypts one 16-byte block; `input` and `output` may be the same.
    func encryptBlock(_ input: UnsafePointer<UInt8>, _ output: UnsafeMutablePointer<UInt8>) {
        CCryptoBoringSSL_AES_encrypt(input, output, pointer)
    }

    deinit {
        explicitZero(pointer, MemoryLayout<AES_KEY>.size)
        pointer.deallocate()
    }
}
