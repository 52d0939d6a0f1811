import IKECore
import IKECrypto
import NIOCore

/// Engines on a simulated network in virtual time: datagrams are delivered after a
/// latency, and may be lost, duplicated or reordered, all decided by a seed, so a run
/// can be replayed exactly.
public struct SimulatedNetwork {
    public struct Conditions: Sendable {
        /// Probability, in percent, that a datagram is lost.
        public var lossPercent: UInt64
        public var duplicationPercent: UInt64
        /// Extra random delay (reordering), up to this many milliseconds.
        public var jitterMilliseconds: UInt64
        public var latency: Duration

        public init(lossPercent: UInt64 = 0, duplicationPercent: UInt64 = 0, jitterMilliseconds: UInt64 = 0, latency: Duration = .milliseconds(10)) {
            self.lossPercent = lossPercent
            self.duplicationPercent = duplicationPercent
            self.jitterMilliseconds = jitterMilliseconds
            self.latency = latency
        }
    }

    public struct Node {
        public var address: [UInt8]
        public var engine: IKEEngine<SeededRandomSource>
        /// Effects and events the engine produced, in order.
        public var effects: [IKEEffect] = []
        public var events: [IKEEvent] = []
        /// Answers the engine's signing and validation requests in ``runCompletingEffects(for:)``.
        public var completer: (any IKEEffectCompleter)?

        public init(address: [UInt8], engine: IKEEngine<SeededRandomSource>, completer: (any IKEEffectCompleter)? = nil) {
            self.address = address
            self.engine = engine
            self.completer = completer
        }
    }

    struct InFlight {
        var deliverAt: IKEInstant
        var sequence: Int
        var transmit: IKETransmit
    }

    public var nodes: [Node]
    public var now: IKEInstant = .zero
    public var conditions: Conditions
    var random: SeededRandomSource
    var inFlight: [InFlight] = []
    var sequence = 0
    /// Datagrams sent in total, and lost.
    public private(set) var sent = 0
    /// Every datagram sent, in order, lost ones included: the run's transcript.
    public private(set) var transcript: [IKETransmit] = []
    public private(set) var lost = 0
    /// Requests waiting for a node's completer: (node index, effect).
    var pendingCompletions: [(Int, IKEEffect)] = []

    public init(nodes: [Node], conditions: Conditions = Conditions(), seed: UInt64) {
        self.nodes = nodes
        self.conditions = conditions
        self.random = SeededRandomSource(seed: seed ^ 0x5eed)
    }

    /// Runs a command on node `index`, then collects its outputs.
    public mutating func command(_ index: Int, _ command: IKECommand) throws {
        try nodes[index].engine.handleCommand(command, now: now)
        collect(index)
    }

    /// Moves time forward, delivering datagrams and firing timers, until nothing is left
    /// to do or `limit` has passed. Returns whether the network went quiet.
    @discardableResult
    public mutating func run(for limit: Duration = .seconds(600)) -> Bool {
        let end = now + limit
        while true {
            if let quiet = step(until: end) { return quiet }
        }
    }

    /// Like ``run(for:)``, and answers each node's signing, validation and EAP requests with
    /// its ``Node/completer`` as soon as they are made (no virtual time passes).
    @discardableResult
    public mutating func runCompletingEffects(for limit: Duration = .seconds(600)) async -> Bool {
        let end = now + limit
        while true {
            while !pendingCompletions.isEmpty {
                let (index, effect) = pendingCompletions.removeFirst()
                guard let completer = nodes[index].completer,
                    let completion = await completer.complete(effect, now: now)
                else { continue }
                nodes[index].engine.handleCompletion(completion, now: now)
                collect(index)
            }
            if let quiet = step(until: end) { return quiet }
        }
    }

    /// Gives node `index` the host's answer to one of its requests, then collects outputs.
    public mutating func complete(_ index: Int, _ completion: IKECompletion) {
        nodes[index].engine.handleCompletion(completion, now: now)
        collect(index)
    }

    /// One delivery or timer round; `nil` while there is more to do before `end`.
    mutating func step(until end: IKEInstant) -> Bool? {
        let nextDelivery = inFlight.map(\.deliverAt).min()
        let nextTimer = nodes.compactMap { $0.engine.nextDeadline() }.min()
        guard let next = [nextDelivery, nextTimer].compactMap({ $0 }).min() else { return true }
        guard next <= end else {
            now = end
            return false
        }
        now = max(now, next)
        if let index = inFlight.indices.filter({ inFlight[$0].deliverAt <= now })
            .min(by: { (inFlight[$0].deliverAt, inFlight[$0].sequence) < (inFlight[$1].deliverAt, inFlight[$1].sequence) })
        {
            let datagram = inFlight.remove(at: index).transmit
            guard let target = nodes.firstIndex(where: { $0.address == datagram.destination.address }) else { return nil }
            nodes[target].engine.handleDatagram(datagram.datagram, from: datagram.source, to: datagram.destination, now: now)
            collect(target)
            return nil
        }
        for index in nodes.indices where (nodes[index].engine.nextDeadline().map { $0 <= now } ?? false) {
            nodes[index].engine.handleTimeout(now: now)
            collect(index)
        }
        return nil
    }

    mutating func collect(_ index: Int) {
        var outputs = EngineOutputs()
        nodes[index].engine.drain(into: &outputs)
        for transmit in outputs.transmits {
            sent += 1
            transcript.append(transmit)
            if random.below(100) < conditions.lossPercent {
                lost += 1
                continue
            }
            let copies = random.below(100) < conditions.duplicationPercent ? 2 : 1
            for _ in 0..<copies {
                let jitter = conditions.jitterMilliseconds == 0 ? 0 : random.below(conditions.jitterMilliseconds + 1)
                sequence += 1
                inFlight.append(InFlight(
                    deliverAt: now + conditions.latency + .milliseconds(Int64(jitter)), sequence: sequence, transmit: transmit))
            }
        }
        for effect in outputs.effects {
            nodes[index].effects.append(effect)
            switch effect {
            case .sign, .validateCertificates, .assignAddresses, .releaseAddresses, .eap:
                if nodes[index].completer != nil { pendingCompletions.append((index, effect)) }
            case .installChildSA, .removeChildSA, .updateChildSA, .addVirtualIPs, .removeVirtualIPs:
                break
            }
        }
        nodes[index].events += outputs.events
    }
}
