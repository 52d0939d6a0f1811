import IKECrypto

/// The host's answer to a ``IKEEffect/sign(_:)`` or ``IKEEffect/validateCertificates(_:)``
/// request, given to `handleCompletion(_:now:)`.
public enum IKECompletion: Sendable {
    /// The AUTH payload's method and data, or why no signature could be made.
    case signed(IKECompletionID, Result<AuthenticationSignature, IKECompletionFailure>)
    /// The peer's end-entity public key, or why the chain or identity was refused.
    case certificatesValidated(IKECompletionID, Result<PublicKey, IKECompletionFailure>)

    public var id: IKECompletionID {
        switch self {
        case .signed(let id, _), .certificatesValidated(let id, _): id
        }
    }
}

/// Why the host could not complete a request, in words for the operator ("certificate for
/// 'right.lab.test' expired 2026-01-01"); it becomes the IKE SA's close reason.
public struct IKECompletionFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
