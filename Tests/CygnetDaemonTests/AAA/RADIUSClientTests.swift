import CygnetDaemon
import IKEConfig
import IKECrypto
import NIOPosix
import Synchronization
import Testing

/// The RADIUS client against a fake server on loopback: State echoed, retransmission,
/// failover, unreachable servers, and answers that must be dropped.
@Suite("RADIUS client on loopback (RFC 2865, RFC 3579, RFC 5080 §2.2.1)")
struct RADIUSClientTests {
    static func settings(_ servers: FakeRADIUSServer..., tries: Int = 3, timeout: Duration = .milliseconds(40), base: Double = 1) -> EAPRADIUSSettings {
        EAPRADIUSSettings(servers: servers.enumerated().map { index, server in
            EAPRADIUSSettings.Server(
                name: "r\(index)", address: [127, 0, 0, 1], secret: server.secret, authPort: server.port, preference: 0,
                nasIdentifier: "gw-test", retransmitTries: tries, retransmitTimeout: timeout, retransmitBase: base)
        })
    }

    static func backend(_ settings: EAPRADIUSSettings) async throws -> EAPRADIUSBackend {
        EAPRADIUSBackend(client: try await RADIUSClient.start(settings: settings, group: MultiThreadedEventLoopGroup.singleton))
    }

    static let identity = radiusOctets("0201000a01616c696365")

    @Test("RFC 3579 §2.6: a challenge and its State, echoed in the next request, then an Access-Accept with Framed-IP-Address and Class")
    func conversation() async throws {
        let answering = try await FakeRADIUSServer.start(secret: "s1") { request, index in
            switch index {
            case 0:
                .datagrams([(Self.sign(request, .accessChallenge, [RADIUSAttribute(.eapMessage, [1, 2, 0, 6, 4, 0]), RADIUSAttribute(.state, [9, 9])], secret: "s1"), false)])
            default:
                .datagrams([(Self.sign(request, .accessAccept, [
                    RADIUSAttribute(.eapMessage, [3, 2, 0, 4]), RADIUSAttribute(.framedIPAddress, [10, 3, 0, 7]),
                    RADIUSAttribute(.class, [7]), RADIUSAttribute(.class, [8]), RADIUSAttribute(.sessionTimeout, integer: 60),
                ], secret: "s1"), false)])
            }
        }
        let backend = try await Self.backend(Self.settings(answering))
        defer { Task { await backend.client.close(); await answering.stop() } }
        let context = RADIUSRequestContext(nasAddress: [192, 0, 2, 1], nasPort: 7, nasPortID: "rw", calledStationID: "192.0.2.1[4500]", callingStationID: "198.51.100.9[4500]", acctSessionID: "1-2")
        let first = try await backend.exchange(user: Array("alice".utf8), eapMessage: Self.identity, context: context)
        guard case .challenge(let challenge) = first else { Issue.record("\(first)"); return }
        #expect(challenge.eapMessage == [1, 2, 0, 6, 4, 0] && challenge.state == [9, 9] && challenge.server == "r0")
        let second = try await backend.exchange(user: Array("alice".utf8), eapMessage: [2, 2, 0, 6, 4, 0], continuing: challenge, context: context)
        #expect(second == .accept(RADIUSAccept(
            eapMessage: [3, 2, 0, 4], msk: nil, framedIPAddress: [10, 3, 0, 7], classes: [[7], [8]], sessionTimeout: 60, server: "r0")))

        let requests = answering.requests.withLock { $0 }
        #expect(requests.count == 2)
        #expect(requests.map { $0.firstValue(of: .state) } == [nil, [9, 9]])
        #expect(requests.map(\.eapMessage) == [Self.identity, [2, 2, 0, 6, 4, 0]])
        let first0 = try #require(requests.first)
        #expect(first0.firstValue(of: .userName) == Array("alice".utf8))
        #expect(first0.firstValue(of: .nasIdentifier) == Array("gw-test".utf8))
        #expect(first0.attributes.first { $0.type == .serviceType }?.integer == RADIUSAttribute.serviceTypeFramed)
        #expect(first0.attributes.first { $0.type == .nasPortType }?.integer == RADIUSAttribute.nasPortTypeVirtual)
        #expect(first0.firstValue(of: .nasIPAddress) == [192, 0, 2, 1])
        #expect(first0.firstValue(of: .callingStationID) == Array("198.51.100.9[4500]".utf8))
        #expect(first0.firstValue(of: .acctSessionID) == Array("1-2".utf8))
        #expect(requests[0].authenticator != requests[1].authenticator)
        // Every Access-Request carries a Message-Authenticator that verifies (RFC 3579 §3.2).
        for request in requests {
            #expect(request.attributes.last?.type == .messageAuthenticator)
            let resigned = try RADIUSPacket.signedAccessRequest(
                identifier: request.identifier, requestAuthenticator: request.authenticator, attributes: request.attributes, secret: Array("s1".utf8))
            #expect(resigned == (try request.encoded()))
        }
    }

    @Test("RFC 5080 §2.2.1: unanswered requests are sent again with the same Identifier and Request Authenticator")
    func retransmission() async throws {
        let server = try await FakeRADIUSServer.start(secret: "s2") { request, index in
            index < 2 ? .none : .datagrams([(Self.sign(request, .accessReject, [RADIUSAttribute(.eapMessage, [4, 2, 0, 4])], secret: "s2"), false)])
        }
        let backend = try await Self.backend(Self.settings(server, tries: 5, timeout: .milliseconds(30)))
        defer { Task { await backend.client.close(); await server.stop() } }
        let answer = try await backend.exchange(user: [0x61], eapMessage: Self.identity, continuing: RADIUSChallenge(eapMessage: [], state: [1], server: "r0"))
        #expect(answer == .reject(RADIUSReject(eapMessage: [4, 2, 0, 4], acceptedWithoutChallenge: false, server: "r0")))
        let requests = server.requests.withLock { $0 }
        #expect(requests.count >= 3)
        #expect(Set(requests.map { try? $0.encoded() }).count == 1)
        // A retransmission may still be on its way when the answer arrives: count at least.
        #expect(backend.client.statistics.retransmissions >= 2)
    }

    @Test("After retransmit_tries sends, the next server; servers that failed go last next time")
    func failover() async throws {
        let silent = try await FakeRADIUSServer.start(secret: "a") { _, _ in .none }
        let answering = try await FakeRADIUSServer.start(secret: "b") { request, _ in
            .datagrams([(Self.sign(request, .accessChallenge, [RADIUSAttribute(.eapMessage, [1, 3, 0, 4])], secret: "b"), false)])
        }
        let backend = try await Self.backend(Self.settings(silent, answering, tries: 2, timeout: .milliseconds(20)))
        defer { Task { await backend.client.close(); await silent.stop(); await answering.stop() } }
        let answer = try await backend.exchange(user: [0x61], eapMessage: Self.identity)
        #expect(answer == .challenge(RADIUSChallenge(eapMessage: [1, 3, 0, 4], state: nil, server: "r1")))
        #expect(silent.requestCount == 2)
        #expect(backend.client.statistics.failovers == 1)
        _ = try await backend.exchange(user: [0x61], eapMessage: Self.identity)
        #expect(silent.requestCount == 2 && answering.requestCount == 2)
    }

    @Test("No answer from any server: 'RADIUS server(s) unreachable' after retransmit_tries sends to each")
    func unreachable() async throws {
        let a = try await FakeRADIUSServer.start(secret: "a") { _, _ in .none }
        let b = try await FakeRADIUSServer.start(secret: "b") { _, _ in .none }
        let backend = try await Self.backend(Self.settings(a, b, tries: 3, timeout: .milliseconds(10), base: 1.5))
        defer { Task { await backend.client.close(); await a.stop(); await b.stop() } }
        await #expect(throws: RADIUSError(.serversUnreachable, "")) {
            _ = try await backend.exchange(user: [0x61], eapMessage: Self.identity)
        }
        #expect(a.requestCount == 3 && b.requestCount == 3)
        // A conversation stays with its server: no failover for it.
        await #expect(throws: RADIUSError(.serversUnreachable, "")) {
            _ = try await backend.exchange(user: [0x61], eapMessage: Self.identity, continuing: RADIUSChallenge(eapMessage: [], state: [1], server: "r1"))
        }
        #expect(a.requestCount == 3 && b.requestCount == 6)
        await #expect(throws: RADIUSError(.unknownServer, "")) {
            _ = try await backend.exchange(user: [0x61], eapMessage: Self.identity, continuing: RADIUSChallenge(eapMessage: [], state: [1], server: "gone"))
        }
    }

    @Test("RFC 2865 §3, RFC 3579 §3.2: answers from elsewhere, for another Identifier, or not authentic are dropped and counted")
    func drops() async throws {
        let server = try await FakeRADIUSServer.start(secret: "s3") { request, _ in
            let reject = [RADIUSAttribute(.eapMessage, [4, 2, 0, 4])]
            let unsigned = RADIUSPacket(
                code: .accessReject, identifier: request.identifier, authenticator: [UInt8](repeating: 0, count: 16), attributes: reject)
            return .datagrams([
                (Self.sign(request, .accessReject, reject, secret: "s3"), true),
                (Self.sign(request, .accessReject, reject, secret: "wrong"), false),
                (Self.sign(request, .accessReject, reject, secret: "s3", identifier: request.identifier &+ 1), false),
                (Self.sign(request, .accessRequest, reject, secret: "s3"), false),
                ((try? unsigned.encoded()) ?? [], false),
                ([1, 2, 3], false),
                (Self.sign(request, .accessReject, reject, secret: "s3"), false),
            ])
        }
        let backend = try await Self.backend(Self.settings(server, tries: 1, timeout: .seconds(30)))
        defer { Task { await backend.client.close(); await server.stop() } }
        let answer = try await backend.exchange(user: [0x61], eapMessage: Self.identity)
        #expect(answer == .reject(RADIUSReject(eapMessage: [4, 2, 0, 4], acceptedWithoutChallenge: false, server: "r0")))
        let statistics = backend.client.statistics
        #expect(statistics.answers == 1)
        #expect(statistics.dropped == [
            .unexpectedSource: 1, .badResponseAuthenticator: 2, .unmatchedIdentifier: 1, .unexpectedCode: 1, .truncatedHeader: 1,
        ])
    }

    @Test("An Access-Accept to the first message of a conversation authenticates nobody: it is a reject")
    func acceptWithoutChallenge() async throws {
        let server = try await FakeRADIUSServer.start(secret: "s4") { request, _ in
            .datagrams([(Self.sign(request, .accessAccept, [RADIUSAttribute(.eapMessage, [3, 1, 0, 4])], secret: "s4"), false)])
        }
        let backend = try await Self.backend(Self.settings(server))
        defer { Task { await backend.client.close(); await server.stop() } }
        let answer = try await backend.exchange(user: [0x61], eapMessage: Self.identity)
        #expect(answer == .reject(RADIUSReject(eapMessage: [3, 1, 0, 4], acceptedWithoutChallenge: true, server: "r0")))
        await #expect(throws: RADIUSError(.invalidRequest, "")) {
            _ = try await backend.exchange(user: [], eapMessage: Self.identity)
        }
    }

    static func sign(_ request: RADIUSPacket, _ code: RADIUSCode, _ attributes: [RADIUSAttribute], secret: String, identifier: UInt8? = nil) -> [UInt8] {
        FakeRADIUSServer.signedAnswer(
            code, identifier: identifier ?? request.identifier, requestAuthenticator: request.authenticator, attributes, secret: Array(secret.utf8))
    }
}
