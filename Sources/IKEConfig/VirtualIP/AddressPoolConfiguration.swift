/// One `pools { name { ... } }` section: the addresses a responder hands out as virtual
/// IPs (RFC 7296 §3.15.1 INTERNAL_IP4_ADDRESS, INTERNAL_IP6_ADDRESS) and the attributes
/// that go with them.
///
/// ```
/// pools {
///     rw4 { addrs = 10.3.0.0/24  dns = 10.3.0.1  subnet = 10.1.0.0/16 }
///     rw6 { addrs = fd00::/120 }
/// }
/// ```
public struct AddressPoolConfiguration: Hashable, Sendable {
    /// `pools = radius` on a connection with `remote { auth = eap-radius }`: the address
    /// the RADIUS server gave the peer in its Access-Accept (Framed-IP-Address, RFC 2865
    /// §5.8), as strongSwan's eap-radius plugin names it. No pool may take the name.
    public static let radius = "radius"

    public var name: String
    /// `addrs` as written.
    public var text: String
    /// The addresses handed out. For `addrs` written as a subnet, strongSwan's rule: the
    /// network address and the last address are left out unless the prefix is a /31, /32
    /// (IPv4), /127 or /128 (IPv6), and a base address above the network address starts the pool there
    /// (`10.3.0.100/24` hands out `10.3.0.100`–`10.3.0.254`); a range
    /// (`10.3.0.10-10.3.0.200`) is used whole.
    public var addresses: AddressRange
    /// `dns`: INTERNAL_IP4_DNS and INTERNAL_IP6_DNS.
    public var dnsServers: [[UInt8]]
    /// `nbns`: INTERNAL_IP4_NBNS (IPv4 only).
    public var nbnsServers: [[UInt8]]
    /// `subnet`: INTERNAL_IP4_SUBNET and INTERNAL_IP6_SUBNET, the networks behind the
    /// gateway (RFC 7296 §3.15.2).
    public var subnets: [AddressPrefix]
    public var location: SourceLocation

    public init(
        name: String, text: String, addresses: AddressRange, dnsServers: [[UInt8]] = [], nbnsServers: [[UInt8]] = [],
        subnets: [AddressPrefix] = [], location: SourceLocation
    ) {
        self.name = name
        self.text = text
        self.addresses = addresses
        self.dnsServers = dnsServers
        self.nbnsServers = nbnsServers
        self.subnets = subnets
        self.location = location
    }

    /// The addresses a pool written `addrs = text` hands out, or `nil` when `text` is
    /// neither a subnet, a range nor an address.
    public static func addresses(_ text: String) -> AddressRange? {
        if let dash = text.firstIndex(of: "-") {
            guard let first = IPAddressNotation.parse(String(text[..<dash]).trimmingSpaces),
                let last = IPAddressNotation.parse(String(text[text.index(after: dash)...]).trimmingSpaces)
            else { return nil }
            return AddressRange(first: first, last: last)
        }
        guard let prefix = AddressPrefix(text) else { return nil }
        let network = prefix.range
        let bits = prefix.address.count * 8
        guard prefix.length < bits - 1 else { return network }
        // Leave out the network and last address, as strongSwan's in-memory pools do.
        let lowest = AddressArithmetic.adding(1, to: network.first) ?? network.first
        let first = prefix.address.lexicographicallyPrecedes(lowest) ? lowest : prefix.address
        var last = network.last
        last[last.count - 1] &-= 1
        return AddressRange(first: first, last: last)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
