import CygnetHostSupport
import Foundation

/// `openssl speed` as a reference for `cygnet bench crypto`: finds the tool, runs it in
/// machine-readable mode (`-mr`) and parses what it prints.
///
/// `openssl speed` divides by the process's user CPU time unless given `-elapsed`, so its
/// figures compare with ``BenchTimer``'s thread CPU time.
public struct OpenSSLSpeed: Sendable {
    /// Absolute path of the `openssl` executable.
    public var executable: String
    /// Passed as `-seconds` to every run.
    public var seconds: Int

    public init(executable: String, seconds: Int) {
        self.executable = executable
        self.seconds = max(1, seconds)
    }

    /// `openssl` from `$PATH`, or `nil` when it is not installed.
    public static func locate(seconds: Int, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> OpenSSLSpeed? {
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for directory in directories where !directory.isEmpty {
            let candidate = "\(directory)/openssl"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return OpenSSLSpeed(executable: candidate, seconds: seconds)
            }
        }
        return nil
    }

    /// What one `openssl speed` run measures.
    public enum Probe: Hashable, Sendable {
        /// `-evp NAME -bytes N`, optionally with `-aead` (the TLS-like init, AAD, update,
        /// final, tag sequence) and `-decrypt`.
        case cipher(evp: String, bytes: Int, aead: Bool, decrypt: Bool)
        /// `-hmac DIGEST -bytes N`.
        case hmac(digest: String, bytes: Int)
        /// Public-key algorithms, all in one run: `ecdhp256`, `ffdh2048`, `ecdsap256`,
        /// `ed25519`, `rsa2048`, …
        case publicKey([String])

        /// The arguments after `openssl speed -mr -seconds S`.
        public var arguments: [String] {
            switch self {
            case .cipher(let evp, let bytes, let aead, let decrypt):
                ["-bytes", "\(bytes)"] + (aead ? ["-aead"] : []) + (decrypt ? ["-decrypt"] : []) + ["-evp", evp]
            case .hmac(let digest, let bytes):
                ["-bytes", "\(bytes)", "-hmac", digest]
            case .publicKey(let algorithms):
                algorithms
            }
        }
    }

    /// The command line for a probe, as run.
    public func commandLine(_ probe: Probe) -> String {
        (["openssl", "speed", "-mr", "-seconds", "\(seconds)"] + probe.arguments).joined(separator: " ")
    }

    /// The first line of `openssl version`, or `nil` when it fails.
    public func version() -> String? {
        guard let output = try? execute(["version"]) else { return nil }
        return output.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    /// A failed run: the command and what went wrong.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs one probe and parses its output.
    public func run(_ probe: Probe) throws(Failure) -> Results {
        let output: String
        do {
            output = try execute(["speed", "-mr", "-seconds", "\(seconds)"] + probe.arguments)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "\(commandLine(probe)): \(error)")
        }
        let results = Results.parse(output)
        guard !results.isEmpty else {
            let excerpt = output.split(separator: "\n").prefix(3).joined(separator: " / ")
            throw Failure(description: "\(commandLine(probe)): no figures in its output (\(excerpt))")
        }
        return results
    }

    /// The longest one run may take: `seconds` for each phase it measures (up to four
    /// for a public-key algorithm), plus a minute, after which it is killed.
    func timeout(_ arguments: [String]) -> Duration {
        .seconds(60 + 4 * seconds * max(1, arguments.count))
    }

    /// Runs `openssl` with `arguments` and returns stdout and stderr together. The child
    /// gets this process's environment without `LD_PRELOAD`, so the allocation counter
    /// preloaded into `cygnet bench` does not slow it, and a clean signal state
    /// (``CygnetHostSupport/ChildProcess``): `-seconds` ends each measurement with
    /// SIGALRM, which a blocked mask inherited from the caller would hold back for ever.
    private func execute(_ arguments: [String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = nil
        environment[AllocationCounter.reexecMarker] = nil
        let result = try ChildProcess.run(executable, arguments, environment: environment, timeout: timeout(arguments))
        let output = result.text
        let command = "openssl \(arguments.joined(separator: " "))"
        switch result.termination {
        case .exited(0):
            return output
        case .exited(let status):
            let excerpt = output.split(separator: "\n").prefix(2).joined(separator: " / ")
            throw Failure(description: "\(command) exited with \(status): \(excerpt)")
        case .signalled(let signal):
            throw Failure(description: "\(command) was ended by signal \(signal)")
        case .timedOut:
            throw Failure(description: "\(command) did not finish in \(timeout(arguments)) and was killed")
        }
    }

    /// The figures of one or more `openssl speed -mr` runs.
    ///
    /// The machine-readable lines used (OpenSSL 3.0; later versions append fields, which
    /// are ignored):
    ///
    /// | line | meaning |
    /// |---|---|
    /// | `+H:size:size…` | the buffer sizes of the next `+F` line |
    /// | `+F:index:name:bytes/s…` | a cipher, digest or HMAC: bytes per second for each size |
    /// | `+F2:index:bits:sign/s:verify/s` | RSA (private, public operation) |
    /// | `+F4:index:bits:sign/s:verify/s` | ECDSA |
    /// | `+F5:index:bits:ops/s:s/op` | ECDH (bits: 256, 384, 521; 253 for X25519, 448 for X448) |
    /// | `+F6:index:bits:name:sign/s:verify/s` | EdDSA |
    /// | `+F8:index:bits:ops/s:s/op` | FFDH |
    public struct Results: Hashable, Sendable {
        /// A cipher, digest or HMAC figure.
        public struct Throughput: Codable, Hashable, Sendable {
            /// As openssl names it: `AES-256-GCM`, `hmac(sha256)`.
            public var name: String
            public var bytes: Int
            public var bytesPerSecond: Double

            public var operationsPerSecond: Double { bytes > 0 ? bytesPerSecond / Double(bytes) : 0 }
        }

        /// Signatures per second.
        public struct SignVerify: Codable, Hashable, Sendable {
            public var sign: Double
            public var verify: Double
        }

        public var throughput: [Throughput] = []
        /// RSA by modulus bits.
        public var rsa: [Int: SignVerify] = [:]
        /// ECDSA by curve bits.
        public var ecdsa: [Int: SignVerify] = [:]
        /// EdDSA by name (`Ed25519`, `Ed448`).
        public var eddsa: [String: SignVerify] = [:]
        /// ECDH derivations per second by curve bits (253 = X25519).
        public var ecdh: [Int: Double] = [:]
        /// FFDH derivations per second by group bits.
        public var ffdh: [Int: Double] = [:]

        public init() {}

        public var isEmpty: Bool {
            throughput.isEmpty && rsa.isEmpty && ecdsa.isEmpty && eddsa.isEmpty && ecdh.isEmpty && ffdh.isEmpty
        }

        /// Parses `openssl speed -mr` output; lines it does not know are skipped.
        public static func parse(_ output: String) -> Results {
            var results = Results()
            var sizes: [Int] = []
            for rawLine in output.split(whereSeparator: \.isNewline) {
                let line = rawLine.trimmingCharacters(in: .whitespaces)
                guard line.hasPrefix("+") else { continue }
                let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard let tag = fields.first else { continue }
                func number(_ index: Int) -> Double? {
                    guard index < fields.count, let value = Double(fields[index]), value.isFinite, value >= 0 else {
                        return nil
                    }
                    return value
                }
                func integer(_ index: Int) -> Int? { index < fields.count ? Int(fields[index]) : nil }
                switch tag {
                case "+H":
                    sizes = fields.dropFirst().compactMap { Int($0) }
                case "+F":
                    // +F:index:name:v1:v2…; the name may itself contain ':'.
                    guard !sizes.isEmpty, fields.count >= 3 + sizes.count else { continue }
                    let values = fields.suffix(sizes.count).compactMap { Double($0) }
                    guard values.count == sizes.count else { continue }
                    let name = fields[2..<(fields.count - sizes.count)].joined(separator: ":")
                    for (size, value) in zip(sizes, values) {
                        results.throughput.append(Throughput(name: name, bytes: size, bytesPerSecond: value))
                    }
                case "+F2", "+F4":
                    guard let bits = integer(2), let sign = number(3), let verify = number(4) else { continue }
                    if tag == "+F2" {
                        results.rsa[bits] = SignVerify(sign: sign, verify: verify)
                    } else {
                        results.ecdsa[bits] = SignVerify(sign: sign, verify: verify)
                    }
                case "+F5", "+F8":
                    guard let bits = integer(2), let rate = number(3) else { continue }
                    if tag == "+F5" { results.ecdh[bits] = rate } else { results.ffdh[bits] = rate }
                case "+F6":
                    guard fields.count > 3, let sign = number(4), let verify = number(5) else { continue }
                    results.eddsa[fields[3]] = SignVerify(sign: sign, verify: verify)
                default:
                    continue
                }
            }
            return results
        }

        /// The first throughput figure for `bytes` (a single-cipher run has one).
        public func throughput(bytes: Int) -> Throughput? {
            throughput.first { $0.bytes == bytes }
        }
    }
}
