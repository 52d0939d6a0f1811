import IKEWire

/// Describes IKE payloads for `cygnet decode`: one ``DecodedItem`` per payload, with the
/// RFC 7296 field names and IANA registry names.
public enum PayloadDescriber {
    /// The short name of a payload type (`SA`, `N`, `SK`), or its number.
    public static func shortName(_ type: PayloadType) -> String { type.name ?? "\(type.rawValue)" }

    /// Fields every payload carries in JSON: its short name and number.
    static func base(_ type: PayloadType) -> [String: JSONValue] {
        ["type": .string(shortName(type)), "typeNumber": .integer(Int(type.rawValue))]
    }

    /// `name` if the registry knows the value, else its number; plus the number in JSON.
    static func named<R: IANARegistry>(_ value: R, _ key: String, into fields: inout [String: JSONValue]) -> String {
        fields[key] = .string(value.description)
        fields[key + "Number"] = .integer(Int(value.rawValue))
        return value.description
    }

    /// Describes one payload.
    public static func describe(_ payload: IKEPayload) -> DecodedItem {
        var fields = base(payload.type)
        let name = shortName(payload.type)
        switch payload {
        case .securityAssociation(let sa):
            return DecodedItem(
                "\(name) (\(sa.proposals.count) proposal\(sa.proposals.count == 1 ? "" : "s"))", fields: fields,
                childrenKey: "proposals", children: sa.proposals.map(describe))
        case .keyExchange(let ke):
            let method = named(ke.method, "keyExchangeMethod", into: &fields)
            fields["dataLength"] = .integer(ke.data.count)
            return DecodedItem("\(name) \(method) (\(ke.method.rawValue)), \(ke.data.count) bytes", fields: fields)
        case .identificationInitiator(let id), .identificationResponder(let id):
            let type = named(id.type, "idType", into: &fields)
            let value = identificationText(id)
            fields["value"] = .string(value)
            fields["dataLength"] = .integer(id.data.count)
            return DecodedItem("\(name) \(type) \(value)", fields: fields)
        case .certificate(let cert):
            let encoding = named(cert.encoding, "encoding", into: &fields)
            fields["dataLength"] = .integer(cert.data.count)
            return DecodedItem("\(name) \(encoding), \(cert.data.count) bytes", fields: fields)
        case .certificateRequest(let request):
            let encoding = named(request.encoding, "encoding", into: &fields)
            let hashes = request.encoding == .x509Signature ? request.authorityKeyHashes : []
            fields["dataLength"] = .integer(request.certificationAuthority.count)
            fields["caHashes"] = .array(hashes.map { .string(HexText.string($0)) })
            let detail =
                request.encoding == .x509Signature
                ? "\(hashes.count) CA hash\(hashes.count == 1 ? "" : "es")"
                : "\(request.certificationAuthority.count) bytes"
            return DecodedItem("\(name) \(encoding), \(detail)", fields: fields)
        case .authentication(let auth):
            let method = named(auth.method, "authMethod", into: &fields)
            fields["dataLength"] = .integer(auth.data.count)
            return DecodedItem("\(name) \(method) (\(auth.method.rawValue)), \(auth.data.count) bytes", fields: fields)
        case .nonce(let nonce):
            fields["dataLength"] = .integer(nonce.data.count)
            fields["data"] = .string(HexText.string(nonce.data))
            return DecodedItem("\(name) \(nonce.data.count) bytes", fields: fields)
        case .notify(let notify):
            return NotifyDescriber.describe(notify)
        case .delete(let delete):
            let proto = named(delete.protocolID, "protocol", into: &fields)
            let spis = delete.spis.map(HexText.string)
            fields["spis"] = .array(spis.map { .string($0) })
            return DecodedItem("\(name) \(proto)" + (spis.isEmpty ? "" : " SPIs " + spis.joined(separator: " ")), fields: fields)
        case .vendorID(let vendor):
            let hex = HexText.string(vendor.data)
            fields["data"] = .string(hex)
            var text = "\(name) \(HexText.abbreviated(vendor.data))"
            if let known = VendorIDCatalog.name(for: vendor.data) {
                fields["vendor"] = .string(known)
                text += " (\(known))"
            }
            return DecodedItem(text, fields: fields)
        case .trafficSelectorInitiator(let ts), .trafficSelectorResponder(let ts):
            return DecodedItem(
                "\(name) (\(ts.selectors.count) selector\(ts.selectors.count == 1 ? "" : "s"))", fields: fields,
                childrenKey: "selectors", children: ts.selectors.map(describe))
        case .encrypted(let sk):
            fields["dataLength"] = .integer(sk.data.count)
            let first = shortName(sk.firstPayloadType)
            fields["firstPayload"] = .string(first)
            fields["firstPayloadNumber"] = .integer(Int(sk.firstPayloadType.rawValue))
            fields["encrypted"] = .bool(true)
            let inner = sk.firstPayloadType == .noNextPayload ? "no inner payloads" : "first payload \(first)"
            return DecodedItem("\(name) (encrypted, \(sk.data.count) bytes, \(inner))", fields: fields)
        case .encryptedFragment(let skf):
            fields["fragmentNumber"] = .integer(Int(skf.fragmentNumber))
            fields["totalFragments"] = .integer(Int(skf.totalFragments))
            fields["dataLength"] = .integer(skf.data.count)
            fields["encrypted"] = .bool(true)
            var text = "\(name) fragment \(skf.fragmentNumber)/\(skf.totalFragments) (encrypted, \(skf.data.count) bytes"
            if skf.fragmentNumber == 1 {
                let first = shortName(skf.firstPayloadType)
                fields["firstPayload"] = .string(first)
                fields["firstPayloadNumber"] = .integer(Int(skf.firstPayloadType.rawValue))
                text += ", first payload \(first)"
            }
            return DecodedItem(text + ")", fields: fields)
        case .configuration(let cp):
            let type = named(cp.type, "cfgType", into: &fields)
            return DecodedItem(
                "\(name) \(type)", fields: fields, childrenKey: "attributes", children: cp.attributes.map(describe))
        case .extensibleAuthentication(let eap):
            return describe(eap, fields: fields)
        case .unknown(let unknown):
            fields["dataLength"] = .integer(unknown.body.count)
            fields["critical"] = .bool(unknown.isCritical)
            fields["data"] = .string(HexText.string(unknown.body))
            let label = unknown.type.name.map { "payload \(unknown.type.rawValue) (\($0))" } ?? "payload \(unknown.type.rawValue)"
            return DecodedItem("\(label), \(unknown.body.count) bytes (not decoded)", fields: fields)
        }
    }

    /// RFC 7296 §3.3.1: Proposal Num, Protocol ID, SPI, then the transforms.
    static func describe(_ proposal: Proposal) -> DecodedItem {
        var fields: [String: JSONValue] = ["number": .integer(Int(proposal.number))]
        let proto = named(proposal.protocolID, "protocol", into: &fields)
        fields["spi"] = .string(HexText.string(proposal.spi))
        let spi = proposal.spi.isEmpty ? "" : " SPI \(HexText.string(proposal.spi))"
        return DecodedItem(
            "Proposal \(proposal.number) \(proto)\(spi)", fields: fields, childrenKey: "transforms",
            children: proposal.transforms.map(describe))
    }

    /// RFC 7296 §3.3.2: Transform Type and Transform ID, with attributes (§3.3.5).
    static func describe(_ transform: Transform) -> DecodedItem {
        var fields: [String: JSONValue] = [:]
        let type = named(transform.type, "transformType", into: &fields)
        let id = transform.idDescription
        fields["id"] = .string(id)
        fields["idNumber"] = .integer(Int(transform.id))
        var text = "\(type) \(id)"
        var attributes: [String] = []
        var attributeFields: [JSONValue] = []
        for attribute in transform.attributes {
            let value: String
            switch attribute.value {
            case .short(let short): value = "\(short)"
            case .variable(let bytes): value = "0x" + HexText.string(bytes)
            }
            attributes.append("\(attribute.type) \(value)")
            attributeFields.append(
                .object([
                    "type": .string(attribute.type.description), "typeNumber": .integer(Int(attribute.type.rawValue)),
                    "value": .string(value),
                ]))
        }
        if let keyLength = transform.keyLength { fields["keyLength"] = .integer(Int(keyLength)) }
        if !attributes.isEmpty {
            text += " (" + attributes.joined(separator: ", ") + ")"
            fields["attributes"] = .array(attributeFields)
        }
        return DecodedItem(text, fields: fields)
    }

    /// RFC 7296 §3.13.1: `TS_IPV4_ADDR_RANGE proto 0 ports 0-65535 a-b`.
    static func describe(_ selector: TrafficSelector) -> DecodedItem {
        var fields: [String: JSONValue] = [:]
        let type = named(selector.type, "tsType", into: &fields)
        guard selector.type.addressLength != nil else {
            fields["data"] = .string(HexText.string(selector.data))
            return DecodedItem("\(type) \(selector.data.count) bytes", fields: fields)
        }
        let start = IPAddressText.format(selector.startAddress)
        let end = IPAddressText.format(selector.endAddress)
        fields["ipProtocol"] = .integer(Int(selector.ipProtocolID))
        fields["startPort"] = .integer(Int(selector.startPort))
        fields["endPort"] = .integer(Int(selector.endPort))
        fields["startAddress"] = .string(start)
        fields["endAddress"] = .string(end)
        return DecodedItem(
            "\(type) proto \(selector.ipProtocolID) ports \(selector.startPort)-\(selector.endPort) \(start)-\(end)",
            fields: fields)
    }

    /// RFC 7296 §3.15.1: attributes by name, addresses decoded.
    static func describe(_ attribute: ConfigurationAttribute) -> DecodedItem {
        var fields: [String: JSONValue] = [:]
        let type = named(attribute.type, "attributeType", into: &fields)
        fields["length"] = .integer(attribute.value.count)
        guard !attribute.value.isEmpty else { return DecodedItem("\(type) (empty)", fields: fields) }
        let value = ValueText.configurationValue(attribute.type, attribute.value)
        fields["value"] = .string(value)
        return DecodedItem("\(type) \(value)", fields: fields)
    }

    /// RFC 3748 §4: Code, Identifier, Type.
    static func describe(_ eap: EAPPayload, fields: [String: JSONValue]) -> DecodedItem {
        var fields = fields
        let code = named(eap.code, "code", into: &fields)
        fields["identifier"] = .integer(Int(eap.identifier))
        fields["dataLength"] = .integer(eap.data.count)
        var text = "EAP \(code) id \(eap.identifier)"
        if let type = eap.type {
            text += " type " + named(type, "eapType", into: &fields) + ", \(eap.data.count) bytes"
        }
        return DecodedItem(text, fields: fields)
    }

    /// A readable form of the Identification Data (RFC 7296 §3.5).
    static func identificationText(_ id: IdentificationPayload) -> String {
        switch id.type {
        case .ipv4Address, .ipv6Address:
            IPAddressText.format(id.data)
        case .fqdn, .rfc822Address:
            ValueText.printable(id.data) ?? HexText.string(id.data)
        case .derASN1DN, .derASN1GN:
            "(DER, \(id.data.count) bytes)"
        case .null:
            "(none)"
        default:
            HexText.abbreviated(id.data)
        }
    }
}
