import NIOCore

/// One payload of an IKE message (RFC 7296 §3.2), typed by its Payload Type.
public enum IKEPayload: Hashable, Sendable {
    case securityAssociation(SecurityAssociationPayload)
    case keyExchange(KeyExchangePayload)
    case identificationInitiator(IdentificationPayload)
    case identificationResponder(IdentificationPayload)
    case certificate(CertificatePayload)
    case certificateRequest(CertificateRequestPayload)
    case authentication(AuthenticationPayload)
    case nonce(NoncePayload)
    case notify(NotifyPayload)
    case delete(DeletePayload)
    case vendorID(VendorIDPayload)
    case trafficSelectorInitiator(TrafficSelectorPayload)
    case trafficSelectorResponder(TrafficSelectorPayload)
    case encrypted(EncryptedPayload)
    case encryptedFragment(EncryptedFragmentPayload)
    case configuration(ConfigurationPayload)
    case extensibleAuthentication(EAPPayload)
    case unknown(UnknownPayload)

    /// The Payload Type sent in the previous payload's Next Payload field.
    public var type: PayloadType {
        switch self {
        case .securityAssociation: .securityAssociation
        case .keyExchange: .keyExchange
        case .identificationInitiator: .identificationInitiator
        case .identificationResponder: .identificationResponder
        case .certificate: .certificate
        case .certificateRequest: .certificateRequest
        case .authentication: .authentication
        case .nonce: .nonce
        case .notify: .notify
        case .delete: .delete
        case .vendorID: .vendorID
        case .trafficSelectorInitiator: .trafficSelectorInitiator
        case .trafficSelectorResponder: .trafficSelectorResponder
        case .encrypted: .encrypted
        case .encryptedFragment: .encryptedFragment
        case .configuration: .configuration
        case .extensibleAuthentication: .extensibleAuthentication
        case .unknown(let payload): payload.type
        }
    }

    /// The type announced in the Next Payload field of an SK or SKF payload: the first
    /// payload inside the encryption. `nil` for other payloads.
    var innerPayloadType: PayloadType? {
        switch self {
        case .encrypted(let payload): payload.firstPayloadType
        case .encryptedFragment(let payload): payload.firstPayloadType
        default: nil
        }
    }

    /// Length of the generic payload header (RFC 7296 §3.2).
    static let genericHeaderLength = 4
}

extension IKEPayload {
    /// Decodes a chain of payloads, as found after the IKE header or inside a decrypted SK
    /// payload.
    ///
    /// - Parameters:
    ///   - bytes: the payloads, back to back.
    ///   - firstPayloadType: the type named by the header's (or the SK payload's) Next
    ///     Payload field.
    ///   - baseOffset: the offset of `bytes` in the message, for error positions.
    public static func decodeChain(
        _ bytes: ByteBuffer, firstPayloadType: PayloadType, baseOffset: Int = 0
    ) throws(IKEWireError) -> [IKEPayload] {
        var reader = WireReader(bytes, base: baseOffset)
        return try decodeChain(&reader, firstPayloadType: firstPayloadType)
    }

    static func decodeChain(_ reader: inout WireReader, firstPayloadType: PayloadType) throws(IKEWireError)
        -> [IKEPayload]
    {
        var payloads: [IKEPayload] = []
        var type = firstPayloadType
        var nextPayloadOffset = reader.offset
        while type != .noNextPayload {
            let start = reader.offset
            let next = PayloadType(rawValue: try reader.readUInt8("Next Payload"))
            // RFC 7296 §3.2: "RESERVED (7 bits) - MUST be sent as zero; MUST be ignored on
            // receipt."
            let isCritical = try reader.readUInt8("Critical") & 0x80 != 0
            let length = Int(try reader.readUInt16("Payload Length"))
            guard length >= genericHeaderLength else {
                throw reader.error(.invalidLength, "Payload Length", at: start + 2, payload: type, "\(length) < 4")
            }
            guard length - genericHeaderLength <= reader.remaining else {
                throw reader.error(
                    .invalidLength, "Payload Length", at: start + 2, payload: type,
                    "\(length) bytes announced, \(reader.remaining + genericHeaderLength) left")
            }
            var body = try reader.readReader(length - genericHeaderLength, "Payload Length")
            let payload = try decodeBody(type: type, next: next, isCritical: isCritical, body: &body, start: start)
            payloads.append(payload)
            if payload.innerPayloadType != nil {
                // RFC 7296 §3.14: "the Encrypted payload, if present in a message, MUST be
                // the last payload in the message."
                guard reader.isAtEnd else {
                    throw reader.error(
                        .encryptedPayloadNotLast, "Payload Length", at: start + 2, payload: type,
                        "\(reader.remaining) bytes follow it")
                }
                return payloads
            }
            type = next
            nextPayloadOffset = start
        }
        guard reader.isAtEnd else {
            throw reader.error(
                .trailingBytes, "Next Payload", at: nextPayloadOffset,
                "chain ends but \(reader.remaining) bytes follow")
        }
        return payloads
    }

    private static func decodeBody(
        type: PayloadType, next: PayloadType, isCritical: Bool, body: inout WireReader, start: Int
    ) throws(IKEWireError) -> IKEPayload {
        let payload: IKEPayload
        switch type {
        case .securityAssociation: payload = .securityAssociation(try .init(parsing: &body))
        case .keyExchange: payload = .keyExchange(try .init(parsing: &body))
        case .identificationInitiator: payload = .identificationInitiator(try .init(parsing: &body))
        case .identificationResponder: payload = .identificationResponder(try .init(parsing: &body))
        case .certificate: payload = .certificate(try .init(parsing: &body))
        case .certificateRequest: payload = .certificateRequest(try .init(parsing: &body))
        case .authentication: payload = .authentication(try .init(parsing: &body))
        case .nonce: payload = .nonce(try .init(parsing: &body))
        case .notify: payload = .notify(try .init(parsing: &body))
        case .delete: payload = .delete(try .init(parsing: &body))
        case .vendorID: payload = .vendorID(.init(parsing: &body))
        case .trafficSelectorInitiator: payload = .trafficSelectorInitiator(try .init(parsing: &body))
        case .trafficSelectorResponder: payload = .trafficSelectorResponder(try .init(parsing: &body))
        case .encrypted: payload = .encrypted(.init(firstPayloadType: next, data: body.readRest()))
        case .encryptedFragment:
            payload = .encryptedFragment(
                try .init(parsing: &body, firstPayloadType: next, nextPayloadOffset: start))
        case .configuration: payload = .configuration(try .init(parsing: &body))
        case .extensibleAuthentication: payload = .extensibleAuthentication(try .init(parsing: &body))
        default:
            // RFC 7296 §2.5: "If the critical flag is set and the payload type is
            // unrecognized, the message MUST be rejected and the response to the IKE
            // request containing that payload MUST include a Notify payload
            // UNSUPPORTED_CRITICAL_PAYLOAD, indicating an unsupported critical payload was
            // included. ... If the critical flag is not set and the payload type is
            // unsupported, that payload MUST be ignored."
            if isCritical {
                throw body.error(
                    .unsupportedCriticalPayload, "Critical", at: start + 1, payload: type,
                    "payload type \(type.rawValue) is not supported and is marked critical")
            }
            payload = .unknown(UnknownPayload(type: type, isCritical: false, body: body.readRest()))
        }
        guard body.isAtEnd else {
            throw body.error(.invalidLength, "Payload Length", payload: type, "\(body.remaining) bytes unused")
        }
        return payload
    }

    /// Encodes a chain of payloads; returns the type of the first, for the header's (or
    /// the enclosing SK payload's) Next Payload field.
    ///
    /// An SK or SKF payload must be last: its Next Payload field names the first payload
    /// inside it.
    @discardableResult
    public static func encodeChain(_ payloads: [IKEPayload], to buffer: inout ByteBuffer) throws(IKEWireError)
        -> PayloadType
    {
        for (index, payload) in payloads.enumerated() {
            let isLast = index == payloads.count - 1
            let next: PayloadType
            if let inner = payload.innerPayloadType {
                guard isLast else {
                    throw IKEWireError(
                        .encryptedPayloadNotLast, offset: buffer.writerIndex, field: "Next Payload",
                        payloadType: payload.type)
                }
                next = inner
            } else {
                next = isLast ? .noNextPayload : payloads[index + 1].type
            }
            let start = buffer.writerIndex
            buffer.writeInteger(next.rawValue)
            if case .unknown(let unknown) = payload, unknown.isCritical {
                buffer.writeInteger(UInt8(0x80))
            } else {
                // RFC 7296 §3.2: the critical bit "MUST be set to zero for payload types
                // defined in this document".
                buffer.writeInteger(UInt8(0))
            }
            try buffer.writeLengthPrefixed16(countingFrom: start, field: "Payload Length") {
                buffer throws(IKEWireError) in
                try payload.writeBody(to: &buffer)
            }
        }
        return payloads.first?.type ?? .noNextPayload
    }

    private func writeBody(to buffer: inout ByteBuffer) throws(IKEWireError) {
        switch self {
        case .securityAssociation(let payload): try payload.write(to: &buffer)
        case .keyExchange(let payload): payload.write(to: &buffer)
        case .identificationInitiator(let payload), .identificationResponder(let payload):
            payload.write(to: &buffer)
        case .certificate(let payload): payload.write(to: &buffer)
        case .certificateRequest(let payload): payload.write(to: &buffer)
        case .authentication(let payload): payload.write(to: &buffer)
        case .nonce(let payload): payload.write(to: &buffer)
        case .notify(let payload): try payload.write(to: &buffer)
        case .delete(let payload): try payload.write(to: &buffer)
        case .vendorID(let payload): payload.write(to: &buffer)
        case .trafficSelectorInitiator(let payload), .trafficSelectorResponder(let payload):
            try payload.write(to: &buffer)
        case .encrypted(let payload): buffer.writeBytes(payload.data)
        case .encryptedFragment(let payload): payload.write(to: &buffer)
        case .configuration(let payload): try payload.write(to: &buffer)
        case .extensibleAuthentication(let payload): try payload.write(to: &buffer)
        case .unknown(let payload): buffer.writeBytes(payload.body)
        }
    }
}
