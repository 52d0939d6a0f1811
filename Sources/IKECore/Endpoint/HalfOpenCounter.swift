/// The responder's half-open IKE SAs (IKE_SA_INIT answered, IKE_AUTH not yet done),
/// counted in total and per source address as SAs come and go, so admitting an
/// IKE_SA_INIT request costs two lookups and never a scan of every SA.
struct HalfOpenCounter: Sendable {
    private(set) var total = 0
    private var byAddress: [[UInt8]: Int] = [:]

    func count(from address: [UInt8]) -> Int { byAddress[address, default: 0] }

    mutating func add(_ address: [UInt8]) {
        total += 1
        byAddress[address, default: 0] += 1
    }

    mutating func remove(_ address: [UInt8]) {
        total = max(0, total - 1)
        let left = byAddress[address, default: 0] - 1
        byAddress[address] = left > 0 ? left : nil
    }
}
