import IKEWire

/// A PRF transform (RFC 7296 §3.3.2, Transform Type 2).
///
/// ### Invariants
/// - ``compute(key:data:)`` accepts keys of any length, as RFC 7296 §2.13 requires: HMAC
///   by construction, AES-XCBC-PRF-128 by RFC 4434 §2, AES-CMAC-PRF-128 by RFC 4615 §3.
/// - The output is ``outputLength`` bytes.
public protocol PseudorandomFunction: Sendable {
    var id: PseudorandomFunctionID { get }
    /// Output length in bytes.
    var outputLength: Int { get }
    /// The "preferred key length" of RFC 7296 §2.13, in bytes: the length of SK_d, SK_pi
    /// and SK_pr.
    var keyLength: Int { get }
    /// prf(key, data).
    func compute(key: SecretBytes, data: [UInt8]) -> SecretBytes
}
