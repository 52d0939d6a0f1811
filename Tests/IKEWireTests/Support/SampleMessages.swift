import IKEWire
import NIOCore

/// Messages built in code that together use every payload type and substructure.
enum SampleMessages {
    static let initiatorSPI: UInt64 = 0x9c0e_115e_afdb_fdd0
    static let responderSPI: UInt64 = 0x08bf_9dec_111f_41a1

    static func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
    }

    static let ikeProposals = SecurityAssociationPayload(proposals: [
        Proposal(
            number: 1, protocolID: .ike,
            transforms: [
                Transform(.aesGCM16, keyLength: 256), Transform(.aesGCM16, keyLength: 128),
                Transform(.hmacSHA2_384), Transform(.hmacSHA2_256),
                Transform(.curve25519), Transform(.ecp256),
            ]),
        Proposal(
            number: 2, protocolID: .ike,
            transforms: [
                Transform(.aesCBC, keyLength: 256), Transform(.hmacSHA2_256), Transform(.hmacSHA2_256_128),
                Transform(.modp2048),
                Transform(type: .encryptionAlgorithm, id: 1000, attributes: [
                    TransformAttribute(type: 99, value: .variable([1, 2, 3])),
                ]),
            ]),
    ])

    static let ikeSAInitRequest = IKEMessage(
        header: IKEHeader(initiatorSPI: initiatorSPI, exchangeType: .ikeSAInit, flags: .initiator, messageID: 0),
        payloads: [
            .securityAssociation(ikeProposals),
            .keyExchange(KeyExchangePayload(method: .curve25519, data: bytes(32, seed: 1))),
            .nonce(NoncePayload(data: bytes(32, seed: 2))),
            .notify(NotifyPayload(type: .natDetectionSourceIP, data: bytes(20, seed: 3))),
            .notify(NotifyPayload(type: .natDetectionDestinationIP, data: bytes(20, seed: 4))),
            .notify(NotifyPayload(type: .ikev2FragmentationSupported)),
            .notify(NotifyPayload(type: .signatureHashAlgorithms, data: [0, 2, 0, 3, 0, 4, 0, 5])),
            .vendorID(VendorIDPayload(data: bytes(16, seed: 5))),
        ])

    static let ikeSAInitResponse = IKEMessage(
        header: IKEHeader(
            initiatorSPI: initiatorSPI, responderSPI: responderSPI, exchangeType: .ikeSAInit, flags: .response,
            messageID: 0),
        payloads: [
            .securityAssociation(SecurityAssociationPayload(proposals: [
                Proposal(
                    number: 1, protocolID: .ike,
                    transforms: [Transform(.aesGCM16, keyLength: 256), Transform(.hmacSHA2_256), Transform(.curve25519)])
            ])),
            .keyExchange(KeyExchangePayload(method: .curve25519, data: bytes(32, seed: 6))),
            .nonce(NoncePayload(data: bytes(32, seed: 7))),
            .certificateRequest(CertificateRequestPayload(encoding: .x509Signature, certificationAuthority: bytes(40, seed: 8))),
            .notify(NotifyPayload(type: .multipleAuthSupported)),
        ])

    /// An IKE_AUTH request whose payloads are sent in the clear, as they appear after
    /// decryption: every payload type that travels inside SK.
    static let decryptedAuthPayloads: [IKEPayload] = [
        .identificationInitiator(IdentificationPayload(type: .rfc822Address, data: Array("left@lab.test".utf8))),
        .certificate(CertificatePayload(encoding: .x509Signature, data: bytes(300, seed: 9))),
        .certificateRequest(CertificateRequestPayload(encoding: .x509Signature, certificationAuthority: bytes(20, seed: 10))),
        .identificationResponder(IdentificationPayload(type: .ipv4Address, data: [192, 0, 2, 2])),
        .authentication(AuthenticationPayload(method: .sharedKeyMIC, data: bytes(32, seed: 11))),
        .configuration(ConfigurationPayload(type: .request, attributes: [
            ConfigurationAttribute(type: .internalIP4Address),
            ConfigurationAttribute(type: .internalIP6Address),
            ConfigurationAttribute(type: .internalIP4DNS, value: [192, 0, 2, 53]),
        ])),
        .notify(NotifyPayload(type: .initialContact)),
        .securityAssociation(SecurityAssociationPayload(proposals: [
            Proposal(
                number: 1, protocolID: .esp, spi: [0xc1, 0x2a, 0x55, 0x07],
                transforms: [Transform(.aesGCM16, keyLength: 256), Transform(.noExtendedSequenceNumbers)])
        ])),
        .trafficSelectorInitiator(TrafficSelectorPayload(selectors: [
            TrafficSelector(type: .ipv4AddressRange, startAddress: [198, 51, 100, 1], endAddress: [198, 51, 100, 1]),
            TrafficSelector(
                type: .ipv6AddressRange, ipProtocolID: 6, startPort: 443, endPort: 443,
                startAddress: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 12),
                endAddress: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0xff, count: 12)),
        ])),
        .trafficSelectorResponder(TrafficSelectorPayload(selectors: [
            TrafficSelector(type: .ipv4AddressRange, startAddress: [203, 0, 113, 1], endAddress: [203, 0, 113, 1]),
            TrafficSelector(type: 10, data: [0, 0, 4, 1, 2, 3, 4]),
        ])),
        .extensibleAuthentication(EAPPayload(code: .response, identifier: 7, type: .identity, data: Array("alice".utf8))),
        .delete(DeletePayload(espSPIs: [0xc12a_5507, 0x0000_0001])),
        .delete(DeletePayload(protocolID: .ike)),
        .vendorID(VendorIDPayload(data: [])),
    ]

    static let cleartextAuthRequest = IKEMessage(
        header: IKEHeader(
            initiatorSPI: initiatorSPI, responderSPI: responderSPI, exchangeType: .ikeAuth, flags: .initiator,
            messageID: 1),
        payloads: decryptedAuthPayloads)

    static let encryptedAuthRequest = IKEMessage(
        header: IKEHeader(
            initiatorSPI: initiatorSPI, responderSPI: responderSPI, exchangeType: .ikeAuth, flags: .initiator,
            messageID: 1),
        payloads: [.encrypted(EncryptedPayload(firstPayloadType: .identificationInitiator, data: bytes(240, seed: 12)))])

    static let fragment = IKEMessage(
        header: IKEHeader(
            initiatorSPI: initiatorSPI, responderSPI: responderSPI, exchangeType: .ikeAuth, flags: .initiator,
            messageID: 1),
        payloads: [
            .encryptedFragment(EncryptedFragmentPayload(
                firstPayloadType: .identificationInitiator, fragmentNumber: 1, totalFragments: 3,
                data: bytes(500, seed: 13)))
        ])

    static let eapSuccess = IKEMessage(
        header: IKEHeader(
            initiatorSPI: initiatorSPI, responderSPI: responderSPI, exchangeType: .informational, flags: .response,
            messageID: 5),
        payloads: [.extensibleAuthentication(EAPPayload(code: .success, identifier: 9))])

    static let all: [IKEMessage] = [
        ikeSAInitRequest, ikeSAInitResponse, cleartextAuthRequest, encryptedAuthRequest, fragment, eapSuccess,
    ]

    static func encode(_ message: IKEMessage) throws -> [UInt8] {
        let buffer = try message.encoded()
        return Array(buffer.readableBytesView)
    }
}
