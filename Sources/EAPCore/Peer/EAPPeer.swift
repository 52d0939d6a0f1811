import IKECrypto
import IKEWire

/// The peer (client) side of one EAP conversation (RFC 3748), no I/O: the caller gives
/// it each Request, Success or Failure from the authenticator, and ``receive(_:)`` says
/// what to answer.
///
/// It answers Identity with its identity and Notification with an empty Response
/// (RFC 3748 §5.2), runs a method it allows, and answers a method it does not allow with
/// a Nak naming the ones it does (RFC 3748 §5.3.1). It accepts EAP-Success only once its
/// method is done, and for MSCHAPv2 only after the authenticator proved that it knows
/// the password (RFC 2759 §8.7): a Success that skips that step is
/// ``EAPFailure/Code-swift.struct/outOfOrder``, never a success.
public struct EAPPeer: Sendable {
    /// The identity sent in Identity Responses and as the MSCHAPv2 Name.
    public let identity: EAPIdentity
    /// The methods this peer runs: those given that its credential can serve.
    public let methods: [EAPMethod]
    /// The method under way or finished; `nil` before one starts.
    public private(set) var method: EAPMethod?
    /// EAP-TLS: the authenticator's certificate (DER) once the handshake validated its
    /// chain; the caller matches it to the gateway it meant to reach.
    public private(set) var peerCertificate: [UInt8]?

    private let credential: EAPCredential?
    private let tls: EAPTLSConfiguration?
    private var random: any RandomSource & Sendable
    private var state = EAPPeerState.ready

    /// - Parameters:
    ///   - identity: who we are.
    ///   - credential: our secret, if any; an NT password hash serves MSCHAPv2 only.
    ///   - methods: the methods we accept, in order of preference (a Nak lists them so).
    ///   - tls: our certificate and the CAs for EAP-TLS, if we run it.
    ///   - random: the source of MSCHAPv2's peer challenge (TLS draws its own).
    public init(
        identity: EAPIdentity, credential: EAPCredential?, methods: [EAPMethod], tls: EAPTLSConfiguration? = nil,
        random: any RandomSource & Sendable = SystemRandomSource()
    ) {
        self.identity = identity
        self.credential = credential
        self.tls = tls
        self.random = random
        self.methods = methods.filter { method in
            switch (method, credential) {
            case (.md5Challenge, .password), (.mschapv2, .password), (.mschapv2, .ntPasswordHash): true
            case (.md5Challenge, .ntPasswordHash), (.md5Challenge, nil), (.mschapv2, nil): false
            case (.tls, _): tls != nil
            }
        }
    }

    /// Decodes `bytes` and hands the packet to ``receive(_:)``; bytes that are no EAP
    /// packet end the conversation as ``EAPFailure/Code-swift.struct/malformed``.
    public mutating func receive(encoded bytes: [UInt8]) -> EAPStep {
        do {
            return receive(try EAPPacket(decoding: bytes))
        } catch {
            return fail(.init(.malformed, "\(error)"))
        }
    }

    /// A packet from the authenticator.
    public mutating func receive(_ packet: EAPPacket) -> EAPStep {
        if case .finished = state { return .failure(nil, .init(.outOfOrder, "the conversation is over")) }
        do {
            return try answer(packet)
        } catch {
            return fail(error)
        }
    }

    private mutating func answer(_ packet: EAPPacket) throws(EAPFailure) -> EAPStep {
        switch packet.code {
        case .failure:
            throw EAPFailure(.rejected, "EAP-Failure")
        case .success:
            guard case .awaitingResult(let result) = state else {
                throw EAPFailure(.outOfOrder, "EAP-Success before the method finished")
            }
            state = .finished
            return .success(nil, msk: result.msk)
        case .request:
            return try answerRequest(packet)
        default:
            throw EAPFailure(.outOfOrder, "a \(packet.code) sent to the peer")
        }
    }

    private mutating func answerRequest(_ request: EAPPacket) throws(EAPFailure) -> EAPStep {
        guard let type = request.type else { throw EAPFailure(.malformed, "Request without a type") }
        switch type {
        case .notification:
            // "The peer MUST respond to a Notification Request with a Notification
            // Response" (RFC 3748 §5.2); the state does not change.
            return .send(.response(request.identifier, .notification))
        case .identity:
            guard case .ready = state else {
                throw EAPFailure(.outOfOrder, "Identity Request during \(method.map { "\($0)" } ?? "a method")")
            }
            return .send(.response(request.identifier, .identity, identity.bytes))
        case .nak:
            throw EAPFailure(.malformed, "Nak in a Request")
        default:
            break
        }
        switch state {
        case .ready:
            guard let wanted = EAPMethod(type: type), methods.contains(wanted) else {
                // RFC 3748 §5.3.1: the desired types, or 0 for none.
                let offered = methods.isEmpty ? [0] : methods.map(\.type.rawValue)
                return .send(.response(request.identifier, .nak, offered))
            }
            method = wanted
            switch wanted {
            case .md5Challenge: return try answerMD5(request)
            case .mschapv2: return try answerMSCHAPv2Challenge(request)
            case .tls: return try answerTLSStart(request)
            }
        case .mschapv2Responded(let responded):
            guard type == .mschapv2 else { throw EAPFailure(.unexpectedMethod, "\(type) during MSCHAPv2") }
            return try receiveMSCHAPv2Result(request, responded)
        case .tls(let session):
            guard type == .tls else { throw EAPFailure(.unexpectedMethod, "\(type) during EAP-TLS") }
            return try answerTLS(request, session)
        case .awaitingResult:
            throw EAPFailure(.outOfOrder, "\(type) Request after the method finished")
        case .finished:
            throw EAPFailure(.outOfOrder)
        }
    }

    private mutating func answerTLSStart(_ request: EAPPacket) throws(EAPFailure) -> EAPStep {
        let message = try EAPTLSMessage(decoding: request.typeData)
        guard message.isStart else { throw EAPFailure(.outOfOrder, "EAP-TLS data before Start") }
        guard let tls else { throw EAPFailure(.unusableCredential, "EAP-TLS without a certificate") }
        let session = try EAPTLSSession(configuration: tls, isServer: false)
        state = .tls(session)
        return .send(.response(request.identifier, .tls, try session.start()))
    }

    /// One EAP-TLS Request: our next fragment or flight, or an acknowledgement; once the
    /// handshake is done, the acknowledgement of the last flight, and EAP-Success next.
    private mutating func answerTLS(_ request: EAPPacket, _ session: EAPTLSSession) throws(EAPFailure) -> EAPStep {
        let message = try EAPTLSMessage(decoding: request.typeData)
        if let data = try session.receive(message) { return .send(.response(request.identifier, .tls, data)) }
        guard session.endpoint.isComplete else { throw EAPFailure(.outOfOrder, "empty EAP-TLS Request mid-handshake") }
        peerCertificate = session.endpoint.peerCertificate
        state = .awaitingResult(.init(msk: try session.endpoint.msk()))
        return .send(.response(request.identifier, .tls, EAPTLSMessage().encoded()))
    }

    private mutating func answerMD5(_ request: EAPPacket) throws(EAPFailure) -> EAPStep {
        guard case .password(let password) = credential else {
            throw EAPFailure(.unusableCredential, "MD5-Challenge needs the password")
        }
        let challenge = try MD5Challenge(decoding: request.typeData)
        let value = MD5Challenge.response(
            identifier: request.identifier, password: password, challenge: challenge.value)
        state = .awaitingResult(.init(msk: nil))
        return .send(.response(request.identifier, .md5Challenge, MD5Challenge(value: value.unprotectedBytes).encoded()))
    }

    private mutating func answerMSCHAPv2Challenge(_ request: EAPPacket) throws(EAPFailure) -> EAPStep {
        let message = try MSCHAPv2Message(decoding: request.typeData, code: .request)
        guard case .challenge(let id, let challenge, _) = message else {
            throw EAPFailure(.outOfOrder, "MSCHAPv2 \(message) before a Challenge")
        }
        let passwordHash: SecretBytes
        switch credential {
        case .password(let password): passwordHash = MSCHAPv2Crypto.ntPasswordHash(password: password)
        case .ntPasswordHash(let hash): passwordHash = hash
        case nil: throw EAPFailure(.unusableCredential, "MSCHAPv2 needs a password")
        }
        let peerChallenge = random.bytes(MSCHAPv2Crypto.challengeLength)
        let challengeHash = MSCHAPv2Crypto.challengeHash(
            peerChallenge: peerChallenge, authenticatorChallenge: challenge,
            userName: identity.userNameWithoutDomain)
        let ntResponse = MSCHAPv2Crypto.ntResponse(challengeHash: challengeHash, passwordHash: passwordHash)
        state = .mschapv2Responded(.init(
            expectedProof: MSCHAPv2Crypto.authenticatorResponse(
                passwordHash: passwordHash, ntResponse: ntResponse, challengeHash: challengeHash),
            msk: MSCHAPv2Crypto.msk(passwordHash: passwordHash, ntResponse: ntResponse)))
        let answer = MSCHAPv2Message.response(
            id: id, peerChallenge: peerChallenge, ntResponse: ntResponse, name: identity.bytes)
        return .send(.response(request.identifier, .mschapv2, answer.encoded()))
    }

    private mutating func receiveMSCHAPv2Result(
        _ request: EAPPacket, _ responded: EAPPeerState.MSCHAPv2Responded
    ) throws(EAPFailure) -> EAPStep {
        let message = try MSCHAPv2Message(decoding: request.typeData, code: .request)
        switch message {
        case .successRequest(_, let text):
            // "S=" and 40 hex digits (RFC 2759 §5).
            guard let digits = MSCHAPv2Message.fields(of: text)[UInt8(ascii: "S")],
                let proof = HexDigits.bytes(digits),
                proof.count == MSCHAPv2Crypto.authenticatorResponseLength
            else {
                throw EAPFailure(.malformed, "MSCHAPv2 Success without an authenticator response")
            }
            guard SecretBytes(proof) == responded.expectedProof else {
                throw EAPFailure(.authenticatorNotVerified, "MSCHAPv2 authenticator response does not match")
            }
            state = .awaitingResult(.init(msk: responded.msk))
            return .send(.response(request.identifier, .mschapv2, MSCHAPv2Message.successResponse.encoded()))
        case .failureRequest(_, let text):
            // "E=eeeeeeeeee": 691 is ERROR_AUTHENTICATION_FAILURE (RFC 2759 §6).
            let errorText = MSCHAPv2Message.fields(of: text)[UInt8(ascii: "E")]
                .flatMap { String(validating: $0, as: UTF8.self) }
            let code: EAPFailure.Code = errorText.flatMap { Int($0) } == 691 ? .wrongPassword : .rejected
            state = .finished
            return .failure(
                .response(request.identifier, .mschapv2, MSCHAPv2Message.failureResponse.encoded()),
                .init(code, "MSCHAPv2 Failure E=\(errorText.map { PeerText.escaped($0) } ?? "none")"))
        case .challenge, .response, .successResponse, .failureResponse:
            throw EAPFailure(.outOfOrder, "MSCHAPv2 \(message) after our Response")
        }
    }

    private mutating func fail(_ failure: EAPFailure) -> EAPStep {
        state = .finished
        return .failure(nil, failure)
    }
}
