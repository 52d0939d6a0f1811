/// The host's interface addresses as rtnetlink reports them (a dump, then RTM_NEWADDR
/// and RTM_DELADDR), and which of them IKE may use.
struct LocalAddressTable: Sendable, Equatable {
    typealias InterfaceAddress = RoutingMessage.InterfaceAddress

    /// Every address by interface index and bytes.
    private(set) var entries: [InterfaceAddress] = []
    /// The data plane's TUN device, whose addresses (virtual IPs, local selectors) are
    /// never IKE's.
    var excludedInterface: UInt32?

    init(excludedInterface: UInt32? = nil) { self.excludedInterface = excludedInterface }

    /// Applies one message; returns whether it changed the addresses or is a route change
    /// (which may change the source toward a peer).
    mutating func apply(_ message: RoutingMessage) -> Bool {
        switch message {
        case .newAddress(let address):
            if let index = entries.firstIndex(where: { $0.address == address.address && $0.interfaceIndex == address.interfaceIndex }) {
                guard entries[index] != address else { return false }
                entries[index] = address
            } else {
                entries.append(address)
            }
            return true
        case .deletedAddress(let address):
            let before = entries.count
            entries.removeAll { $0.address == address.address && $0.interfaceIndex == address.interfaceIndex }
            return entries.count != before
        case .newRoute, .deletedRoute:
            return true
        case .done, .error, .other:
            return false
        }
    }

    /// The addresses IKE may use, sorted, without repeats: none link-local (169.254/16,
    /// fe80::/10), none of host scope (loopback), none tentative or whose duplicate
    /// address detection failed, none on the TUN device.
    var usable: [[UInt8]] {
        Array(Set(entries.filter(isUsable).map(\.address))).sorted { $0.lexicographicallyPrecedes($1) }
    }

    func isUsable(_ entry: InterfaceAddress) -> Bool {
        entry.interfaceIndex != excludedInterface && !entry.isTentative && entry.scope < Self.hostScope
            && !Self.isLinkLocal(entry.address)
    }

    /// The usable addresses of interface `index` of `family`'s length, primary ones first.
    func usableAddresses(onInterface index: UInt32, length: Int) -> [[UInt8]] {
        let candidates = entries.filter { $0.interfaceIndex == index && $0.address.count == length && isUsable($0) }
        return (candidates.filter { !$0.isSecondary } + candidates.filter(\.isSecondary)).map(\.address)
    }

    /// RT_SCOPE_HOST.
    static let hostScope: UInt8 = 254

    static func isLinkLocal(_ address: [UInt8]) -> Bool {
        switch address.count {
        case 4: address[0] == 169 && address[1] == 254
        case 16: address[0] == 0xFE && address[1] & 0xC0 == 0x80
        default: true
        }
    }
}
