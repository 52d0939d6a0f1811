/// `cygnet { log { ... } }`: log levels per subsystem, with strongSwan's subsystem names
/// and levels (-1 silent, 0 basic, 1 audit, 2 control, 3 raw data, 4 private data).
public struct LogSettings: Hashable, Sendable {
    /// strongSwan's subsystems that Cygnet logs under.
    public static let subsystems = ["dmn", "mgr", "ike", "chd", "job", "cfg", "knl", "net", "asn", "enc", "esp", "lib"]
    public static let levels: ClosedRange<Int> = -1...4

    /// `default` (default 1).
    public var defaultLevel: Int
    /// Levels set per subsystem.
    public var levels: [String: Int]

    public init(defaultLevel: Int = 1, levels: [String: Int] = [:]) {
        self.defaultLevel = defaultLevel
        self.levels = levels
    }

    /// The level for a subsystem.
    public func level(for subsystem: String) -> Int { levels[subsystem] ?? defaultLevel }
}
