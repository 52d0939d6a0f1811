import CCryptoBoringSSL

/// Small helpers around BoringSSL's `BIGNUM` for the other files in this folder.
enum BoringBignum {
    /// Frees a `BIGNUM` that held a public value.
    static func free(_ bignum: UnsafeMutablePointer<BIGNUM>) {
        CCryptoBoringSSL_BN_free(bignum)
    }
}
