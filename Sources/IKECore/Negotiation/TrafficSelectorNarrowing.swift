import IKEWire

/// Traffic selector narrowing (RFC 7296 §2.9): the responder answers with the
/// intersection of what the initiator proposed and what its policy allows.
enum TrafficSelectorNarrowing {
    /// The intersections of every proposed selector with every allowed one, dropping
    /// empty results; selectors of unknown types never match.
    static func narrow(proposed: [TrafficSelector], allowed: [TrafficSelector]) -> [TrafficSelector] {
        var result: [TrafficSelector] = []
        for offer in proposed {
            for policy in allowed {
                if let both = intersect(offer, policy), !result.contains(both) { result.append(both) }
            }
        }
        return result
    }

    /// Whether `answer` is a narrowing of `proposed`: not empty, and every selector of it
    /// within one of `proposed` (RFC 7296 §2.9: the responder may narrow "by eliminating
    /// or narrowing the range of one or more members of the set of traffic selectors,
    /// provided the set does not become the NULL set").
    static func isNarrowing(_ answer: [TrafficSelector], of proposed: [TrafficSelector]) -> Bool {
        !answer.isEmpty && answer.allSatisfy { selector in proposed.contains { contains($0, selector) } }
    }

    /// Whether `outer` covers all of `inner`: same type, protocol (or any), ports and
    /// addresses. Unknown types and malformed ranges are never covered.
    static func contains(_ outer: TrafficSelector, _ inner: TrafficSelector) -> Bool {
        guard outer.type == inner.type, let length = outer.type.addressLength,
            [outer.startAddress, outer.endAddress, inner.startAddress, inner.endAddress].allSatisfy({ $0.count == length }),
            outer.ipProtocolID == 0 || outer.ipProtocolID == inner.ipProtocolID,
            inner.startPort <= inner.endPort, outer.startPort <= inner.startPort, inner.endPort <= outer.endPort,
            !inner.endAddress.lexicographicallyPrecedes(inner.startAddress)
        else { return false }
        return !inner.startAddress.lexicographicallyPrecedes(outer.startAddress)
            && !outer.endAddress.lexicographicallyPrecedes(inner.endAddress)
    }

    static func intersect(_ a: TrafficSelector, _ b: TrafficSelector) -> TrafficSelector? {
        guard a.type == b.type, a.type.addressLength != nil, a.startAddress.count == b.startAddress.count else {
            return nil
        }
        let protocolID: UInt8
        switch (a.ipProtocolID, b.ipProtocolID) {
        case (0, let other), (let other, 0): protocolID = other
        case (let x, let y) where x == y: protocolID = x
        default: return nil
        }
        let startPort = max(a.startPort, b.startPort)
        let endPort = min(a.endPort, b.endPort)
        guard startPort <= endPort else { return nil }
        let start = a.startAddress.lexicographicallyPrecedes(b.startAddress) ? b.startAddress : a.startAddress
        let end = a.endAddress.lexicographicallyPrecedes(b.endAddress) ? a.endAddress : b.endAddress
        guard !end.lexicographicallyPrecedes(start) else { return nil }
        return TrafficSelector(
            type: a.type, ipProtocolID: protocolID, startPort: startPort, endPort: endPort, startAddress: start,
            endAddress: end)
    }
}
