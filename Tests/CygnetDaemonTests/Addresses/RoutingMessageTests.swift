import CCygnetNet
import Testing

@testable import CygnetDaemon

/// rtnetlink messages (rtnetlink(7)) built byte by byte, in the host's byte order as the
/// kernel sends them.
enum NetlinkBytes {
    static func u16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
    static func u32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

    /// One rtattr, padded to 4 bytes.
    static func attribute(_ type: Int, _ value: [UInt8]) -> [UInt8] {
        let bytes = u16(UInt16(4 + value.count)) + u16(UInt16(type)) + value
        return bytes + [UInt8](repeating: 0, count: RoutingMessage.align(bytes.count) - bytes.count)
    }

    /// One message: the nlmsghdr (length, type, flags, sequence, port) and the body.
    static func message(_ type: Int, sequence: UInt32 = 0, body: [UInt8]) -> [UInt8] {
        u32(UInt32(16 + body.count)) + u16(UInt16(type)) + u16(0) + u32(sequence) + u32(0) + body
    }

    /// RTM_NEWADDR or RTM_DELADDR: `struct ifaddrmsg` and IFA_LOCAL, IFA_ADDRESS, IFA_FLAGS.
    static func address(
        _ address: [UInt8], type: Int = CYG_RTM_NEWADDR, prefix: UInt8 = 24, flags: UInt32 = 0, scope: UInt8 = 0,
        index: UInt32 = 2, peer: [UInt8]? = nil
    ) -> [UInt8] {
        var body = [address.count == 4 ? 2 : 10, prefix, UInt8(truncatingIfNeeded: flags), scope] + u32(index)
        body += attribute(CYG_IFA_ADDRESS, peer ?? address) + attribute(CYG_IFA_LOCAL, address) + attribute(CYG_IFA_FLAGS, u32(flags))
        return message(type, body: body)
    }

    /// RTM_NEWROUTE: `struct rtmsg` and RTA_DST, RTA_OIF, RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE.
    static func route(
        _ destination: [UInt8], length: UInt8, table: UInt32 = UInt32(CYG_RT_TABLE_MAIN), interface: UInt32 = 2,
        source: [UInt8]? = nil, priority: UInt32 = 0, sequence: UInt32 = 0
    ) -> [UInt8] {
        var body: [UInt8] = [destination.count == 4 ? 2 : 10, length, 0, 0, UInt8(min(table, 255)), 3, 0, UInt8(CYG_RTN_UNICAST)]
        body += u32(0)
        if length > 0 { body += attribute(CYG_RTA_DST, destination) }
        body += attribute(CYG_RTA_OIF, u32(interface)) + attribute(CYG_RTA_PRIORITY, u32(priority)) + attribute(CYG_RTA_TABLE, u32(table))
        if let source { body += attribute(CYG_RTA_PREFSRC, source) }
        return message(CYG_RTM_NEWROUTE, sequence: sequence, body: body)
    }
}

@Suite("rtnetlink: address and route messages parsed with every length checked")
struct RoutingMessageTests {
    @Test("RTM_NEWADDR and RTM_DELADDR: IFA_LOCAL over IFA_ADDRESS (a point-to-point peer), IFA_FLAGS over ifa_flags")
    func addresses() {
        let datagram = NetlinkBytes.address([192, 0, 2, 1], flags: 0x140, index: 3, peer: [192, 0, 2, 254])
            + NetlinkBytes.address([0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1], type: CYG_RTM_DELADDR, prefix: 64)
            + NetlinkBytes.message(CYG_NLMSG_DONE, sequence: 9, body: NetlinkBytes.u32(0))
        let messages = RoutingMessage.parse(datagram)
        #expect(messages.count == 3)
        guard case .newAddress(let added) = messages[0].message else {
            Issue.record("not an address: \(messages[0])")
            return
        }
        #expect(added.address == [192, 0, 2, 1] && added.interfaceIndex == 3 && added.prefixLength == 24)
        // 0x140: IFA_F_TENTATIVE (0x40) and IFA_F_MANAGETEMPADDR (0x100), which only the
        // 32-bit IFA_FLAGS holds.
        #expect(added.flags == 0x140 && added.isTentative)
        guard case .deletedAddress(let removed) = messages[1].message else {
            Issue.record("not a deletion: \(messages[1])")
            return
        }
        #expect(removed.address.count == 16 && removed.address.last == 1 && !removed.isTentative)
        #expect(messages[2].message == .done && messages[2].sequence == 9)
    }

    @Test("RTM_NEWROUTE: destination, output interface, preferred source, metric and RTA_TABLE")
    func routes() {
        let datagram = NetlinkBytes.route([10, 0, 0, 0], length: 8, table: 220, interface: 7, source: [10, 3, 0, 1], priority: 5)
        guard case .newRoute(let route) = RoutingMessage.parse(datagram).first?.message else {
            Issue.record("no route")
            return
        }
        #expect(route.destination == [10, 0, 0, 0] && route.destinationLength == 8 && route.table == 220)
        #expect(route.outputInterface == 7 && route.preferredSource == [10, 3, 0, 1] && route.priority == 5)
        let defaultRoute = NetlinkBytes.route([0, 0, 0, 0], length: 0)
        guard case .newRoute(let route) = RoutingMessage.parse(defaultRoute).first?.message else {
            Issue.record("no default route")
            return
        }
        #expect(route.destination == [0, 0, 0, 0] && route.destinationLength == 0 && route.preferredSource == nil)
    }

    @Test("Lying lengths: a message longer than the datagram or shorter than its header ends the parse; an attribute that lies is cut off")
    func lyingLengths() {
        let good = NetlinkBytes.address([192, 0, 2, 1])
        var tooLong = good
        tooLong.replaceSubrange(0..<4, with: NetlinkBytes.u32(UInt32(good.count + 1)))
        #expect(RoutingMessage.parse(tooLong).isEmpty)
        var tooShort = good
        tooShort.replaceSubrange(0..<4, with: NetlinkBytes.u32(8))
        #expect(RoutingMessage.parse(tooShort + good).isEmpty)
        // The first attribute claims 200 bytes: no address is read, the message is kept as "other".
        var lyingAttribute = good
        lyingAttribute.replaceSubrange(24..<26, with: NetlinkBytes.u16(200))
        #expect(RoutingMessage.parse(lyingAttribute).map(\.message) == [.other(type: UInt16(CYG_RTM_NEWADDR))])
        // An address of the wrong length for its family is not taken.
        var wrongFamily = good
        wrongFamily[16] = 10
        #expect(RoutingMessage.parse(wrongFamily).map(\.message) == [.other(type: UInt16(CYG_RTM_NEWADDR))])
        // A route prefix longer than the address.
        var longPrefix = NetlinkBytes.route([10, 0, 0, 0], length: 8)
        longPrefix[17] = 33
        #expect(RoutingMessage.parse(longPrefix).map(\.message) == [.other(type: UInt16(CYG_RTM_NEWROUTE))])
    }

    @Test("Every truncation and every corrupted byte of a datagram of addresses and routes parses without trapping")
    func truncationsAndCorruptions() {
        let datagram = NetlinkBytes.address([192, 0, 2, 1], flags: 0x40)
            + NetlinkBytes.route([0, 0, 0, 0], length: 0, source: [192, 0, 2, 1])
            + NetlinkBytes.address([0xFE, 0x80] + [UInt8](repeating: 0, count: 14), type: CYG_RTM_DELADDR, prefix: 64)
            + NetlinkBytes.message(CYG_NLMSG_ERROR, body: NetlinkBytes.u32(UInt32(bitPattern: -22)))
        #expect(RoutingMessage.parse(datagram).count == 4)
        for length in 0..<datagram.count {
            #expect(RoutingMessage.parse(Array(datagram.prefix(length))).count < 4)
        }
        var table = LocalAddressTable()
        for index in datagram.indices {
            for value: UInt8 in [0, 1, 0x7F, 0x80, 0xFF] {
                var corrupted = datagram
                corrupted[index] = value
                for (message, _) in RoutingMessage.parse(corrupted) { _ = table.apply(message) }
                _ = table.usable
            }
        }
    }
}
