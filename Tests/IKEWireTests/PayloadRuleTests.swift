import IKEWire
import NIOCore
import Testing

/// The MUSTs each payload decoder enforces, one test each; offsets are from the start of
/// the message (the only payload's generic header is at 28, its body at 32).
@Suite("Payload field checks (RFC 7296 §3.3–§3.16, RFC 7383 §2.5)")
struct PayloadRuleTests {
    @Test("§3.9 Nonce Data must be 16 to 256 octets", arguments: [0, 15, 257])
    func nonceLength(length: Int) throws {
        let bytes = try Mutation.single(.nonce(NoncePayload(data: SampleMessages.bytes(length, seed: 0))))
        let error = Mutation.decodeError(bytes)
        #expect(error?.code == .invalidLength)
        #expect(error?.field == "Nonce Data")
        #expect(error?.offset == 32)
    }

    @Test("§3.9 Nonce lengths 16 and 256 are accepted", arguments: [16, 256])
    func nonceBounds(length: Int) throws {
        let bytes = try Mutation.single(.nonce(NoncePayload(data: SampleMessages.bytes(length, seed: 0))))
        #expect(try IKEMessage(decoding: bytes).payloads.count == 1)
    }

    @Test("§3.5 ID_IPV4_ADDR needs 4 octets and ID_IPV6_ADDR 16")
    func identificationAddressLength() throws {
        for (type, length) in [(IdentificationType.ipv4Address, 5), (.ipv6Address, 4)] {
            let bytes = try Mutation.single(.identificationInitiator(IdentificationPayload(type: type, data: .init(repeating: 1, count: length))))
            let error = Mutation.decodeError(bytes)
            #expect(error?.code == .invalidLength)
            #expect(error?.field == "Identification Data")
            #expect(error?.offset == 36)
        }
    }

    @Test("§3.7 an X.509 CERTREQ is a list of 20-byte SHA-1 hashes")
    func certificateRequestHashes() throws {
        let bytes = try Mutation.single(.certificateRequest(CertificateRequestPayload(encoding: .x509Signature, certificationAuthority: [1, 2, 3])))
        #expect(Mutation.decodeError(bytes)?.field == "Certification Authority")
        let good = CertificateRequestPayload(encoding: .x509Signature, certificationAuthority: SampleMessages.bytes(60, seed: 1))
        #expect(good.authorityKeyHashes.count == 3)
        let other = try Mutation.single(.certificateRequest(CertificateRequestPayload(encoding: .crl, certificationAuthority: [1, 2, 3])))
        #expect(try IKEMessage(decoding: other).payloads.count == 1)
    }

    @Test("§3.3.1 proposal SPI Size: 0 or 8 for IKE, 4 for ESP and AH")
    func proposalSPISize() throws {
        for (protocolID, size) in [(SecurityProtocolID.ike, 4), (.esp, 8), (.ah, 0)] {
            let bytes = try Mutation.single(.securityAssociation(SecurityAssociationPayload(proposals: [
                Proposal(number: 1, protocolID: protocolID, spi: .init(repeating: 1, count: size), transforms: [Transform(.aesCBC)])
            ])))
            let error = Mutation.decodeError(bytes)
            #expect(error?.field == "SPI Size")
            #expect(error?.offset == 38)
        }
    }

    @Test("§3.3.1 Num Transforms must match the transforms present")
    func transformCount() throws {
        let bytes = try Mutation.single(.securityAssociation(SecurityAssociationPayload(proposals: [
            Proposal(number: 1, protocolID: .ike, transforms: [Transform(.aesCBC), Transform(.modp2048)])
        ])))
        let error = Mutation.decodeError(Mutation.patch(bytes, at: 39, [3]))
        #expect(error?.code == .invalidCount)
        #expect(error?.field == "Num Transforms")
    }

    @Test("§3.3.1/§3.3.2 Last Substruc must be 0 or 2 (proposal) and 0 or 3 (transform), and agree with the end")
    func lastSubstructure() throws {
        let bytes = try Mutation.single(.securityAssociation(SecurityAssociationPayload(proposals: [
            Proposal(number: 1, protocolID: .ike, transforms: [Transform(.aesCBC), Transform(.modp2048)])
        ])))
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 32, [3]))?.field == "Last Substruc")
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 32, [2]))?.field == "Last Substruc")
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 40, [2]))?.field == "Last Substruc")
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 40, [0]))?.field == "Last Substruc")
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 48, [3]))?.field == "Last Substruc")
    }

    @Test("§3.3 an SA payload with no proposal is rejected")
    func emptySA() throws {
        let bytes = try Mutation.single(.securityAssociation(SecurityAssociationPayload(proposals: [])))
        #expect(Mutation.decodeError(bytes)?.code == .invalidCount)
    }

    @Test("§3.3.5 Key Length must use the TV format; unknown attributes keep their format")
    func keyLengthFormat() throws {
        let bytes = try Mutation.single(.securityAssociation(SecurityAssociationPayload(proposals: [
            Proposal(number: 1, protocolID: .ike, transforms: [
                Transform(type: .encryptionAlgorithm, id: 12, attributes: [TransformAttribute(type: .keyLength, value: .variable([0, 128]))])
            ])
        ])))
        let error = Mutation.decodeError(bytes)
        #expect(error?.field == "Attribute Format")
        #expect(error?.offset == 48)
        let transform = Transform(.aesCBC, keyLength: 256)
        #expect(transform.keyLength == 256)
        #expect(transform.idDescription == "ENCR_AES_CBC")
    }

    @Test("§3.3.2 a Transform Length below 8 or past the proposal is rejected")
    func transformLength() throws {
        let bytes = try Mutation.single(.securityAssociation(SecurityAssociationPayload(proposals: [
            Proposal(number: 1, protocolID: .ike, transforms: [Transform(.aesCBC)])
        ])))
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 42, [0, 7]))?.field == "Transform Length")
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 42, [0, 9]))?.code == .truncated)
    }

    @Test("§3.11 Delete: SPI Size 0 for IKE, 4 for ESP; Num of SPIs must fill the payload")
    func deleteChecks() throws {
        let esp = try Mutation.single(.delete(DeletePayload(espSPIs: [1, 2])))
        #expect(Mutation.decodeError(Mutation.patch(esp, at: 34, [0, 3]))?.field == "Num of SPIs")
        #expect(Mutation.decodeError(Mutation.patch(esp, at: 33, [8]))?.field == "SPI Size")
        let ike = try Mutation.single(.delete(DeletePayload(protocolID: .ike)))
        #expect(Mutation.decodeError(Mutation.patch(ike, at: 33, [4]))?.field == "SPI Size")
        #expect(try IKEMessage(decoding: ike).payloads == [.delete(DeletePayload(protocolID: .ike))])
    }

    @Test("§3.13 Number of TSs and Selector Length are checked")
    func trafficSelectorChecks() throws {
        let bytes = try Mutation.single(.trafficSelectorInitiator(TrafficSelectorPayload(selectors: [
            TrafficSelector(type: .ipv4AddressRange, startAddress: [10, 0, 0, 1], endAddress: [10, 0, 0, 2])
        ])))
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 32, [2]))?.field == "Number of TSs")
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 38, [0, 40]))?.field == "Selector Length")
        let ipv6 = try Mutation.single(.trafficSelectorResponder(TrafficSelectorPayload(selectors: [
            TrafficSelector(type: .ipv6AddressRange, startAddress: .init(repeating: 0, count: 16), endAddress: .init(repeating: 255, count: 16))
        ])))
        #expect(Mutation.decodeError(Mutation.patch(ipv6, at: 36, [7]))?.field == "Selector Length")
    }

    @Test("RFC 7383 §2.5 SKF: fragment number 1...total, total non-zero, Next Payload only in fragment 1")
    func fragmentChecks() throws {
        let bytes = try Mutation.single(.encryptedFragment(EncryptedFragmentPayload(
            firstPayloadType: .identificationInitiator, fragmentNumber: 1, totalFragments: 2, data: [1, 2, 3])))
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 32, [0, 0]))?.field == "Fragment Number")
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 32, [0, 3]))?.field == "Fragment Number")
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 34, [0, 0]))?.field == "Total Fragments")
        let second = Mutation.patch(bytes, at: 32, [0, 2])
        let error = Mutation.decodeError(second)
        #expect(error?.field == "Next Payload")
        #expect(error?.offset == 28)
        let fixed = try IKEMessage(decoding: Mutation.patch(second, at: 28, [0]))
        guard case .encryptedFragment(let fragment) = fixed.payloads.first else {
            Issue.record("no SKF payload")
            return
        }
        #expect(fragment.fragmentNumber == 2)
        #expect(fragment.firstPayloadType == .noNextPayload)
    }

    @Test("§3.16 EAP: the EAP Length must equal the payload, Success carries no data, codes 1-4")
    func eapChecks() throws {
        let bytes = try Mutation.single(.extensibleAuthentication(EAPPayload(code: .request, identifier: 1, type: .md5Challenge, data: [1, 2])))
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 34, [0, 8]))?.field == "Length")
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 32, [9]))?.field == "Code")
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 32, [3]))?.field == "Length")
    }

    @Test("§3.15.1 the R bit of a configuration attribute is ignored")
    func configurationReservedBit() throws {
        let bytes = try Mutation.single(.configuration(ConfigurationPayload(type: .reply, attributes: [
            ConfigurationAttribute(type: .internalIP4Address, value: [10, 0, 0, 7])
        ])))
        let decoded = try IKEMessage(decoding: Mutation.patch(bytes, at: 36, [0x80]))
        #expect(decoded.payloads == [.configuration(ConfigurationPayload(type: .reply, attributes: [
            ConfigurationAttribute(type: .internalIP4Address, value: [10, 0, 0, 7])
        ]))])
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 38, [0, 5]))?.field == "Value")
    }

    @Test("Encoding a value too long for its length field throws instead of truncating")
    func unencodable() {
        let error = #expect(throws: IKEWireError.self) {
            try Mutation.single(.vendorID(VendorIDPayload(data: .init(repeating: 0, count: 70_000))))
        }
        #expect(error?.code == .unencodable)
    }
}
