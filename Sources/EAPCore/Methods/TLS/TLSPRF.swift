import IKECrypto
import IKEWire

/// The TLS 1.2 PRF with SHA-256 (RFC 5246 §5): P_SHA256(secret, label || seed).
enum TLSPRF {
    static func sha256(secret: SecretBytes, label: String, seed: [UInt8], count: Int) throws(EAPFailure) -> SecretBytes {
        // HMAC-SHA-256, which is also IKEv2's PRF_HMAC_SHA2_256 (RFC 4868 §2.1).
        let hmac: any PseudorandomFunction
        do {
            hmac = try CryptoProvider.default.pseudorandomFunction(.hmacSHA2_256)
        } catch {
            throw EAPFailure(.tlsFailed, "no HMAC-SHA-256: \(error)")
        }
        let seed = Array(label.utf8) + seed
        var blocks: [SecretBytes] = []
        var produced = 0
        var a = hmac.compute(key: secret, data: seed)  // A(1) = HMAC(secret, seed)
        while produced < count {
            let block = hmac.compute(key: secret, data: a.unprotectedBytes + seed)
            blocks.append(block)
            produced += block.count
            a = hmac.compute(key: secret, data: a.unprotectedBytes)
        }
        return SecretBytes(concatenating: blocks)[0..<count]
    }
}
