import IKECrypto

/// What a state machine asks of its caller after a packet.
public enum EAPStep: Sendable {
    /// Send this packet and wait for the answer.
    case send(EAPPacket)
    /// The conversation succeeded. The authenticator gives the EAP-Success to send; the
    /// peer gives `nil`. `msk` is the Master Session Key, `nil` when the method makes
    /// none (``EAPMethod/generatesMSK``).
    case success(EAPPacket?, msk: SecretBytes?)
    /// The conversation failed. The packet, if any, is the last one to send (the
    /// authenticator's EAP-Failure, the peer's MS-CHAPv2 Failure Response).
    case failure(EAPPacket?, EAPFailure)
}

extension EAPStep {
    /// The packet to send, whatever the step: the next message, or the last one.
    public var packet: EAPPacket? {
        switch self {
        case .send(let packet): packet
        case .success(let packet, _), .failure(let packet, _): packet
        }
    }
}
