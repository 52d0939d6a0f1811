/// The life of an IKE SA. Names say what was sent or is expected.
enum IKESAState: Sendable {
    case sentSAInitRequest(SentSAInitRequestState)
    case sentAuthRequest(SentAuthRequestState)
    case awaitingAuthRequest(AwaitingAuthRequestState)
    case established(EstablishedState)
    case closed(IKECloseReason)

    var isClosed: Bool {
        if case .closed = self { true } else { false }
    }
}
