import IKEConfig
import IKEWire

/// Which of the configured connections an IKE SA we answer belongs to. RFC 7296 leaves
/// the choice to the implementation; this is strongSwan's:
///
/// 1. **IKE_SA_INIT.** The candidates are the connections whose `local_addrs` and
///    `remote_addrs` include the addresses the request travelled between, the closest
///    first (an address before a subnet, a longer prefix before a shorter one, both before
///    a range or `%any`; the remote address counts twice the local one), in configuration
///    order where they tie. The first candidate that accepts one of the peer's proposals
///    answers; its settings hold until IKE_AUTH.
/// 2. **IKE_AUTH.** Among the candidates, the connections whose `remote { id }` matches IDi
///    and whose `local { id }` matches IDr (when the peer sent one) are ranked by how well
///    both match (`IdentityMatch`) and by address; a connection goes before
///    another when it is better in one and no worse in the other, and otherwise
///    configuration order holds. Those that would not have accepted the IKE proposal
///    chosen in IKE_SA_INIT drop out, and those whose `remote { auth }` is the method of
///    the AUTH payload (EAP when there is none, RFC 7296 §2.16) come first. The first is the IKE SA's connection from then on: its
///    PSK, its certificate authorities, its children.
enum ConnectionSelection {
    /// A connection that accepts the addresses, and how closely.
    struct Candidate {
        var peer: PeerConfiguration
        var addressMatch: Int
    }

    /// The connection an IKE_AUTH request gets, and the ones that accept it as well, in
    /// order: with certificates, when the host refuses the peer's chain for the CAs of
    /// the chosen one, the next takes its place.
    struct Choice {
        var connection: PeerConfiguration
        var alternatives: [PeerConfiguration]
    }

    /// Why no connection accepts an IKE_AUTH request.
    struct Refusal: Error {
        var cause: IKECloseReason.Cause
        var why: String
    }

    /// The connections whose addresses include `local` and `remote`, in configuration order.
    static func candidates(_ peers: [PeerConfiguration], local: [UInt8], remote: [UInt8]) -> [Candidate] {
        peers.compactMap { peer in
            let localMatch = peer.localAddresses.map { $0.matchQuality(for: local) }.max() ?? 0
            let remoteMatch = peer.remoteAddresses.map { $0.matchQuality(for: remote) }.max() ?? 0
            guard localMatch > 0, remoteMatch > 0 else { return nil }
            return Candidate(peer: peer, addressMatch: 2 * remoteMatch + localMatch)
        }
    }

    /// IKE_SA_INIT: the candidates, closest first, configuration order among equals.
    static func byAddress(_ peers: [PeerConfiguration], local: [UInt8], remote: [UInt8]) -> [PeerConfiguration] {
        candidates(peers, local: local, remote: remote).enumerated()
            .sorted { ($0.element.addressMatch, $1.offset) > ($1.element.addressMatch, $0.offset) }
            .map(\.element.peer)
    }

    /// IKE_AUTH: the connection for the peer's identities and method of authentication.
    static func byIdentity(
        _ peers: [PeerConfiguration], local: [UInt8], remote: [UInt8], initiator: IKEIdentity, responder: IKEIdentity?,
        authenticationMethod: AuthenticationMethod?, negotiated: Proposal
    ) -> Result<Choice, Refusal> {
        let addressed = candidates(peers, local: local, remote: remote)
        var ranked: [(candidate: Candidate, identityMatch: Int)] = []
        for candidate in addressed {
            let remoteMatch = initiator.match(candidate.peer.remoteIdentity)
            let localMatch = responder.map { $0.match(candidate.peer.localIdentity) } ?? .any
            guard remoteMatch != .none, localMatch != .none else { continue }
            let entry = (candidate: candidate, identityMatch: remoteMatch.rawValue + localMatch.rawValue)
            let position = ranked.firstIndex { current in
                (entry.candidate.addressMatch > current.candidate.addressMatch && entry.identityMatch >= current.identityMatch)
                    || (entry.candidate.addressMatch >= current.candidate.addressMatch && entry.identityMatch > current.identityMatch)
            }
            ranked.insert(entry, at: position ?? ranked.endIndex)
        }
        guard !ranked.isEmpty else {
            let names = addressed.map { "'\($0.peer.name)'" }.joined(separator: ", ")
            return .failure(Refusal(
                cause: .unexpectedIdentity,
                why: "no connection accepts '\(initiator)'" + (responder.map { " asking for '\($0)'" } ?? "")
                    + (addressed.isEmpty
                        ? " from this address"
                        : " (\(names) accept its address; check their remote and local id)")))
        }
        let allowed = ranked.map(\.candidate.peer).filter {
            ProposalSelection.select(from: [negotiated], templates: $0.proposals, protocolID: .ike) != nil
        }
        let byMethod = allowed.filter { accepts($0.remoteAuthentication, authenticationMethod) }
        // Without a connection for the method, the best one refuses the AUTH payload itself.
        guard let connection = byMethod.first ?? allowed.first else {
            return .failure(Refusal(
                cause: .ikeProposalNotAllowed,
                why: "connection '\(ranked.first?.candidate.peer.name ?? "")' accepts '\(initiator)' but not the IKE proposal "
                    + "chosen in IKE_SA_INIT (\(ProposalSelection.describe([negotiated]))); add it to its `proposals`"))
        }
        return .success(Choice(connection: connection, alternatives: Array(byMethod.dropFirst())))
    }

    /// Whether a connection that authenticates the peer as `configured` expects an AUTH
    /// payload of `method`; `nil` (no AUTH payload) is EAP.
    static func accepts(_ configured: AuthenticationConfiguration, _ method: AuthenticationMethod?) -> Bool {
        switch configured {
        case .preSharedKey: method == .sharedKeyMIC
        case .publicKey: method.map { $0 != .sharedKeyMIC } ?? false
        case .eap: method == nil
        }
    }
}
