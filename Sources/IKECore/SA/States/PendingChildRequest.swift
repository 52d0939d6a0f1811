import IKECrypto
import IKEConfig
import IKEWire

/// Our CREATE_CHILD_SA request for a new or rekeyed Child SA, awaiting its response.
struct PendingChildRequest: Sendable {
    var config: ChildSAConfiguration
    var inboundSPI: UInt32
    var offered: [Proposal]
    var nonce: [UInt8]
    /// Our half of the PFS key exchange, when the proposals ask for one.
    var keyShare: (any KeyExchangeShare)?
    var keyExchangeMethod: KeyExchangeMethodID?
    var localSelectors: [TrafficSelector]
    var remoteSelectors: [TrafficSelector]
    /// The Child SA this one replaces (REKEY_SA), by its inbound SPI.
    var rekeying: UInt32?
    /// This request is the retry after an INVALID_KE_PAYLOAD, with the group it named;
    /// another one ends the attempt (RFC 7296 §1.3).
    var isKeyExchangeRetry: Bool
}

/// Our CREATE_CHILD_SA request rekeying the IKE SA (RFC 7296 §1.3.2).
struct PendingIKERekey: Sendable {
    var newLocalSPI: UInt64
    var offered: [Proposal]
    var nonce: [UInt8]
    var keyShare: any KeyExchangeShare
    var keyExchangeMethod: KeyExchangeMethodID
    /// This request is the retry after an INVALID_KE_PAYLOAD, with the group it named.
    var isKeyExchangeRetry: Bool
}
