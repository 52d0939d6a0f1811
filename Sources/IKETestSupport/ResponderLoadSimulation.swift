import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import NIOCore

/// Many initiators against one responder in virtual time, built to scale where
/// ``SimulatedNetwork`` (a linear scan of every node per step) does not: addresses are
/// looked up in a dictionary, and deliveries and timers wait in one priority queue.
///
/// Every initiator is its own engine with one connection to the responder, from its own
/// address. Timers are exact: each engine's `nextDeadline()` is scheduled after every
/// input.
///
/// The network is lossless and in order; each datagram takes ``Parameters/latency``.
///
/// Effects that need the host (EAP, address leases, signatures) go to the completers
/// given at ``init(responder:responderAddress:responderCompleter:initiators:initiatorCompleters:parameters:)``, when there are
/// any; their answers come back after ``Parameters/completionLatency``. Without
/// completers such effects are never answered.
public struct ResponderLoadSimulation {
    public struct Parameters: Sendable {
        public var latency: Duration = .milliseconds(10)
        /// Time between one initiator's start and the next.
        public var startInterval: Duration = .microseconds(500)
        /// Virtual time after the last start by which everything must be done.
        public var timeLimit: Duration = .seconds(600)
        /// Time a completer's answer takes to reach its engine.
        public var completionLatency: Duration = .zero

        public init() {}
    }

    /// One initiator's outcome.
    public struct InitiatorRecord: Sendable {
        public var address: IKEEndpointAddress
        public var isEstablished = false
        public var closeReason: IKECloseReason?
        /// Its Child SA: (inbound, outbound) SPIs.
        public var childSPIs: (inbound: UInt32, outbound: UInt32)?
        /// Its Child SA's local traffic selectors.
        public var childLocalTrafficSelectors: [TrafficSelector] = []
        /// Its IKE SA's local SPI, once established.
        public var localSPI: UInt64?
        /// The virtual IPs and attributes the responder assigned it (CFG_REPLY).
        public var virtualIPs: AddressAssignment?
    }

    public private(set) var responder: IKEEngine<SeededRandomSource>
    public let responderAddress: IKEEndpointAddress
    public private(set) var initiators: [IKEEngine<SeededRandomSource>]
    public private(set) var records: [InitiatorRecord]
    /// The responder's installed Child SAs, (inbound, outbound).
    public private(set) var responderChildSPIs: [(inbound: UInt32, outbound: UInt32)] = []
    public private(set) var responderEstablished = 0
    public private(set) var responderClosed: [IKECloseReason] = []
    /// Child SAs the responder was asked to remove.
    public private(set) var responderChildSAsRemoved = 0
    /// Virtual IPs the responder leased (``IKEEvent/addressesAssigned(name:localSPI:assignment:)``),
    /// and the failures to (``IKEEvent/addressAssignmentFailed(name:localSPI:pools:reason:)``).
    public private(set) var responderAddressesAssigned = 0
    public private(set) var responderAddressFailures: [IKECompletionFailure] = []
    /// Datagrams delivered, and events the responder reported by kind.
    public private(set) var delivered = 0
    public private(set) var cookiesRequested = 0
    public private(set) var halfOpenLimitHits = 0
    public private(set) var now: IKEInstant = .zero
    public let parameters: Parameters

    enum Work {
        case start(Int)
        case delete(Int)
        case deliver(IKETransmit)
        case initiatorTimer(Int)
        case responderTimer
        /// A completer's answer for the responder (`nil`) or an initiator.
        case completion(Int?, IKECompletion)
    }

    struct Entry {
        var at: IKEInstant
        var sequence: Int
        var work: Work
    }

    var queue = PriorityQueue()
    var sequence = 0
    var addressIndex: [[UInt8]: Int] = [:]
    var scheduledTimers: [IKEInstant?]
    var peerName: [String]
    var responderTimer: IKEInstant?
    let responderCompleter: (any IKEEffectCompleter)?
    let initiatorCompleters: [(any IKEEffectCompleter)?]
    /// Effects collected from the engines' outputs, for the completers: the responder's
    /// (`nil`) or an initiator's.
    var pendingEffects: [(Int?, IKEEffect)] = []

    /// - Parameters:
    ///   - responderCompleter: answers the responder's effects (EAP, address leases…).
    ///   - initiators: each engine and the name of its connection to the responder, the
    ///     address it sends from, and what answers its effects.
    public init(
        responder: IKEEngine<SeededRandomSource>, responderAddress: IKEEndpointAddress,
        responderCompleter: (any IKEEffectCompleter)? = nil,
        initiators: [(engine: IKEEngine<SeededRandomSource>, connection: String, address: IKEEndpointAddress)],
        initiatorCompleters: [(any IKEEffectCompleter)?] = [],
        parameters: Parameters = Parameters()
    ) {
        self.responder = responder
        self.responderAddress = responderAddress
        self.responderCompleter = responderCompleter
        self.initiatorCompleters = initiatorCompleters
        self.initiators = initiators.map(\.engine)
        self.records = initiators.map { InitiatorRecord(address: $0.address) }
        self.peerName = initiators.map(\.connection)
        self.parameters = parameters
        self.scheduledTimers = Array(repeating: nil, count: initiators.count)
        for (index, initiator) in initiators.enumerated() {
            addressIndex[initiator.address.address] = index
            push(IKEInstant.zero + parameters.startInterval * index, .start(index))
        }
    }

    mutating func push(_ at: IKEInstant, _ work: Work) {
        sequence += 1
        queue.push(Entry(at: at, sequence: sequence, work: work))
    }

    /// Runs until nothing is left to do (every initiator established or closed, every
    /// datagram delivered, every completion answered) or the time limit passes, counted
    /// from now plus one start interval per initiator. Returns whether it finished.
    @discardableResult
    public mutating func run() async -> Bool {
        let end = now + parameters.startInterval * initiators.count + parameters.timeLimit
        while let entry = queue.pop() {
            guard entry.at <= end else { return false }
            now = max(now, entry.at)
            switch entry.work {
            case .start(let index):
                try? initiators[index].handleCommand(
                    .initiate(peer: peerName[index], local: records[index].address, remote: responderAddress), now: now)
                collectInitiator(index)
            case .delete(let index):
                if let spi = records[index].localSPI {
                    try? initiators[index].handleCommand(.delete(localSPI: spi), now: now)
                    collectInitiator(index)
                }
            case .completion(nil, let completion):
                responder.handleCompletion(completion, now: now)
                collectResponder()
            case .completion(let index?, let completion):
                initiators[index].handleCompletion(completion, now: now)
                collectInitiator(index)
            case .deliver(let transmit):
                delivered += 1
                if transmit.destination.address == responderAddress.address {
                    responder.handleDatagram(transmit.datagram, from: transmit.source, to: transmit.destination, now: now)
                    collectResponder()
                } else if let index = addressIndex[transmit.destination.address] {
                    initiators[index].handleDatagram(transmit.datagram, from: transmit.source, to: transmit.destination, now: now)
                    collectInitiator(index)
                }
            case .initiatorTimer(let index):
                guard scheduledTimers[index] == entry.at else { continue }  // superseded
                scheduledTimers[index] = nil
                if let deadline = initiators[index].nextDeadline(), deadline <= now {
                    initiators[index].handleTimeout(now: now)
                }
                collectInitiator(index)
            case .responderTimer:
                guard responderTimer == entry.at else { continue }  // superseded
                responderTimer = nil
                if let deadline = responder.nextDeadline(), deadline <= now {
                    responder.handleTimeout(now: now)
                }
                collectResponder()
            }
            await completePendingEffects()
        }
        return true
    }

    /// Has every initiator that established delete its IKE SA, one start interval apart
    /// from now; ``run()`` carries it out.
    public mutating func deleteAll() {
        for index in records.indices where records[index].localSPI != nil {
            push(now + parameters.startInterval * index, .delete(index))
        }
    }

    /// Hands the effects collected to the completers and schedules their answers.
    mutating func completePendingEffects() async {
        while !pendingEffects.isEmpty {
            let (owner, effect) = pendingEffects.removeFirst()
            let completer = owner.map { initiatorCompleters.indices.contains($0) ? initiatorCompleters[$0] : nil } ?? responderCompleter
            guard let completer, let completion = await completer.complete(effect, now: now) else { continue }
            push(now + parameters.completionLatency, .completion(owner, completion))
        }
    }

    mutating func send(_ transmit: IKETransmit) {
        push(now + parameters.latency, .deliver(transmit))
    }

    mutating func collectResponder() {
        var outputs = EngineOutputs()
        responder.drain(into: &outputs)
        for transmit in outputs.transmits { send(transmit) }
        for effect in outputs.effects {
            switch effect {
            case .installChildSA(let installation):
                responderChildSPIs.append((installation.inboundSPI, installation.outboundSPI))
            case .removeChildSA: responderChildSAsRemoved += 1
            default: break
            }
            if responderCompleter != nil { pendingEffects.append((nil, effect)) }
        }
        for event in outputs.events {
            switch event {
            case .ikeSAEstablished: responderEstablished += 1
            case .ikeSAClosed(_, _, let reason, _): responderClosed.append(reason)
            case .cookieRequested: cookiesRequested += 1
            case .halfOpenLimitReached: halfOpenLimitHits += 1
            case .addressesAssigned: responderAddressesAssigned += 1
            case .addressAssignmentFailed(_, _, _, let reason): responderAddressFailures.append(reason)
            default: break
            }
        }
        if let deadline = outputs.deadline {
            if responderTimer != deadline {
                responderTimer = deadline
                push(deadline, .responderTimer)
            }
        } else {
            responderTimer = nil
        }
    }

    mutating func collectInitiator(_ index: Int) {
        var outputs = EngineOutputs()
        initiators[index].drain(into: &outputs)
        for transmit in outputs.transmits { send(transmit) }
        for effect in outputs.effects {
            if case .installChildSA(let installation) = effect {
                records[index].childSPIs = (installation.inboundSPI, installation.outboundSPI)
                records[index].childLocalTrafficSelectors = installation.localTrafficSelectors
            }
            if initiatorCompleters.indices.contains(index), initiatorCompleters[index] != nil {
                pendingEffects.append((index, effect))
            }
        }
        for event in outputs.events {
            switch event {
            case .ikeSAEstablished(_, let localSPI, _, _):
                records[index].isEstablished = true
                records[index].localSPI = localSPI
            case .ikeSAClosed(_, _, let reason, _): records[index].closeReason = reason
            case .virtualIPsReceived(_, _, let assignment): records[index].virtualIPs = assignment
            default: break
            }
        }
        if let deadline = outputs.deadline {
            if scheduledTimers[index] != deadline {
                scheduledTimers[index] = deadline
                push(deadline, .initiatorTimer(index))
            }
        } else {
            scheduledTimers[index] = nil
        }
    }

    /// A binary min-heap on (time, sequence): equal times run in the order scheduled.
    struct PriorityQueue {
        private var heap: [Entry] = []

        var isEmpty: Bool { heap.isEmpty }

        private static func less(_ a: Entry, _ b: Entry) -> Bool {
            a.at != b.at ? a.at < b.at : a.sequence < b.sequence
        }

        mutating func push(_ entry: Entry) {
            heap.append(entry)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.less(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> Entry? {
            guard !heap.isEmpty else { return nil }
            heap.swapAt(0, heap.count - 1)
            let top = heap.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count, Self.less(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count, Self.less(heap[right], heap[smallest]) { smallest = right }
                guard smallest != parent else { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
            return top
        }
    }
}

extension ResponderLoadSimulation {
    /// Initiator `index`'s address: 10.x.y.z, distinct for up to 2²⁴ initiators.
    public static func initiatorAddress(_ index: Int) -> IKEEndpointAddress {
        IKEEndpointAddress(
            address: [10, UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)],
            port: 500)
    }

    /// `count` PSK initiators with distinct addresses (10.x.y.z) and identities
    /// (`u<i>@lab.test`) against one responder whose connection accepts any identity
    /// with a secret, all on the ⚠️ insecure provider (fast, deterministic).
    ///
    /// The responder holds one secrets entry naming itself and every initiator identity.
    /// Lifetimes are off (`rekey_time = 0`), so the run ends when every handshake has.
    public static func insecurePSK(count: Int, seed: UInt64 = 1, parameters: Parameters = Parameters())
        -> ResponderLoadSimulation
    {
        let responderID = IKEIdentity("gateway.lab.test")
        let responderAddress = IKEEndpointAddress(address: [192, 0, 2, 2], port: 500)
        let secret = Array("load-test-psk-0123456789abcdef".utf8)
        let proposal = ProposalTemplate(
            encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256],
            keyExchangeMethods: [.curve25519])
        let esp = ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 256)])
        func child(local: String, remote: String) -> ChildSAConfiguration {
            ChildSAConfiguration(
                name: "net", localTrafficSelectors: [TrafficSelectorTemplate(ipv4Prefix: local)].compactMap { $0 },
                remoteTrafficSelectors: [TrafficSelectorTemplate(ipv4Prefix: remote)].compactMap { $0 },
                proposals: [esp], rekeyTime: .zero)
        }
        let identities = (0..<count).map { IKEIdentity("u\($0)@lab.test") }
        let responderPeer = PeerConfiguration(
            name: "clients", proposals: [proposal], localIdentity: responderID, remoteIdentity: nil,
            localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey,
            children: [child(local: "203.0.113.0/24", remote: "10.0.0.0/8")], rekeyTime: .zero)
        let responderConfiguration = IKEEngineConfiguration(
            peers: [responderPeer], preSharedKeys: [PreSharedKey(identities: [responderID] + identities, secret: secret)],
            provider: InsecureCryptoProvider.provider)
        let responder = IKEEngine(configuration: responderConfiguration, random: SeededRandomSource(seed: seed))
        var initiators: [(engine: IKEEngine<SeededRandomSource>, connection: String, address: IKEEndpointAddress)] = []
        initiators.reserveCapacity(count)
        for index in 0..<count {
            let peer = PeerConfiguration(
                name: "gw", proposals: [proposal], localIdentity: identities[index], remoteIdentity: responderID,
                localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey,
                children: [child(local: "10.0.0.0/8", remote: "203.0.113.0/24")], rekeyTime: .zero)
            let configuration = IKEEngineConfiguration(
                peers: [peer], preSharedKeys: [PreSharedKey(identities: [identities[index], responderID], secret: secret)],
                provider: InsecureCryptoProvider.provider)
            initiators.append((
                IKEEngine(configuration: configuration, random: SeededRandomSource(seed: seed &+ 1 &+ UInt64(index))),
                "gw", initiatorAddress(index)))
        }
        return ResponderLoadSimulation(
            responder: responder, responderAddress: responderAddress, initiators: initiators, parameters: parameters)
    }
}
