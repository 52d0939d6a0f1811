import IKECore
import IKEWire
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// What the daemon does when the host's addresses or routes change (``AddressMonitor``
/// calls ``addressesChanged(_:)`` on its thread): when it listens on every address,
/// binds both IKE ports on new addresses and stops listening on lost ones; tells every
/// engine the usable addresses (``IKECore/IKECommand/setLocalAddresses(_:)``); and asks
/// the kernel which source reaches each established IKE SA's peer now, telling the
/// engine of each SA that should move (``IKECore/IKECommand/updateLocalAddress(localSPI:address:)``,
/// decided by ``SourceSelection``). The engine moves the SA (MOBIKE) and its Child SAs
/// (through the installer); the sockets of a lost address are released after that.
///
/// Touched only on the monitor's thread (but for ``latest``), which is what makes the
/// `@unchecked Sendable` sound; it blocks on the engines' event loops, never the reverse.
final class AddressFollower: @unchecked Sendable {
    /// The host's addresses as last reported, for the source of a new IKE SA
    /// (``source(toward:)``).
    private let latest = NIOLockedValueBox<LocalAddressTable?>(nil)
    private let shards: [EngineShard]
    private let endpoints: UDPEndpoints
    /// The address lengths (4, 16) whose sockets follow the host: the families the daemon
    /// listens on with `0.0.0.0` or `::` (or with no `listen` at all).
    private let followedFamilies: Set<Int>
    private let logger: Logger
    private var lookup: RouteLookup?
    /// The addresses whose sockets follow the host, as last seen.
    private var followed: Set<[UInt8]> = []
    private var lastUsable: [[UInt8]]?

    init(shards: [EngineShard], endpoints: UDPEndpoints, followedFamilies: Set<Int>, logger: Logger) {
        self.shards = shards
        self.endpoints = endpoints
        self.followedFamilies = followedFamilies
        self.logger = logger
        do {
            lookup = try RouteLookup()
        } catch {
            logger.error("\(error); IKE SAs will not follow route changes")
        }
    }

    /// The address the host reaches `remote` from now (``RouteLookup``, never through the
    /// TUN device), if it is one the daemon has sockets on; `nil` before the first dump.
    func source(toward remote: [UInt8]) -> [UInt8]? {
        guard let table = latest.withLockedValue({ $0 }), var lookup = try? RouteLookup(),
            let source = lookup.source(toward: remote, addresses: table)
        else { return nil }
        return endpoints.boundAddresses.contains { $0.address == source } ? source : nil
    }

    /// Whether the monitor's first dump has been handled.
    var hasSeenAddresses: Bool { latest.withLockedValue { $0 != nil } }

    func addressesChanged(_ table: LocalAddressTable) {
        latest.withLockedValue { $0 = table }
        let wanted = Set(table.usable.filter { followedFamilies.contains($0.count) })
        let lost = followed.subtracting(wanted)
        if !followedFamilies.isEmpty {
            let bound = Set(endpoints.boundAddresses.map(\.address))
            endpoints.follow(adding: wanted.subtracting(bound).sorted { $0.lexicographicallyPrecedes($1) }, removing: [])
            followed = wanted
        }
        // IKE can use only the addresses it has sockets on.
        let bound = Set(endpoints.boundAddresses.map(\.address))
        let usable = table.usable.filter { bound.contains($0) }
        if usable != lastUsable {
            logger.info("local addresses: \(usable.map(IPAddressText.format).joined(separator: ", "))")
            lastUsable = usable
        }
        // One lookup per peer address, however many SAs lead there.
        var sources: [[UInt8]: [UInt8]?] = [:]
        for shard in shards {
            let sas = (try? shard.eventLoop.submit {
                shard.statuses.filter { $0.phase == .established }.map {
                    SourceSelection.SA(localSPI: $0.localSPI, local: $0.local.address, remote: $0.remote.address)
                }
            }.wait()) ?? []
            let moves = SourceSelection.moves(of: sas, usable: Set(usable)) { remote in
                if let known = sources[remote] { return known }
                let source = lookup?.source(toward: remote, addresses: table)
                sources[remote] = source
                return source
            }
            let logger = logger
            try? shard.eventLoop.submit {
                try? shard.handleCommand(.setLocalAddresses(usable))
                for move in moves {
                    let spi = HexText.string(move.localSPI)
                    logger.debug("IKE SA \(spi): the peer is now reached from \(IPAddressText.format(move.address))", metadata: ["ike.spi": "\(spi)"])
                    do {
                        try shard.handleCommand(.updateLocalAddress(localSPI: move.localSPI, address: move.address))
                    } catch {
                        logger.notice("IKE SA \(spi) stays: \(error)", metadata: ["ike.spi": "\(spi)"])
                    }
                }
            }.wait()
        }
        if !lost.isEmpty { endpoints.follow(adding: [], removing: lost.sorted { $0.lexicographicallyPrecedes($1) }) }
    }
}
