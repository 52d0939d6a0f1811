/// Why one proposal item does not parse, and where in the item.
public struct ProposalSyntaxError: Error, Hashable, Sendable {
    public var message: String
    public var hint: String?
    /// Offset in the item (Unicode scalars) of the offending keyword.
    public var offset: Int
    /// Whether the keyword is one strongSwan knows but Cygnet does not implement.
    public var isUnsupported: Bool

    public init(_ message: String, hint: String? = nil, offset: Int = 0, isUnsupported: Bool = false) {
        self.message = message
        self.hint = hint
        self.offset = offset
        self.isUnsupported = isUnsupported
    }
}
