/// One `key = value` line of a settings file.
///
/// The value is what strongSwan's parser makes of it: the words after `=` up to the end
/// of the line, a `#` or a `}`, joined by single spaces, with quoted strings taken as
/// they are (escapes resolved). `key =` with nothing after it has a `nil` value.
public struct SettingsKeyValue: Hashable, Sendable {
    public var key: String
    public var value: String?
    /// Where the key starts.
    public var location: SourceLocation
    /// Where the value starts (the key's location when there is none).
    public var valueLocation: SourceLocation
    /// Where each word of the value starts: its offset in ``value`` and its place in the
    /// file, so an error in one item of a list can point at that item.
    public var valueParts: [ValuePart]
    /// Where the same key was set before in this section and overridden (later wins).
    public var overridden: [SourceLocation]

    public struct ValuePart: Hashable, Sendable {
        public var offset: Int
        public var location: SourceLocation
        public init(offset: Int, location: SourceLocation) {
            self.offset = offset
            self.location = location
        }
    }

    public init(
        key: String, value: String?, location: SourceLocation, valueLocation: SourceLocation? = nil,
        valueParts: [ValuePart] = [], overridden: [SourceLocation] = []
    ) {
        self.key = key
        self.value = value
        self.location = location
        self.valueLocation = valueLocation ?? location
        self.valueParts = valueParts
        self.overridden = overridden
    }

    /// The file location of the character at `offset` (in Unicode scalars) of ``value``.
    public func location(ofValueOffset offset: Int) -> SourceLocation {
        guard let part = valueParts.last(where: { $0.offset <= offset }) else { return valueLocation }
        return part.location.advanced(by: offset - part.offset)
    }
}
