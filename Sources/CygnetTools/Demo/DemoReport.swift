/// What `cygnet demo` did, step by step: algorithms, SPIs (never keys), packets and time
/// per exchange. Times are wall-clock milliseconds on the host's monotonic clock, from the
/// command given to the last peer done; they vary from run to run.
public struct DemoReport: Codable, Hashable, Sendable {
    /// The initiator's UDP address, `127.0.0.1:PORT`.
    public var initiator: String
    /// The responder's UDP address.
    public var responder: String
    /// How IKE and ESP travel between the two sockets.
    public var transport: String
    /// The IKE SA of IKE_SA_INIT and IKE_AUTH.
    public var ikeSA: IKESA
    /// The Child SA of IKE_AUTH.
    public var childSA: ChildSA
    /// ESP on the first Child SA, with the replay and tamper checks.
    public var traffic: Traffic
    /// The Child SA rekey and ESP on the new Child SA.
    public var childRekey: ChildRekey
    /// The IKE SA rekey and ESP on the Child SA it kept.
    public var ikeRekey: IKERekey
    /// The IKE SA's delete.
    public var delete: Delete
    /// IKE datagrams both peers sent.
    public var ikeMessages: Int
    /// ESP packets both peers sent (the replayed and tampered ones included).
    public var espPackets: Int
    /// IKE requests retransmitted (0 on a healthy loopback).
    public var retransmissions: Int
    /// The whole demo, sockets included.
    public var totalMilliseconds: Double

    /// The IKE SA made by IKE_SA_INIT and IKE_AUTH.
    public struct IKESA: Codable, Hashable, Sendable {
        /// strongSwan's names: `AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE_25519`.
        public var algorithms: String
        /// 16 hex digits.
        public var initiatorSPI: String
        public var responderSPI: String
        /// IKE_SA_INIT and IKE_AUTH, until both peers had installed the Child SA.
        public var milliseconds: Double
    }

    /// The Child SA made with IKE_AUTH, as the initiator sees it.
    public struct ChildSA: Codable, Hashable, Sendable {
        /// strongSwan's names: `AES_GCM_16-256`, `AES_CBC-128/HMAC_SHA2_256_128`.
        public var algorithms: String
        /// 8 hex digits: the initiator's inbound SPI (the responder's outbound one).
        public var inboundSPI: String
        public var outboundSPI: String
        public var localTrafficSelectors: [String]
        public var remoteTrafficSelectors: [String]
        /// ESP in UDP (RFC 3948).
        public var isUDPEncapsulated: Bool
    }

    /// Demo packets sent each way on one Child SA, and how many each peer opened and
    /// verified (every byte of the inner IPv4 packet, and its addresses against the traffic
    /// selectors).
    public struct ESPTraffic: Codable, Hashable, Sendable {
        public var packetsEachWay: Int
        public var verifiedByInitiator: Int
        public var verifiedByResponder: Int

        /// Whether every packet arrived and verified, both ways.
        public var isComplete: Bool { verifiedByInitiator == packetsEachWay && verifiedByResponder == packetsEachWay }
    }

    /// An ESP packet the receiver dropped, with ESPCore's stable code.
    public struct ESPDrop: Codable, Hashable, Sendable {
        /// `ESPError.Code.rawValue`.
        public var code: UInt16
        /// Its name (`replayed`, `ICV failure`).
        public var reason: String
    }

    /// ESP on the first Child SA, and the two packets that must be dropped.
    public struct Traffic: Codable, Hashable, Sendable {
        public var esp: ESPTraffic
        /// An authentic packet sent a second time (initiator to responder).
        public var replayedPacket: ESPDrop
        /// A fresh packet with one bit of its ciphertext flipped (responder to initiator).
        public var tamperedPacket: ESPDrop
    }

    /// CREATE_CHILD_SA replacing the Child SA (RFC 7296 §1.3.3), then the old one's delete.
    public struct ChildRekey: Codable, Hashable, Sendable {
        public var milliseconds: Double
        /// The initiator's SPIs before and after.
        public var oldInboundSPI: String
        public var oldOutboundSPI: String
        public var newInboundSPI: String
        public var newOutboundSPI: String
        /// ESP on the new Child SA.
        public var esp: ESPTraffic
    }

    /// CREATE_CHILD_SA replacing the IKE SA (RFC 7296 §1.3.2), then the old one's delete.
    public struct IKERekey: Codable, Hashable, Sendable {
        public var milliseconds: Double
        public var oldInitiatorSPI: String
        public var oldResponderSPI: String
        public var newInitiatorSPI: String
        public var newResponderSPI: String
        /// Whether the Child SA moved to the new IKE SA unchanged on both peers.
        public var isChildSAKept: Bool
        /// ESP on the kept Child SA after the rekey.
        public var esp: ESPTraffic
    }

    /// The INFORMATIONAL exchange deleting the IKE SA and with it the Child SA.
    public struct Delete: Codable, Hashable, Sendable {
        public var milliseconds: Double
        /// The close reasons' names (`deleted_locally`, `deleted_by_peer`).
        public var initiatorCloseReason: String
        public var responderCloseReason: String
        /// IKE SAs both engines still hold (0).
        public var ikeSAsLeft: Int
        /// Child SAs both engines and both data planes still hold (0).
        public var childSAsLeft: Int
    }
}
