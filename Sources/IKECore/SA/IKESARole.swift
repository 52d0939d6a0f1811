/// Which side of an IKE SA this engine is: the original initiator or responder
/// (RFC 7296 §2.2: the I flag; the roles do not change when a rekey swaps who asks).
enum IKESARole: Hashable, Sendable {
    case initiator
    case responder
}
