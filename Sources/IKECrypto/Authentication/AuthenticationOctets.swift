import IKEWire

/// The octets an AUTH payload signs or MACs (RFC 7296 §2.15), and the PSK method.
///
/// ```
/// InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI
/// MACedIDForI = prf(SK_pi, RestOfInitIDPayload)
/// ResponderSignedOctets = RealMessage2 | NonceIData | MACedIDForR
/// MACedIDForR = prf(SK_pr, RestOfRespIDPayload)
/// ```
public enum AuthenticationOctets {
    /// RFC 7296 §2.15: the pad string is "Key Pad for IKEv2", without a terminating NUL.
    public static let keyPad: [UInt8] = Array("Key Pad for IKEv2".utf8)

    /// The signed octets of one side.
    ///
    /// - Parameters:
    ///   - firstMessage: this side's IKE_SA_INIT message as sent (RealMessage1 or 2),
    ///     exactly the bytes on the wire (no non-ESP marker).
    ///   - peerNonce: the other side's Nonce Data (NonceRData for the initiator).
    ///   - identification: this side's IDi or IDr payload.
    ///   - skP: SK_pi for the initiator, SK_pr for the responder.
    public static func signedOctets(
        prf: any PseudorandomFunction, firstMessage: [UInt8], peerNonce: [UInt8],
        identification: IdentificationPayload, skP: SecretBytes
    ) -> [UInt8] {
        // RestOfInitIDPayload: "IDType | RESERVED | InitIDData", the ID payload body.
        let restOfIDPayload = [identification.type.rawValue, 0, 0, 0] + identification.data
        let macedID = prf.compute(key: skP, data: restOfIDPayload)
        return firstMessage + peerNonce + macedID.unprotectedBytes
    }

    /// The AUTH data of the Shared Key Message Integrity Code method (RFC 7296 §2.15):
    /// `AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)`.
    public static func sharedKeyAuthentication(
        prf: any PseudorandomFunction, sharedSecret: SecretBytes, signedOctets: [UInt8]
    ) -> [UInt8] {
        let key = prf.compute(key: sharedSecret, data: keyPad)
        return prf.compute(key: key, data: signedOctets).unprotectedBytes
    }

    /// Checks a received PSK AUTH value in constant time.
    public static func verifySharedKeyAuthentication(
        prf: any PseudorandomFunction, sharedSecret: SecretBytes, signedOctets: [UInt8], received: [UInt8]
    ) -> Bool {
        ConstantTime.equal(
            sharedKeyAuthentication(prf: prf, sharedSecret: sharedSecret, signedOctets: signedOctets), received)
    }
}
