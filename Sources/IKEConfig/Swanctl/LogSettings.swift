/// `cygnet { log { ... } }`: log levels per subsystem, with strongSwan's subsystem names
/// and levels (-1 silent, 0 basic, 1 audit, 2 control, 3 raw data, 4 private data).
public struct LogSettings: Hashable, Sendable {
    /// strongSwan's subsystems that Cygnet logs under: the daemon's start and stop
    /// (`dmn`), configuration and control requests (`cfg`), IKE SAs (`ike`), Child SAs
    /// (`chd`), sockets and dropped datagrams (`net`), routes (`knl`), the ESP data plane
    /// (`esp`).
    public static let subsystems = ["dmn", "cfg", "ike", "chd", "net", "knl", "esp"]
    /// strongSwan's other subsystems, under which Cygnet logs nothing.
    public static let unusedSubsystems = ["mgr", "job", "asn", "enc", "lib", "tls", "tnc", "imc", "imv", "pts", "app"]
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
