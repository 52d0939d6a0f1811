import IKEConfig
import IKEWire

/// The attributes of a CFG_REQUEST or CFG_REPLY the engine acts on (RFC 7296 §3.15.1),
/// their lengths checked; attributes of other types are ignored ("the responder MAY
/// ignore" what it does not support, §3.15).
struct ConfigurationAttributes: Equatable {
    /// INTERNAL_IP4_ADDRESS, INTERNAL_IP6_ADDRESS, in order; in a request all zeros for
    /// an empty value (any address of the family).
    var addresses: [[UInt8]] = []
    /// INTERNAL_IP4_DNS, INTERNAL_IP6_DNS with a value.
    var dnsServers: [[UInt8]] = []
    /// INTERNAL_IP4_NBNS with a value.
    var nbnsServers: [[UInt8]] = []
    /// INTERNAL_IP4_SUBNET, INTERNAL_IP6_SUBNET.
    var subnets: [AddressPrefix] = []

    /// Reads `payload`'s attributes. RFC 7296 §3.15.1 gives each type its lengths
    /// ("INTERNAL_IP4_ADDRESS … 0 or 4 octets", "INTERNAL_IP6_ADDRESS … 0 or 17 octets",
    /// "INTERNAL_IP4_SUBNET … 0 or 8 octets", "INTERNAL_IP6_SUBNET … 17 octets"); any
    /// other length is refused as malformed.
    init(_ payload: ConfigurationPayload) throws(IKERefusal) {
        for attribute in payload.attributes {
            let value = attribute.value
            func malformed() -> IKERefusal {
                IKERefusal(
                    .malformedRequest,
                    "configuration attribute \(attribute.type) has \(value.count) octets, which RFC 7296 §3.15.1 does not allow")
            }
            switch attribute.type {
            case .internalIP4Address, .internalIP4DNS, .internalIP4NBNS, .internalIP4Netmask:
                guard value.isEmpty || value.count == 4 else { throw malformed() }
                if attribute.type == .internalIP4Address { addresses.append(value.isEmpty ? [0, 0, 0, 0] : value) }
                if attribute.type == .internalIP4DNS, !value.isEmpty { dnsServers.append(value) }
                if attribute.type == .internalIP4NBNS, !value.isEmpty { nbnsServers.append(value) }
            case .internalIP6Address:
                guard value.isEmpty || value.count == 17 else { throw malformed() }
                addresses.append(value.isEmpty ? [UInt8](repeating: 0, count: 16) : Array(value.prefix(16)))
            case .internalIP6DNS:
                guard value.isEmpty || value.count == 16 else { throw malformed() }
                if !value.isEmpty { dnsServers.append(value) }
            case .internalIP4Subnet:
                guard value.isEmpty || value.count == 8 else { throw malformed() }
                guard !value.isEmpty else { continue }
                let mask = value.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                subnets.append(AddressPrefix(address: Array(value.prefix(4)), length: mask.nonzeroBitCount))
            case .internalIP6Subnet:
                guard value.count == 17 else { throw malformed() }
                subnets.append(AddressPrefix(address: Array(value.prefix(16)), length: min(128, Int(value[16]))))
            default:
                continue
            }
        }
    }

    /// The initiator's CFG_REQUEST for `virtualIPs` (`vips`; all zeros asks for any
    /// address of the family), with a DNS request for each family asked for, as
    /// strongSwan sends.
    static func request(virtualIPs: [[UInt8]]) -> ConfigurationPayload {
        var attributes: [ConfigurationAttribute] = []
        for address in virtualIPs {
            let isAny = address.allSatisfy { $0 == 0 }
            if address.count == 16 {
                // RFC 7296 §3.15.1: INTERNAL_IP6_ADDRESS is the address and a one-octet
                // prefix length.
                attributes.append(ConfigurationAttribute(type: .internalIP6Address, value: isAny ? [] : address + [128]))
            } else {
                attributes.append(ConfigurationAttribute(type: .internalIP4Address, value: isAny ? [] : address))
            }
        }
        for isIPv6 in [false, true] where virtualIPs.contains(where: { ($0.count == 16) == isIPv6 }) {
            attributes.append(ConfigurationAttribute(type: isIPv6 ? .internalIP6DNS : .internalIP4DNS))
        }
        return ConfigurationPayload(type: .request, attributes: attributes)
    }

    /// The responder's CFG_REPLY (RFC 7296 §3.15.1–§3.15.2). INTERNAL_IP4_NETMASK is
    /// left out: the virtual IP is a host address on a point-to-point tunnel (§3.15.1:
    /// the netmask "is not useful" there); IPv6 addresses go with prefix length 128.
    static func reply(_ assignment: AddressAssignment) -> ConfigurationPayload {
        var attributes: [ConfigurationAttribute] = assignment.addresses.map { assigned in
            assigned.isIPv6
                ? ConfigurationAttribute(type: .internalIP6Address, value: assigned.address + [128])
                : ConfigurationAttribute(type: .internalIP4Address, value: assigned.address)
        }
        attributes += assignment.dnsServers.map {
            ConfigurationAttribute(type: $0.count == 16 ? .internalIP6DNS : .internalIP4DNS, value: $0)
        }
        attributes += assignment.nbnsServers.filter { $0.count == 4 }.map {
            ConfigurationAttribute(type: .internalIP4NBNS, value: $0)
        }
        attributes += assignment.subnets.map { subnet in
            if subnet.address.count == 16 {
                return ConfigurationAttribute(
                    type: .internalIP6Subnet, value: subnet.range.first + [UInt8(clamping: subnet.length)])
            }
            let mask: UInt32 = subnet.length == 0 ? 0 : ~UInt32(0) << (32 - min(32, subnet.length))
            return ConfigurationAttribute(
                type: .internalIP4Subnet, value: subnet.range.first + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: mask >> $0) })
        }
        return ConfigurationPayload(type: .reply, attributes: attributes)
    }
}
