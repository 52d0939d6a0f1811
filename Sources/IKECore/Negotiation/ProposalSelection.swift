import IKEConfig
import IKEWire

/// Choosing a proposal (RFC 7296 §2.7, §3.3.6): the responder walks its own templates in
/// order of preference and takes the first of the peer's proposals that offers, for every
/// transform type the template needs, a transform the template also lists; the answer
/// carries one transform per type the peer's proposal has and the number of that proposal.
enum ProposalSelection {
    /// The key exchange types: KE and ADDKE1…7 (RFC 9370).
    static let keyExchangeTypes = Set([TransformType.keyExchangeMethod] + (TransformType.additionalKeyExchange1.rawValue
        ... TransformType.additionalKeyExchange7.rawValue).map(TransformType.init(rawValue:)))

    /// The transform types a proposal must settle for `protocolID`.
    static func requiredTypes(for template: ProposalTemplate, protocolID: SecurityProtocolID) -> [TransformType] {
        var types: [TransformType] = [.encryptionAlgorithm]
        if protocolID == .ike { types.append(.pseudorandomFunction) }
        if !template.integrity.isEmpty { types.append(.integrityAlgorithm) }
        if !template.keyExchangeMethods.isEmpty { types.append(.keyExchangeMethod) }
        if protocolID != .ike { types.append(.sequenceNumbers) }
        return types
    }

    /// The responder's choice, or `nil` when nothing matches (NO_PROPOSAL_CHOSEN).
    /// Transforms of the `ignoring` types in the peer's proposals are passed over (the key
    /// exchanges an IKE_AUTH offer may still carry, RFC 7296 §1.2).
    static func select(
        from offered: [Proposal], templates: [ProposalTemplate], protocolID: SecurityProtocolID,
        ignoring: Set<TransformType> = []
    ) -> Proposal? {
        for template in templates {
            let ours = template.transforms
            for proposal in offered where proposal.protocolID == protocolID {
                var chosen: [Transform] = []
                var complete = true
                for type in requiredTypes(for: template, protocolID: protocolID) {
                    let candidates: [Transform]
                    if type == .sequenceNumbers && template.sequenceNumbers.isEmpty {
                        candidates = [Transform(.noExtendedSequenceNumbers)]
                    } else {
                        candidates = ours.filter { $0.type == type }
                    }
                    // RFC 7296 §3.3.6: a proposal without a transform of a type the
                    // template requires is not acceptable; an unknown transform or
                    // attribute is simply not matched.
                    guard let match = candidates.first(where: { proposal.transforms.contains($0) }) else {
                        complete = false
                        break
                    }
                    chosen.append(match)
                }
                // An AEAD proposal must not come with integrity, and a plain cipher needs it.
                if complete, proposal.transforms.contains(where: { $0.type == .integrityAlgorithm && $0.id != 0 }),
                    !chosen.contains(where: { $0.type == .integrityAlgorithm })
                {
                    complete = false
                }
                // RFC 7296 §2.7: "The accepted cryptographic suite MUST contain exactly
                // one transform of each type included in the proposal". A type the peer
                // offers and the template does not need is settled with its NONE when the
                // peer offers that (a key exchange it leaves optional), else the proposal
                // does not match: a KE for a Child SA without PFS is not dropped silently.
                let settled = Set(chosen.map(\.type))
                for type in Set(proposal.transforms.map(\.type)).subtracting(settled).subtracting(ignoring).sorted()
                where complete {
                    if let none = proposal.transforms.first(where: { $0.type == type && $0.id == 0 }) {
                        chosen.append(none)
                    } else {
                        complete = false
                    }
                }
                if complete {
                    return Proposal(number: proposal.number, protocolID: protocolID, spi: proposal.spi, transforms: chosen)
                }
            }
        }
        return nil
    }

    /// Checks the responder's answer against what was offered (RFC 7296 §2.7: "the
    /// initiator MUST verify that the accepted proposal is one of the ones it offered"):
    /// one proposal, with the number of an offered one, one transform per type, each
    /// from that offer.
    static func verify(accepted: [Proposal], offered: [Proposal]) -> Proposal? {
        guard accepted.count == 1, let answer = accepted.first,
            let offer = offered.first(where: { $0.number == answer.number && $0.protocolID == answer.protocolID })
        else { return nil }
        let types = answer.transforms.map(\.type)
        guard Set(types).count == types.count, answer.transforms.allSatisfy({ offer.transforms.contains($0) }) else {
            return nil
        }
        // RFC 7296 §2.7: the accepted proposal carries one transform of each type
        // that was offered.
        guard Set(offer.transforms.map(\.type)) == Set(types) else { return nil }
        return answer
    }

    /// A short text of the transforms of some proposals, for log lines naming what each
    /// side offered.
    static func describe(_ proposals: [Proposal]) -> String {
        proposals.map { proposal in
            proposal.transforms.map { transform in
                transform.idDescription + (transform.keyLength.map { "_\($0)" } ?? "")
            }.joined(separator: "/")
        }.joined(separator: ", ")
    }
}
