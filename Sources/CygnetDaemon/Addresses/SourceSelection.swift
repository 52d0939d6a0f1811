import CCygnetNet
import IKECore

/// Which local address each IKE SA should use now, decided from the host's routes and
/// addresses without I/O: the daemon asks the kernel (``RouteLookup``) and hands the
/// answers here.
enum SourceSelection {
    /// An established IKE SA as the decision sees it.
    struct SA: Equatable, Sendable {
        var localSPI: UInt64
        var local: [UInt8]
        var remote: [UInt8]
    }

    /// The SAs to move and where: an SA moves when the source toward its peer (`source`,
    /// `nil` when no route usable for IKE reaches it) is a usable address other than its
    /// own, or when its own address is no longer usable and another of its family is
    /// (the first, as a new preferred source). An SA whose address stays usable and
    /// whose peer no route reaches stays where it is.
    static func moves(of sas: [SA], usable: Set<[UInt8]>, source: ([UInt8]) -> [UInt8]?) -> [(localSPI: UInt64, address: [UInt8])] {
        sas.compactMap { sa in
            let route = source(sa.remote).flatMap { usable.contains($0) ? $0 : nil }
            let target: [UInt8]?
            if let route {
                target = route
            } else if !usable.contains(sa.local) {
                target = usable.filter { $0.count == sa.local.count }.min { $0.lexicographicallyPrecedes($1) }
            } else {
                target = nil
            }
            guard let target, target != sa.local else { return nil }
            return (sa.localSPI, target)
        }
    }

    /// The source the host uses toward `destination`: the kernel's answer (`kernel`, the
    /// route RTM_GETROUTE returned) unless it leaves by the TUN device (a remote selector
    /// such as a road warrior's 0.0.0.0/0 covers the peer) or names no usable source;
    /// then the main table's longest matching unicast route that does not leave by it
    /// (`routes`: every table's routes), with its preferred source or else the
    /// interface's first usable address.
    static func source(
        toward destination: [UInt8], kernel: RoutingMessage.Route?, routes: [RoutingMessage.Route],
        addresses: LocalAddressTable
    ) -> [UInt8]? {
        let usable = Set(addresses.usable)
        func source(of route: RoutingMessage.Route) -> [UInt8]? {
            if let preferred = route.preferredSource { return usable.contains(preferred) ? preferred : nil }
            guard let interface = route.outputInterface else { return nil }
            return addresses.usableAddresses(onInterface: interface, length: destination.count).first
        }
        if let kernel, kernel.outputInterface != addresses.excludedInterface, let chosen = source(of: kernel) {
            return chosen
        }
        let candidates = routes.filter { route in
            route.table == UInt32(CYG_RT_TABLE_MAIN) && route.type == UInt8(CYG_RTN_UNICAST)
                && route.destination.count == destination.count && route.outputInterface != addresses.excludedInterface
                && covers(route.destination, length: Int(route.destinationLength), destination)
        }
        let ordered = candidates.sorted {
            ($0.destinationLength, UInt32.max - $0.priority) > ($1.destinationLength, UInt32.max - $1.priority)
        }
        return ordered.lazy.compactMap(source).first
    }

    /// Whether the prefix `network`/`length` contains `address`.
    static func covers(_ network: [UInt8], length: Int, _ address: [UInt8]) -> Bool {
        guard network.count == address.count, length >= 0, length <= address.count * 8 else { return false }
        for bit in 0..<length {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if network[bit / 8] & mask != address[bit / 8] & mask { return false }
        }
        return true
    }
}
