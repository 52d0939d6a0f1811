import CygnetControlProtocol
import Foundation

extension CryptoBenchmarkReport {
    /// The report as an aligned table: environment, one block per section, the gate, the
    /// notes and the openssl commands run.
    public var text: String {
        var lines = environment.headerLines("cygnet bench crypto")
        lines.append(
            "  clock:       thread CPU time (\(clock)), median of \(rounds) rounds of ~\(Self.format(secondsPerRound, 3)) s "
                + "after a warm-up")
        lines.append("  provider:    \(provider)")
        if let reason = allocationCountingUnavailable {
            lines.append("  allocations: not counted: \(reason)")
        } else {
            lines.append("  allocations: heap allocations per operation (\(AllocationCounter.libraryName))")
        }
        if let version = openssl.version {
            lines.append("  openssl:     \(version); `openssl speed -mr -seconds \(openssl.seconds)`, \(openssl.clock)")
        } else {
            lines.append("  openssl:     \(openssl.unavailable ?? "not run")")
        }

        var footnotes: [String] = []
        func marker(_ note: String?) -> String {
            guard let note else { return "" }
            if let index = footnotes.firstIndex(of: note) { return " [\(index + 1)]" }
            footnotes.append(note)
            return " [\(footnotes.count)]"
        }
        let header =
            "algorithm".padded(to: 34) + "op".padded(to: 9) + "bytes".leftPadded(to: 6) + "ops/s".leftPadded(to: 10)
            + "Gbit/s".leftPadded(to: 8) + "allocs".leftPadded(to: 8) + "  | openssl:" + "ops/s".leftPadded(to: 9)
            + "Gbit/s".leftPadded(to: 8) + "ratio".leftPadded(to: 8)
        for section in Section.allCases {
            let rows = measurements(in: section)
            guard !rows.isEmpty else { continue }
            lines.append("")
            lines.append("  \(Self.title(section))")
            lines.append("    " + header)
            for row in rows {
                let comparison = row.openssl
                let line =
                    row.algorithm.padded(to: 34) + row.operation.padded(to: 9)
                    + (row.bytes.map { "\($0)" } ?? "").leftPadded(to: 6)
                    + Self.rate(row.operationsPerSecond).leftPadded(to: 10)
                    + (row.bytesPerSecond.map(Self.gigabits) ?? "").leftPadded(to: 8)
                    + (row.allocationsPerOperation.map { Self.format($0, 1) } ?? "n/a").leftPadded(to: 8)
                    + "  |" + "".padded(to: 8)
                    + (comparison.map { Self.rate($0.operationsPerSecond) } ?? "–").leftPadded(to: 9)
                    + (comparison?.bytesPerSecond.map(Self.gigabits) ?? "").leftPadded(to: 8)
                    + (comparison.map { Self.format($0.ratio, 2) + "x" } ?? "").leftPadded(to: 8)
                    + marker(comparison?.note)
                lines.append("    " + line)
            }
        }
        lines.append("")
        lines.append("  gate: \(gate.description)")
        lines.append("")
        lines.append("  notes:")
        for (index, note) in footnotes.enumerated() {
            lines.append("    [\(index + 1)] \(note)")
        }
        for note in notes {
            lines.append("    - \(note)")
        }
        if !openssl.commands.isEmpty {
            lines.append("")
            lines.append("  openssl commands run (\(openssl.commands.count)):")
            for command in openssl.commands {
                lines.append("    \(command)")
            }
        }
        for failure in openssl.failures {
            lines.append("  openssl failed: \(failure)")
        }
        return lines.joined(separator: "\n")
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> String { try prettyJSON() }

    private static func title(_ section: Section) -> String {
        switch section {
        case .keyExchange:
            "Key exchange (generate = initiator keygen; respond = responder keygen + shared, or encapsulate; "
                + "complete = initiator shared, or decapsulate)"
        case .aead: "AEAD, in place on an ESP-shaped packet, one context per SA"
        case .cipher: "Ciphers, in place (ESP pads to the block size)"
        case .integrity: "Integrity (ICV over the payload)"
        case .signature: "AUTH signatures (sign: AuthenticationSigner; verify: AuthenticationVerifier)"
        }
    }

    /// 2.61 M, 17.9 k, 412.
    static func rate(_ value: Double) -> String {
        if value >= 1e6 { return format(value / 1e6, 2) + " M" }
        if value >= 1e4 { return format(value / 1e3, 1) + " k" }
        if value >= 1e3 { return format(value / 1e3, 2) + " k" }
        return format(value, value >= 100 ? 0 : 1)
    }

    private static func gigabits(_ bytesPerSecond: Double) -> String {
        format(bytesPerSecond * 8 / 1e9, 2)
    }

    private static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
