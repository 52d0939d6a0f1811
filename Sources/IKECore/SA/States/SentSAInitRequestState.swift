import IKEConfig
import IKECrypto
import IKEWire

/// Initiator: IKE_SA_INIT request sent, waiting for the response.
///
/// Who can race in: a retransmitted or late response of an earlier try (after COOKIE or
/// INVALID_KE_PAYLOAD) carries message ID 0 too; it is matched against what this state
/// sent by its payloads, and one that does not fit is dropped.
struct SentSAInitRequestState: Sendable {
    var keyShare: any KeyExchangeShare
    var keyExchangeMethod: KeyExchangeMethodID
    var nonce: [UInt8]
    var offered: [Proposal]
    /// The COOKIE to echo, after the responder asked for one (RFC 7296 §2.6).
    var cookie: [UInt8]?
    /// Retries so far after COOKIE or INVALID_KE_PAYLOAD.
    var retries: Int
    /// The request as last sent, without the non-ESP marker: RealMessage1 of the AUTH
    /// computation (RFC 7296 §2.15).
    var requestBytes: [UInt8]
    /// The Child SA to ask for in IKE_AUTH, if any.
    var child: ChildSAConfiguration?
}
