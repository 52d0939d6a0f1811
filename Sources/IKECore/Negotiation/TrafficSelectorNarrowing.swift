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
