import IKECrypto

/// Where an ``EAPAuthenticator`` is; each case carries what its next step needs.
enum EAPAuthenticatorState: Sendable {
    /// `start()` not called yet.
    case initial
    /// Sent Request/Identity.
    case awaitingIdentity(AwaitingIdentity)
    /// Sent Request/MD5-Challenge.
    case awaitingMD5Response(AwaitingMD5Response)
    /// Sent Request/MSCHAPv2 Challenge.
    case awaitingMSCHAPv2Response(AwaitingMSCHAPv2Response)
    /// Verified the peer and sent Request/MSCHAPv2 Success; the peer must acknowledge.
    case awaitingMSCHAPv2Acknowledgement(AwaitingMSCHAPv2Acknowledgement)
    /// Sent an EAP-TLS Request (Start, a fragment, an acknowledgement or a flight).
    case awaitingTLSResponse(AwaitingTLSResponse)
    /// Sent Success or Failure (or gave up); nothing more is accepted.
    case finished(Finished)

    struct AwaitingIdentity: Sendable {
        var request: EAPPacket
    }

    struct AwaitingMD5Response: Sendable {
        var request: EAPPacket
        var identity: EAPIdentity
        var challenge: [UInt8]
    }

    struct AwaitingMSCHAPv2Response: Sendable {
        var request: EAPPacket
        var msCHAPv2ID: UInt8
        var challenge: [UInt8]
    }

    struct AwaitingTLSResponse: Sendable {
        var request: EAPPacket
        var session: EAPTLSSession
        /// Whether the Request is the Start, which a Nak may answer.
        var isStart: Bool
    }

    struct Finished: Sendable {
        /// The Success or Failure sent last, if any.
        var packet: EAPPacket?
    }

    struct AwaitingMSCHAPv2Acknowledgement: Sendable {
        var request: EAPPacket
        var msk: SecretBytes
    }
}
