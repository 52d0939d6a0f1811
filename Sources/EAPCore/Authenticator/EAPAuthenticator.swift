import IKECrypto
import IKEWire

/// The authenticator (server) side of one EAP conversation (RFC 3748), no I/O: the
/// caller carries the packets (in IKEv2, EAP payloads, RFC 7296 §2.16) and gives each
/// answer to ``receive(_:)``, which says what to do next.
///
/// It asks for the identity first (Request/Identity) unless it was given one, then runs
/// the first of its methods; a Nak (RFC 3748 §5.3.1) moves it to the next of its methods
/// the peer names. Wrong passwords and unknown users both end in EAP-Failure at once, so
/// the wire does not tell them apart; the ``EAPFailure`` code does, for the log.
///
/// ```swift
/// var authenticator = EAPAuthenticator(methods: [.mschapv2], credentials: lookup)
/// var step = EAPStep.send(authenticator.start())
/// // send the packet, then: step = authenticator.receive(answer)
/// ```
///
/// A Response that does not answer the outstanding Request (another Identifier, another
/// method, an opcode out of turn) ends the conversation with a typed failure. RFC 3748
/// §4.1 would discard it silently, but inside IKEv2 every EAP message rides a reliable
/// exchange, so such a packet is a peer's mistake, not a retransmission, and waiting
/// would only hang the SA.
public struct EAPAuthenticator: Sendable {
    /// The methods to offer, in order of preference.
    public let methods: [EAPMethod]
    /// The identity the peer gave (Identity Response) or the one it authenticated as
    /// (the MSCHAPv2 Name, which may differ); `nil` before either.
    public private(set) var identity: EAPIdentity?
    /// The method under way or finished; `nil` before one starts.
    public private(set) var method: EAPMethod?
    /// EAP-TLS: the peer's certificate (DER) once the handshake validated its chain; the
    /// caller matches it to ``identity``.
    public private(set) var peerCertificate: [UInt8]?

    private let serverName: [UInt8]
    private let tls: EAPTLSConfiguration?
    private let credentials: EAPCredentialLookup
    private var random: any RandomSource & Sendable
    private var state = EAPAuthenticatorState.initial
    private var nextIdentifier: UInt8
    private var untried: [EAPMethod]

    /// - Parameters:
    ///   - methods: the methods to offer, in order of preference; an empty list fails at
    ///     once (``start()`` returns an EAP-Failure).
    ///   - identity: the peer's identity if already known; otherwise the conversation
    ///     begins with Request/Identity.
    ///   - serverName: the Name field of challenges (RFC 2759 §4).
    ///   - credentials: the secret of an identity, or `nil` for an unknown one.
    ///   - tls: our certificate and the CAs for EAP-TLS; without it, EAP-TLS fails as
    ///     ``EAPFailure/Code-swift.struct/unusableCredential``.
    ///   - random: the source of challenges and of the first Identifier (TLS draws its
    ///     own randomness).
    public init(
        methods: [EAPMethod], identity: EAPIdentity? = nil, serverName: String = "cygnet",
        credentials: @escaping EAPCredentialLookup, tls: EAPTLSConfiguration? = nil,
        random: any RandomSource & Sendable = SystemRandomSource()
    ) {
        self.tls = tls
        self.methods = methods
        self.identity = identity
        self.serverName = Array(serverName.utf8)
        self.credentials = credentials
        self.random = random
        nextIdentifier = self.random.bytes(1).first ?? 0
        untried = methods
    }

    /// The first Request: Identity, or the first method's when the identity is known.
    /// Called again, it returns the outstanding Request (or the final packet) unchanged.
    public mutating func start() -> EAPPacket {
        if case .finished(let final) = state { return final.packet ?? .failure(nextIdentifier) }
        if let outstanding = outstandingRequest { return outstanding }
        guard let identity else {
            let request = EAPPacket.request(takeIdentifier(), .identity)
            state = .awaitingIdentity(.init(request: request))
            return request
        }
        do {
            if case .send(let request) = try startNextMethod(identity: identity) { return request }
        } catch {
            return fail(error).packet ?? .failure(nextIdentifier)
        }
        return .failure(nextIdentifier)
    }

    /// Decodes `bytes` and hands the packet to ``receive(_:)``; bytes that are no EAP
    /// packet end the conversation as ``EAPFailure/Code-swift.struct/malformed``.
    public mutating func receive(encoded bytes: [UInt8]) -> EAPStep {
        do {
            return receive(try EAPPacket(decoding: bytes))
        } catch {
            return fail(EAPFailure(.malformed, "\(error)"))
        }
    }

    /// The peer's answer to the outstanding Request.
    public mutating func receive(_ response: EAPPacket) -> EAPStep {
        do {
            return try answer(response)
        } catch {
            return fail(error)
        }
    }

    /// Ends the conversation: an EAP-Failure answers the outstanding Request, if any.
    private mutating func fail(_ failure: EAPFailure) -> EAPStep {
        if case .finished = state { return .failure(nil, failure) }
        let packet = outstandingRequest.map { EAPPacket.failure($0.identifier) }
        state = .finished(.init(packet: packet))
        return .failure(packet, failure)
    }

    private mutating func answer(_ response: EAPPacket) throws(EAPFailure) -> EAPStep {
        guard let outstanding = outstandingRequest else { throw EAPFailure(.outOfOrder, "no request outstanding") }
        guard response.code == .response else {
            throw EAPFailure(.outOfOrder, "a \(response.code) sent to the authenticator")
        }
        guard response.identifier == outstanding.identifier else {
            throw EAPFailure(.outOfOrder, "Identifier \(response.identifier), expected \(outstanding.identifier)")
        }
        if response.type == .nak, isAwaitingFirstMethodResponse {
            return try receiveNak(response, identity: identity ?? EAPIdentity([]))
        }
        guard response.type == outstanding.type else {
            throw EAPFailure(
                .unexpectedMethod,
                "\(response.type.map { "\($0)" } ?? "no type"), expected \(outstanding.type.map { "\($0)" } ?? "none")")
        }
        switch state {
        case .initial, .finished:
            throw EAPFailure(.outOfOrder)
        case .awaitingIdentity:
            // RFC 3748 §5.1: the Type-Data is the identity, possibly empty, not NUL-terminated.
            let identity = EAPIdentity(response.typeData)
            self.identity = identity
            return try startNextMethod(identity: identity)
        case .awaitingMD5Response(let current):
            return try receiveMD5(response, current)
        case .awaitingMSCHAPv2Response(let current):
            return try receiveMSCHAPv2Response(response, current)
        case .awaitingMSCHAPv2Acknowledgement(let current):
            return try receiveMSCHAPv2Acknowledgement(response, current)
        case .awaitingTLSResponse(let current):
            return try receiveTLS(response, current)
        }
    }

    // MARK: - Methods

    private mutating func startNextMethod(identity: EAPIdentity) throws(EAPFailure) -> EAPStep {
        guard !untried.isEmpty else { throw EAPFailure(.noCommonMethod, "no method left to offer") }
        let next = untried.removeFirst()
        method = next
        switch next {
        case .md5Challenge:
            let challenge = random.bytes(MD5Challenge.valueSize)
            let request = EAPPacket.request(
                takeIdentifier(), .md5Challenge, MD5Challenge(value: challenge, name: serverName).encoded())
            state = .awaitingMD5Response(.init(request: request, identity: identity, challenge: challenge))
            return .send(request)
        case .mschapv2:
            let identifier = takeIdentifier()
            let challenge = random.bytes(MSCHAPv2Crypto.challengeLength)
            let message = MSCHAPv2Message.challenge(id: identifier, challenge: challenge, name: serverName)
            let request = EAPPacket.request(identifier, .mschapv2, message.encoded())
            state = .awaitingMSCHAPv2Response(.init(request: request, msCHAPv2ID: identifier, challenge: challenge))
            return .send(request)
        case .tls:
            guard let tls else { throw EAPFailure(.unusableCredential, "EAP-TLS without a certificate") }
            let session = try EAPTLSSession(configuration: tls, isServer: true)
            // RFC 5216 §2.1.1: the EAP-TLS Start has the S bit set and no data.
            let request = EAPPacket.request(
                takeIdentifier(), .tls, EAPTLSMessage(flags: EAPTLSMessage.start).encoded())
            state = .awaitingTLSResponse(.init(request: request, session: session, isStart: true))
            return .send(request)
        }
    }

    /// One EAP-TLS Response: our next fragment or flight, or, when the handshake is done
    /// and the peer acknowledged our last flight, Success with the MSK.
    private mutating func receiveTLS(_ response: EAPPacket, _ current: EAPAuthenticatorState.AwaitingTLSResponse)
        throws(EAPFailure) -> EAPStep
    {
        let message = try EAPTLSMessage(decoding: response.typeData)
        if let data = try current.session.receive(message) {
            let request = EAPPacket.request(takeIdentifier(), .tls, data)
            state = .awaitingTLSResponse(.init(request: request, session: current.session, isStart: false))
            return .send(request)
        }
        guard current.session.endpoint.isComplete else {
            throw EAPFailure(.tlsFailed, "the peer stopped before the handshake finished")
        }
        peerCertificate = current.session.endpoint.peerCertificate
        return succeed(msk: try current.session.endpoint.msk())
    }

    /// "The legacy Nak Type is valid only in Response messages. It is sent in reply to a
    /// Request where the desired authentication Type is unacceptable." (RFC 3748 §5.3.1)
    /// Its data lists the types the peer wants; 0 means none.
    private mutating func receiveNak(_ response: EAPPacket, identity: EAPIdentity) throws(EAPFailure) -> EAPStep {
        let wanted = response.typeData.compactMap { EAPMethod(type: EAPType(rawValue: $0)) }
        untried = untried.filter { wanted.contains($0) }
        guard !untried.isEmpty else {
            throw EAPFailure(.noCommonMethod, "peer wants \(response.typeData.map { "\(EAPType(rawValue: $0))" })")
        }
        return try startNextMethod(identity: identity)
    }

    private mutating func receiveMD5(_ response: EAPPacket, _ current: EAPAuthenticatorState.AwaitingMD5Response)
        throws(EAPFailure) -> EAPStep
    {
        let answer = try MD5Challenge(decoding: response.typeData)
        let password: SecretBytes
        switch credentials(current.identity) {
        case nil: throw EAPFailure(.unknownUser, "identity \(current.identity)")
        case .ntPasswordHash: throw EAPFailure(.unusableCredential, "MD5-Challenge needs the password, not its NT hash")
        case .password(let secret): password = secret
        }
        let expected = MD5Challenge.response(
            identifier: current.request.identifier, password: password, challenge: current.challenge)
        guard expected == SecretBytes(answer.value) else {
            throw EAPFailure(.wrongPassword, "identity \(current.identity)")
        }
        return succeed(msk: nil)
    }

    private mutating func receiveMSCHAPv2Response(
        _ response: EAPPacket, _ current: EAPAuthenticatorState.AwaitingMSCHAPv2Response
    ) throws(EAPFailure) -> EAPStep {
        let message = try MSCHAPv2Message(decoding: response.typeData, code: .response)
        guard case .response(let id, let peerChallenge, let ntResponse, let name) = message else {
            throw EAPFailure(.outOfOrder, "MSCHAPv2 \(message) instead of a Response")
        }
        guard id == current.msCHAPv2ID else {
            throw EAPFailure(.outOfOrder, "MS-CHAPv2-ID \(id), expected \(current.msCHAPv2ID)")
        }
        let user = EAPIdentity(name)
        identity = user
        let passwordHash: SecretBytes
        switch credentials(user) {
        case nil: throw EAPFailure(.unknownUser, "identity \(user)")
        case .password(let password): passwordHash = MSCHAPv2Crypto.ntPasswordHash(password: password)
        case .ntPasswordHash(let hash): passwordHash = hash
        }
        let challengeHash = MSCHAPv2Crypto.challengeHash(
            peerChallenge: peerChallenge, authenticatorChallenge: current.challenge,
            userName: user.userNameWithoutDomain)
        let expected = MSCHAPv2Crypto.ntResponse(challengeHash: challengeHash, passwordHash: passwordHash)
        guard ConstantTime.equal(expected, ntResponse) else { throw EAPFailure(.wrongPassword, "identity \(user)") }
        let proof = MSCHAPv2Crypto.authenticatorResponse(
            passwordHash: passwordHash, ntResponse: ntResponse, challengeHash: challengeHash)
        let text = Array("S=".utf8) + HexDigits.upper(proof.unprotectedBytes) + Array(" M=Welcome".utf8)
        let request = EAPPacket.request(
            takeIdentifier(), .mschapv2, MSCHAPv2Message.successRequest(id: id, message: text).encoded())
        state = .awaitingMSCHAPv2Acknowledgement(.init(
            request: request, msk: MSCHAPv2Crypto.msk(passwordHash: passwordHash, ntResponse: ntResponse)))
        return .send(request)
    }

    private mutating func receiveMSCHAPv2Acknowledgement(
        _ response: EAPPacket, _ current: EAPAuthenticatorState.AwaitingMSCHAPv2Acknowledgement
    ) throws(EAPFailure) -> EAPStep {
        let message = try MSCHAPv2Message(decoding: response.typeData, code: .response)
        switch message {
        case .successResponse:
            return succeed(msk: current.msk)
        case .failureResponse:
            throw EAPFailure(.abortedByPeer, "the peer did not accept our authenticator response")
        case .challenge, .response, .successRequest, .failureRequest:
            throw EAPFailure(.outOfOrder, "MSCHAPv2 \(message) instead of a Success Response")
        }
    }

    // MARK: - Helpers

    private mutating func takeIdentifier() -> UInt8 {
        defer { nextIdentifier &+= 1 }
        return nextIdentifier
    }

    /// Whether the outstanding Request is a method's first, which a Nak may answer.
    private var isAwaitingFirstMethodResponse: Bool {
        switch state {
        case .awaitingMD5Response, .awaitingMSCHAPv2Response: true
        case .awaitingTLSResponse(let current): current.isStart
        case .initial, .awaitingIdentity, .awaitingMSCHAPv2Acknowledgement, .finished: false
        }
    }

    /// The Request awaiting its Response.
    private var outstandingRequest: EAPPacket? {
        switch state {
        case .initial, .finished: nil
        case .awaitingIdentity(let current): current.request
        case .awaitingMD5Response(let current): current.request
        case .awaitingMSCHAPv2Response(let current): current.request
        case .awaitingMSCHAPv2Acknowledgement(let current): current.request
        case .awaitingTLSResponse(let current): current.request
        }
    }

    /// Ends the conversation with EAP-Success, whose Identifier repeats the Response's:
    /// "the Identifier field of the Success or Failure packet MUST match the Identifier
    /// field of the Response packet that it is sent in response to" (RFC 3748 §4.2).
    /// EAP-Failure does the same.
    private mutating func succeed(msk: SecretBytes?) -> EAPStep {
        let packet = EAPPacket.success(outstandingRequest?.identifier ?? nextIdentifier)
        state = .finished(.init(packet: packet))
        return .success(packet, msk: msk)
    }
}
