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
