import Foundation
import IKEWire
import NIOCore
import Testing

@testable import CygnetTools

@Suite("Decode renderer: text tree, JSON, malformed messages")
struct RecordRendererTests {
    typealias B = CaptureBuilder

    static let record = CaptureRecord(
        frameNumber: 1, timestamp: CaptureTimestamp(seconds: 1_700_000_000, nanoseconds: 5),
        source: CaptureEndpoint(address: B.ipv4A, port: 500), destination: CaptureEndpoint(address: B.ipv4B, port: 500),
        content: .ike(ByteBuffer(bytes: B.saInitBytes())))

    /// Payloads of every kind, as if an IKE_AUTH exchange had been decrypted, with the
    /// SK payload last (RFC 7296 §3.14).
    static let kitchenSink = IKEMessage(
        header: IKEHeader(
            initiatorSPI: 0x9c0e_115e_afdb_fdd0, responderSPI: 0x08bf_9dec_111f_41a1, exchangeType: .ikeAuth,
            flags: [.response], messageID: 1),
        payloads: [
            .identificationInitiator(IdentificationPayload(type: .fqdn, data: Array("left.example.org".utf8))),
            .identificationResponder(IdentificationPayload(type: .ipv4Address, data: [198, 51, 100, 7])),
            .certificate(CertificatePayload(encoding: .x509Signature, data: Array(repeating: 0x30, count: 812))),
            .certificateRequest(
                CertificateRequestPayload(encoding: .x509Signature, certificationAuthority: Array(repeating: 1, count: 40))),
            .authentication(AuthenticationPayload(method: .digitalSignature, data: Array(repeating: 2, count: 264))),
            .configuration(
                ConfigurationPayload(
                    type: .reply,
                    attributes: [
                        ConfigurationAttribute(type: .internalIP4Address, value: [10, 3, 0, 1]),
                        ConfigurationAttribute(type: .internalIP6Address, value: B.ipv6A + [64]),
                        ConfigurationAttribute(type: .internalIP4DNS),
                    ])),
            .trafficSelectorInitiator(
                TrafficSelectorPayload(selectors: [
                    TrafficSelector(type: .ipv4AddressRange, startAddress: [198, 51, 100, 1], endAddress: [198, 51, 100, 1])
                ])),
            .trafficSelectorResponder(
                TrafficSelectorPayload(selectors: [
                    TrafficSelector(
                        type: .ipv6AddressRange, ipProtocolID: 17, startPort: 500, endPort: 500, startAddress: B.ipv6A,
                        endAddress: B.ipv6B)
                ])),
            .notify(NotifyPayload(protocolID: .esp, spi: [0xC1, 0xA2, 0xB3, 0xC4], type: .rekeySA)),
            .notify(NotifyPayload(type: .invalidKEPayload, data: [0, 19])),
            .notify(NotifyPayload(type: .cookie, data: Array(repeating: 0xEE, count: 20))),
            .delete(DeletePayload(espSPIs: [0xC1A2_B3C4, 0x0102_0304])),
            .extensibleAuthentication(EAPPayload(code: .request, identifier: 7, type: .md5Challenge, data: Array(repeating: 9, count: 17))),
            .unknown(UnknownPayload(type: 49, body: [1, 2, 3])),
            .encrypted(EncryptedPayload(firstPayloadType: .identificationInitiator, data: Array(repeating: 0, count: 200))),
        ])

    @Test("Golden text of an IKE_SA_INIT request (RFC 7296 §1.2)")
    func goldenSAInit() {
        let rendered = RecordRenderer.render(Self.record)
        #expect(rendered.kind == .ike)
        #expect(
            rendered.text == """
                #1 192.0.2.1:500 -> 192.0.2.2:500 IKE_SA_INIT request #0 (I) SPIi 9c0e115eafdbfdd0 SPIr 0000000000000000 len 206
                  SA (1 proposal)
                    Proposal 1 IKE
                      ENCR ENCR_AES_GCM_16 (Key Length 256)
                      PRF PRF_HMAC_SHA2_256
                      KE Curve25519
                  KE Curve25519 (31), 32 bytes
                  Nonce 32 bytes
                  N NAT_DETECTION_SOURCE_IP hash 000102030405060708090a0b0c0d0e0f10111213
                  N SIGNATURE_HASH_ALGORITHMS SHA2-256 SHA2-384 SHA2-512
                  V 882fe56d6fd20dbc2251613b2ebe5beb (strongSwan)
                """)
    }

    @Test("Golden text of every payload kind, through an encode/decode round trip")
    func goldenKitchenSink() throws {
        let bytes = B.encode(Self.kitchenSink)
        let record = CaptureRecord(frameNumber: 3, content: .ike(ByteBuffer(bytes: bytes)))
        let rendered = RecordRenderer.render(record)
        #expect(rendered.kind == .ike)
        #expect(
            rendered.lines == [
                "#3 IKE_AUTH response #1 (R) SPIi 9c0e115eafdbfdd0 SPIr 08bf9dec111f41a1 len \(bytes.count)",
                "  IDi ID_FQDN left.example.org",
                "  IDr ID_IPV4_ADDR 198.51.100.7",
                "  CERT X.509 Certificate - Signature, 812 bytes",
                "  CERTREQ X.509 Certificate - Signature, 2 CA hashes",
                "  AUTH Digital Signature (14), 264 bytes",
                "  CP CFG_REPLY",
                "    INTERNAL_IP4_ADDRESS 10.3.0.1",
                "    INTERNAL_IP6_ADDRESS 2001:db8::1/64",
                "    INTERNAL_IP4_DNS (empty)",
                "  TSi (1 selector)",
                "    TS_IPV4_ADDR_RANGE proto 0 ports 0-65535 198.51.100.1-198.51.100.1",
                "  TSr (1 selector)",
                "    TS_IPV6_ADDR_RANGE proto 17 ports 500-500 2001:db8::1-2001:db8::2",
                "  N REKEY_SA ESP SPI c1a2b3c4",
                "  N INVALID_KE_PAYLOAD accepted group 256-bit random ECP group (19)",
                "  N COOKIE 20 bytes eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee…",
                "  D ESP SPIs c1a2b3c4 01020304",
                "  EAP Request id 7 type MD5-Challenge, 17 bytes",
                "  payload 49 (GSPM), 3 bytes (not decoded)",
                "  SK (encrypted, 200 bytes, first payload IDi)",
            ])
    }

    @Test("JSON parses back with the same information (sorted keys, one object per record)")
    func jsonParsesBack() throws {
        let rendered = RecordRenderer.render(Self.record)
        let text = rendered.json.jsonText
        #expect(!text.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "ike")
        #expect(object["frame"] as? Int == 1)
        #expect(object["exchange"] as? String == "IKE_SA_INIT")
        #expect(object["messageID"] as? Int == 0)
        #expect(object["isResponse"] as? Bool == false)
        #expect(object["spiI"] as? String == "9c0e115eafdbfdd0")
        #expect(object["source"] as? String == "192.0.2.1")
        #expect(object["timestamp"] as? String == "1700000000.000000005")
        #expect(object["payloadTypes"] as? [String] == ["SA", "KE", "Nonce", "N", "N", "V"])
        let payloads = try #require(object["payloads"] as? [[String: Any]])
        let proposals = try #require(payloads.first?["proposals"] as? [[String: Any]])
        let transforms = try #require(proposals.first?["transforms"] as? [[String: Any]])
        #expect(transforms.first?["id"] as? String == "ENCR_AES_GCM_16")
        #expect(transforms.first?["keyLength"] as? Int == 256)
        #expect(payloads[4]["hashAlgorithms"] as? [String] == ["SHA2-256", "SHA2-384", "SHA2-512"])
        // Sorted keys: the text is stable.
        #expect(text == RecordRenderer.render(Self.record).json.jsonText)
        #expect(text.hasPrefix("{\"destination\":"))
    }

    @Test("A malformed message names code, offset and field (RFC 7296 §3.2 Payload Length)")
    func malformed() throws {
        var bytes = B.saInitBytes()
        bytes[30] = 0xFF  // the SA payload's Payload Length
        bytes[31] = 0xFF
        let record = CaptureRecord(frameNumber: 2, content: .ike(ByteBuffer(bytes: bytes)))
        let rendered = RecordRenderer.render(record)
        #expect(rendered.kind == .malformed)
        #expect(rendered.lines.count == 2)
        #expect(rendered.lines.first?.hasPrefix("#2 IKE_SA_INIT request #0 (I)") == true)
        #expect(rendered.lines.last?.hasPrefix("  malformed: invalid length at offset 30, field 'Payload Length'") == true)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(rendered.json.jsonText.utf8)) as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid length")
        #expect(error["offset"] as? Int == 30)
        #expect(error["field"] as? String == "Payload Length")
        #expect(error["payloadType"] as? String == "SA")
    }

    @Test("A message whose header does not parse is one malformed line")
    func malformedHeader() {
        let record = CaptureRecord(frameNumber: 4, content: .ike(ByteBuffer(bytes: [1, 2, 3])))
        let rendered = RecordRenderer.render(record)
        #expect(rendered.kind == .malformed)
        #expect(rendered.lines == ["#4 malformed: truncated at offset 0, field 'IKE SA Initiator's SPI': need 8 bytes, have 3"]
            || rendered.lines.first?.hasPrefix("#4 malformed: truncated at offset 0") == true)
    }

    @Test("ESP and keepalive records are one line each")
    func espAndKeepalive() {
        let source = CaptureEndpoint(address: B.ipv4A, port: 4500)
        let destination = CaptureEndpoint(address: B.ipv4B, port: 4500)
        let esp = RecordRenderer.render(
            CaptureRecord(frameNumber: 9, source: source, destination: destination, content: .esp(spi: 0xC1, length: 120)))
        #expect(esp.lines == ["#9 192.0.2.1:4500 -> 192.0.2.2:4500 ESP SPI 000000c1, 120 bytes"])
        let keepalive = RecordRenderer.render(
            CaptureRecord(frameNumber: 10, source: source, destination: destination, content: .natKeepalive))
        #expect(keepalive.lines == ["#10 192.0.2.1:4500 -> 192.0.2.2:4500 NAT-keepalive"])
    }

    @Test("Exit status: 0 clean, 1 malformed IKE message, 2 invalid capture file")
    func exitStatus() {
        let good = B.pcap(linkType: 101, frames: [B.ipv4(B.udp(source: 500, destination: 500, B.saInitBytes()))])
        var badMessage = B.saInitBytes()
        badMessage[17] = 0x30  // major version 3
        let malformed = B.pcap(
            linkType: 101,
            frames: [
                B.ipv4(B.udp(source: 500, destination: 500, badMessage)),
                B.ipv4(B.udp(source: 500, destination: 500, B.saInitBytes())),
            ])
        let decoder = CaptureDecoder(format: .text)
        var lines: [String] = []
        let clean = decoder.decode(bytes: good, output: { lines.append($0) }, diagnostics: { _ in })
        #expect(clean.exitStatus == 0)
        #expect(lines.last == "1 IKE message (0 malformed)")
        lines = []
        let bad = decoder.decode(bytes: malformed, output: { lines.append($0) }, diagnostics: { _ in })
        #expect(bad.exitStatus == 1)
        #expect(bad.ikeMessages == 2)
        #expect(lines.contains { $0.contains("malformed: invalid major version at offset 17, field 'MjVer'") })
        var diagnostics: [String] = []
        let truncated = decoder.decode(
            bytes: Array(good.dropLast(3)), output: { _ in }, diagnostics: { diagnostics.append($0) })
        #expect(truncated.exitStatus == 2)
        #expect(diagnostics.count == 1)
        let json = CaptureDecoder(format: .jsonLines)
        lines = []
        _ = json.decode(bytes: malformed, output: { lines.append($0) }, diagnostics: { _ in })
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }
}
