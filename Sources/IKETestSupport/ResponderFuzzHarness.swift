import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import NIOCore

/// Drives a responder ``IKEEngine`` (with the ⚠️ insecure ``InsecureCryptoProvider``)
/// from one fuzz input, after a scripted valid handshake, so mutated messages reach the
/// handlers behind IKE_SA_INIT: IKE_AUTH, CREATE_CHILD_SA and INFORMATIONAL. Used by
/// `Fuzz/Sources/FuzzResponder` and by the regression tests that replay what it found.
///
/// ### Input format
/// Byte 0 picks the starting point: bit 0 clear, the responder has answered IKE_SA_INIT
/// and awaits IKE_AUTH; set, IKE_AUTH is done and the SA is established with one Child
/// SA. Then records follow, each `flags(1) length(2, big-endian) body(length)` (a short
/// last body is taken as is):
///
/// - `flags & 3` — `0` deliver `body` as a datagram; `1` the same with bytes 0–15 (the
///   IKE header's SPIs) overwritten with the live SA's; `2` seal `body` with the SA's
///   initiator keys: `exchange(1) headerFlags(1) messageID(1) firstPayload(1)
///   innerPayloadChain…` becomes `HDR, SK {…}` from the initiator; `3` a command on the
///   responder's SA: `body[0] % 6` picks delete, liveness check, create Child SA, rekey
///   Child SA, delete Child SA or rekey IKE SA.
/// - `flags & 4` — the message arrives on port 4500 (the engine sees it as a host's
///   NAT-T socket hands it over, without the non-ESP marker).
/// - `flags & 8` — with `2`, the Message ID is the next one the responder expects
///   (counted by the harness) instead of `messageID`.
/// - `flags >> 4` — virtual time advances by that many times 2 s first, and due
///   timers fire (`handleTimeout`).
///
/// After the records, time jumps ahead in steps until no deadline is left (bounded), so
/// retransmission, half-open and liveness timeouts run too. Every output is polled after
/// every input. The one property checked: nothing traps.
public enum ResponderFuzzHarness {
    public static let initiatorAddress = IKEEndpointAddress(address: [192, 0, 2, 1], port: 500)
    public static let responderAddress = IKEEndpointAddress(address: [192, 0, 2, 2], port: 500)
    public static let initiatorID = IKEIdentity("left@lab.test")
    public static let responderID = IKEIdentity("right@lab.test")

    /// A responder and what the scripted initiator knows of its SA.
    public struct Scenario: Sendable {
        public var responder: IKEEngine<SeededRandomSource>
        /// The initiator engine at the same point (for making seeds).
        public var initiator: IKEEngine<SeededRandomSource>
        public var keys: InsecureSessionKeys
        /// The Message ID of the initiator's next request.
        public var nextRequestID: UInt32
        public var now: IKEInstant
        /// The IKE_SA_INIT request and, when the scenario is past IKE_AUTH, the
        /// responder's Child SA inbound SPI.
        public var saInitRequest: ByteBuffer
        public var authRequest: ByteBuffer?
        public var childInboundSPI: UInt32?
        /// The initiator's Child SA inbound SPI, past IKE_AUTH.
        public var initiatorChildInboundSPI: UInt32?
    }

    public static func configuration(local: IKEIdentity, remote: IKEIdentity, localNet: String, remoteNet: String)
        -> IKEEngineConfiguration
    {
        let proposal = ProposalTemplate(
            encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256],
            keyExchangeMethods: [.curve25519])
        let child = ChildSAConfiguration(
            name: "net", localTrafficSelectors: [TrafficSelectorTemplate(ipv4Prefix: localNet)].compactMap { $0 },
            remoteTrafficSelectors: [TrafficSelectorTemplate(ipv4Prefix: remoteNet)].compactMap { $0 },
            proposals: [ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 256)])])
        let peer = PeerConfiguration(
            name: "lab", proposals: [proposal], localIdentity: local, remoteIdentity: remote,
            localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey, children: [child],
            livenessCheckInterval: .seconds(10))
        return IKEEngineConfiguration(
            peers: [peer],
            preSharedKeys: [PreSharedKey(identities: [local, remote], secret: Array("fuzz-only-psk-0123456789".utf8))],
            provider: InsecureCryptoProvider.provider)
    }

    /// Responder awaiting IKE_AUTH, and responder established; `nil` only if the
    /// scripted handshake itself failed (a bug the regression tests would show).
    public static let scenarios: (awaitingAuth: Scenario, established: Scenario)? = makeScenarios()

    static func makeScenarios() -> (awaitingAuth: Scenario, established: Scenario)? {
        var initiator = IKEEngine(
            configuration: configuration(
                local: initiatorID, remote: responderID, localNet: "198.51.100.0/24", remoteNet: "203.0.113.0/24"),
            random: SeededRandomSource(seed: 1))
        var responder = IKEEngine(
            configuration: configuration(
                local: responderID, remote: initiatorID, localNet: "203.0.113.0/24", remoteNet: "198.51.100.0/24"),
            random: SeededRandomSource(seed: 2))
        let now = IKEInstant.zero
        guard (try? initiator.handleCommand(.initiate(peer: "lab", local: initiatorAddress, remote: responderAddress), now: now)) != nil,
            let request = drain(&initiator).first
        else { return nil }
        responder.handleDatagram(request, from: initiatorAddress, to: responderAddress, now: now)
        guard let response = drain(&responder).first,
            let keys = try? InsecureSessionKeys(request: request, response: response)
        else { return nil }
        let awaiting = Scenario(
            responder: responder, initiator: initiator, keys: keys, nextRequestID: 1, now: now, saInitRequest: request)
        initiator.handleDatagram(response, from: responderAddress, to: initiatorAddress, now: now)
        guard let authRequest = drain(&initiator).first else { return nil }
        responder.handleDatagram(authRequest, from: initiatorAddress, to: responderAddress, now: now)
        let responderOutputs = responder.drain()
        guard let authResponse = responderOutputs.transmits.first?.datagram else { return nil }
        initiator.handleDatagram(authResponse, from: responderAddress, to: initiatorAddress, now: now)
        let initiatorOutputs = initiator.drain()
        let childInboundSPI = responderOutputs.installedInboundSPI
        let initiatorChildInboundSPI = initiatorOutputs.installedInboundSPI
        guard responder.establishedSPIs == [keys.responderSPI], initiator.establishedSPIs == [keys.initiatorSPI] else {
            return nil
        }
        var awaitingWithAuth = awaiting
        awaitingWithAuth.authRequest = authRequest
        let established = Scenario(
            responder: responder, initiator: initiator, keys: keys, nextRequestID: 2, now: now, saInitRequest: request,
            authRequest: authRequest, childInboundSPI: childInboundSPI,
            initiatorChildInboundSPI: initiatorChildInboundSPI)
        return (awaitingWithAuth, established)
    }

    /// Polls every output; returns the datagrams.
    @discardableResult
    static func drain(_ engine: inout IKEEngine<SeededRandomSource>) -> [ByteBuffer] {
        engine.drain().transmits.map(\.datagram)
    }

    /// Runs one input and returns the responder's events. Never traps unless the engine
    /// does.
    @discardableResult
    public static func run(_ input: [UInt8]) -> [IKEEvent] {
        guard let first = input.first, let scenarios else { return [] }
        var events: [IKEEvent] = []
        let scenario = first & 1 == 0 ? scenarios.awaitingAuth : scenarios.established
        var engine = scenario.responder
        var now = scenario.now
        var nextID = scenario.nextRequestID
        var random = SeededRandomSource(seed: UInt64(first))
        let keys = scenario.keys
        for (flags, body) in FuzzRecords(input) {

            if flags >> 4 != 0 {
                now = now + .seconds(2 * Int64(flags >> 4))
                if let deadline = engine.nextDeadline(), deadline <= now {
                    engine.handleTimeout(now: now)
                    events += engine.drain().events
                }
            }
            let isPort4500 = flags & 4 != 0
            let local = IKEEndpointAddress(address: responderAddress.address, port: isPort4500 ? 4500 : 500)
            let remote = IKEEndpointAddress(address: initiatorAddress.address, port: isPort4500 ? 4500 : 500)

            switch flags & 3 {
            case 0:
                engine.handleDatagram(ByteBuffer(bytes: body), from: remote, to: local, now: now)
            case 1:
                var patched = body
                if patched.count >= 16 {
                    for index in 0..<8 {
                        patched[index] = UInt8(truncatingIfNeeded: keys.initiatorSPI >> (56 - 8 * UInt64(index)))
                        patched[8 + index] = UInt8(truncatingIfNeeded: keys.responderSPI >> (56 - 8 * UInt64(index)))
                    }
                }
                engine.handleDatagram(ByteBuffer(bytes: patched), from: remote, to: local, now: now)
            case 2:
                guard body.count >= 4 else { break }
                let messageID: UInt32
                if flags & 8 != 0 {
                    messageID = nextID
                    nextID &+= 1
                } else {
                    messageID = UInt32(body[2])
                }
                let header = IKEHeader(
                    initiatorSPI: keys.initiatorSPI, responderSPI: keys.responderSPI,
                    exchangeType: ExchangeType(rawValue: body[0]), flags: IKEHeader.Flags(rawValue: body[1]),
                    messageID: messageID)
                guard let sealed = try? keys.initiatorToResponder.seal(
                    header: header, innerFirstPayload: PayloadType(rawValue: body[3]),
                    inner: ByteBuffer(bytes: body.dropFirst(4)), random: &random)
                else { break }
                engine.handleDatagram(sealed, from: remote, to: local, now: now)
            default:
                let spi = keys.responderSPI
                let child = scenario.childInboundSPI ?? 0
                let command: IKECommand =
                    switch (body.first ?? 0) % 6 {
                    case 0: .delete(localSPI: spi)
                    case 1: .checkLiveness(localSPI: spi)
                    case 2: .createChildSA(localSPI: spi, child: "net")
                    case 3: .rekeyChildSA(localSPI: spi, inboundSPI: child)
                    case 4: .deleteChildSA(localSPI: spi, inboundSPI: child)
                    default: .rekeyIKESA(localSPI: spi)
                    }
                _ = try? engine.handleCommand(command, now: now)
            }
            events += engine.drain().events
        }
        // Let every timer run out: retransmissions give up, half-open SAs and idle
        // peers time out.
        for _ in 0..<16 {
            guard let deadline = engine.nextDeadline() else { break }
            now = max(now, deadline)
            engine.handleTimeout(now: now)
            events += engine.drain().events
        }
        return events
    }

    // MARK: Seeds

    /// A record of the input format.
    public static func record(flags: UInt8, _ body: [UInt8]) -> [UInt8] {
        [flags, UInt8(truncatingIfNeeded: body.count >> 8), UInt8(truncatingIfNeeded: body.count)] + body
    }

    /// An encrypted record (`flags & 3 == 2`, next Message ID) from an initiator
    /// datagram: its header fields and decrypted inner payloads.
    static func sealedRecord(from datagram: ByteBuffer, keys: InsecureSessionKeys, autoID: Bool = true) -> [UInt8]? {
        guard let message = try? IKEMessage(decoding: datagram),
            case .encrypted(let sk)? = message.payloads.last,
            let inner = try? keys.initiatorToResponder.open(datagram)
        else { return nil }
        let header = message.header
        return record(
            flags: autoID ? 0x0A : 0x02,
            [header.exchangeType.rawValue, header.flags.rawValue, UInt8(truncatingIfNeeded: header.messageID),
             sk.firstPayloadType.rawValue] + Array(inner.readableBytesView))
    }

    /// Crafted starting inputs, by name: the valid IKE_AUTH, every request the
    /// initiator can make on an established SA, the responder's own requests answered,
    /// retransmissions and timeouts.
    public static func seeds() -> [(name: String, bytes: [UInt8])] {
        guard let scenarios else { return [] }
        var seeds: [(String, [UInt8])] = []
        let awaiting = scenarios.awaitingAuth
        if let auth = awaiting.authRequest, let record = sealedRecord(from: auth, keys: awaiting.keys) {
            seeds.append(("auth", [0] + record))
            seeds.append(("auth-retransmit-4500", [0] + record + record.enumerated().map { $0 == 0 ? 0x06 : $1 }))
            seeds.append(("auth-raw-then-timeout", [0] + Self.record(flags: 0xF0, Array(auth.readableBytesView))))
        }
        seeds.append(("sainit-retransmit", [0] + record(flags: 0, Array(awaiting.saInitRequest.readableBytesView))))
        seeds.append(("sainit-patched", [1] + record(flags: 1, Array(awaiting.saInitRequest.readableBytesView))))
        let established = scenarios.established
        let keys = established.keys
        // INFORMATIONAL, empty (liveness check from the initiator).
        seeds.append(("informational-empty", [1] + record(flags: 0x0A, [37, 0x08, 2, 0])))
        let initiatorSPI = keys.initiatorSPI
        let initiatorChild = established.initiatorChildInboundSPI ?? 0
        let commands: [(String, IKECommand)] = [
            ("create-child", .createChildSA(localSPI: initiatorSPI, child: "net")),
            ("rekey-child", .rekeyChildSA(localSPI: initiatorSPI, inboundSPI: initiatorChild)),
            ("delete-child", .deleteChildSA(localSPI: initiatorSPI, inboundSPI: initiatorChild)),
            ("rekey-ike", .rekeyIKESA(localSPI: initiatorSPI)),
            ("delete-ike", .delete(localSPI: initiatorSPI)),
            ("liveness", .checkLiveness(localSPI: initiatorSPI)),
        ]
        for (name, command) in commands {
            var initiator = established.initiator
            guard (try? initiator.handleCommand(command, now: established.now)) != nil,
                let datagram = drain(&initiator).first,
                let record = sealedRecord(from: datagram, keys: keys)
            else { continue }
            seeds.append((name, [1] + record))
        }
        seeds += mobikeSeeds(keys)
        // The responder's own requests, answered by an empty response (Message ID 0).
        for selector: UInt8 in 0..<6 {
            seeds.append((
                "responder-command-\(selector)",
                [1] + record(flags: 3, [selector]) + record(flags: 0x02, [37, 0x28, 0, 0])
            ))
        }
        return seeds
    }
}

extension ResponderFuzzHarness {
    /// MOBIKE (RFC 4555) on the established SA, which both sides negotiated: an
    /// UPDATE_SA_ADDRESSES on port 4500 with NAT detection (matching, then as through a
    /// NAT), COOKIE2, additional addresses and NO_NATS_ALLOWED (matching, then not), each
    /// followed by an answer to the return routability check the responder then sends
    /// (Message ID 0) with a COOKIE2 it cannot know.
    static func mobikeSeeds(_ keys: InsecureSessionKeys) -> [(String, [UInt8])] {
        let initiator = IKEEndpointAddress(address: initiatorAddress.address, port: 4500)
        let responder = IKEEndpointAddress(address: responderAddress.address, port: 4500)
        func hash(_ address: IKEEndpointAddress) -> [UInt8] {
            NATDetection.hash(
                initiatorSPI: keys.initiatorSPI, responderSPI: keys.responderSPI, address: address.address, port: address.port)
        }
        func notify(_ type: NotifyMessageType, _ data: [UInt8] = []) -> IKEPayload { .notify(NotifyPayload(type: type, data: data)) }
        func sealed(_ flags: UInt8, _ headerFlags: UInt8, _ messageID: UInt8, _ payloads: [IKEPayload]) -> [UInt8] {
            var inner = ByteBuffer()
            let first = (try? IKEPayload.encodeChain(payloads, to: &inner)) ?? .noNextPayload
            return record(
                flags: flags,
                [ExchangeType.informational.rawValue, headerFlags, messageID, first.rawValue] + Array(inner.readableBytesView))
        }
        let cookie = notify(.cookie2, Array(repeating: 0x5A, count: 16))
        let answer = sealed(0x06, 0x28, 0, [cookie])
        let noNATs = NoNATsAllowedData(
            sourceAddress: initiator.address, destinationAddress: responder.address, sourcePort: initiator.port,
            destinationPort: responder.port)
        let behindNAT = IKEEndpointAddress(address: [10, 0, 0, 1], port: 4500)
        let updates: [(String, [IKEPayload])] = [
            ("mobike-update", [
                notify(.updateSAAddresses), notify(.natDetectionSourceIP, hash(initiator)),
                notify(.natDetectionDestinationIP, hash(responder)), notify(.noNATsAllowed, noNATs.encoded), cookie,
                notify(.additionalIP4Address, [198, 51, 100, 9]),
            ]),
            ("mobike-update-nat", [
                notify(.updateSAAddresses), notify(.natDetectionSourceIP, hash(behindNAT)),
                notify(.natDetectionDestinationIP, hash(responder)), notify(.noAdditionalAddresses),
            ]),
            ("mobike-update-unexpected-nat", [
                notify(.updateSAAddresses), notify(.noNATsAllowed, NoNATsAllowedData(
                    sourceAddress: behindNAT.address, destinationAddress: responder.address, sourcePort: 4500,
                    destinationPort: 4500).encoded),
            ]),
        ]
        return updates.map { name, payloads in (name, [1] + sealed(0x0E, 0x08, 2, payloads) + answer) }
    }
}

extension EngineOutputs {
    /// The inbound SPI of the last Child SA installed.
    var installedInboundSPI: UInt32? {
        effects.reversed().lazy.compactMap {
            if case .installChildSA(let installation) = $0 { installation.inboundSPI } else { nil }
        }.first
    }
}
