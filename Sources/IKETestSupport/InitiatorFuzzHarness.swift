import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import NIOCore

/// Drives an initiator ``IKEEngine`` (with the ⚠️ insecure ``InsecureCryptoProvider``)
/// from one fuzz input, so that mutated responses reach its handlers for IKE_SA_INIT,
/// IKE_AUTH and the CREATE_CHILD_SA and INFORMATIONAL exchanges it starts. Used by
/// `Fuzz/Sources/FuzzInitiator` and by the regression tests that replay what it found.
///
/// ### Input format
/// Byte 0 modulo 3 picks the starting point: `0` the initiator has sent IKE_SA_INIT and
/// awaits the response; `1` it has sent IKE_AUTH after a valid IKE_SA_INIT response;
/// `2` the IKE SA is established with one Child SA. Then records follow, each
/// `flags(1) length(2, big-endian) body(length)` (a short last body is taken as is):
///
/// - `flags & 3` — `0` deliver `body` as a datagram from the responder; `1` the same
///   with bytes 0–7 (and, once the responder's SPI is known, 8–15) overwritten with the
///   live SA's SPIs; `2` seal `body` with the responder's keys (starting points 1 and 2):
///   `exchange(1) headerFlags(1) messageID(1) firstPayload(1) innerPayloadChain…`
///   becomes `HDR, SK {…}` from the responder; `3` a command on the initiator's SA:
///   `body[0] % 6` picks create Child SA, rekey Child SA, delete Child SA, rekey IKE SA,
///   liveness check or delete.
/// - `flags & 4` — the datagram arrives on port 4500.
/// - `flags & 8` — with `2`, the Message ID is that of the last request the initiator
///   sent (a response it waits for) instead of `messageID`.
/// - `flags >> 4` — virtual time advances by that many times 2 s first, and due timers
///   fire.
///
/// After the records, time runs until no deadline is left (bounded). The one property
/// the fuzzer checks: nothing traps. `run` returns every event, for tests.
public enum InitiatorFuzzHarness {
    public static let initiatorAddress = ResponderFuzzHarness.initiatorAddress
    public static let responderAddress = ResponderFuzzHarness.responderAddress

    /// An initiator at one starting point, and what the scripted responder knows.
    public struct Scenario: Sendable {
        public var initiator: IKEEngine<SeededRandomSource>
        /// The responder engine at the same point (for making seeds).
        public var responder: IKEEngine<SeededRandomSource>
        /// The initiator's IKE SA SPI.
        public var initiatorSPI: UInt64
        /// The SA's keys, once IKE_SA_INIT is done.
        public var keys: InsecureSessionKeys?
        /// The initiator's last request, and what the scripted responder answered to it.
        public var request: ByteBuffer
        public var response: ByteBuffer
        public var now: IKEInstant
    }

    /// The three starting points; `nil` only if the scripted handshake itself failed (a
    /// bug the regression tests would show).
    public static let scenarios: [Scenario]? = makeScenarios()

    static func makeScenarios() -> [Scenario]? {
        var initiator = IKEEngine(
            configuration: ResponderFuzzHarness.configuration(
                local: ResponderFuzzHarness.initiatorID, remote: ResponderFuzzHarness.responderID,
                localNet: "198.51.100.0/24", remoteNet: "203.0.113.0/24"),
            random: SeededRandomSource(seed: 3))
        var responder = IKEEngine(
            configuration: ResponderFuzzHarness.configuration(
                local: ResponderFuzzHarness.responderID, remote: ResponderFuzzHarness.initiatorID,
                localNet: "203.0.113.0/24", remoteNet: "198.51.100.0/24"),
            random: SeededRandomSource(seed: 4))
        let now = IKEInstant.zero
        guard (try? initiator.handleCommand(.initiate(peer: "lab", local: initiatorAddress, remote: responderAddress), now: now)) != nil,
            let saInitRequest = initiator.drain().transmits.first?.datagram,
            let header = try? IKEHeader(parsing: saInitRequest)
        else { return nil }
        let sentSAInit = initiator
        responder.handleDatagram(saInitRequest, from: initiatorAddress, to: responderAddress, now: now)
        guard let saInitResponse = responder.drain().transmits.first?.datagram,
            let keys = try? InsecureSessionKeys(request: saInitRequest, response: saInitResponse)
        else { return nil }
        let answeredSAInit = responder
        initiator.handleDatagram(saInitResponse, from: responderAddress, to: initiatorAddress, now: now)
        guard let authRequest = initiator.drain().transmits.first?.datagram else { return nil }
        let sentAuth = initiator
        responder.handleDatagram(authRequest, from: initiatorAddress, to: responderAddress, now: now)
        guard let authResponse = responder.drain().transmits.first?.datagram else { return nil }
        initiator.handleDatagram(authResponse, from: responderAddress, to: initiatorAddress, now: now)
        _ = initiator.drain()
        guard initiator.establishedSPIs == [header.initiatorSPI] else { return nil }
        return [
            Scenario(
                initiator: sentSAInit, responder: answeredSAInit, initiatorSPI: header.initiatorSPI, keys: nil,
                request: saInitRequest, response: saInitResponse, now: now),
            Scenario(
                initiator: sentAuth, responder: responder, initiatorSPI: header.initiatorSPI, keys: keys,
                request: authRequest, response: authResponse, now: now),
            Scenario(
                initiator: initiator, responder: responder, initiatorSPI: header.initiatorSPI, keys: keys,
                request: authRequest, response: authResponse, now: now),
        ]
    }

    /// The command `selector % 6` names, on the established SA of `scenario`.
    static func command(_ selector: UInt8, _ scenario: Scenario) -> IKECommand {
        let spi = scenario.initiatorSPI
        let child = scenario.initiator.statuses.first?.children.first?.inboundSPI ?? 0
        switch selector % 6 {
        case 0: return .createChildSA(localSPI: spi, child: "net")
        case 1: return .rekeyChildSA(localSPI: spi, inboundSPI: child)
        case 2: return .deleteChildSA(localSPI: spi, inboundSPI: child)
        case 3: return .rekeyIKESA(localSPI: spi)
        case 4: return .checkLiveness(localSPI: spi)
        default: return .delete(localSPI: spi)
        }
    }

    /// Runs one input and returns the initiator's events. Never traps unless the engine
    /// does.
    @discardableResult
    public static func run(_ input: [UInt8]) -> [IKEEvent] {
        guard let first = input.first, let scenarios else { return [] }
        var events: [IKEEvent] = []
        let scenario = scenarios[Int(first % 3)]
        var engine = scenario.initiator
        var now = scenario.now
        var random = SeededRandomSource(seed: UInt64(first))
        var lastRequestID = (try? IKEHeader(parsing: scenario.request))?.messageID ?? 0
        for (flags, body) in FuzzRecords(input) {

            if flags >> 4 != 0 {
                now = now + .seconds(2 * Int64(flags >> 4))
                if let deadline = engine.nextDeadline(), deadline <= now {
                    engine.handleTimeout(now: now)
                    events += engine.drain().events
                }
            }
            let port: UInt16 = flags & 4 != 0 ? 4500 : 500
            let local = IKEEndpointAddress(address: initiatorAddress.address, port: port)
            let remote = IKEEndpointAddress(address: responderAddress.address, port: port)
            switch flags & 3 {
            case 0:
                engine.handleDatagram(ByteBuffer(bytes: body), from: remote, to: local, now: now)
            case 1:
                var patched = body
                let responderSPI = scenario.keys?.responderSPI
                for index in 0..<8 where patched.indices.contains(8 + index) {
                    patched[index] = UInt8(truncatingIfNeeded: scenario.initiatorSPI >> (56 - 8 * UInt64(index)))
                    if let responderSPI {
                        patched[8 + index] = UInt8(truncatingIfNeeded: responderSPI >> (56 - 8 * UInt64(index)))
                    }
                }
                engine.handleDatagram(ByteBuffer(bytes: patched), from: remote, to: local, now: now)
            case 2:
                guard let keys = scenario.keys, body.count >= 4 else { break }
                let header = IKEHeader(
                    initiatorSPI: keys.initiatorSPI, responderSPI: keys.responderSPI,
                    exchangeType: ExchangeType(rawValue: body[0]), flags: IKEHeader.Flags(rawValue: body[1]),
                    messageID: flags & 8 != 0 ? lastRequestID : UInt32(body[2]))
                guard let sealed = try? keys.responderToInitiator.seal(
                    header: header, innerFirstPayload: PayloadType(rawValue: body[3]),
                    inner: ByteBuffer(bytes: body.dropFirst(4)), random: &random)
                else { break }
                engine.handleDatagram(sealed, from: remote, to: local, now: now)
            default:
                var current = scenario
                current.initiator = engine
                _ = try? engine.handleCommand(command(body.first ?? 0, current), now: now)
            }
            let outputs = engine.drain()
            events += outputs.events
            for transmit in outputs.transmits {
                if let header = try? IKEHeader(parsing: transmit.datagram), !header.isResponse {
                    lastRequestID = header.messageID
                }
            }
        }
        for _ in 0..<16 {
            guard let deadline = engine.nextDeadline() else { break }
            now = max(now, deadline)
            engine.handleTimeout(now: now)
            events += engine.drain().events
        }
        return events
    }

    // MARK: Seeds

    /// An encrypted record (`flags & 3 == 2`, the Message ID of the outstanding request)
    /// from a responder datagram: its header fields and decrypted inner payloads,
    /// with `transform` applied to the payloads.
    static func sealedRecord(
        from datagram: ByteBuffer, keys: InsecureSessionKeys, transform: ([IKEPayload]) -> [IKEPayload] = { $0 }
    ) -> [UInt8]? {
        guard let message = try? IKEMessage(decoding: datagram),
            let payloads = try? keys.responderToInitiator.decryptPayloads(datagram)
        else { return nil }
        var inner = ByteBuffer()
        guard let first = try? IKEPayload.encodeChain(transform(payloads), to: &inner) else { return nil }
        let header = message.header
        return ResponderFuzzHarness.record(
            flags: 0x0A,
            [header.exchangeType.rawValue, header.flags.rawValue, UInt8(truncatingIfNeeded: header.messageID),
             first.rawValue] + Array(inner.readableBytesView))
    }

    /// A plain IKE_SA_INIT response of notifies alone (COOKIE, INVALID_KE_PAYLOAD,
    /// NO_PROPOSAL_CHOSEN) to `request`.
    static func saInitNotifyRecord(_ request: ByteBuffer, _ notify: NotifyPayload) -> [UInt8]? {
        guard let header = try? IKEHeader(parsing: request) else { return nil }
        let message = IKEMessage(
            header: IKEHeader(
                initiatorSPI: header.initiatorSPI, responderSPI: 0, exchangeType: .ikeSAInit, flags: .response,
                messageID: 0),
            payloads: [.notify(notify)])
        guard let bytes = try? message.encoded() else { return nil }
        return ResponderFuzzHarness.record(flags: 0, Array(bytes.readableBytesView))
    }

    /// Crafted starting inputs, by name: valid responses at every starting point, the
    /// error answers a responder may give, and an IKE_AUTH response whose selectors are
    /// wider than the proposal.
    public static func seeds() -> [(name: String, bytes: [UInt8])] {
        guard let scenarios else { return [] }
        var seeds: [(String, [UInt8])] = []
        let saInit = scenarios[0]
        seeds.append(("sainit", [0] + ResponderFuzzHarness.record(flags: 0, Array(saInit.response.readableBytesView))))
        let errors: [(String, NotifyPayload)] = [
            ("sainit-cookie", NotifyPayload(type: .cookie, data: Array(repeating: 0xC0, count: 16))),
            ("sainit-invalid-ke", NotifyPayload(type: .invalidKEPayload, data: [0, 14])),
            ("sainit-no-proposal", NotifyPayload(type: .noProposalChosen)),
        ]
        for (name, notify) in errors {
            if let record = saInitNotifyRecord(saInit.request, notify) { seeds.append((name, [0] + record)) }
        }
        let auth = scenarios[1]
        if let keys = auth.keys {
            if let record = sealedRecord(from: auth.response, keys: keys) { seeds.append(("auth", [1] + record)) }
            let wide = TrafficSelector(type: .ipv4AddressRange, startAddress: [0, 0, 0, 0], endAddress: [255, 255, 255, 255])
            let widened = sealedRecord(from: auth.response, keys: keys) { payloads in
                payloads.map { payload in
                    switch payload {
                    case .trafficSelectorInitiator: .trafficSelectorInitiator(TrafficSelectorPayload(selectors: [wide]))
                    case .trafficSelectorResponder: .trafficSelectorResponder(TrafficSelectorPayload(selectors: [wide]))
                    default: payload
                    }
                }
            }
            if let widened { seeds.append(("auth-widened-selectors", [1] + widened)) }
            let refused = sealedRecord(from: auth.response, keys: keys) { _ in
                [.notify(NotifyPayload(type: .authenticationFailed))]
            }
            if let refused { seeds.append(("auth-failed", [1] + refused)) }
        }
        // The established initiator's own requests, answered by the scripted responder.
        let established = scenarios[2]
        guard let keys = established.keys else { return seeds }
        for selector: UInt8 in 0..<6 {
            var initiator = established.initiator
            var responder = established.responder
            guard (try? initiator.handleCommand(command(selector, established), now: established.now)) != nil,
                let request = initiator.drain().transmits.first?.datagram
            else { continue }
            responder.handleDatagram(request, from: initiatorAddress, to: responderAddress, now: established.now)
            guard let response = responder.drain().transmits.first?.datagram,
                let record = sealedRecord(from: response, keys: keys)
            else { continue }
            seeds.append(("command-\(selector)", [2] + ResponderFuzzHarness.record(flags: 3, [selector]) + record))
        }
        return seeds
    }
}
