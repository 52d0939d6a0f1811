import NIOCore

/// Security Association payload, SA (RFC 7296 §3.3): one or more proposals.
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// ~                          <Proposals>                          ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct SecurityAssociationPayload: Hashable, Sendable {
    public var proposals: [Proposal]

    public init(proposals: [Proposal]) { self.proposals = proposals }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        var proposals: [Proposal] = []
        var lastSeen = false
        while !reader.isAtEnd {
            if lastSeen {
                throw reader.error(.invalidValue, "Last Substruc", "a proposal follows the one marked last")
            }
            proposals.append(try Proposal(parsing: &reader, isLast: &lastSeen))
        }
        // RFC 7296 §3.3: "An SA payload consists of one or more proposals."
        guard !proposals.isEmpty else {
            throw reader.error(.invalidCount, "Proposals", payload: .securityAssociation, "no proposal")
        }
        guard lastSeen else {
            throw reader.error(.invalidValue, "Last Substruc", "the final proposal is not marked last")
        }
        self.proposals = proposals
    }

    func write(to buffer: inout ByteBuffer) throws(IKEWireError) {
        for (index, proposal) in proposals.enumerated() {
            try proposal.write(to: &buffer, isLast: index == proposals.count - 1)
        }
    }
}
