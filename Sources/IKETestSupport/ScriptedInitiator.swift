import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import NIOCore

/// An IKEv2 initiator driven step by step by a test (or a fuzzer), to put crafted and
/// hostile messages in front of a responder engine.
///
/// It builds IKE_SA_INIT with `IKEWire`, derives the IKE SA keys from the responder's
/// answer with `IKEKeySchedule` (its own ephemeral key comes from a seeded random
/// source, so it knows everything the responder knows), and then protects whatever
/// payloads the test wants with `SKPayloadProtection` — well-formed, or not. It keeps no
/// state machine of its own: message IDs, order and content are the test's choice.
///
/// ```swift
/// var peer = try ScriptedInitiator(seed: 1, address: left, responder: right)
/// let replies = engine.deliver(try peer.saInitRequest(), from: left, to: right, now: .zero)
/// try peer.handleSAInitResponse(replies.transmits[0].datagram)
/// let auth = try peer.request(.ikeAuth, payloads: peer.authPayloads(identity: id, psk: psk, child: child))
/// ```
public struct ScriptedInitiator {
    public var random: SeededRandomSource
    public let provider: CryptoProvider
    public var spi: UInt64
    public var address: IKEEndpointAddress
    public var responderAddress: IKEEndpointAddress
    /// The IKE proposals of the next IKE_SA_INIT request.
    public var proposals: [Proposal]
    /// The KE payload's method; by default the first method of the first proposal.
    public var keyExchangeMethod: KeyExchangeMethodID
    public private(set) var nonce: [UInt8]
    private var share: (any KeyExchangeShare)?

    /// The last IKE_SA_INIT request as sent (RealMessage1 of the AUTH computation).
    public private(set) var requestBytes: [UInt8] = []
    /// The responder's SPI, learnt from its IKE_SA_INIT response (a test may change it).
    public var responderSPI: UInt64 = 0
    public private(set) var responderNonce: [UInt8] = []
    public private(set) var schedule: IKEKeySchedule?
    public private(set) var material: IKEKeyMaterial?
    /// Protects what the initiator sends (SK_ei/SK_ai) and opens what it receives.
    public private(set) var outbound: SKPayloadProtection?
    public private(set) var inbound: SKPayloadProtection?
    /// The message ID ``request(_:payloads:messageID:)`` uses when given none.
    public var nextMessageID: UInt32 = 1

    public enum Failure: Error, Equatable {
        case noKeys
        case unexpectedResponse(String)
    }

    public init(
        seed: UInt64, address: IKEEndpointAddress, responder: IKEEndpointAddress,
        proposals: [ProposalTemplate] = [
            ProposalTemplate(
                encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256],
                keyExchangeMethods: [.curve25519])
        ],
        provider: CryptoProvider = .default
    ) {
        self.random = SeededRandomSource(seed: seed)
        self.provider = provider
        self.address = address
        self.responderAddress = responder
        self.proposals = proposals.enumerated().map { $1.proposal(number: UInt8(clamping: $0 + 1), protocolID: .ike) }
        self.keyExchangeMethod = proposals.first?.keyExchangeMethods.first ?? .curve25519
        self.spi = random.next() | 1
        self.nonce = random.bytes(32)
    }

    // MARK: IKE_SA_INIT

    /// An IKE_SA_INIT request: `[N(COOKIE),] SA, KE, Ni` and then `extraPayloads`
    /// (RFC 7296 §1.2, §2.6). A fresh key share is made for the KE method unless the
    /// method is unchanged; `keyExchangeData` replaces the public value (hostile tests).
    public mutating func saInitRequest(
        cookie: [UInt8]? = nil, extraPayloads: [IKEPayload] = [], keyExchangeData: [UInt8]? = nil
    ) throws -> ByteBuffer {
        if share == nil || keyExchangeMethod != currentShareMethod {
            share = try provider.keyExchangeMethod(keyExchangeMethod).generate(using: &random)
            currentShareMethod = keyExchangeMethod
        }
        var payloads: [IKEPayload] = []
        if let cookie { payloads.append(.notify(NotifyPayload(type: .cookie, data: cookie))) }
        payloads += [
            .securityAssociation(SecurityAssociationPayload(proposals: proposals)),
            .keyExchange(KeyExchangePayload(method: keyExchangeMethod, data: keyExchangeData ?? share?.publicValue ?? [])),
            .nonce(NoncePayload(data: nonce)),
        ]
        payloads += extraPayloads
        let header = IKEHeader(
            initiatorSPI: spi, responderSPI: 0, exchangeType: .ikeSAInit, flags: .initiator, messageID: 0)
        let bytes = try IKEMessage(header: header, payloads: payloads).encoded()
        requestBytes = Array(bytes.readableBytesView)
        return bytes
    }

    private var currentShareMethod: KeyExchangeMethodID?

    /// Reads the responder's IKE_SA_INIT response. With SA, KE and Nr it derives the IKE
    /// SA keys (RFC 7296 §2.14); an answer of notifies only (COOKIE, INVALID_KE_PAYLOAD,
    /// NO_PROPOSAL_CHOSEN) is returned without keys.
    @discardableResult
    public mutating func handleSAInitResponse(_ datagram: ByteBuffer) throws -> IKEMessage {
        let message = try IKEMessage(decoding: datagram)
        guard message.header.isResponse, message.header.exchangeType == .ikeSAInit,
            message.header.initiatorSPI == spi
        else { throw Failure.unexpectedResponse("not our IKE_SA_INIT response") }
        guard let sa = message.payloads.securityAssociation,
            let chosen = sa.proposals.first,
            let ke = message.payloads.keyExchange,
            let nr = message.payloads.nonce,
            let share
        else { return message }
        guard let keys = try DerivedIKESAKeys(
            provider: provider, chosen: chosen, sharedSecret: try share.complete(peerValue: ke.data),
            initiatorNonce: nonce, responderNonce: nr.data, initiatorSPI: spi, responderSPI: message.header.responderSPI)
        else { throw Failure.unexpectedResponse("chosen proposal lacks ENCR or PRF") }
        outbound = keys.initiatorToResponder
        inbound = keys.responderToInitiator
        self.schedule = keys.schedule
        self.material = keys.material
        self.responderSPI = message.header.responderSPI
        self.responderNonce = nr.data
        return message
    }

    // MARK: Protected exchanges

    /// The payloads of a well-formed IKE_AUTH request with PSK (RFC 7296 §1.2, §2.15):
    /// `IDi, AUTH, SAi2, TSi, TSr`, the Child SA offering `child`'s proposals with
    /// `childSPI` and its selectors from the initiator's view. `authenticationData`
    /// replaces the AUTH value (hostile tests).
    public func authPayloads(
        identity: IKEIdentity, psk: [UInt8], child: ChildSAConfiguration?, childSPI: UInt32 = 0x0102_0304,
        authenticationData: [UInt8]? = nil
    ) throws -> [IKEPayload] {
        guard let schedule, let material else { throw Failure.noKeys }
        let octets = AuthenticationOctets.signedOctets(
            prf: schedule.prf, firstMessage: requestBytes, peerNonce: responderNonce, identification: identity.payload,
            skP: material.pi)
        let auth = authenticationData
            ?? AuthenticationOctets.sharedKeyAuthentication(
                prf: schedule.prf, sharedSecret: SecretBytes(psk), signedOctets: octets)
        var payloads: [IKEPayload] = [
            .identificationInitiator(identity.payload),
            .authentication(AuthenticationPayload(method: .sharedKeyMIC, data: auth)),
        ]
        if let child {
            let spiBytes = (0..<4).map { UInt8(truncatingIfNeeded: childSPI >> (24 - 8 * $0)) }
            payloads += [
                .securityAssociation(SecurityAssociationPayload(proposals: child.proposals.enumerated().map {
                    $1.proposal(number: UInt8(clamping: $0 + 1), protocolID: .esp, spi: spiBytes)
                })),
                .trafficSelectorInitiator(TrafficSelectorPayload(selectors: child.localTrafficSelectors.map(\.selector))),
                .trafficSelectorResponder(TrafficSelectorPayload(selectors: child.remoteTrafficSelectors.map(\.selector))),
            ]
        }
        return payloads
    }

    /// An SK-protected request of `exchange` carrying `payloads`, with `messageID` (or
    /// ``nextMessageID``, which then advances).
    public mutating func request(
        _ exchange: ExchangeType, payloads: [IKEPayload], messageID: UInt32? = nil
    ) throws -> ByteBuffer {
        guard let outbound else { throw Failure.noKeys }
        let id = messageID ?? nextMessageID
        if messageID == nil { nextMessageID &+= 1 }
        var inner = ByteBuffer()
        let first = try IKEPayload.encodeChain(payloads, to: &inner)
        let header = IKEHeader(
            initiatorSPI: spi, responderSPI: responderSPI, exchangeType: exchange, flags: .initiator, messageID: id)
        return try outbound.seal(
            header: header, innerFirstPayload: payloads.isEmpty ? .noNextPayload : first, inner: inner,
            random: &random)
    }

    /// Checks and decrypts a protected response from the responder.
    public func open(_ datagram: ByteBuffer) throws -> (header: IKEHeader, payloads: [IKEPayload]) {
        guard let inbound else { throw Failure.noKeys }
        let header = try IKEMessage(decoding: datagram).header
        return (header, try inbound.decryptPayloads(datagram))
    }
}

extension IKEEngine {
    /// Collects every pending output.
    public mutating func drain() -> EngineOutputs {
        var outputs = EngineOutputs()
        drain(into: &outputs)
        return outputs
    }

    /// Hands one datagram to the engine and returns everything it produced.
    public mutating func deliver(
        _ datagram: ByteBuffer, from remote: IKEEndpointAddress, to local: IKEEndpointAddress, now: IKEInstant
    ) -> EngineOutputs {
        handleDatagram(datagram, from: remote, to: local, now: now)
        return drain()
    }

    /// Fires due timers and returns everything the engine produced.
    public mutating func advance(to now: IKEInstant) -> EngineOutputs {
        handleTimeout(now: now)
        return drain()
    }
}
