import CCygnetNet
import CygnetHostSupport
import Foundation
import Glibc
import IKEWire
import Logging
import NIOConcurrencyHelpers

/// Routes the remote traffic selectors of installed Child SAs through the TUN device, as
/// strongSwan does: in routing table 220, looked up by an `ip rule` of priority 220, with
/// the source address set to a local address inside the local selectors. A local
/// selector of one address that no interface has is added to the TUN device, so the
/// host can send from it.
///
/// The changes are made with iproute2's `ip` on a queue of their own (never on an event
/// loop), counted per prefix so a rekey (new SA installed before the old one goes) keeps
/// the route.
final class RouteManager: Sendable {
    static let table = "220"

    let device: String
    let logger: Logger
    private let queue = DispatchQueue(label: "cygnet.routes")
    private let state = NIOLockedValueBox(State())

    struct State {
        var routes: [String: Int] = [:]
        var addresses: [String: Int] = [:]
        var ruleInstalled: [Bool: Bool] = [:]
    }

    init(device: String, logger: Logger) {
        self.device = device
        self.logger = logger
    }

    func add(local: [PacketSelector], remote: [PacketSelector]) {
        queue.async { [self] in
            for family in Set(remote.map(\.isIPv6)) where state.withLockedValue({ $0.ruleInstalled[family] }) != true {
                let flag = family ? "-6" : "-4"
                // Replace any rule left by an earlier run rather than stacking copies.
                _ = run([flag, "rule", "del", "priority", Self.table, "table", Self.table], quiet: true)
                if run([flag, "rule", "add", "priority", Self.table, "table", Self.table]) {
                    state.withLockedValue { $0.ruleInstalled[family] = true }
                }
            }
            for selector in remote {
                let source = sourceAddress(in: local, isIPv6: selector.isIPv6)
                for prefix in selector.prefixes {
                    let text = IPAddressText.format(prefix.address) + "/\(prefix.length)"
                    let count = state.withLockedValue { state -> Int in
                        state.routes[text, default: 0] += 1
                        return state.routes[text]!
                    }
                    guard count == 1 else { continue }
                    var arguments = ["route", "replace", text, "dev", device, "table", Self.table]
                    if let source { arguments += ["src", source] }
                    _ = run(arguments)
                }
            }
        }
    }

    func remove(local: [PacketSelector], remote: [PacketSelector]) {
        queue.async { [self] in
            for selector in remote {
                for prefix in selector.prefixes {
                    let text = IPAddressText.format(prefix.address) + "/\(prefix.length)"
                    let count = state.withLockedValue { state -> Int in
                        state.routes[text, default: 1] -= 1
                        let count = state.routes[text]!
                        if count <= 0 { state.routes[text] = nil }
                        return count
                    }
                    if count <= 0 { _ = run(["route", "del", text, "dev", device, "table", Self.table], quiet: true) }
                }
            }
            for selector in local {
                guard let address = selector.hostAddress else { continue }
                let text = IPAddressText.format(address)
                let count = state.withLockedValue { state -> Int? in
                    guard let count = state.addresses[text] else { return nil }
                    state.addresses[text] = count > 1 ? count - 1 : nil
                    return count - 1
                }
                if count == 0 {
                    _ = run(["addr", "del", text + (selector.isIPv6 ? "/128" : "/32"), "dev", device], quiet: true)
                }
            }
        }
    }

    /// Removes the rules (routes go with the device) and waits for queued changes.
    func shutdown() {
        queue.sync {
            let families = state.withLockedValue { $0.ruleInstalled.filter(\.value).map(\.key) }
            for family in families {
                _ = run([family ? "-6" : "-4", "rule", "del", "priority", Self.table, "table", Self.table], quiet: true)
            }
        }
    }

    /// A local address inside `selectors`: one an interface has, or else the single
    /// address of a host selector, which is then added to the TUN device.
    private func sourceAddress(in selectors: [PacketSelector], isIPv6: Bool) -> String? {
        let candidates = selectors.filter { $0.isIPv6 == isIPv6 }
        for address in Self.hostAddresses(isIPv6: isIPv6, excluding: device) {
            let number = PacketSelector.number(address)
            if candidates.contains(where: { number >= $0.start && number <= $0.end }) { return IPAddressText.format(address) }
        }
        guard let host = candidates.lazy.compactMap(\.hostAddress).first else { return nil }
        let text = IPAddressText.format(host)
        let isNew = state.withLockedValue { state -> Bool in
            state.addresses[text, default: 0] += 1
            return state.addresses[text] == 1
        }
        if isNew { _ = run(["addr", "replace", text + (isIPv6 ? "/128" : "/32"), "dev", device]) }
        return text
    }

    /// The addresses of the host's interfaces other than `excluded` (the TUN device, whose
    /// addresses this type manages).
    static func hostAddresses(isIPv6: Bool, excluding excluded: String) -> [[UInt8]] {
        let length = isIPv6 ? 16 : 4
        var buffer = [UInt8](repeating: 0, count: 16 * 256)
        let count = Int(cyg_interface_addresses(Int32(length), excluded, &buffer, 256))
        return (0..<count).map { Array(buffer[$0 * 16..<$0 * 16 + length]) }
    }

    /// The longest an `ip` command may take before it is killed (a hung netlink call
    /// must not stall every later route change).
    static let commandTimeout: Duration = .seconds(10)

    /// Runs `ip ARGUMENTS`; logs a failure unless `quiet`.
    @discardableResult
    private func run(_ arguments: [String], quiet: Bool = false) -> Bool {
        let command = "ip \(arguments.joined(separator: " "))"
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(Self.ipPath, arguments, timeout: Self.commandTimeout)
        } catch {
            logger.error("cannot run \(Self.ipPath): \(error) (install iproute2)")
            return false
        }
        switch result.termination {
        case .exited(0):
            logger.debug("\(command)")
            return true
        case .exited, .signalled:
            if !quiet {
                let message = String(decoding: result.standardError, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                logger.warning("\(command) failed: \(message)")
            }
        case .timedOut:
            logger.warning("\(command) did not finish in \(Self.commandTimeout) and was killed")
        }
        return false
    }

    static let ipPath: String = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/ip"
}
