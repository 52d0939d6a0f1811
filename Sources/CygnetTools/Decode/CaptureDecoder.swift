import Foundation

/// Runs `cygnet decode`: reads a capture (or hex dump), renders every IKE message, and
/// works out the exit status.
///
/// Text output is one header line per record with the payload tree below it, then a
/// summary line. JSON output is *JSON lines*: one compact object per record (sorted
/// keys), no enclosing array and no summary, so `jq -c 'select(.kind=="ike")'` and
/// line-by-line readers work while the file is still being written.
///
/// Exit status: 2 if the file cannot be read or is not a valid capture (records before
/// the damage are still printed), else 1 if any IKE message was malformed, else 0.
public struct CaptureDecoder {
    /// How records are written.
    public enum OutputFormat: Sendable {
        case text
        case jsonLines
    }

    /// Counts gathered while decoding, and the resulting exit status.
    public struct Summary: Hashable, Sendable, CustomStringConvertible {
        public var ikeMessages = 0
        public var malformedMessages = 0
        public var espPackets = 0
        public var keepalives = 0
        public var notes = 0
        /// Set when the file could not be read to its end.
        public var captureError: CaptureError?

        public init() {}

        /// 2 for an unreadable or invalid file, 1 if any IKE message was malformed, else 0.
        public var exitStatus: Int32 {
            if captureError != nil { return 2 }
            return malformedMessages > 0 ? 1 : 0
        }

        public var description: String {
            var parts = ["\(ikeMessages) IKE message\(ikeMessages == 1 ? "" : "s") (\(malformedMessages) malformed)"]
            if espPackets > 0 { parts.append("\(espPackets) ESP packet\(espPackets == 1 ? "" : "s")") }
            if keepalives > 0 { parts.append("\(keepalives) NAT-keepalive\(keepalives == 1 ? "" : "s")") }
            if notes > 0 { parts.append("\(notes) other note\(notes == 1 ? "" : "s")") }
            return parts.joined(separator: ", ")
        }
    }

    public var format: OutputFormat

    public init(format: OutputFormat) {
        self.format = format
    }

    /// Decodes the file at `path`, passing each output line to `output` and diagnostics
    /// about the file itself to `diagnostics`.
    public func decodeFile(
        atPath path: String, output: (String) -> Void, diagnostics: (String) -> Void
    ) -> Summary {
        do {
            var reader = try CaptureReader(contentsOf: path)
            return decode(&reader, output: output, diagnostics: diagnostics)
        } catch {
            var summary = Summary()
            summary.captureError = error
            diagnostics("\(path): \(error)")
            return summary
        }
    }

    /// Decodes the file at `path` to standard output, with diagnostics on standard error
    /// prefixed by `cygnet decode: `; returns the summary (its ``Summary/exitStatus`` is
    /// the process's).
    public func runFile(atPath path: String) -> Summary {
        decodeFile(
            atPath: path, output: { print($0) },
            diagnostics: { FileHandle.standardError.write(Data("cygnet decode: \($0)\n".utf8)) })
    }

    /// Decodes capture or hex-dump bytes.
    public func decode(bytes: [UInt8], output: (String) -> Void, diagnostics: (String) -> Void) -> Summary {
        do {
            var reader = try CaptureReader(bytes: bytes)
            return decode(&reader, output: output, diagnostics: diagnostics)
        } catch {
            var summary = Summary()
            summary.captureError = error
            diagnostics("\(error)")
            return summary
        }
    }

    private func decode(
        _ reader: inout CaptureReader, output: (String) -> Void, diagnostics: (String) -> Void
    ) -> Summary {
        var summary = Summary()
        while true {
            let record: CaptureRecord?
            do {
                record = try reader.next()
            } catch {
                summary.captureError = error
                diagnostics("\(reader.format) file: \(error)")
                break
            }
            guard let record else { break }
            let rendered = RecordRenderer.render(record)
            switch rendered.kind {
            case .ike: summary.ikeMessages += 1
            case .malformed:
                summary.ikeMessages += 1
                summary.malformedMessages += 1
            case .esp: summary.espPackets += 1
            case .keepalive: summary.keepalives += 1
            case .note: summary.notes += 1
            }
            switch format {
            case .text: rendered.lines.forEach(output)
            case .jsonLines: output(rendered.json.jsonText)
            }
        }
        if format == .text { output(summary.description) }
        return summary
    }
}
