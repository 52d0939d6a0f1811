/// The seven keys of an IKE SA (RFC 7296 §2.14):
/// `{SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+ (SKEYSEED, Ni | Nr | SPIi | SPIr)`.
public struct IKEKeyMaterial: Sendable, Equatable {
    /// Key for deriving Child SA keys and the next SKEYSEED.
    public var d: SecretBytes
    /// Integrity keys (empty with an AEAD).
    public var ai: SecretBytes
    public var ar: SecretBytes
    /// Encryption keys, salt included for AEADs.
    public var ei: SecretBytes
    public var er: SecretBytes
    /// Keys for the AUTH payload's MACed IDs.
    public var pi: SecretBytes
    public var pr: SecretBytes

    public init(
        d: SecretBytes, ai: SecretBytes, ar: SecretBytes, ei: SecretBytes, er: SecretBytes, pi: SecretBytes,
        pr: SecretBytes
    ) {
        self.d = d
        self.ai = ai
        self.ar = ar
        self.ei = ei
        self.er = er
        self.pi = pi
        self.pr = pr
    }
}
