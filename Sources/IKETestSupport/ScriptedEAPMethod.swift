import IKECore
import IKECrypto
import IKEWire

/// A stand-in for the host's EAP methods in simulations, both roles, with no security at
/// all: the authenticator asks for the identity (when `eap_id = %any`), then sends a
/// challenge of the experimental type 255 (RFC 3748 §5.8); the peer answers with its
/// password in clear; the authenticator compares, and both report their MSK.
///
/// It keeps no state: each answer follows from the message it is given, so one value
/// serves every SA of a simulation.
public struct ScriptedEAPMethod: IKEEffectCompleter {
    /// The experimental method type (RFC 3748 §5.8), the default ``methodType``.
    public static let type = EAPType(rawValue: 255)

    /// The type of the method's messages: ``type`` unless a test needs another (EAP-TLS
    /// for EAP-only authentication, RFC 5998).
    public var methodType: EAPType

    /// What the peer sends.
    public var password: [UInt8]
    /// What the authenticator accepts.
    public var expectedPassword: [UInt8]
    /// The MSK the authenticator reports on success (`nil`: a method without one).
    public var authenticatorMSK: SecretBytes?
    /// The MSK the peer reports on EAP Success.
    public var peerMSK: SecretBytes?
    /// When set, every request is answered with this failure (no EAP backend, AAA down).
    public var backendFailure: IKECompletionFailure?

    /// - Parameters:
    ///   - expectedPassword: what the authenticator accepts; `nil` is `password`.
    ///   - msk: the MSK of both roles (`nil`: a method without one).
    ///   - peerMSK: the peer's MSK where it differs from `msk`.
    public init(
        password: [UInt8] = Array("secret".utf8), expectedPassword: [UInt8]? = nil,
        msk: SecretBytes? = SecretBytes([UInt8](repeating: 0x4D, count: 64)), peerMSK: SecretBytes?? = nil,
        backendFailure: IKECompletionFailure? = nil, methodType: EAPType = Self.type
    ) {
        self.password = password
        self.expectedPassword = expectedPassword ?? password
        self.authenticatorMSK = msk
        self.peerMSK = peerMSK ?? msk
        self.backendFailure = backendFailure
        self.methodType = methodType
    }

    public func complete(_ effect: IKEEffect, now: IKEInstant) async -> IKECompletion? {
        guard case .eap(let request) = effect else { return nil }
        return answer(request)
    }

    /// The answer to one EAP request of the engine.
    public func answer(_ request: EAPExchangeRequest) -> IKECompletion {
        if let backendFailure { return .eap(request.id, .failure(backendFailure)) }
        let received = request.message.flatMap { try? EAPPayload(message: $0) }
        let answer: EAPExchangeAnswer
        switch (request.role, received) {
        case (.authenticator, nil):
            answer = request.message != nil
                ? .failed(message: nil)
                : request.eapIdentity == nil
                    ? Self.send(EAPPayload(code: .request, identifier: 1, type: .identity))
                    : Self.send(EAPPayload(code: .request, identifier: 1, type: methodType, data: Array("challenge".utf8)))
        case (.authenticator, let response?) where response.code == .response && response.type == .identity:
            answer = Self.send(EAPPayload(
                code: .request, identifier: response.identifier &+ 1, type: methodType, data: Array("challenge".utf8)))
        case (.authenticator, let response?) where response.code == .response && response.type == methodType:
            answer = response.data == expectedPassword ? .succeeded(message: nil, msk: authenticatorMSK) : .failed(message: nil)
        case (.peer, let message?) where message.code == .request && message.type == .identity:
            answer = Self.send(EAPPayload(
                code: .response, identifier: message.identifier, type: .identity, data: Array((request.eapIdentity ?? "").utf8)))
        case (.peer, let message?) where message.code == .request && message.type == methodType:
            answer = Self.send(EAPPayload(code: .response, identifier: message.identifier, type: methodType, data: password))
        case (.peer, let message?) where message.code == .success:
            answer = .succeeded(message: nil, msk: peerMSK)
        case (.authenticator, _?), (.peer, _):
            answer = .failed(message: nil)
        }
        return .eap(request.id, .success(answer))
    }

    private static func send(_ payload: EAPPayload) -> EAPExchangeAnswer {
        .send((try? payload.encodedMessage()) ?? [])
    }
}
