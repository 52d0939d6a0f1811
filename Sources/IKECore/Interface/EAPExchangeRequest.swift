import IKEConfig

/// The engine hands one EAP message (RFC 3748 §4) to the host's EAP method and waits for
/// the answer (RFC 7296 §2.16): the EAP conversation of IKE_AUTH runs in the host, as
/// signing does, and the engine only carries its messages.
///
/// Answer with ``IKECompletion/eap(_:_:)`` through `handleCompletion(_:now:)`:
///
/// - as ``Role-swift.enum/authenticator`` (the responder, a gateway): ``message`` is `nil` to
///   start, then each EAP Response of the peer; answer the next Request with
///   ``EAPExchangeAnswer/send(_:)``, or end with ``EAPExchangeAnswer/succeeded(message:msk:)``
///   or ``EAPExchangeAnswer/failed(message:)``;
/// - as ``Role-swift.enum/peer`` (the initiator, a client): ``message`` is each EAP Request of the
///   authenticator, answered with ``EAPExchangeAnswer/send(_:)``, and at the end its EAP
///   Success, answered with ``EAPExchangeAnswer/succeeded(message:msk:)`` only when the
///   method has completed (an early Success is the CVE-2021-45079 class of flaws).
public struct EAPExchangeRequest: Sendable {
    public var id: IKECompletionID
    /// The connection the IKE SA belongs to.
    public var connection: String
    /// Which end of the EAP conversation we are.
    public var role: Role
    /// The other side's IKE identity: IDi for the authenticator, IDr for the peer.
    public var peerIdentity: IKEIdentity
    /// The EAP identity (`eap_id`): for the authenticator the one to authenticate, `nil`
    /// to ask the peer with EAP-Identity (`eap_id = %any`); for the peer the one to
    /// answer with.
    public var eapIdentity: String?
    /// `auth = eap…`: the method the configuration asks for.
    public var method: EAPMethodChoice
    /// The EAP packet received; `nil` when the authenticator starts the conversation.
    public var message: [UInt8]?
    /// EAP-only authentication (RFC 5998): the method is all that authenticates the
    /// responder, so the host runs only one that "provides mutual authentication of the
    /// peers", "is key-generating" and "is resistant to dictionary attacks" (§4,
    /// `EAPMethodChoice.eapOnlyMethods`). The engine refuses any other method's Request.
    public var isEAPOnly: Bool

    public init(
        id: IKECompletionID, connection: String, role: Role, peerIdentity: IKEIdentity, eapIdentity: String?,
        method: EAPMethodChoice, message: [UInt8]?, isEAPOnly: Bool = false
    ) {
        self.id = id
        self.connection = connection
        self.role = role
        self.peerIdentity = peerIdentity
        self.eapIdentity = eapIdentity
        self.method = method
        self.message = message
        self.isEAPOnly = isEAPOnly
    }

    /// Which end of an EAP conversation (RFC 3748 §1.2) the engine asks the host to play.
    public enum Role: Hashable, Sendable {
        /// The IKE responder: it sends EAP Requests and decides success or failure.
        case authenticator
        /// The IKE initiator: it answers EAP Requests.
        case peer
    }
}
