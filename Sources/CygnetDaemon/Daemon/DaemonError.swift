/// An operator-facing error of the daemon (control commands, startup): a code for
/// scripts and tests, and a sentence that says what to do. Equality compares the code.
public struct DaemonError: Error, Hashable, CustomStringConvertible, Sendable {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// Anything without a code of its own (sockets, the TUN device, routes).
        public static let unspecified = Code(rawValue: 0)
        /// No connection of that name is loaded.
        public static let unknownConnection = Code(rawValue: 1)
        /// The connection names no remote host to initiate to, or no local address to
        /// initiate from.
        public static let noAddressToInitiate = Code(rawValue: 2)
        /// A host name in `remote_addrs` does not resolve (to an address of a usable family).
        public static let unresolvableHost = Code(rawValue: 3)
        /// The `key_log` path is not a private regular file the daemon may use.
        public static let unsafeKeyLog = Code(rawValue: 4)
    }

    public var code: Code
    public var description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public init(_ description: String) { self.init(.unspecified, description) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
