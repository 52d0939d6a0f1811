import Foundation
import IKECrypto
import IKEWire

/// `cygnet bench crypto`: the transforms of ``CryptoProvider/default`` (with
/// ``CryptoProvider/addingLegacyTransforms()`` for 3DES and MODP 1024/1536), measured as
/// the daemon uses them, beside what `openssl speed` reports for the same primitives on
/// the same machine in the same run.
///
/// - Key exchange: for every method of the provider, the initiator's `generate`, the
///   responder's `respond`, the initiator's `complete`, and a whole `exchange` (all three).
/// - AEADs: seal and open in place on a preallocated ESP-shaped packet (8-byte SPI and
///   sequence number as AAD, 8-byte IV, payload, ICV) through one context made once, as
///   an SA does.
/// - Ciphers: encrypt and decrypt in place; integrity: ICV computed and verified.
/// - Signatures: AUTH signatures made through ``AuthenticationSigner`` and checked
///   through ``AuthenticationVerifier``, keys generated once.
///
/// Time is this thread's CPU time; each figure is the median of several rounds after a
/// warm-up (see ``BenchTimer``). openssl runs after our measurements, one primitive at a
/// time, so the two never compete for the CPU.
public struct CryptoBenchmark: Sendable {
    /// How much of `openssl speed` to run.
    public enum OpenSSLComparison: String, Codable, Sendable {
        /// Every primitive openssl has an equivalent for.
        case all
        /// Only the gate's AES-256-GCM 1400-byte seal (about one second).
        case gateOnly
        /// None.
        case none
    }

    public var rounds: Int
    /// Target CPU seconds per timed round.
    public var secondsPerRound: Double
    public var comparison: OpenSSLComparison
    /// `-seconds` for each `openssl speed` run.
    public var opensslSeconds: Int
    public var sections: [CryptoBenchmarkReport.Section]
    /// Payload sizes for the symmetric sections.
    public var payloadSizes: [Int]
    /// Length of the octets signed, about an IKE_SA_INIT message plus nonce and prf output.
    public var signedOctetsLength: Int

    public init(
        rounds: Int = 5, secondsPerRound: Double = 0.05, comparison: OpenSSLComparison = .all, opensslSeconds: Int = 1,
        sections: [CryptoBenchmarkReport.Section] = CryptoBenchmarkReport.Section.allCases,
        payloadSizes: [Int] = [1400, 64], signedOctetsLength: Int = 512
    ) {
        self.rounds = max(1, rounds)
        self.secondsPerRound = max(0, secondsPerRound)
        self.comparison = comparison
        self.opensslSeconds = max(1, opensslSeconds)
        self.sections = sections
        self.payloadSizes = payloadSizes.filter { $0 > 0 }
        self.signedOctetsLength = max(1, signedOctetsLength)
    }

    /// A few seconds in all: three short rounds per figure, openssl for the gate only.
    public static var quick: CryptoBenchmark {
        CryptoBenchmark(rounds: 3, secondsPerRound: 0.002, comparison: .gateOnly)
    }

    /// The gate's payload size and the openssl run it compares with.
    static let gatePayload = 1400
    static let gateAlgorithm = "AES-256-GCM-16"
    static let gateProbe = OpenSSLSpeed.Probe.cipher(evp: "aes-256-gcm", bytes: gatePayload, aead: true, decrypt: false)
    static let gateTarget = 0.8

    /// Runs every section, then openssl, and builds the report. `progress` receives a
    /// short line as each group starts.
    public func run(environment: BenchEnvironment, progress: (String) -> Void = { _ in }) throws
        -> CryptoBenchmarkReport
    {
        var session = Session(
            timer: BenchTimer(rounds: rounds, secondsPerRound: secondsPerRound), counter: AllocationCounter.current)
        let provider = CryptoProvider.default.addingLegacyTransforms()
        for section in CryptoBenchmarkReport.Section.allCases where sections.contains(section) {
            progress("measuring \(section.rawValue)")
            switch section {
            case .keyExchange: try measureKeyExchange(provider, into: &session)
            case .aead: try measureAEADs(provider, into: &session)
            case .cipher: try measureCiphers(provider, into: &session)
            case .integrity: try measureIntegrity(provider, into: &session)
            case .signature: try measureSignatures(into: &session)
            }
        }
        let openssl = compare(&session, progress: progress)
        return CryptoBenchmarkReport(
            environment: environment, rounds: rounds, secondsPerRound: secondsPerRound,
            allocationCountingUnavailable: session.counter == nil ? AllocationCounter.unavailableReason : nil,
            openssl: openssl, measurements: session.measurements.map(\.measurement), gate: gate(session),
            notes: notes(openssl: openssl))
    }

    /// A `progress` handler for the command line: "cygnet bench crypto: LINE" on stderr,
    /// so `--json` output on stdout stays clean.
    public static func printToStandardError(_ line: String) {
        FileHandle.standardError.write(Data("cygnet bench crypto: \(line)\n".utf8))
    }

    // MARK: - Sections

    private func measureKeyExchange(_ provider: CryptoProvider, into session: inout Session) throws {
        var random = SystemRandomSource()
        let methods = provider.keyExchangeMethods.values.sorted { $0.id.rawValue < $1.id.rawValue }
        for method in methods {
            let label = Self.keyExchangeLabel(method)
            let share = try method.generate(using: &random)
            let answer = try method.respond(to: share.publicValue, using: &random)
            guard try share.complete(peerValue: answer.publicValue) == answer.sharedSecret else {
                throw BenchmarkFailure(description: "\(label): the two sides derived different secrets")
            }
            try session.record(.keyExchange, label, "generate") { count in
                var sum = 0
                for _ in 0..<count { sum &+= try method.generate(using: &random).publicValue.count }
                return sum
            }
            try session.record(.keyExchange, label, "respond") { count in
                var sum = 0
                for _ in 0..<count { sum &+= try method.respond(to: share.publicValue, using: &random).publicValue.count }
                return sum
            }
            try session.record(.keyExchange, label, "complete", reference: Self.keyExchangeReference(method)) { count in
                var sum = 0
                for _ in 0..<count { sum &+= try share.complete(peerValue: answer.publicValue).count }
                return sum
            }
            try session.record(.keyExchange, label, "exchange") { count in
                var sum = 0
                for _ in 0..<count {
                    let initiator = try method.generate(using: &random)
                    let responder = try method.respond(to: initiator.publicValue, using: &random)
                    sum &+= try initiator.complete(peerValue: responder.publicValue).count
                }
                return sum
            }
        }
    }

    private func measureAEADs(_ provider: CryptoProvider, into session: inout Session) throws {
        let table: [(label: String, id: EncryptionAlgorithmID, bits: Int?, evp: String, note: String?)] = [
            ("AES-128-GCM-16", .aesGCM16, 128, "aes-128-gcm", nil),
            ("AES-256-GCM-16", .aesGCM16, 256, "aes-256-gcm", nil),
            ("AES-256-GCM-12", .aesGCM12, 256, "aes-256-gcm", "openssl with its 16-byte tag"),
            ("AES-256-GCM-8", .aesGCM8, 256, "aes-256-gcm", "openssl with its 16-byte tag"),
            ("ChaCha20-Poly1305", .chacha20Poly1305, nil, "chacha20-poly1305", nil),
        ]
        var random = SystemRandomSource()
        for entry in table {
            guard case .aead(let aead) = try provider.encryptionAlgorithm(entry.id, keyBits: entry.bits) else {
                throw BenchmarkFailure(description: "\(entry.label) is not an AEAD in the provider")
            }
            let context = try aead.makeContext(keyMaterial: random.secretBytes(aead.keyMaterialLength))
            for size in payloadSizes {
                // ESP (RFC 4303 §2, RFC 4106 §3 and §5): SPI ‖ sequence number (the AAD),
                // IV, payload, ICV.
                let packet = BenchPacketBuffer(byteCount: 16 + size + aead.icvLength)
                defer { packet.deallocate() }
                let aad = UnsafeRawBufferPointer(packet.slice(0, 8))
                let iv = packet.slice(8, 8)
                let data = packet.slice(16, size)
                let icv = packet.slice(16 + size, aead.icvLength)
                var sequence: UInt64 = 0
                try session.record(
                    .aead, entry.label, "seal", bytes: size,
                    reference: Self.cipherReference(evp: entry.evp, bytes: size, aead: true, decrypt: false, note: entry.note)
                ) { count in
                    for _ in 0..<count {
                        sequence &+= 1
                        packet.bytes.storeBytes(of: UInt32(truncatingIfNeeded: sequence).bigEndian, toByteOffset: 4, as: UInt32.self)
                        packet.bytes.storeBytes(of: sequence.bigEndian, toByteOffset: 8, as: UInt64.self)
                        try context.seal(iv: UnsafeRawBufferPointer(iv), aad: aad, data: data, icv: icv)
                    }
                    return Int(icv[0])
                }
                // Open destroys the ciphertext, so each open first restores the sealed bytes.
                try context.seal(iv: UnsafeRawBufferPointer(iv), aad: aad, data: data, icv: icv)
                let sealed = packet.slice(16, size + aead.icvLength)
                let pristine = [UInt8](UnsafeRawBufferPointer(sealed))
                let openNote = [entry.note, "ours copies the sealed payload and ICV back before each open (open decrypts in place)"]
                    .compactMap { $0 }.joined(separator: "; ")
                try pristine.withUnsafeBytes { pristine in
                    try session.record(
                        .aead, entry.label, "open", bytes: size,
                        reference: Self.cipherReference(evp: entry.evp, bytes: size, aead: true, decrypt: true, note: openNote)
                    ) { count in
                        for _ in 0..<count {
                            sealed.copyMemory(from: pristine)
                            try context.open(iv: UnsafeRawBufferPointer(iv), aad: aad, data: data, icv: UnsafeRawBufferPointer(icv))
                        }
                        return Int(data[0])
                    }
                }
            }
        }
    }

    private func measureCiphers(_ provider: CryptoProvider, into session: inout Session) throws {
        let table: [(label: String, id: EncryptionAlgorithmID, bits: Int?, evp: String)] = [
            ("AES-128-CBC", .aesCBC, 128, "aes-128-cbc"),
            ("AES-256-CBC", .aesCBC, 256, "aes-256-cbc"),
            ("AES-256-CTR", .aesCTR, 256, "aes-256-ctr"),
            ("3DES-CBC", .tripleDES, nil, "des-ede3-cbc"),
        ]
        var random = SystemRandomSource()
        for entry in table {
            guard case .cipher(let cipher) = try provider.encryptionAlgorithm(entry.id, keyBits: entry.bits) else {
                throw BenchmarkFailure(description: "\(entry.label) is not a cipher in the provider")
            }
            let context = try cipher.makeContext(key: random.secretBytes(cipher.keyMaterialLength))
            for size in payloadSizes {
                // ESP pads the payload to the cipher's block size (RFC 4303 §2.4).
                let length = (size + cipher.blockSize - 1) / cipher.blockSize * cipher.blockSize
                let note = length == size ? nil : "ours \(length) bytes (padded to the \(cipher.blockSize)-byte block), compared in bytes/s"
                let packet = BenchPacketBuffer(byteCount: 8 + cipher.ivLength + length)
                defer { packet.deallocate() }
                let iv = packet.slice(8, cipher.ivLength)
                let data = packet.slice(8 + cipher.ivLength, length)
                var counter: UInt64 = 0
                try session.record(
                    .cipher, entry.label, "encrypt", bytes: length,
                    reference: Self.cipherReference(evp: entry.evp, bytes: size, aead: false, decrypt: false, note: note)
                ) { count in
                    for _ in 0..<count {
                        counter &+= 1
                        iv.storeBytes(of: counter, as: UInt64.self)
                        try context.encrypt(iv: UnsafeRawBufferPointer(iv), data: data)
                    }
                    return Int(data[0])
                }
                try session.record(
                    .cipher, entry.label, "decrypt", bytes: length,
                    reference: Self.cipherReference(evp: entry.evp, bytes: size, aead: false, decrypt: true, note: note)
                ) { count in
                    for _ in 0..<count { try context.decrypt(iv: UnsafeRawBufferPointer(iv), data: data) }
                    return Int(data[0])
                }
            }
        }
    }

    private func measureIntegrity(_ provider: CryptoProvider, into session: inout Session) throws {
        let table: [(label: String, id: IntegrityAlgorithmID, digest: String?)] = [
            ("HMAC-SHA2-256-128", .hmacSHA2_256_128, "sha256"),
            ("HMAC-SHA1-96", .hmacSHA1_96, "sha1"),
            ("AES-XCBC-96", .aesXCBC96, nil),
        ]
        var random = SystemRandomSource()
        for entry in table {
            let algorithm = try provider.integrityAlgorithm(entry.id)
            let context = try algorithm.makeContext(key: random.secretBytes(algorithm.keyLength))
            for size in payloadSizes {
                let packet = BenchPacketBuffer(byteCount: size + context.icvLength)
                defer { packet.deallocate() }
                let data = UnsafeRawBufferPointer(packet.slice(0, size))
                let icv = packet.slice(size, context.icvLength)
                let reference = entry.digest.map { Self.hmacReference(digest: $0, bytes: size) }
                session.record(.integrity, entry.label, "compute", bytes: size, reference: reference) { count in
                    for _ in 0..<count { context.authenticate(data, icv: icv) }
                    return Int(icv[0])
                }
                context.authenticate(data, icv: icv)
                try session.record(.integrity, entry.label, "verify", bytes: size, reference: reference) { count in
                    var valid = 0
                    for _ in 0..<count where context.verify(data, icv: UnsafeRawBufferPointer(icv)) { valid += 1 }
                    guard valid == count else { throw BenchmarkFailure(description: "\(entry.label) ICV did not verify") }
                    return valid
                }
            }
        }
    }

    private func measureSignatures(into session: inout Session) throws {
        let p256 = try PrivateKey.generate(.p256)
        let p384 = try PrivateKey.generate(.p384)
        let ed25519 = try PrivateKey.generate(.ed25519)
        let rsa = try PrivateKey.generate(.rsa(bits: 2048))
        let table: [(label: String, key: PrivateKey, scheme: SignatureScheme, openssl: String)] = [
            ("ECDSA P-256 SHA-256, method 9", p256, .ecdsaP256SHA256, "ecdsap256"),
            ("ECDSA P-256 SHA-256, method 14", p256, .ecdsa(.sha2_256), "ecdsap256"),
            ("ECDSA P-384 SHA-384, method 10", p384, .ecdsaP384SHA384, "ecdsap384"),
            ("ECDSA P-384 SHA-384, method 14", p384, .ecdsa(.sha2_384), "ecdsap384"),
            ("Ed25519, method 14", ed25519, .ed25519, "ed25519"),
            ("RSA-2048 v1.5 SHA-256, method 14", rsa, .rsaPKCS1v15(.sha2_256), "rsa2048"),
            ("RSA-2048 PSS SHA-256, method 14", rsa, .rsaPSS(.sha2_256, saltLength: 32), "rsa2048"),
        ]
        var random = SystemRandomSource()
        let octets = random.bytes(signedOctetsLength)
        let note = "openssl signs a precomputed digest; ours hashes \(signedOctetsLength) octets and builds the AUTH data"
        for entry in table {
            let publicKey = entry.key.publicKey
            let signature = try entry.key.sign(octets: octets, scheme: entry.scheme, random: &random)
            try AuthenticationVerifier.verify(
                octets: octets, authMethod: signature.method, authData: signature.data, publicKey: publicKey)
            try session.record(
                .signature, entry.label, "sign", reference: Self.signatureReference(entry.openssl, verify: false, note: note)
            ) { count in
                var sum = 0
                for _ in 0..<count { sum &+= try entry.key.sign(octets: octets, scheme: entry.scheme, random: &random).data.count }
                return sum
            }
            try session.record(
                .signature, entry.label, "verify", reference: Self.signatureReference(entry.openssl, verify: true, note: note)
            ) { count in
                var sum = 0
                for _ in 0..<count {
                    let scheme = try AuthenticationVerifier.verify(
                        octets: octets, authMethod: signature.method, authData: signature.data, publicKey: publicKey)
                    sum &+= scheme.hashValue & 1
                }
                return sum
            }
        }
    }

    // MARK: - openssl

    /// Runs the openssl probes the measurements refer to (all of them, or the gate's) and
    /// attaches the comparisons.
    private func compare(_ session: inout Session, progress: (String) -> Void) -> CryptoBenchmarkReport.OpenSSLInfo {
        var info = CryptoBenchmarkReport.OpenSSLInfo(seconds: opensslSeconds)
        guard comparison != .none else {
            info.unavailable = "comparison turned off"
            return info
        }
        guard let openssl = OpenSSLSpeed.locate(seconds: opensslSeconds) else {
            info.unavailable = "openssl not installed: no comparison"
            return info
        }
        info.version = openssl.version()
        var probes: [OpenSSLSpeed.Probe] = []
        var publicKeyAlgorithms: [String] = []
        for pending in session.measurements {
            guard let reference = pending.reference else { continue }
            switch reference.probe {
            case .publicKey(let algorithms):
                guard comparison == .all else { continue }
                for algorithm in algorithms where !publicKeyAlgorithms.contains(algorithm) {
                    publicKeyAlgorithms.append(algorithm)
                }
            case .cipher, .hmac:
                guard comparison == .all || reference.probe == Self.gateProbe else { continue }
                if !probes.contains(reference.probe) { probes.append(reference.probe) }
            }
        }
        if !publicKeyAlgorithms.isEmpty { probes.append(.publicKey(publicKeyAlgorithms)) }
        var results: [OpenSSLSpeed.Probe: OpenSSLSpeed.Results] = [:]
        var publicKeyResults: OpenSSLSpeed.Results?
        for (index, probe) in probes.enumerated() {
            let command = openssl.commandLine(probe)
            progress("openssl \(index + 1)/\(probes.count): \(command)")
            info.commands.append(command)
            do {
                let result = try openssl.run(probe)
                if case .publicKey = probe { publicKeyResults = result } else { results[probe] = result }
            } catch {
                info.failures.append(error.description)
            }
        }
        for index in session.measurements.indices {
            guard let reference = session.measurements[index].reference else { continue }
            let result: OpenSSLSpeed.Results?
            let command: String
            switch reference.probe {
            case .publicKey(let algorithms):
                result = publicKeyResults
                command = "openssl speed -seconds \(opensslSeconds) \(algorithms.joined(separator: " "))"
            case .cipher, .hmac:
                result = results[reference.probe]
                command = openssl.commandLine(reference.probe).replacingOccurrences(of: " -mr", with: "")
            }
            guard let result, let figure = reference.extract(result), figure.operationsPerSecond > 0 else { continue }
            let ours = session.measurements[index].measurement
            let ratio: Double
            if let theirs = figure.bytesPerSecond, let mine = ours.bytesPerSecond, theirs > 0 {
                ratio = mine / theirs
            } else {
                ratio = ours.operationsPerSecond / figure.operationsPerSecond
            }
            session.measurements[index].measurement.openssl = CryptoBenchmarkReport.Comparison(
                command: command, operationsPerSecond: figure.operationsPerSecond,
                bytesPerSecond: figure.bytesPerSecond, ratio: ratio, note: reference.note)
        }
        return info
    }

    private func gate(_ session: Session) -> CryptoBenchmarkReport.Gate {
        let measurement = session.measurements.map(\.measurement).first {
            $0.section == .aead && $0.algorithm == Self.gateAlgorithm && $0.operation == "seal"
                && $0.bytes == Self.gatePayload
        }
        let ratio = measurement?.openssl?.ratio
        let prefix = "AES-256-GCM \(Self.gatePayload) B in-place seal"
        let description: String
        if let ratio {
            description =
                "\(prefix): \(String(format: "%.0f", ratio * 100))% of openssl speed -aead (target ≥ "
                + "\(Int(Self.gateTarget * 100))%): \(ratio >= Self.gateTarget ? "PASS" : "FAIL")"
        } else if measurement == nil {
            description = "\(prefix): not measured"
        } else {
            description = "\(prefix): no openssl figure to compare with (target ≥ \(Int(Self.gateTarget * 100))%)"
        }
        return CryptoBenchmarkReport.Gate(
            description: description, ratio: ratio, target: Self.gateTarget, passed: ratio.map { $0 >= Self.gateTarget })
    }

    private func notes(openssl: CryptoBenchmarkReport.OpenSSLInfo) -> [String] {
        var notes = [
            "ours: CPU time of the measuring thread (user + system); openssl speed: the process's user CPU time "
                + "(its default); both single-threaded, run one after the other.",
            "AEAD packets are ESP-shaped (RFC 4303, RFC 4106): 8-byte SPI and sequence number as AAD, 8-byte IV, "
                + "payload, ICV; one AEADContext per SA, sealed and opened in place, sequence and IV new per packet. "
                + "openssl -aead runs a TLS-like init/AAD/update/final/tag sequence per packet; with -decrypt it "
                + "checks a fake tag.",
            "Gbit/s is payload bytes x 8 / 1e9 per CPU second; ratio is ours / openssl (bytes/s for symmetric "
                + "primitives, operations/s otherwise).",
            "key exchange: exchange = initiator generate + responder respond + initiator complete (both sides of "
                + "one exchange); complete (DH shared secret or KEM decapsulation, peer value checked) is the "
                + "figure compared with openssl's ecdh/ffdh derive. Randomness: SystemRandomSource.",
            "MODP is compared with openssl's RFC 7919 ffdhe group of the same size and its default short "
                + "private exponent; ours uses the RFC 3526 group and the exponent length shown.",
        ]
        if let unavailable = openssl.unavailable, comparison != .none {
            notes.append(unavailable)
        }
        return notes
    }

    // MARK: - Labels and references

    static func keyExchangeLabel(_ method: any KeyExchangeMethod) -> String {
        let id = method.id
        let name: String
        if let modp = method as? MODPKeyExchange {
            name = "MODP-\(modp.primeBits) (\(modp.exponentBits)-bit exp)"
        } else {
            switch id {
            case .ecp256: name = "ECP-256"
            case .ecp384: name = "ECP-384"
            case .ecp521: name = "ECP-521"
            case .curve25519: name = "Curve25519"
            case .mlKEM768: name = "ML-KEM-768"
            case .mlKEM1024: name = "ML-KEM-1024"
            default: name = "\(id)"
            }
        }
        return "\(name) [\(id.rawValue)]"
    }

    static func keyExchangeReference(_ method: any KeyExchangeMethod) -> Reference? {
        let algorithm: String
        let bits: Int
        if let modp = method as? MODPKeyExchange {
            guard modp.primeBits >= 2048 else { return nil }
            algorithm = "ffdh\(modp.primeBits)"
            bits = modp.primeBits
            return Reference(probe: .publicKey([algorithm]), note: nil) { results in
                results.ffdh[bits].map { Figure(operationsPerSecond: $0) }
            }
        }
        switch method.id {
        case .ecp256: (algorithm, bits) = ("ecdhp256", 256)
        case .ecp384: (algorithm, bits) = ("ecdhp384", 384)
        case .ecp521: (algorithm, bits) = ("ecdhp521", 521)
        case .curve25519: (algorithm, bits) = ("ecdhx25519", 253)
        default: return nil
        }
        let note = method.id == .curve25519 ? nil : "ours parses and checks the peer's x‖y point"
        return Reference(probe: .publicKey([algorithm]), note: note) { results in
            results.ecdh[bits].map { Figure(operationsPerSecond: $0) }
        }
    }

    static func cipherReference(evp: String, bytes: Int, aead: Bool, decrypt: Bool, note: String?) -> Reference {
        Reference(probe: .cipher(evp: evp, bytes: bytes, aead: aead, decrypt: decrypt), note: note) { results in
            results.throughput(bytes: bytes).map {
                Figure(operationsPerSecond: $0.operationsPerSecond, bytesPerSecond: $0.bytesPerSecond)
            }
        }
    }

    static func hmacReference(digest: String, bytes: Int) -> Reference {
        Reference(probe: .hmac(digest: digest, bytes: bytes), note: "openssl re-keys each HMAC; ours copies a keyed one") {
            results in
            results.throughput(bytes: bytes).map {
                Figure(operationsPerSecond: $0.operationsPerSecond, bytesPerSecond: $0.bytesPerSecond)
            }
        }
    }

    static func signatureReference(_ algorithm: String, verify: Bool, note: String) -> Reference {
        Reference(probe: .publicKey([algorithm]), note: note) { results in
            let pair: OpenSSLSpeed.Results.SignVerify?
            switch algorithm {
            case "ed25519": pair = results.eddsa["Ed25519"]
            case "ecdsap256": pair = results.ecdsa[256]
            case "ecdsap384": pair = results.ecdsa[384]
            case "ecdsap521": pair = results.ecdsa[521]
            default:
                pair = algorithm.hasPrefix("rsa") ? Int(algorithm.dropFirst(3)).flatMap { results.rsa[$0] } : nil
            }
            return pair.map { Figure(operationsPerSecond: verify ? $0.verify : $0.sign) }
        }
    }

    // MARK: - Session

    /// openssl's figure for a primitive.
    struct Figure {
        var operationsPerSecond: Double
        var bytesPerSecond: Double?
    }

    /// Which openssl run a measurement compares with, and how to read its figure.
    struct Reference {
        var probe: OpenSSLSpeed.Probe
        var note: String?
        var extract: (OpenSSLSpeed.Results) -> Figure?
    }

    /// A measurement and its openssl reference, before the comparison is attached.
    struct Pending {
        var measurement: CryptoBenchmarkReport.Measurement
        var reference: Reference?
    }

    /// The measurements taken so far.
    struct Session {
        let timer: BenchTimer
        let counter: AllocationCounter?
        var measurements: [Pending] = []

        mutating func record(
            _ section: CryptoBenchmarkReport.Section, _ algorithm: String, _ operation: String, bytes: Int? = nil,
            reference: Reference? = nil, _ body: (Int) throws -> Int
        ) rethrows {
            let timing = try timer.measure(body)
            var allocations: Double?
            if let counter {
                let count = max(1, min(timing.iterationsPerRound, 1000))
                let before = counter.count
                _ = BenchTimer.sink(try body(count))
                allocations = Double(counter.count &- before) / Double(count)
            }
            measurements.append(
                Pending(
                    measurement: CryptoBenchmarkReport.Measurement(
                        section: section, algorithm: algorithm, operation: operation, bytes: bytes,
                        operationsPerSecond: timing.operationsPerSecond,
                        roundOperationsPerSecond: timing.roundOperationsPerSecond,
                        iterationsPerRound: timing.iterationsPerRound,
                        bytesPerSecond: bytes.map { Double($0) * timing.operationsPerSecond },
                        allocationsPerOperation: allocations),
                    reference: reference))
        }
    }

    /// A benchmark that cannot run meaningfully (a transform missing, a self-check failed).
    public struct BenchmarkFailure: Error, CustomStringConvertible {
        public var description: String
    }
}
