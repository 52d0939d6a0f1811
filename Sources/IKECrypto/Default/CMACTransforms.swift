import Crypto
import Foundation
import IKEWire
import _CryptoExtras

/// PRF_AES128_CMAC (RFC 4615): AES-CMAC with any key length, the key first reduced to
/// 128 bits as RFC 4615 §3 says.
public struct AESCMACPseudorandomFunction: PseudorandomFunction {
    public init() {}

    public var id: PseudorandomFunctionID { .aes128CMAC }
    public var outputLength: Int { 16 }
    public var keyLength: Int { 16 }

    public func compute(key: SecretBytes, data: [UInt8]) -> SecretBytes {
        // RFC 4615 §3: "If the key, VK, is exactly 128 bits, then we use it as-is.
        // If it is longer or shorter than 128 bits, then we derive the key K by applying
        // the AES-CMAC algorithm using the 128-bit all-zero string as the key and VK as
        // the input message."
        let key16 = key.count == 16 ? key : Self.cmac(key: SecretBytes([UInt8](repeating: 0, count: 16)), key.unprotectedBytes, outputSize: 16)
        return Self.cmac(key: key16, data, outputSize: 16)
    }

    static func cmac(key: SecretBytes, _ data: [UInt8], outputSize: Int) -> SecretBytes {
        let symmetricKey = key.withUnsafeBytes { SymmetricKey(data: $0) }
        // A 16-byte key and an output size of at most 16 are always accepted.
        guard var cmac = try? AES.CMAC(key: symmetricKey, outputSize: outputSize) else {
            return SecretBytes([UInt8](repeating: 0, count: outputSize))
        }
        cmac.update(data: data)
        return cmac.finalize().withUnsafeBytes { SecretBytes($0) }
    }
}

/// AUTH_AES_CMAC_96 (RFC 4494): AES-128-CMAC truncated to 96 bits.
public struct AESCMACIntegrityAlgorithm: IntegrityAlgorithm {
    public init() {}

    public var id: IntegrityAlgorithmID { .aesCMAC96 }
    public var keyLength: Int { 16 }
    public var icvLength: Int { 12 }

    public func makeContext(key: SecretBytes) throws(IKECryptoError) -> any IntegrityContext {
        guard key.count == keyLength else { throw IKECryptoError(.invalidKeyLength, "AES-CMAC-96 needs 16 bytes") }
        return Context(key: key)
    }

    struct Context: IntegrityContext {
        let key: SecretBytes
        var icvLength: Int { 12 }

        func authenticate(_ data: UnsafeRawBufferPointer, icv: UnsafeMutableRawBufferPointer) {
            let mac = AESCMACPseudorandomFunction.cmac(key: key, Array(data), outputSize: 16)
            mac.withUnsafeBytes { icv.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<min(12, icv.count)])) }
        }
    }
}
