import IKEWire

/// Why the engine could not process a message or command. Equality compares ``code``.
public struct IKECoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The command names a connection or SA that does not exist.
        public static let unknownName = Code(rawValue: 1)
        /// A local invariant failed (a bug, never a peer's doing).
        public static let internalState = Code(rawValue: 2)
        /// The configuration cannot be used as it is (e.g. a transform the provider lacks).
        public static let configuration = Code(rawValue: 3)
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail }

    public static func == (lhs: IKECoreError, rhs: IKECoreError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
