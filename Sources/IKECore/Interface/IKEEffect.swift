/// Work the engine asks the host to do, polled with `pollEffect()`.
public enum IKEEffect: Sendable {
    case installChildSA(ChildSAInstallation)
    case removeChildSA(inboundSPI: UInt32, outboundSPI: UInt32)
}
