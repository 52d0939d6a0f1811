import CCygnetNet
import Testing

@testable import CygnetDaemon

/// Which addresses IKE may use, which source reaches a peer, and which IKE SAs move.
@Suite("Source selection: usable addresses, the route to the peer (never the TUN device's), the SAs that move")
struct SourceSelectionTests {
    static let wifi: [UInt8] = [192, 168, 1, 20]
    static let lte: [UInt8] = [10, 64, 0, 9]
    static let gateway: [UInt8] = [203, 0, 113, 1]
    static let virtualIP: [UInt8] = [10, 3, 0, 1]
    static let tunIndex: UInt32 = 9

    static func route(_ bytes: [UInt8]) -> RoutingMessage.Route? {
        guard case .newRoute(let route) = RoutingMessage.parse(bytes).first?.message else { return nil }
        return route
    }

    /// Wi-Fi on interface 2, LTE on 3, the TUN device (9) with a virtual IP.
    static func table(_ more: [[UInt8]] = []) -> LocalAddressTable {
        var table = LocalAddressTable(excludedInterface: tunIndex)
        var messages = [
            NetlinkBytes.address(wifi, index: 2), NetlinkBytes.address(lte, index: 3),
            NetlinkBytes.address(virtualIP, prefix: 32, index: tunIndex),
        ]
        messages += more
        for bytes in messages {
            for (message, _) in RoutingMessage.parse(bytes) { _ = table.apply(message) }
        }
        return table
    }

    @Test("Usable: no link-local, loopback, tentative or DAD-failed address, none on the TUN device")
    func usable() {
        let table = Self.table([
            NetlinkBytes.address([169, 254, 3, 3], index: 2), NetlinkBytes.address([0xFE, 0x80] + [UInt8](repeating: 1, count: 14), index: 2),
            NetlinkBytes.address([127, 0, 0, 1], prefix: 8, scope: LocalAddressTable.hostScope, index: 1),
            NetlinkBytes.address([192, 0, 2, 50], flags: UInt32(CYG_IFA_F_TENTATIVE), index: 2),
            NetlinkBytes.address([192, 0, 2, 51], flags: UInt32(CYG_IFA_F_DADFAILED), index: 2),
        ])
        #expect(table.usable == [Self.lte, Self.wifi])
        var removed = table
        for (message, _) in RoutingMessage.parse(NetlinkBytes.address(Self.wifi, type: CYG_RTM_DELADDR, index: 2)) {
            let changed = removed.apply(message)
            #expect(changed)
        }
        #expect(removed.usable == [Self.lte])
        // The same address again changes nothing.
        var same = table
        for (message, _) in RoutingMessage.parse(NetlinkBytes.address(Self.lte, index: 3)) {
            let changed = same.apply(message)
            #expect(!changed)
        }
    }

    @Test("The kernel's answer is taken when it leaves by a real interface with a usable source")
    func kernelAnswer() {
        let kernel = Self.route(NetlinkBytes.route(Self.gateway, length: 32, interface: 3, source: Self.lte))
        #expect(SourceSelection.source(toward: Self.gateway, kernel: kernel, routes: [], addresses: Self.table()) == Self.lte)
        // No RTA_PREFSRC: the interface's first usable address.
        let bare = Self.route(NetlinkBytes.route(Self.gateway, length: 32, interface: 2))
        #expect(SourceSelection.source(toward: Self.gateway, kernel: bare, routes: [], addresses: Self.table()) == Self.wifi)
    }

    @Test("A road warrior's 0.0.0.0/0 into the TUN device covers the gateway: the main table answers, never the virtual IP")
    func tunnelRouteSkipped() {
        let table = Self.table()
        let kernel = Self.route(NetlinkBytes.route(Self.gateway, length: 32, table: 220, interface: Self.tunIndex, source: Self.virtualIP))
        let routes = [
            NetlinkBytes.route([0, 0, 0, 0], length: 0, table: 220, interface: Self.tunIndex, source: Self.virtualIP),
            NetlinkBytes.route([0, 0, 0, 0], length: 0, interface: 2, source: Self.wifi, priority: 600),
            NetlinkBytes.route([0, 0, 0, 0], length: 0, interface: 3, source: Self.lte, priority: 100),
            NetlinkBytes.route([10, 0, 0, 0], length: 8, interface: Self.tunIndex),
            NetlinkBytes.route([198, 51, 100, 0], length: 24, interface: 2, source: Self.wifi),
        ].compactMap(Self.route)
        #expect(SourceSelection.source(toward: Self.gateway, kernel: kernel, routes: [], addresses: table) == nil)
        // The lower metric wins among the default routes.
        #expect(SourceSelection.source(toward: Self.gateway, kernel: kernel, routes: routes, addresses: table) == Self.lte)
        // The longer prefix wins.
        #expect(SourceSelection.source(toward: [198, 51, 100, 7], kernel: nil, routes: routes, addresses: table) == Self.wifi)
        // Only a route into the TUN device: none.
        #expect(SourceSelection.source(toward: [10, 1, 1, 1], kernel: nil, routes: [routes[3]], addresses: table) == nil)
    }

    @Test("Prefixes: covers")
    func covers() {
        #expect(SourceSelection.covers([10, 0, 0, 0], length: 8, [10, 200, 1, 1]))
        #expect(!SourceSelection.covers([10, 0, 0, 0], length: 9, [10, 200, 1, 1]))
        #expect(SourceSelection.covers([0, 0, 0, 0], length: 0, Self.gateway))
        #expect(!SourceSelection.covers([10, 0, 0, 0], length: 33, [10, 0, 0, 0]))
        #expect(!SourceSelection.covers([10, 0, 0, 0], length: 8, [UInt8](repeating: 10, count: 16)))
    }

    @Test("An SA moves when the route to its peer leaves from another usable address, or when its address is gone")
    func moves() {
        let sas = [
            SourceSelection.SA(localSPI: 1, local: Self.wifi, remote: Self.gateway),
            SourceSelection.SA(localSPI: 2, local: Self.lte, remote: Self.gateway),
            SourceSelection.SA(localSPI: 3, local: [192, 0, 2, 99], remote: [198, 51, 100, 7]),
            SourceSelection.SA(localSPI: 4, local: Self.wifi, remote: [198, 51, 100, 8]),
            SourceSelection.SA(localSPI: 5, local: [0x20, 0x01] + [UInt8](repeating: 0, count: 14), remote: [0x20, 0x02] + [UInt8](repeating: 0, count: 14)),
        ]
        let usable: Set<[UInt8]> = [Self.wifi, Self.lte]
        let moves = SourceSelection.moves(of: sas, usable: usable) { remote in
            switch remote {
            case Self.gateway: Self.lte
            // A route whose source is not usable (a virtual IP) counts as none.
            case [198, 51, 100, 7]: Self.virtualIP
            default: nil
            }
        }
        // 1 to the route's source; 2 is there already; 3 lost its address and no usable
        // route reaches its peer: the first usable address of its family; 4 has no route
        // but keeps its address; 5 has no IPv6 address to go to.
        #expect(moves.map(\.localSPI) == [1, 3])
        #expect(moves.map(\.address) == [Self.lte, Self.lte])
    }
}
