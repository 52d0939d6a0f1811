#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What a benchmark ran on and how it was built, printed beside every figure so numbers
/// from different machines or debug builds are not compared by mistake.
public struct BenchEnvironment: Codable, Hashable, Sendable {
    /// CPU model from /proc/cpuinfo.
    public var cpuModel: String
    /// Online logical processors.
    public var cores: Int
    /// Kernel name and release.
    public var system: String
    /// "release" or "debug": the configuration this code was compiled in.
    public var buildConfiguration: String
    /// The command line as run.
    public var command: String

    public var isDebugBuild: Bool { buildConfiguration == "debug" }

    /// The first lines of every benchmark's text report: its name, the command, the
    /// machine and the build (with a warning for a debug build).
    func headerLines(_ title: String) -> [String] {
        var lines = [
            title, "  command:     \(command)", "  machine:     \(cpuModel), \(cores) cores, \(system)",
            "  build:       \(buildConfiguration)",
        ]
        if isDebugBuild {
            lines.append("  WARNING:     debug build; figures are not representative. Use `swift build -c release`.")
        }
        return lines
    }

    public static func current(command: String) -> BenchEnvironment {
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        return BenchEnvironment(
            cpuModel: cpuModelName(), cores: ProcessInfo.processInfo.activeProcessorCount,
            system: systemName(), buildConfiguration: configuration, command: command)
    }

    private static func cpuModelName() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if key == "model name" || key == "Model" || key == "cpu model" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    private static func systemName() -> String {
        #if canImport(Glibc)
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        return "\(text(name.sysname)) \(text(name.release)) \(text(name.machine))"
        #else
        return ProcessInfo.processInfo.operatingSystemVersionString
        #endif
    }
}
