import IKEConfig
import IKECrypto
import NIOCore

/// An outstanding Access-Request of a ``RADIUSClient``.
struct PendingRADIUSRequest: Sendable {
    var attributes: [RADIUSAttribute]
    /// The servers still to try, in order.
    var candidates: [Int]
    var promise: EventLoopPromise<RADIUSClient.ReceivedAnswer>
    var tried: [Int] = []
    var server = 0
    var identifier: UInt8 = 0
    var requestAuthenticator: [UInt8] = []
    var bytes: [UInt8] = []
    /// Sends so far to ``server``, minus one.
    var attempt = 0
    var timer: Scheduled<Void>?
}

struct RADIUSRequestKey: Hashable, Sendable {
    var server: Int
    var identifier: UInt8
}

/// The mutable part of a ``RADIUSClient``, behind its lock and changed on its event loop only.
struct RADIUSClientState: Sendable {
    var random: any RandomSource & Sendable
    var pending: [RADIUSRequestKey: PendingRADIUSRequest] = [:]
    /// The next Identifier to try, per server.
    var nextIdentifier: [UInt8]
    /// Servers whose last request went unanswered.
    var unreachable: Set<Int> = []
    var statistics = RADIUSClientStatistics()

    init(serverCount: Int, random: any RandomSource & Sendable) {
        self.random = random
        nextIdentifier = [UInt8](repeating: 0, count: serverCount)
    }

    /// Every server, those with a higher preference first, then in file order, with
    /// unreachable ones last.
    func candidates(_ servers: [EAPRADIUSSettings.Server]) -> [Int] {
        servers.indices.sorted { a, b in
            let key = { (index: Int) in (unreachable.contains(index) ? 1 : 0, -servers[index].preference, index) }
            return key(a) < key(b)
        }
    }

    /// Stores `request` under a free Identifier of its server with a fresh Request
    /// Authenticator; `nil` when 256 requests to that server are outstanding.
    mutating func store(_ request: PendingRADIUSRequest) -> PendingRADIUSRequest? {
        var request = request
        for _ in 0..<256 {
            let identifier = nextIdentifier[request.server]
            nextIdentifier[request.server] &+= 1
            let key = RADIUSRequestKey(server: request.server, identifier: identifier)
            guard pending[key] == nil else { continue }
            request.identifier = identifier
            request.requestAuthenticator = random.bytes(RADIUSPacket.authenticatorLength)
            pending[key] = request
            return request
        }
        return nil
    }

    mutating func remove(server: Int, identifier: UInt8) -> PendingRADIUSRequest? {
        pending.removeValue(forKey: RADIUSRequestKey(server: server, identifier: identifier))
    }

    mutating func removeAll() -> [PendingRADIUSRequest] {
        defer { pending = [:] }
        return Array(pending.values)
    }
}
