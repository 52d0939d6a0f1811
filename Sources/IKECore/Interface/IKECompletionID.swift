import IKEWire
/// Names one request the engine made of the host (a signature, a chain validation, an EAP
/// message), so
/// the answer finds its IKE SA and step. An answer whose ID the SA no longer waits for
/// (the SA closed, timed out, or already got one) is dropped.
public struct IKECompletionID: Hashable, Sendable, CustomStringConvertible {
    /// The local SPI of the IKE SA that asked.
    public var localSPI: UInt64
    /// Which step of that SA asked.
    public var step: Step

    public init(localSPI: UInt64, step: Step) {
        self.localSPI = localSPI
        self.step = step
    }

    public struct Step: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Initiator: the AUTH of our IKE_AUTH request.
        public static let signAuthRequest = Step(rawValue: 1)
        /// Initiator: the responder's certificates in the IKE_AUTH response.
        public static let validateAuthResponse = Step(rawValue: 2)
        /// Responder: the initiator's certificates in the IKE_AUTH request.
        public static let validateAuthRequest = Step(rawValue: 3)
        /// Responder: the AUTH of our IKE_AUTH response.
        public static let signAuthResponse = Step(rawValue: 4)
        /// Responder: the next message of the EAP conversation (RFC 7296 §2.16).
        public static let eapAuthenticator = Step(rawValue: 5)
        /// Initiator: our answer to the responder's EAP message.
        public static let eapPeer = Step(rawValue: 6)
    }

    public var description: String { "\(HexText.string(localSPI))/\(step.rawValue)" }
}
