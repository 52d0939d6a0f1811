import Logging
import NIOConcurrencyHelpers

/// A log handler that keeps each line (message, level and metadata) for a test to read.
struct CapturingLogHandler: LogHandler {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    final class Lines: Sendable {
        private let box = NIOLockedValueBox<[Line]>([])
        var all: [Line] { box.withLockedValue { $0 } }
        func append(_ line: Line) { box.withLockedValue { $0.append(line) } }
        func removeAll() { box.withLockedValue { $0.removeAll() } }
    }

    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(lines: Lines) { self.lines = lines }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(Line(level: event.level, message: "\(event.message)", metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
    }

    /// A logger whose lines go to `lines`.
    static func logger(_ lines: Lines, label: String = "test") -> Logger {
        Logger(label: label) { _ in CapturingLogHandler(lines: lines) }
    }
}
