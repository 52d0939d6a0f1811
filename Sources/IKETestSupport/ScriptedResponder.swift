import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import NIOCore

/// An IKEv2 responder driven step by step by a test, to answer an initiator engine with
/// crafted responses: the mirror of ``ScriptedInitiator``.
///
/// It answers the engine's IKE_SA_INIT request with the first proposal (the first
/// transform of each type) and its own key share from a seeded random source, derives
/// the IKE SA keys, and then opens the engine's protected requests and protects whatever
/// response payloads the test wants — well-formed, or not. Message IDs and content are
/// the test's choice.
///
/// ```swift
/// var peer = ScriptedResponder(seed: 2, address: right)
/// let request = engine.drain().transmits[0].datagram
/// engine.deliver(try peer.handleSAInitRequest(request), from: right, to: left, now: .zero)
/// ```
public struct ScriptedResponder {
    public var random: SeededRandomSource
    public let provider: CryptoProvider
    public var spi: UInt64
    public var address: IKEEndpointAddress
    public private(set) var initiatorSPI: UInt64 = 0
    public private(set) var initiatorNonce: [UInt8] = []
    public private(set) var nonce: [UInt8]
    /// Our IKE_SA_INIT response as sent (RealMessage2 of the AUTH computation).
    public private(set) var responseBytes: [UInt8] = []
    public private(set) var schedule: IKEKeySchedule?
    public private(set) var material: IKEKeyMaterial?
    /// Opens what the initiator sends (SK_ei/SK_ai) and protects what we answer.
    public private(set) var inbound: SKPayloadProtection?
    public private(set) var outbound: SKPayloadProtection?

    public enum Failure: Error, Equatable {
        case noKeys
        case unexpectedRequest(String)
    }

    public init(seed: UInt64, address: IKEEndpointAddress, provider: CryptoProvider = .default) {
        self.random = SeededRandomSource(seed: seed)
        self.provider = provider
        self.address = address
        self.spi = random.next() | 1
        self.nonce = random.bytes(32)
    }

    // MARK: IKE_SA_INIT

    /// Answers an IKE_SA_INIT request `HDR, SAi1, KEi, Ni` with `HDR, SAr1, KEr, Nr`
    /// (RFC 7296 §1.2), choosing the first proposal, and derives the IKE SA keys.
    public mutating func handleSAInitRequest(_ datagram: ByteBuffer) throws -> ByteBuffer {
        let request = try IKEMessage(decoding: datagram)
        guard !request.header.isResponse, request.header.exchangeType == .ikeSAInit,
            let offer = request.payloads.securityAssociation?.proposals.first,
            let ke = request.payloads.keyExchange,
            let ni = request.payloads.nonce
        else { throw Failure.unexpectedRequest("not an IKE_SA_INIT request with SA, KE and Ni") }
        let chosen = Self.firstOfEachType(offer)
        let answer = try provider.keyExchangeMethod(ke.method).respond(to: ke.data, using: &random)
        initiatorSPI = request.header.initiatorSPI
        initiatorNonce = ni.data
        guard let keys = try DerivedIKESAKeys(
            provider: provider, chosen: chosen, sharedSecret: answer.sharedSecret, initiatorNonce: initiatorNonce,
            responderNonce: nonce, initiatorSPI: initiatorSPI, responderSPI: spi)
        else { throw Failure.unexpectedRequest("the first proposal lacks ENCR or PRF") }
        let header = IKEHeader(
            initiatorSPI: initiatorSPI, responderSPI: spi, exchangeType: .ikeSAInit, flags: .response, messageID: 0)
        let response = try IKEMessage(header: header, payloads: [
            .securityAssociation(SecurityAssociationPayload(proposals: [chosen])),
            .keyExchange(KeyExchangePayload(method: ke.method, data: answer.publicValue)),
            .nonce(NoncePayload(data: nonce)),
        ]).encoded()
        responseBytes = Array(response.readableBytesView)
        inbound = keys.initiatorToResponder
        outbound = keys.responderToInitiator
        schedule = keys.schedule
        material = keys.material
        return response
    }

    /// `proposal` with only the first transform of each type: what a responder that
    /// takes the initiator's preference accepts (RFC 7296 §3.3.6).
    public static func firstOfEachType(_ proposal: Proposal) -> Proposal {
        var seen: Set<TransformType> = []
        let transforms = proposal.transforms.filter { seen.insert($0.type).inserted }
        return Proposal(number: proposal.number, protocolID: proposal.protocolID, spi: proposal.spi, transforms: transforms)
    }

    // MARK: Protected exchanges

    /// Checks and decrypts a protected request from the initiator.
    public func open(_ datagram: ByteBuffer) throws -> (header: IKEHeader, payloads: [IKEPayload]) {
        guard let inbound else { throw Failure.noKeys }
        let header = try IKEMessage(decoding: datagram).header
        return (header, try inbound.decryptPayloads(datagram))
    }

    /// An SK-protected response to the request with `header`, carrying `payloads`.
    public mutating func response(to header: IKEHeader, payloads: [IKEPayload]) throws -> ByteBuffer {
        try seal(
            IKEHeader(
                initiatorSPI: initiatorSPI, responderSPI: spi, exchangeType: header.exchangeType, flags: .response,
                messageID: header.messageID),
            payloads)
    }

    /// An SK-protected request of ours, the original responder's (neither the Initiator
    /// nor the Response flag, RFC 7296 §3.1), of `exchange` with `messageID`.
    public mutating func request(_ exchange: ExchangeType, payloads: [IKEPayload], messageID: UInt32) throws -> ByteBuffer {
        try seal(
            IKEHeader(initiatorSPI: initiatorSPI, responderSPI: spi, exchangeType: exchange, flags: [], messageID: messageID),
            payloads)
    }

    private mutating func seal(_ header: IKEHeader, _ payloads: [IKEPayload]) throws -> ByteBuffer {
        guard let outbound else { throw Failure.noKeys }
        var inner = ByteBuffer()
        let first = try IKEPayload.encodeChain(payloads, to: &inner)
        return try outbound.seal(
            header: header, innerFirstPayload: payloads.isEmpty ? .noNextPayload : first, inner: inner,
            random: &random)
    }

    /// The answer of a MOBIKE responder to an UPDATE_SA_ADDRESSES request (RFC 4555 §3.5,
    /// §3.7): NAT_DETECTION_SOURCE_IP over `source` (where we answer from),
    /// NAT_DETECTION_DESTINATION_IP over `initiatorSeenAt` (where the request came from as
    /// we saw it: another address than the initiator's own behind a NAT), and the
    /// request's COOKIE2, or `cookie2` instead.
    public func updateAnswer(
        to request: [IKEPayload], source: IKEEndpointAddress, initiatorSeenAt: IKEEndpointAddress, cookie2: [UInt8]? = nil
    ) -> [IKEPayload] {
        var answer: [IKEPayload] = [
            .notify(NotifyPayload(
                type: .natDetectionSourceIP,
                data: NATDetection.hash(initiatorSPI: initiatorSPI, responderSPI: spi, address: source.address, port: source.port))),
            .notify(NotifyPayload(
                type: .natDetectionDestinationIP,
                data: NATDetection.hash(
                    initiatorSPI: initiatorSPI, responderSPI: spi, address: initiatorSeenAt.address, port: initiatorSeenAt.port))),
        ]
        if let echo = cookie2 ?? request.notification(.cookie2)?.data {
            answer.append(.notify(NotifyPayload(type: .cookie2, data: echo)))
        }
        return answer
    }

    /// `IDr, AUTH` of a PSK IKE_AUTH response (RFC 7296 §2.15): the responder's AUTH over
    /// RealMessage2, Ni and `prf(SK_pr, IDr')`.
    public func authPayloads(identity: IKEIdentity, psk: [UInt8]) throws -> [IKEPayload] {
        guard let schedule, let material else { throw Failure.noKeys }
        let octets = AuthenticationOctets.signedOctets(
            prf: schedule.prf, firstMessage: responseBytes, peerNonce: initiatorNonce, identification: identity.payload,
            skP: material.pr)
        let auth = AuthenticationOctets.sharedKeyAuthentication(
            prf: schedule.prf, sharedSecret: SecretBytes(psk), signedOctets: octets)
        return [
            .identificationResponder(identity.payload),
            .authentication(AuthenticationPayload(method: .sharedKeyMIC, data: auth)),
        ]
    }

    /// Our half of a key exchange for the initiator's `ke` (a CREATE_CHILD_SA with PFS or
    /// an IKE SA rekey): the KE payload to answer with.
    public mutating func keyExchange(answering ke: KeyExchangePayload) throws -> KeyExchangePayload {
        let answer = try provider.keyExchangeMethod(ke.method).respond(to: ke.data, using: &random)
        return KeyExchangePayload(method: ke.method, data: answer.publicValue)
    }
}
