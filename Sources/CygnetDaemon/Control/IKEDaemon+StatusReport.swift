import CygnetControlProtocol
import IKECore
import NIOCore

extension IKEDaemon {
    /// What `cygnet status` shows: every IKE SA of every engine with its Child SAs, in
    /// strongSwan's vocabulary, times relative to now. Sorted by connection name, then by
    /// local SPI.
    public func statusReport() async -> StatusReport {
        var entries: [(name: String, spi: UInt64, report: IKESAReport)] = []
        let traffic = endpoints.dataPlane?.traffic(engine: nil) ?? [:]
        for shard in shards {
            guard
                let snapshot = try? await shard.eventLoop.submit({ (shard.statuses, shard.childSAs, EngineShard.now) })
                    .get()
            else { continue }
            let (statuses, records, now) = snapshot
            for status in statuses {
                entries.append(
                    (status.name, status.localSPI, IKESAReport(status, records: records, traffic: traffic, now: now)))
            }
        }
        entries.sort { ($0.name, $0.spi) < ($1.name, $1.spi) }
        return StatusReport(ikeSAs: entries.map(\.report))
    }
}
