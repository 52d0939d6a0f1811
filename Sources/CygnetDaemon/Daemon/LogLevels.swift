import IKEConfig
import Logging
import Synchronization

/// The log levels of `cygnet { log { } }`, per strongSwan subsystem, as the running daemon
/// applies them: ``SubsystemLogHandler`` reads them for every line, and a reload changes
/// them (``IKEDaemon/reload(_:)``).
///
/// Every log line of the daemon carries its subsystem in the metadata key `subsystem`
/// (``LogSettings/subsystems``: `dmn`, `cfg`, `ike`, `chd`, `net`, `knl`, `esp`).
public final class LogLevels: Sendable {
    private let settings: Mutex<LogSettings>
    /// The most verbose level of any subsystem: what a line must reach to be looked at.
    private let mostVerboseLevel: Atomic<Int>

    public init(_ settings: LogSettings) {
        self.settings = Mutex(settings)
        mostVerboseLevel = Atomic(Self.mostVerbose(settings))
    }

    /// Takes the levels of a reloaded configuration.
    public func apply(_ settings: LogSettings) {
        self.settings.withLock { $0 = settings }
        mostVerboseLevel.store(Self.mostVerbose(settings), ordering: .relaxed)
    }

    /// The least severe level a line of `subsystem` is written at (`nil`: `default`).
    public func level(for subsystem: String?) -> Logger.Level {
        Self.level(settings.withLock { subsystem.map($0.level(for:)) ?? $0.defaultLevel })
    }

    /// The least severe level any subsystem writes.
    public var mostVerbose: Logger.Level { Logger.Level.allCases[mostVerboseLevel.load(ordering: .relaxed)] }

    /// strongSwan's levels (-1 silent … 4 private data) as swift-log's: -1 keeps only
    /// critical lines, 0 notice, 1 info, 2 debug, 3 and 4 trace.
    public static func level(_ strongSwanLevel: Int) -> Logger.Level {
        switch strongSwanLevel {
        case ..<0: .critical
        case 0: .notice
        case 1: .info
        case 2: .debug
        default: .trace
        }
    }

    private static func mostVerbose(_ settings: LogSettings) -> Int {
        let levels = ([settings.defaultLevel] + LogSettings.subsystems.map(settings.level(for:))).map(level)
        return Logger.Level.allCases.firstIndex(of: levels.min() ?? .info) ?? 0
    }
}

extension Logger {
    /// This logger for the lines of one subsystem (``LogLevels``): the same handler, with
    /// `subsystem` in the metadata.
    public func subsystem(_ name: String) -> Logger {
        var logger = self
        logger[metadataKey: "subsystem"] = "\(name)"
        return logger
    }
}

/// cygnetd's log handler: standard error, each line written when its subsystem's level
/// (``LogLevels``, read at every line, so a reload takes effect at once) lets it through.
public struct SubsystemLogHandler: LogHandler {
    private var stream: any LogHandler
    private let levels: LogLevels

    public init(label: String, levels: LogLevels) {
        self.init(writingTo: StreamLogHandler.standardError(label: label), levels: levels)
    }

    /// Writes what passes to `handler` (tests capture it).
    init(writingTo handler: any LogHandler, levels: LogLevels) {
        stream = handler
        self.levels = levels
    }

    /// The most verbose level of any subsystem; setting it has no effect (the
    /// configuration decides).
    public var logLevel: Logger.Level {
        get { levels.mostVerbose }
        set {}
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: key] }
        set { stream[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        let subsystem = (event.metadata?["subsystem"] ?? stream.metadata["subsystem"]).map { "\($0)" }
        guard event.level >= levels.level(for: subsystem) else { return }
        stream.log(event: event)
    }
}
