import Foundation
import IKECertificates
import IKEConfig
import IKECore
import IKECrypto

/// Completes what an engine asks of its host (signatures, chain validation and EAP, which the engine never does itself) inside a simulation.
public protocol IKEEffectCompleter: Sendable {
    /// The answer to `effect`, or `nil` when the effect needs none (Child SA installs).
    func complete(_ effect: IKEEffect, now: IKEInstant) async -> IKECompletion?
}

/// A host for simulated pubkey handshakes: signs with test private keys and validates
/// chains with a closure (usually an `IKECertificates.CertificateValidator` at a fixed
/// time, so tests do not depend on today's date).
public struct SimulatedHost: IKEEffectCompleter {
    public typealias Validation = @Sendable (CertificateValidationRequest) async -> Result<PublicKey, IKECompletionFailure>

    /// Private keys by the local identity they sign for.
    public var signingKeys: [IKEIdentity: PrivateKey]
    public var validate: Validation
    /// Sign with the classic method of the key type (1 for RSA, 9–11 for ECDSA) even
    /// when the peer announced SIGNATURE_HASH_ALGORITHMS, as an RFC 7296-only peer would.
    public var usesClassicMethods: Bool
    /// Answers EAP requests; without it they fail with `eapBackendUnavailable`.
    public var eap: ScriptedEAPMethod?

    public init(signingKeys: [IKEIdentity: PrivateKey], usesClassicMethods: Bool = false, validate: @escaping Validation) {
        self.signingKeys = signingKeys
        self.usesClassicMethods = usesClassicMethods
        self.validate = validate
    }

    /// A host whose validation is `validator` at `time`.
    public init(
        signingKeys: [IKEIdentity: PrivateKey], validator: CertificateValidator, at time: Date,
        usesClassicMethods: Bool = false
    ) {
        self.init(signingKeys: signingKeys, usesClassicMethods: usesClassicMethods) { request in
            guard case .certificatesValidated(_, let result) = await validator.complete(request, at: time) else {
                return .failure(IKECompletionFailure("the validator gave no validation answer"))
            }
            return result
        }
    }

    public func complete(_ effect: IKEEffect, now: IKEInstant) async -> IKECompletion? {
        switch effect {
        case .installChildSA, .removeChildSA, .updateChildSA, .assignAddresses, .releaseAddresses, .addVirtualIPs, .removeVirtualIPs:
            return nil
        case .sign(let request):
            var random = SeededRandomSource(seed: 0)
            return LocalSigner(keys: signingKeys, usesClassicMethods: usesClassicMethods).sign(request, random: &random)
        case .validateCertificates(let request):
            return .certificatesValidated(request.id, await validate(request))
        case .eap(let request):
            return eap?.answer(request)
                ?? .eap(request.id, .failure(IKECompletionFailure(.eapBackendUnavailable, "no EAP method in this simulation")))
        }
    }
}
