/// ECDSA signature encodings: the fixed-length r ‖ s of RFC 4754 §7 (methods 9–11) and the
/// DER ECDSA-Sig-Value of RFC 7427 §3 (method 14).
enum ECDSASignatureEncoding {
    /// Converts a DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279
    /// §2.2.3, as RFC 7427 §3 asks for ECDSA) into r ‖ s with each half `coordinateLength`
    /// octets.
    ///
    /// Strict DER: minimal lengths and integers, no trailing data, r and s positive and no
    /// longer than the curve order, so each signature has one encoding (no malleability).
    static func rawFromDER(_ der: ArraySlice<UInt8>, coordinateLength: Int) throws(IKECryptoError) -> [UInt8] {
        var outer = DERReader(der, errorCode: .invalidSignature, what: "ECDSA-Sig-Value")
        var sequence = try outer.readSequence("ECDSA-Sig-Value")
        try outer.finish()
        let r = try sequence.readUnsignedInteger("r")
        let s = try sequence.readUnsignedInteger("s")
        try sequence.finish()
        guard !r.isEmpty, !s.isEmpty else { throw invalid("r or s is zero") }
        guard r.count <= coordinateLength, s.count <= coordinateLength else {
            throw invalid("r or s is longer than the curve order")
        }
        var raw = [UInt8](repeating: 0, count: 2 * coordinateLength)
        raw.replaceSubrange((coordinateLength - r.count)..<coordinateLength, with: r)
        raw.replaceSubrange((2 * coordinateLength - s.count)..<(2 * coordinateLength), with: s)
        return raw
    }

    private static func invalid(_ message: String) -> IKECryptoError {
        IKECryptoError(.invalidSignature, "ECDSA-Sig-Value: \(message)")
    }
}
