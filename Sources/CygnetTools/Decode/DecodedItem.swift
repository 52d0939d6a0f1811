/// One node of a decoded message's tree: a payload, proposal, transform, selector or
/// attribute, with its one-line text and its JSON fields.
///
/// The text form indents children under their parent; the JSON form puts the children
/// in an array under ``childrenKey``.
public struct DecodedItem: Hashable, Sendable {
    /// The line shown in the text output.
    public var text: String
    /// The JSON fields of this node (without its children).
    public var fields: [String: JSONValue]
    /// The JSON key of the children array, e.g. `proposals` or `transforms`.
    public var childrenKey: String
    public var children: [DecodedItem]

    public init(_ text: String, fields: [String: JSONValue], childrenKey: String = "items", children: [DecodedItem] = []) {
        self.text = text
        self.fields = fields
        self.childrenKey = childrenKey
        self.children = children
    }

    /// The node and its children as one JSON object.
    public var json: JSONValue {
        var object = fields
        if !children.isEmpty {
            object[childrenKey] = .array(children.map(\.json))
        }
        return .object(object)
    }

    /// The text lines of this node and its children, indented two spaces per level.
    public func lines(indent: Int) -> [String] {
        [String(repeating: "  ", count: indent) + text] + children.flatMap { $0.lines(indent: indent + 1) }
    }
}
