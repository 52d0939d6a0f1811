import EAPCore
import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import Logging
import NIOPosix
import Synchronization

/// The daemon's answer to the engine's EAP effects (`IKEEffect.eap`, RFC 7296 §2.16), in
/// both roles: one ``EAPConversation`` per IKE SA, keyed by the SA's local SPI and dropped
/// when the conversation ends or the SA closes (``end(localSPI:)``).
///
/// - As the gateway (`remote { auth = eap-mschapv2 | eap-tls | eap-md5 | eap }`) it runs
///   EAPCore's ``EAPAuthenticator`` with the passwords of `secrets { eap-… }` and, for
///   EAP-TLS, the connection's certificate, key and CAs (``EAPTLSCredentials``);
///   `eap_id = %any` begins with an Identity round. `auth = eap` offers the methods that
///   derive an MSK (MSCHAPv2, then EAP-TLS where the connection has a certificate);
///   EAP-MD5 derives none and runs only where `auth = eap-md5` says so (the engine
///   refuses a success without an MSK anywhere else).
/// - With `remote { auth = eap-radius }` it forwards each EAP message to the RADIUS
///   servers of `cygnet { eap-radius { } }` (``EAPRADIUSBackend``), after an Identity
///   round of its own when the peer's EAP identity is not known.
/// - As the client (`local { auth = eap-mschapv2 | eap-tls }`) it runs EAPCore's
///   ``EAPPeer`` with its own `secrets { eap-… }` password for its EAP identity, or its
///   certificate for EAP-TLS.
/// - EAP-TLS's certificates must name whom they authenticate, as in strongSwan
///   (``EAPTLSCredentials/check(_:names:)``): the peer's its EAP identity, the gateway's
///   its IKE identity.
///
/// The local methods run on one thread of their own (``shutdown()`` stops it): EAP-TLS
/// drives swift-nio-ssl in an `EmbeddedChannel`, which must only be used from the thread
/// that created it, while the engine's EAP effects are answered on any thread.
///
/// A failed login is logged with the identity (escaped, ``PeerText``) and the typed
/// reason, never the password, and counted by method and reason.
final class EAPBackend: Sendable {
    private struct State {
        var passwords: [String: SecretBytes]
        var tls: [String: EAPTLSConfiguration]
        var conversations: [UInt64: EAPConversation] = [:]
        /// The Framed-IP-Address of a RADIUS Access-Accept, by the SA's local SPI, until
        /// the SA asks for it or closes.
        var framedAddresses: [UInt64: [UInt8]] = [:]
    }

    private let state: Mutex<State>
    private let radius: EAPRADIUSBackend?
    private let methodThread: NIOThreadPool
    private let metrics: DaemonMetrics
    private let logger: Logger

    init(
        secrets: [EAPSecret], tls: [String: EAPTLSConfiguration] = [:], radius: EAPRADIUSBackend?,
        metrics: DaemonMetrics, logger: Logger
    ) {
        state = Mutex(State(passwords: Self.passwords(secrets), tls: tls))
        self.radius = radius
        self.metrics = metrics
        self.logger = logger
        methodThread = NIOThreadPool(numberOfThreads: 1)
        methodThread.start()
    }

    /// Stops the thread of the local methods; answers after it are `eap_backend_unavailable`.
    func shutdown() async {
        try? await methodThread.shutdownGracefully()
    }

    /// Takes the passwords and EAP-TLS credentials of a reloaded configuration;
    /// conversations under way keep the ones they started with.
    func reconfigure(secrets: [EAPSecret], tls: [String: EAPTLSConfiguration]) {
        let passwords = Self.passwords(secrets)
        state.withLock {
            $0.passwords = passwords
            $0.tls = tls
        }
    }

    /// Forgets what is kept for an IKE SA whose conversation ended or that closed: the
    /// conversation and, once the SA closed, the address RADIUS gave its peer.
    func end(localSPI: UInt64) {
        state.withLock {
            $0.conversations[localSPI] = nil
            $0.framedAddresses[localSPI] = nil
        }
    }

    /// Takes the address the RADIUS server gave the peer of an IKE SA (Framed-IP-Address,
    /// RFC 2865 §5.8), for `pools = radius`.
    func takeFramedAddress(localSPI: UInt64) -> [UInt8]? {
        state.withLock { $0.framedAddresses.removeValue(forKey: localSPI) }
    }

    /// How many conversations are under way.
    var conversationCount: Int { state.withLock { $0.conversations.count } }

    private static func passwords(_ secrets: [EAPSecret]) -> [String: SecretBytes] {
        var passwords: [String: SecretBytes] = [:]
        for secret in secrets {
            for identity in secret.identities where passwords[identity] == nil {
                passwords[identity] = SecretBytes(secret.secret)
            }
        }
        return passwords
    }

    /// The answer to one EAP message of the engine.
    func answer(_ request: EAPExchangeRequest) async -> IKECompletion {
        switch (request.role, request.method) {
        case (.authenticator, .radius):
            guard let radius else {
                return unavailable(request, "no RADIUS server is configured (cygnet { eap-radius { } })")
            }
            return await forward(request, to: radius)
        case (.authenticator, _):
            return await onMethodThread(request) { $0.authenticate($1) }
        case (.peer, _):
            return await onMethodThread(request) { $0.respond($1) }
        }
    }

    private func onMethodThread(
        _ request: EAPExchangeRequest, _ body: @escaping @Sendable (EAPBackend, EAPExchangeRequest) -> IKECompletion
    ) async -> IKECompletion {
        do {
            return try await methodThread.runIfActive { body(self, request) }
        } catch {
            return unavailable(request, "the daemon is stopping")
        }
    }

    // MARK: - Gateway, local secrets

    private func authenticate(_ request: EAPExchangeRequest) -> IKECompletion {
        let spi = request.id.localSPI
        guard let message = request.message else {
            let (passwords, tls) = state.withLock { ($0.passwords, $0.tls[request.connection]) }
            guard let methods = Self.methods(request.method, tls: tls != nil, eapOnly: request.isEAPOnly) else {
                return unavailable(request, Self.unserved(request))
            }
            let lookup: EAPCredentialLookup = { identity in identity.text.flatMap { passwords[$0] }.map { .password($0) } }
            var authenticator = EAPAuthenticator(
                methods: methods, identity: request.eapIdentity.map { EAPIdentity($0) }, credentials: lookup, tls: tls)
            let first = authenticator.start()
            guard first.code == .request else {
                return finish(request, .failure(first, EAPFailure(.noCommonMethod)), method: authenticator.method, identity: nil)
            }
            state.withLock { $0.conversations[spi] = .authenticator(authenticator) }
            return .eap(request.id, .success(.send(first.encoded())))
        }
        guard case .authenticator(var authenticator) = state.withLock({ $0.conversations[spi] }) else {
            return unavailable(request, "no EAP conversation under way")
        }
        var step = authenticator.receive(encoded: message)
        if case .send = step { keep(.authenticator(authenticator), for: spi) }
        if case .success = step, authenticator.method == .tls {
            // The peer's certificate must name its EAP identity (the IKE identity when
            // there was no Identity round), as strongSwan's eap-tls server checks.
            let identity = EAPTLSCredentials.identity(
                of: authenticator.identity ?? EAPIdentity([]), ikeIdentity: request.peerIdentity)
            if let failure = EAPTLSCredentials.check(authenticator.peerCertificate, names: identity) {
                step = .failure(EAPPacket.failure(message.count > 1 ? message[1] : 0), failure)
            }
        }
        return finish(request, step, method: authenticator.method, identity: authenticator.identity)
    }

    // MARK: - Client

    private func respond(_ request: EAPExchangeRequest) -> IKECompletion {
        let spi = request.id.localSPI
        guard let message = request.message else { return unavailable(request, "the gateway's EAP message is missing") }
        var peer: EAPPeer
        if case .peer(let current) = state.withLock({ $0.conversations[spi] }) {
            peer = current
        } else {
            guard let name = request.eapIdentity else { return unavailable(request, "no EAP identity (eap_id) to answer with") }
            let (password, tls) = state.withLock { ($0.passwords[name], $0.tls[request.connection]) }
            guard let methods = Self.methods(request.method, tls: tls != nil, eapOnly: request.isEAPOnly) else {
                return unavailable(request, Self.unserved(request))
            }
            guard password != nil || methods.contains(.tls) else {
                return unavailable(request, "no EAP secret for '\(PeerText.escaped(name))' (secrets { eap-NAME { id = \(PeerText.escaped(name)) } })")
            }
            peer = EAPPeer(identity: EAPIdentity(name), credential: password.map { .password($0) }, methods: methods, tls: tls)
        }
        var step = peer.receive(encoded: message)
        if peer.method == .tls, peer.peerCertificate != nil, case .send = step,
            let failure = EAPTLSCredentials.check(peer.peerCertificate, names: request.peerIdentity)
        {
            // The gateway's certificate must name the IKE identity it authenticated as
            // (IDr), as strongSwan's eap-tls peer checks; we stop before EAP Success.
            step = .failure(nil, failure)
        }
        if case .send = step { state.withLock { $0.conversations[spi] = .peer(peer) } }
        return finish(request, step, method: peer.method, identity: peer.identity)
    }

    /// The methods `auth = …` allows: one named, or for `auth = eap` those that derive
    /// an MSK; `nil` for a method the daemon cannot serve: EAP-TLS for a connection
    /// without certificate, key or CA (`tls` false), or, for EAP-only authentication
    /// (RFC 5998), one that §4 does not allow (`EAPMethodChoice.eapOnlyMethods`).
    static func methods(_ choice: EAPMethodChoice, tls: Bool, eapOnly: Bool) -> [EAPMethod]? {
        let served = EAPMethod.allCases.filter {
            ($0 != .tls || tls) && (!eapOnly || EAPMethodChoice.eapOnlyMethods.contains($0.type))
        }
        switch choice {
        case .any, .radius: return served.filter(\.generatesMSK)
        case .method(let type): return EAPMethod(type: type).flatMap { served.contains($0) ? [$0] : nil }
        }
    }

    /// Why `auth = …` cannot be served.
    private static func unserved(_ request: EAPExchangeRequest) -> String {
        if request.method == .method(.tls) || (request.isEAPOnly && request.method == .any) {
            return "connection '\(request.connection)' has no certificate, matching private key or CA for EAP-TLS "
                + "(local { certs = … }, its key in private/, the CAs in x509ca/ or remote { cacerts })"
        }
        return request.isEAPOnly
            ? "\(request.method) cannot serve EAP-only authentication (RFC 5998 §4)" : "\(request.method) is not implemented"
    }

    /// The engine's answer to a step of a local method; a conversation that ended is
    /// dropped, counted and, when it failed, logged.
    private func finish(_ request: EAPExchangeRequest, _ step: EAPStep, method: EAPMethod?, identity: EAPIdentity?)
        -> IKECompletion
    {
        let methodName = method.map { Self.metricName($0) } ?? "none"
        switch step {
        case .send(let packet):
            return .eap(request.id, .success(.send(packet.encoded())))
        case .success(let packet, let msk):
            end(localSPI: request.id.localSPI)
            metrics.eapSucceeded(method: methodName)
            logger.info(
                "EAP \(method.map { "\($0)" } ?? "") authenticated '\(identity.map { "\($0)" } ?? "")'",
                metadata: Self.metadata(request, identity: identity))
            return .eap(request.id, .success(.succeeded(message: packet?.encoded(), msk: msk)))
        case .failure(let packet, let failure):
            end(localSPI: request.id.localSPI)
            let reason = Self.reasonName(failure.code)
            metrics.eapFailed(method: methodName, reason: reason)
            logger.warning(
                "EAP \(method.map { "\($0)" } ?? "") for '\(identity.map { "\($0)" } ?? "")' failed: \(failure.code)",
                metadata: Self.metadata(request, identity: identity).merging(["reason": "\(reason)"]) { $1 })
            return .eap(request.id, .success(.failed(message: packet?.encoded())))
        }
    }

    // MARK: - Gateway, RADIUS

    private func forward(_ request: EAPExchangeRequest, to radius: EAPRADIUSBackend) async -> IKECompletion {
        let spi = request.id.localSPI
        var conversation: RADIUSConversation
        let eapMessage: [UInt8]
        if let message = request.message {
            guard case .radius(let current) = state.withLock({ $0.conversations[spi] }) else {
                return unavailable(request, "no EAP conversation under way")
            }
            conversation = current
            if conversation.user == nil {
                // The answer to our Identity Request: its Type-Data is the User-Name.
                guard let response = try? EAPPacket(decoding: message), response.code == .response,
                    response.type == .identity, !response.typeData.isEmpty
                else {
                    end(localSPI: spi)
                    return radiusFailed(request, identity: nil, reason: "malformed", "the peer's answer is no EAP Identity")
                }
                conversation.user = response.typeData
            }
            eapMessage = message
        } else if let name = request.eapIdentity {
            // The identity is known (eap_id unset: the IKE identity): the server starts
            // from an Identity Response that we write for the peer.
            conversation = RADIUSConversation(user: Array(name.utf8))
            eapMessage = EAPPacket.response(0, .identity, Array(name.utf8)).encoded()
            // Under way from now: the SA may close while the server thinks (``keep(_:for:)``).
            state.withLock { $0.conversations[spi] = .radius(conversation) }
        } else {
            // eap_id = %any: ask the peer first, as strongSwan's eap-radius does.
            state.withLock { $0.conversations[spi] = .radius(RADIUSConversation()) }
            return .eap(request.id, .success(.send(EAPPacket.request(0, .identity).encoded())))
        }
        let user = conversation.user ?? []
        let identity = EAPIdentity(user)
        let answer: RADIUSAnswer
        do {
            answer = try await radius.exchange(
                user: user, eapMessage: eapMessage, continuing: conversation.challenge,
                context: RADIUSRequestContext(nasPort: UInt32(truncatingIfNeeded: spi), nasPortID: request.connection))
        } catch {
            end(localSPI: spi)
            metrics.eapFailed(method: "radius", reason: "radius_\(error.code.name)")
            logger.warning(
                "EAP for '\(identity)' not forwarded: \(error)",
                metadata: Self.metadata(request, identity: identity).merging(["reason": "radius_\(error.code.name)"]) { $1 })
            return .eap(request.id, .failure(IKECompletionFailure(.eapBackendUnavailable, "RADIUS: \(error.code.name)")))
        }
        switch answer {
        case .challenge(let challenge):
            conversation.challenge = challenge
            keep(.radius(conversation), for: spi)
            return .eap(request.id, .success(.send(challenge.eapMessage)))
        case .accept(let accept):
            end(localSPI: spi)
            metrics.eapSucceeded(method: "radius")
            logger.info(
                "EAP for '\(identity)' accepted by RADIUS server '\(accept.server)'",
                metadata: Self.metadata(request, identity: identity))
            if let framed = accept.framedIPAddress {
                // Framed-IP-Address (RFC 2865 §5.8): the peer's virtual IP where the
                // connection says pools = radius (AddressPools.assign).
                state.withLock { $0.framedAddresses[spi] = framed }
                logger.info(
                    "RADIUS gives '\(identity)' the address \(IPAddressText.format(framed))",
                    metadata: Self.metadata(request, identity: identity))
            }
            return .eap(request.id, .success(.succeeded(message: accept.eapMessage, msk: accept.msk)))
        case .reject(let reject):
            end(localSPI: spi)
            let reason = reject.acceptedWithoutChallenge ? "accepted_without_challenge" : "rejected"
            return radiusFailed(request, identity: identity, reason: reason, "rejected by RADIUS server '\(reject.server)'", message: reject.eapMessage)
        }
    }

    private func radiusFailed(
        _ request: EAPExchangeRequest, identity: EAPIdentity?, reason: String, _ text: String, message: [UInt8]? = nil
    ) -> IKECompletion {
        metrics.eapFailed(method: "radius", reason: reason)
        logger.warning(
            "EAP for '\(identity.map { "\($0)" } ?? "")' failed: \(text)",
            metadata: Self.metadata(request, identity: identity).merging(["reason": "\(reason)"]) { $1 })
        return .eap(request.id, .success(.failed(message: message)))
    }

    // MARK: - Helpers

    /// Keeps the next state of a conversation under way, unless its IKE SA closed
    /// (``end(localSPI:)``) while the answer was being worked out: a RADIUS challenge
    /// that comes after the SA is gone must not bring its conversation back, where
    /// nothing would ever remove it. (The engine drops the answer itself.)
    private func keep(_ conversation: EAPConversation, for spi: UInt64) {
        state.withLock { state in
            guard state.conversations[spi] != nil else { return }
            state.conversations[spi] = conversation
        }
    }

    /// No conversation can run: the engine ends it with EAP Failure and AUTHENTICATION_FAILED.
    private func unavailable(_ request: EAPExchangeRequest, _ text: String) -> IKECompletion {
        end(localSPI: request.id.localSPI)
        metrics.eapFailed(method: request.method.description, reason: "backend_unavailable")
        logger.warning("EAP for connection '\(request.connection)' (auth = \(request.method)): \(text)", metadata: Self.metadata(request, identity: nil))
        return .eap(request.id, .failure(IKECompletionFailure(.eapBackendUnavailable, text)))
    }

    private static func metadata(_ request: EAPExchangeRequest, identity: EAPIdentity?) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["peer": "\(request.connection)", "ike.spi": "\(HexText.string(request.id.localSPI))"]
        if let identity { metadata["eap.id"] = "\(identity)" }
        return metadata
    }

    static func metricName(_ method: EAPMethod) -> String {
        switch method {
        case .md5Challenge: "md5"
        case .mschapv2: "mschapv2"
        case .tls: "tls"
        }
    }

    /// A failure code as a metric label and log field: `wrong_password`, `unknown_user`, …
    static func reasonName(_ code: EAPFailure.Code) -> String {
        code.description.split(separator: " ").joined(separator: "_")
    }
}
