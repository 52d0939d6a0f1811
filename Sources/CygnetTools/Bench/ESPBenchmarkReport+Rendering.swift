import CygnetControlProtocol
import Foundation

extension ESPBenchmarkReport {
    /// The report as an aligned table: command and machine, one row per suite and size
    /// (ESP beside the bare AEAD or cipher, the overhead, allocations), the target, notes.
    public var text: String {
        var lines = environment.headerLines("cygnet bench esp")
        lines.append(
            "  clock:       thread CPU time (\(clock)), one core; median of \(rounds) rounds of ~"
                + Self.format(secondsPerRound, 3) + " s each, ESP and bare alternating")
        if let reason = allocationCountingUnavailable {
            lines.append("  allocations: not counted: \(reason)")
        } else {
            lines.append("  allocations: heap allocations per packet, seal + open (\(AllocationCounter.libraryName))")
        }
        lines.append("")
        let header =
            "suite".padded(to: 18) + "algorithm".padded(to: 32) + "payload".leftPadded(to: 8)
            + "  | ESP:" + "Gbit/s".leftPadded(to: 8) + "packets/s".leftPadded(to: 11) + "allocs".leftPadded(to: 7)
            + "  | bare:" + "Gbit/s".leftPadded(to: 8) + "packets/s".leftPadded(to: 11) + "allocs".leftPadded(to: 7)
            + "  | overhead".leftPadded(to: 11)
        lines.append("  " + header)
        for row in rows {
            let line =
                row.suite.padded(to: 18) + row.algorithm.padded(to: 32) + "\(row.payloadBytes) B".leftPadded(to: 8)
                + "  |     " + Self.format(row.esp.gigabitsPerSecond, 2).leftPadded(to: 8)
                + Self.rate(row.esp.packetsPerSecond).leftPadded(to: 11)
                + Self.allocations(row.esp.allocationsPerPacket).leftPadded(to: 7)
                + "  |      " + Self.format(row.bare.gigabitsPerSecond, 2).leftPadded(to: 8)
                + Self.rate(row.bare.packetsPerSecond).leftPadded(to: 11)
                + Self.allocations(row.bare.allocationsPerPacket).leftPadded(to: 7)
                + "  |" + (String(format: "%+.1f", row.overheadPercent) + " %").leftPadded(to: 9)
            lines.append("  " + line)
        }
        lines.append("")
        lines.append("  target: \(target.description)")
        lines.append("")
        lines.append("  notes:")
        for note in notes {
            lines.append("    - \(note)")
        }
        return lines.joined(separator: "\n")
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> String { try prettyJSON() }

    /// 2.61 M, 17.9 k, 412.
    static func rate(_ value: Double) -> String {
        if value >= 1e6 { return format(value / 1e6, 2) + " M" }
        if value >= 1e4 { return format(value / 1e3, 1) + " k" }
        if value >= 1e3 { return format(value / 1e3, 2) + " k" }
        return format(value, value >= 100 ? 0 : 1)
    }

    static func allocations(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return value == value.rounded() ? format(value, 0) : format(value, 2)
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
