import IKECrypto
import IKEWire

/// ⚠️ **INSECURE — FOR TESTS AND FUZZING ONLY. NEVER USE IT TO PROTECT ANYTHING.** ⚠️
///
/// A ``CryptoProvider`` whose transforms are cheap, deterministic and trivially
/// breakable, registered under real IANA IDs so that an engine's ordinary proposals
/// (`aes256gcm16-prfsha256-x25519`) select them:
///
/// | registered as | really is |
/// |---|---|
/// | `Curve25519` (31) | ``InsecureKeyExchange``: a 32-byte random "public value"; the shared secret is the XOR of both public values, so anyone who sees the exchange knows it |
/// | `PRF_HMAC_SHA2_256` (5) | ``InsecurePseudorandomFunction``: a non-cryptographic 64-bit multiply-xor mix, 32 bytes out |
/// | `ENCR_AES_GCM_16` 128/256 (20) | ``InsecureAEAD``: XOR with the key and IV; a 16-byte ICV that is a keyed checksum — still checked, so the fuzzer exercises both the accept and the reject path |
///
/// Why it exists (`Docs/architecture.md`, "Tests"): with it a fuzzer can script a valid IKE_SA_INIT,
/// derive the SA's keys itself (``InsecureSessionKeys``), and encrypt mutated inner
/// payloads so they reach IKE_AUTH, CREATE_CHILD_SA and INFORMATIONAL handlers; and a
/// simulation of 10,000 handshakes runs in seconds. The wire format is unchanged: every
/// length (public value, key material, IV, ICV) is the one of the real transform.
///
/// Nothing in the daemon or the `cygnet` tool may use it; it lives in `IKETestSupport`,
/// which only tests, the fuzz package and simulations link.
public enum InsecureCryptoProvider {
    /// The insecure transforms only: no real transform is registered, so a proposal the
    /// insecure provider cannot serve fails instead of silently using real crypto.
    public static let provider = CryptoProvider(
        pseudorandomFunctions: [InsecurePseudorandomFunction()],
        integrityAlgorithms: [],
        encryptionAlgorithms: [.aead(InsecureAEAD(keyBits: 256)), .aead(InsecureAEAD(keyBits: 128))],
        keyExchangeMethods: [InsecureKeyExchange()])
}
