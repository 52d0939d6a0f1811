import IKEWire

/// Describes Notify payloads (RFC 7296 §3.10): the type by name, the protocol and SPI
/// when present, and the Notification Data decoded for the types whose data has a
/// defined form.
enum NotifyDescriber {
    static func describe(_ notify: NotifyPayload) -> DecodedItem {
        var fields = PayloadDescriber.base(.notify)
        let type = PayloadDescriber.named(notify.type, "notifyType", into: &fields)
        fields["isError"] = .bool(notify.type.isError)
        var text = "N \(type)"
        if notify.protocolID != .none || !notify.spi.isEmpty {
            let proto = PayloadDescriber.named(notify.protocolID, "protocol", into: &fields)
            text += " \(proto)"
        }
        if !notify.spi.isEmpty {
            fields["spi"] = .string(HexText.string(notify.spi))
            text += " SPI \(HexText.string(notify.spi))"
        }
        fields["dataLength"] = .integer(notify.data.count)
        if !notify.data.isEmpty {
            fields["data"] = .string(HexText.string(notify.data))
            let (summary, extra) = data(notify.type, notify.data)
            fields.merge(extra) { _, new in new }
            text += " " + summary
        }
        return DecodedItem(text, fields: fields)
    }

    /// A one-line summary of the Notification Data, plus JSON fields for it.
    static func data(_ type: NotifyMessageType, _ data: [UInt8]) -> (String, [String: JSONValue]) {
        switch type {
        case .natDetectionSourceIP, .natDetectionDestinationIP:
            // RFC 7296 §2.23: a SHA-1 hash of the SPIs, address and port.
            return ("hash \(HexText.string(data))", [:])
        case .cookie, .cookie2:
            return ("\(data.count) bytes \(HexText.abbreviated(data, limit: 16))", [:])
        case .invalidKEPayload where data.count == 2:
            // RFC 7296 §3.10.1: "the DH Group # ... in a two-octet big-endian field".
            let group = KeyExchangeMethodID(rawValue: UInt16(data[0]) << 8 | UInt16(data[1]))
            return (
                "accepted group \(group) (\(group.rawValue))",
                ["keyExchangeMethod": .string(group.description), "keyExchangeMethodNumber": .integer(Int(group.rawValue))]
            )
        case .signatureHashAlgorithms where data.count.isMultiple(of: 2):
            // RFC 7427 §4: a list of 16-bit Hash Algorithm Identifiers.
            let hashes = stride(from: 0, to: data.count, by: 2).map {
                HashAlgorithm(rawValue: UInt16(data[$0]) << 8 | UInt16(data[$0 + 1]))
            }
            return (
                hashes.map(\.description).joined(separator: " "),
                ["hashAlgorithms": .array(hashes.map { .string($0.description) })]
            )
        case .additionalIP4Address where data.count == 4, .additionalIP6Address where data.count == 16:
            let address = IPAddressText.format(data)
            return (address, ["address": .string(address)])
        case .noNATsAllowed:
            // RFC 4555 §4.2.6: the addresses and ports the message was sent from and to.
            guard let sent = try? NoNATsAllowedData(decoding: data) else { return ("data \(HexText.abbreviated(data))", [:]) }
            let source = IPAddressText.format(sent.sourceAddress)
            let destination = IPAddressText.format(sent.destinationAddress)
            return (
                "sent from \(source) port \(sent.sourcePort) to \(destination) port \(sent.destinationPort)",
                [
                    "sourceAddress": .string(source), "sourcePort": .integer(Int(sent.sourcePort)),
                    "destinationAddress": .string(destination), "destinationPort": .integer(Int(sent.destinationPort)),
                ]
            )
        case .setWindowSize where data.count == 4, 16403 where data.count == 4:
            // SET_WINDOW_SIZE (RFC 7296 §2.3), AUTH_LIFETIME (RFC 4478): one 32-bit number.
            let value = Int(ValueText.integer(data) ?? 0)
            return ("\(value)", ["value": .integer(value)])
        case .ipcompSupported where data.count >= 3:
            // RFC 7296 §3.10.1: a 2-octet CPI and a 1-octet Transform ID.
            let cpi = Int(UInt16(data[0]) << 8 | UInt16(data[1]))
            return ("CPI \(cpi) transform \(data[2])", ["cpi": .integer(cpi), "ipcompTransform": .integer(Int(data[2]))])
        default:
            if let text = ValueText.printable(data), type.isError || text.count > 2 {
                return ("\"\(text)\"", [:])
            }
            return ("data \(HexText.abbreviated(data))", [:])
        }
    }
}
