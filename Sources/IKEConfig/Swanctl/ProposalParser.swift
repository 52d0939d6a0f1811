import IKEWire

/// Turns one item of a `proposals` or `esp_proposals` list into proposal templates,
/// with strongSwan's rules (`proposal_create_from_string` and `check_proposal` in
/// strongSwan's `proposal.c`):
///
/// - Keywords are separated by `-`; the order of different kinds does not matter, the
///   order within a kind is the preference.
/// - IKE: without a PRF keyword the PRFs follow the integrity algorithms (`sha256` gives
///   `prfsha256`); a PRF and a key exchange method are mandatory; `none` is dropped.
/// - AEAD and classic encryption cannot share a proposal; with AEADs, integrity
///   algorithms are dropped; classic encryption needs an integrity algorithm.
/// - ESP: PRFs are dropped; without `esn`/`noesn` the proposal offers no ESN.
/// - `default` stands for strongSwan's default proposals (see ``DefaultProposals``).
public enum ProposalParser {
    /// The templates for one item (two for `default`).
    public static func parse(_ item: String, for proto: ProposalProtocol) throws(ProposalSyntaxError) -> [ProposalTemplate] {
        if item.lowercased() == "default" {
            return DefaultProposals.templates(for: proto)
        }
        if item.hasSuffix("!") {
            throw ProposalSyntaxError(
                "'!' after a proposal is ipsec.conf syntax", hint: "swanctl.conf proposals are strict already: remove the '!'",
                offset: item.unicodeScalars.count - 1)
        }
        var encryption: [ProposalTemplate.EncryptionChoice] = []
        var integrity: [IntegrityAlgorithmID] = []
        var prfs: [PseudorandomFunctionID] = []
        var keyExchanges: [KeyExchangeMethodID] = []
        var sequenceNumbers: [SequenceNumbersID] = []
        var offset = 0
        for token in item.split(separator: "-", omittingEmptySubsequences: false) {
            defer { offset += token.unicodeScalars.count + 1 }
            let keyword = String(token).trimmingBlanks()
            guard !keyword.isEmpty else {
                throw ProposalSyntaxError("empty algorithm keyword in '\(item)'", hint: "check for a doubled or trailing '-'", offset: offset)
            }
            if keyword.lowercased().hasPrefix("ke"), keyword.count > 4, keyword.dropFirst(2).first.map({ ("1"..."7").contains($0) }) == true,
                keyword.dropFirst(3).first == "_"
            {
                throw ProposalSyntaxError(
                    "'\(keyword)' is an additional key exchange (RFC 9370), which Cygnet does not support yet",
                    hint: "remove it; the proposal's other key exchange method still applies", offset: offset, isUnsupported: true)
            }
            guard let entry = ProposalKeyword.lookUp(keyword) else {
                let hint = EditDistance.closest(to: keyword, among: ProposalKeyword.supportedKeywords).map { "did you mean '\($0)'?" }
                throw ProposalSyntaxError(
                    "unknown algorithm keyword '\(keyword)' in \(proto.label) proposal '\(item)'",
                    hint: hint ?? "see Docs/configuration.md for the supported keywords", offset: offset)
            }
            guard let algorithm = entry.algorithm else {
                throw ProposalSyntaxError(
                    "'\(keyword)' (\(entry.name)) is a strongSwan keyword, but Cygnet does not implement that algorithm",
                    hint: alternative(for: keyword), offset: offset, isUnsupported: true)
            }
            switch algorithm {
            case .encryption(let id, let keyBits):
                if proto == .ike, id == .null {
                    throw ProposalSyntaxError(
                        "'null' encryption is only allowed in ESP proposals", hint: "use e.g. aes256gcm16", offset: offset)
                }
                append(ProposalTemplate.EncryptionChoice(id, keyBits: keyBits), to: &encryption)
            case .integrity(let id): append(id, to: &integrity)
            case .pseudorandomFunction(let id): append(id, to: &prfs)
            case .keyExchange(let id): append(id, to: &keyExchanges)
            case .sequenceNumbers(let id): append(id, to: &sequenceNumbers)
            }
        }
        let protocolName = proto.label
        guard !encryption.isEmpty else {
            throw ProposalSyntaxError(
                "an encryption algorithm is mandatory in \(protocolName) proposals ('\(item)' has none)",
                hint: "add e.g. aes256gcm16 or aes256")
        }
        let aeadCount = encryption.filter { $0.id.isAEAD }.count
        if aeadCount > 0, aeadCount < encryption.count {
            throw ProposalSyntaxError(
                "classic and combined-mode (AEAD) encryption algorithms can't be contained in the same \(protocolName) proposal ('\(item)')",
                hint: "split it into two proposals separated by a comma")
        }
        let isAEAD = aeadCount > 0
        if isAEAD { integrity = [] }
        switch proto {
        case .ike:
            if prfs.isEmpty { prfs = integrity.compactMap(\.matchingPRF) }
            guard !prfs.isEmpty else {
                throw ProposalSyntaxError(
                    "a PRF algorithm is mandatory in IKE proposals ('\(item)' has none)",
                    hint: isAEAD ? "add e.g. prfsha256 (an AEAD has no integrity algorithm to derive it from)" : "add e.g. prfsha256")
            }
            if !isAEAD, integrity.isEmpty {
                throw ProposalSyntaxError(
                    "an integrity algorithm is mandatory in IKE proposals with classic (non-AEAD) encryption algorithms ('\(item)')",
                    hint: "add e.g. sha256, or use an AEAD such as aes256gcm16")
            }
            keyExchanges.removeAll { $0 == .none }
            guard !keyExchanges.isEmpty else {
                throw ProposalSyntaxError(
                    "a key exchange method is mandatory in IKE proposals ('\(item)' has none)", hint: "add e.g. x25519 or ecp256 or modp2048")
            }
            if !sequenceNumbers.isEmpty {
                throw ProposalSyntaxError("'esn'/'noesn' only apply to ESP proposals", hint: "remove it from the IKE proposal")
            }
        case .esp:
            prfs = []
            if !isAEAD, integrity.isEmpty {
                throw ProposalSyntaxError(
                    "an integrity algorithm is mandatory in ESP proposals with classic (non-AEAD) encryption algorithms ('\(item)')",
                    hint: "add e.g. sha256, or use an AEAD such as aes256gcm16")
            }
            if keyExchanges.allSatisfy({ $0 == .none }) { keyExchanges = [] }
            if sequenceNumbers.isEmpty { sequenceNumbers = [.noExtendedSequenceNumbers] }
        }
        return [
            ProposalTemplate(
                encryption: encryption, pseudorandomFunctions: prfs, integrity: integrity, keyExchangeMethods: keyExchanges,
                sequenceNumbers: sequenceNumbers)
        ]
    }

    private static func append<T: Equatable>(_ value: T, to list: inout [T]) {
        if !list.contains(value) { list.append(value) }
    }

    /// A supported keyword of the same kind to suggest instead of an unsupported one.
    private static func alternative(for keyword: String) -> String {
        let lower = keyword.lowercased()
        if lower.hasPrefix("prf") { return "use e.g. prfsha256" }
        if lower.hasPrefix("modp") || lower.hasPrefix("ecp") || lower.hasPrefix("curve") || lower.hasPrefix("x448")
            || lower.hasPrefix("mlkem") || lower.hasPrefix("ntru") || lower.hasPrefix("kyber")
        {
            return "use e.g. x25519, ecp256, modp3072 or mlkem768"
        }
        if lower.hasPrefix("sha") || lower.hasPrefix("md5") || lower.hasSuffix("xcbc") { return "use e.g. sha256" }
        return "use e.g. aes256gcm16, aes256 or chacha20poly1305"
    }
}

extension EncryptionAlgorithmID {
    /// Whether the transform is a combined-mode (AEAD) cipher, which takes no integrity
    /// algorithm (RFC 5282).
    var isAEAD: Bool {
        switch self {
        case .aesGCM8, .aesGCM12, .aesGCM16, .aesCCM8, .aesCCM12, .aesCCM16, .chacha20Poly1305: true
        default: false
        }
    }
}

extension IntegrityAlgorithmID {
    /// The PRF strongSwan derives from an integrity algorithm when an IKE proposal names
    /// no PRF (`integ_prf_map` in strongSwan's `proposal.c`).
    var matchingPRF: PseudorandomFunctionID? {
        switch self {
        case .hmacSHA1_96: .hmacSHA1
        case .hmacSHA2_256_128: .hmacSHA2_256
        case .hmacSHA2_384_192: .hmacSHA2_384
        case .hmacSHA2_512_256: .hmacSHA2_512
        case .aesXCBC96: .aes128XCBC
        case .aesCMAC96: .aes128CMAC
        default: nil
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
