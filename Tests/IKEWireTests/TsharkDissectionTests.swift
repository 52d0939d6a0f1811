import Foundation
import IKEWire
import NIOCore
import Testing

/// Wireshark's IKEv2 dissector, an independent implementation, reads what IKEWire's
/// encoder writes without calling anything malformed.
///
/// Every payload type of RFC 7296 §3 (and SKF, RFC 7383) is encoded into a pcap file
/// (Ethernet/IPv4/UDP 500, and UDP 4500 behind the non-ESP marker of RFC 3948 §2.2), and
/// `tshark` must report no "Malformed" packet and no expert error or warning. Payloads
/// that real peers carry inside SK are placed directly after the header here, since
/// tshark dissects a plain chain whatever the exchange.
@Suite("tshark dissects IKEWire's encoding")
struct TsharkDissectionTests {
    @Test("RFC 7296 §3: tshark finds every encoded payload type well formed")
    func tsharkDissectsEveryPayloadType() throws {
        let tshark = try #require(
            Self.findTshark(),
            "tshark is not installed: run `apt-get install tshark` (.ci/run installs it); this test does not skip")
        let messages = try Self.messages()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cygnet-tshark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pcap = directory.appendingPathComponent("ikewire.pcap")
        var file = PcapWriter()
        for (message, port) in messages {
            let encoded = Array(try message.encoded().readableBytesView)
            file.append(udpPayload: port == 4500 ? UDPEncapsulatedDatagram.nonESPMarker + encoded : encoded, port: port)
        }
        try Data(file.bytes).write(to: pcap)

        let verbose = try Self.run(tshark, ["-n", "-r", pcap.path, "-V"])
        let expert = try Self.run(tshark, ["-n", "-r", pcap.path, "-q", "-z", "expert,note"])
        let dissected = verbose.output.components(
            separatedBy: "Internet Security Association and Key Management Protocol").count - 1
        let problems = ["Malformed", "[Expert Info (Error", "[Expert Info (Warning"].filter(verbose.output.contains)
        let missing = Self.payloadNames.filter { !verbose.output.contains("Payload: \($0) (") }
        let expertProblems = ["Errors (", "Warns ("].filter(expert.output.contains)
        let isClean = verbose.status == 0 && expert.status == 0 && dissected == messages.count && problems.isEmpty
            && missing.isEmpty && expertProblems.isEmpty
        let kept = isClean ? "" : " (pcap kept at \(pcap.path))"
        if isClean { try? FileManager.default.removeItem(at: directory) }

        #expect(verbose.status == 0, "tshark -V failed\(kept): \(verbose.error)")
        #expect(expert.status == 0, "tshark -z expert,note failed\(kept): \(expert.error)")
        #expect(dissected == messages.count, "tshark dissected \(dissected) IKE messages of \(messages.count)\(kept)")
        #expect(problems.isEmpty, "tshark -V reports \(problems)\(kept):\n\(Self.excerpt(verbose.output, around: problems.first ?? ""))")
        #expect(missing.isEmpty, "tshark did not show payloads \(missing)\(kept)")
        #expect(expertProblems.isEmpty, "tshark expert info\(kept):\n\(expert.output)")
    }

    /// Wireshark's names of the payloads the messages carry, as `-V` prints them.
    static let payloadNames = [
        "Security Association", "Key Exchange", "Nonce", "Notify", "Vendor ID", "Certificate Request",
        "Identification - Initiator", "Identification - Responder", "Certificate", "Authentication",
        "Traffic Selector - Initiator", "Traffic Selector - Responder", "Configuration", "Delete",
        "Extensible Authentication", "Encrypted and Authenticated", "Encrypted and Authenticated Fragment",
    ]

    // MARK: - The messages

    static func messages() throws -> [(IKEMessage, port: UInt16)] {
        let spiI: UInt64 = 0x0102_0304_0506_0708
        let spiR: UInt64 = 0x1112_1314_1516_1718
        let ipv4 = TrafficSelector(type: .ipv4AddressRange, startAddress: [10, 0, 0, 0], endAddress: [10, 0, 0, 255])
        let ipv6 = TrafficSelector(
            type: .ipv6AddressRange, ipProtocolID: 6, startPort: 443, endPort: 443,
            startAddress: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 12),
            endAddress: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0xff, count: 12))
        let ikeProposals = [
            Proposal(number: 1, protocolID: .ike, transforms: [
                Transform(.aesGCM16, keyLength: 256), Transform(.hmacSHA2_384), Transform(.curve25519),
            ]),
            Proposal(number: 2, protocolID: .ike, transforms: [
                Transform(.aesCBC, keyLength: 128), Transform(.hmacSHA2_256), Transform(.hmacSHA2_256_128),
                Transform(.modp2048), Transform(.ecp256),
            ]),
        ]
        let espProposal = Proposal(number: 1, protocolID: .esp, spi: [0xc1, 0x00, 0x00, 0x01], transforms: [
            Transform(.aesGCM16, keyLength: 128), Transform(.noExtendedSequenceNumbers),
        ])

        let saInit = IKEMessage(
            header: IKEHeader(initiatorSPI: spiI, exchangeType: .ikeSAInit, flags: .initiator, messageID: 0),
            payloads: [
                .securityAssociation(SecurityAssociationPayload(proposals: ikeProposals)),
                .keyExchange(KeyExchangePayload(method: .curve25519, data: Array(repeating: 0x42, count: 32))),
                .nonce(NoncePayload(data: Array(0..<32))),
                .notify(NotifyPayload(type: .natDetectionSourceIP, data: Array(repeating: 0xaa, count: 20))),
                .notify(NotifyPayload(type: .natDetectionDestinationIP, data: Array(repeating: 0xbb, count: 20))),
                .notify(NotifyPayload(type: .ikev2FragmentationSupported)),
                .notify(NotifyPayload(type: .signatureHashAlgorithms, data: [0, 2, 0, 3, 0, 4])),
                .vendorID(VendorIDPayload(data: Array("Cygnet test vendor".utf8))),
                .certificateRequest(CertificateRequestPayload(
                    encoding: .x509Signature, certificationAuthority: Array(repeating: 0x5a, count: 40))),
            ])
        let authEncrypted = IKEMessage(
            header: IKEHeader(
                initiatorSPI: spiI, responderSPI: spiR, exchangeType: .ikeAuth, flags: .initiator, messageID: 1),
            payloads: [.encrypted(EncryptedPayload(firstPayloadType: .identificationInitiator,
                                                    data: Array(repeating: 0xe5, count: 300)))])
        let authPlain = IKEMessage(
            header: IKEHeader(
                initiatorSPI: spiI, responderSPI: spiR, exchangeType: .ikeAuth, flags: .initiator, messageID: 1),
            payloads: [
                .identificationInitiator(IdentificationPayload(type: .fqdn, data: Array("client.example.org".utf8))),
                // Hash and URL (RFC 7296 §3.6): tshark parses X.509 contents, which a test
                // has no need to forge.
                .certificate(CertificatePayload(
                    encoding: .hashAndURLOfX509Certificate,
                    data: Array(repeating: 0x3c, count: 20) + Array("http://ca.example.org/client.der".utf8))),
                .certificateRequest(CertificateRequestPayload(
                    encoding: .x509Signature, certificationAuthority: Array(repeating: 0x11, count: 20))),
                .identificationResponder(IdentificationPayload(type: .ipv4Address, data: [192, 0, 2, 1])),
                .authentication(AuthenticationPayload(method: .sharedKeyMIC, data: Array(repeating: 0x77, count: 32))),
                .configuration(ConfigurationPayload(type: .request, attributes: [
                    ConfigurationAttribute(type: .internalIP4Address), ConfigurationAttribute(type: .internalIP4DNS),
                    ConfigurationAttribute(type: .internalIP6Address),
                ])),
                .notify(NotifyPayload(type: .initialContact)),
                .securityAssociation(SecurityAssociationPayload(proposals: [espProposal])),
                .trafficSelectorInitiator(TrafficSelectorPayload(selectors: [ipv4, ipv6])),
                .trafficSelectorResponder(TrafficSelectorPayload(selectors: [ipv4])),
            ])
        let eap = IKEMessage(
            header: IKEHeader(
                initiatorSPI: spiI, responderSPI: spiR, exchangeType: .ikeAuth, flags: .response, messageID: 1),
            payloads: [
                .identificationResponder(IdentificationPayload(type: .fqdn, data: Array("vpn.example.org".utf8))),
                .extensibleAuthentication(EAPPayload(code: .request, identifier: 1, type: .identity)),
            ])
        let informational = IKEMessage(
            header: IKEHeader(
                initiatorSPI: spiI, responderSPI: spiR, exchangeType: .informational, flags: .initiator, messageID: 2),
            payloads: [
                .delete(DeletePayload(espSPIs: [0xc100_0001, 0xc100_0002])),
                .delete(DeletePayload(protocolID: .ike)),
                .notify(NotifyPayload(protocolID: .esp, spi: [0xc1, 0, 0, 1], type: .childSANotFound)),
                .configuration(ConfigurationPayload(type: .reply, attributes: [
                    ConfigurationAttribute(type: .internalIP4Address, value: [10, 0, 0, 7]),
                    ConfigurationAttribute(type: .internalIP4DNS, value: [10, 0, 0, 1]),
                ])),
            ])
        let fragment = IKEMessage(
            header: IKEHeader(
                initiatorSPI: spiI, responderSPI: spiR, exchangeType: .ikeAuth, flags: .initiator, messageID: 1),
            payloads: [.encryptedFragment(EncryptedFragmentPayload(
                firstPayloadType: .identificationInitiator, fragmentNumber: 1, totalFragments: 2,
                data: Array(repeating: 0xf5, count: 200)))])
        return [
            (saInit, 500), (authEncrypted, 500), (authPlain, 500), (eap, 500), (informational, 500),
            (authEncrypted, 4500), (fragment, 4500),
        ]
    }

    // MARK: - Running tshark

    static func findTshark() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("tshark")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read before waiting, so a large dissection cannot fill the pipe and stall tshark.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self),
                String(decoding: errorData, as: UTF8.self))
    }

    static func excerpt(_ text: String, around needle: String) -> String {
        guard let range = text.range(of: needle) else { return "" }
        let start = text.index(range.lowerBound, offsetBy: -1500, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(range.upperBound, offsetBy: 500, limitedBy: text.endIndex) ?? text.endIndex
        return String(text[start..<end])
    }
}

/// A classic pcap file (LINKTYPE_ETHERNET) of UDP datagrams between 192.0.2.1 and
/// 192.0.2.2.
private struct PcapWriter {
    private(set) var bytes: [UInt8] = []
    private var count: UInt32 = 0

    init() {
        append32(0xa1b2_c3d4)
        append16(2)
        append16(4)
        append32(0)  // thiszone
        append32(0)  // sigfigs
        append32(65535)  // snaplen
        append32(1)  // LINKTYPE_ETHERNET
    }

    mutating func append(udpPayload: [UInt8], port: UInt16) {
        var udp: [UInt8] = []
        udp += be16(port) + be16(port) + be16(UInt16(8 + udpPayload.count)) + [0, 0]  // checksum 0: none (IPv4)
        udp += udpPayload
        var ip: [UInt8] = [0x45, 0] + be16(UInt16(20 + udp.count)) + be16(UInt16(truncatingIfNeeded: count + 1)) + [0x40, 0]
        ip += [64, 17, 0, 0] + [192, 0, 2, 1] + [192, 0, 2, 2]
        let checksum = Self.internetChecksum(ip)
        ip[10] = UInt8(checksum >> 8)
        ip[11] = UInt8(checksum & 0xff)
        let frame = [0x02, 0, 0, 0, 0, 0x02] + [0x02, 0, 0, 0, 0, 0x01] + [0x08, 0x00] + ip + udp
        count += 1
        append32(1_700_000_000 + count)  // seconds
        append32(0)  // microseconds
        append32(UInt32(frame.count))
        append32(UInt32(frame.count))
        bytes += frame
    }

    private mutating func append32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    private mutating func append16(_ value: UInt16) { bytes += be16(value) }

    private static func internetChecksum(_ header: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        for index in stride(from: 0, to: header.count, by: 2) {
            sum += UInt32(header[index]) << 8 | UInt32(header[index + 1])
        }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}

private func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
