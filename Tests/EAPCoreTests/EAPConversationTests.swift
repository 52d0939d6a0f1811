import EAPCore
import IKECrypto
import IKEWire
import Testing

@Suite("EAP conversations in memory (RFC 3748, RFC 2759, draft-kamath-pppext-eap-mschapv2)")
struct EAPConversationTests {
    typealias H = EAPTestSupport

    static let users: [String: EAPCredential] = [
        "alice": .password(H.password("wonderland")),
        "CORP\\bob": .ntPasswordHash(MSCHAPv2Crypto.ntPasswordHash(password: H.password("builder"))),
    ]

    static func authenticator(_ methods: [EAPMethod], identity: EAPIdentity? = nil) -> EAPAuthenticator {
        EAPAuthenticator(
            methods: methods, identity: identity, credentials: H.lookup(users), random: ReplayRandom([0x40]))
    }

    static func peer(_ name: String, _ credential: EAPCredential, _ methods: [EAPMethod] = EAPMethod.allCases)
        -> EAPPeer
    {
        EAPPeer(identity: EAPIdentity(name), credential: credential, methods: methods, random: ReplayRandom([0x90]))
    }

    @Test("MSCHAPv2: Identity, Challenge, Response, Success; both sides get the same 64-octet MSK")
    func mschapv2() throws {
        var authenticator = Self.authenticator([.mschapv2])
        var peer = Self.peer("alice", .password(H.password("wonderland")))
        let first = authenticator.start()
        #expect(first == .request(0x40, .identity))
        let ends = try #require(H.converse(&authenticator, &peer))
        #expect(ends.authenticator.isSuccess && ends.peer.isSuccess)
        let msk = try #require(ends.authenticator.msk)
        #expect(msk.count == 64)
        #expect(ends.peer.msk == msk)
        #expect(ends.authenticator.packet?.code == .success)
        #expect(authenticator.identity == EAPIdentity("alice"))
        #expect(authenticator.method == .mschapv2 && peer.method == .mschapv2)
    }

    @Test("MSCHAPv2 with a domain in the name and an NT hash on the authenticator's side")
    func mschapv2Domain() throws {
        var authenticator = Self.authenticator([.mschapv2])
        var peer = Self.peer("CORP\\bob", .password(H.password("builder")))
        let ends = try #require(H.converse(&authenticator, &peer))
        #expect(ends.authenticator.isSuccess && ends.peer.isSuccess)
        #expect(ends.peer.msk == ends.authenticator.msk)
    }

    @Test("MD5-Challenge succeeds and yields no MSK")
    func md5() throws {
        var authenticator = Self.authenticator([.md5Challenge])
        var peer = Self.peer("alice", .password(H.password("wonderland")))
        let ends = try #require(H.converse(&authenticator, &peer))
        #expect(ends.authenticator.isSuccess && ends.peer.isSuccess)
        #expect(ends.authenticator.msk == nil && ends.peer.msk == nil)
        #expect(!EAPMethod.md5Challenge.generatesMSK && EAPMethod.mschapv2.generatesMSK)
    }

    @Test("A known identity skips the Identity exchange")
    func knownIdentity() throws {
        var authenticator = Self.authenticator([.md5Challenge], identity: EAPIdentity("alice"))
        #expect(authenticator.start().type == .md5Challenge)
        #expect(authenticator.start().type == .md5Challenge)  // start() again: the same Request
        var peer = Self.peer("alice", .password(H.password("wonderland")))
        let ends = try #require(H.converse(&authenticator, &peer))
        #expect(ends.authenticator.isSuccess && ends.peer.isSuccess)
    }

    @Test("The peer answers Identity with its identity", arguments: ["alice", "", "user@example.org"])
    func identity(name: String) throws {
        var peer = Self.peer(name, .password(H.password("x")))
        let step = peer.receive(.request(9, .identity))
        #expect(step.packet == .response(9, .identity, Array(name.utf8)))
    }

    @Test(
        "Wrong password: EAP-Failure, wrongPassword on the authenticator, a typed failure on the peer",
        arguments: [EAPMethod.mschapv2, .md5Challenge])
    func wrongPassword(method: EAPMethod) throws {
        var authenticator = Self.authenticator([method])
        var peer = Self.peer("alice", .password(H.password("looking-glass")))
        let ends = try #require(H.converse(&authenticator, &peer))
        #expect(ends.authenticator.failureCode == .wrongPassword)
        #expect(ends.authenticator.packet?.code == .failure)
        #expect(ends.peer.failureCode == .rejected)
    }

    @Test("Unknown user: the same EAP-Failure on the wire, unknownUser for the log", arguments: [EAPMethod.mschapv2, .md5Challenge])
    func unknownUser(method: EAPMethod) throws {
        var authenticator = Self.authenticator([method])
        var peer = Self.peer("mallory", .password(H.password("guess")))
        let ends = try #require(H.converse(&authenticator, &peer))
        #expect(ends.authenticator.failureCode == .unknownUser)
        #expect(ends.authenticator.packet?.code == .failure)
        #expect(ends.peer.failureCode == .rejected)
    }

    @Test("An NT hash cannot serve MD5-Challenge")
    func unusableCredential() throws {
        var authenticator = Self.authenticator([.md5Challenge], identity: EAPIdentity("CORP\\bob"))
        var peer = Self.peer("CORP\\bob", .password(H.password("builder")))
        let ends = try #require(H.converse(&authenticator, &peer))
        #expect(ends.authenticator.failureCode == .unusableCredential)
        // The peer with only an NT hash does not offer MD5 at all.
        #expect(Self.peer("x", .ntPasswordHash(SecretBytes([UInt8](repeating: 1, count: 16)))).methods == [.mschapv2])
    }

    @Test("A Nak moves the authenticator to the next method the peer names")
    func nak() throws {
        var authenticator = Self.authenticator([.md5Challenge, .mschapv2])
        var peer = Self.peer("alice", .password(H.password("wonderland")), [.mschapv2])
        let ends = try #require(H.converse(&authenticator, &peer))
        #expect(ends.authenticator.isSuccess && ends.peer.isSuccess)
        #expect(authenticator.method == .mschapv2)
        #expect(ends.peer.msk == ends.authenticator.msk)
    }

    @Test("A Nak naming nothing the authenticator offers ends with noCommonMethod")
    func nakNothingInCommon() throws {
        var authenticator = Self.authenticator([.mschapv2])
        var peer = Self.peer("alice", .password(H.password("wonderland")), [.md5Challenge])
        let ends = try #require(H.converse(&authenticator, &peer))
        #expect(ends.authenticator.failureCode == .noCommonMethod)
        #expect(ends.peer.failureCode == .rejected)
        var none = Self.peer("alice", .password(H.password("wonderland")), [])
        #expect(none.receive(.request(1, .mschapv2, [])).packet == .response(1, .nak, [0]))
    }

    @Test("The peer refuses a Success that skips the authenticator's MSCHAPv2 proof")
    func earlySuccess() throws {
        var authenticator = Self.authenticator([.mschapv2])
        var peer = Self.peer("alice", .password(H.password("wonderland")))
        _ = peer.receive(authenticator.start())
        guard case .send(let challenge) = authenticator.receive(try #require(peer.receive(.request(0x40, .identity)).packet)) else {
            Issue.record("no challenge")
            return
        }
        #expect(peer.receive(challenge).packet?.type == .mschapv2)
        #expect(peer.receive(.success(challenge.identifier)).failureCode == .outOfOrder)
        var fresh = Self.peer("alice", .password(H.password("wonderland")))
        #expect(fresh.receive(.success(1)).failureCode == .outOfOrder)
    }

    @Test("A forged MSCHAPv2 Success proof fails authenticatorNotVerified on the peer")
    func forgedProof() throws {
        var authenticator = Self.authenticator([.mschapv2], identity: EAPIdentity("alice"))
        var peer = Self.peer("alice", .password(H.password("wonderland")))
        let response = try #require(peer.receive(authenticator.start()).packet)
        guard case .send(var success) = authenticator.receive(response) else {
            Issue.record("no success request")
            return
        }
        // Flip one hex digit of S=.
        success.typeData[6] = success.typeData[6] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        #expect(peer.receive(success).failureCode == .authenticatorNotVerified)
    }

    @Test("An MSCHAPv2 Failure E=691 is wrongPassword on the peer, which answers with a Failure Response")
    func mschapFailureRequest() throws {
        var peer = Self.peer("alice", .password(H.password("wonderland")))
        let challenge = EAPPacket.request(3, .mschapv2, [1, 3, 0, 26, 16] + [UInt8](repeating: 7, count: 16) + Array("gw".utf8))
        #expect(peer.receive(challenge).packet?.type == .mschapv2)
        let text = Array("E=691 R=0 C=00000000000000000000000000000000 V=3 M=nope".utf8)
        let failure = EAPPacket.request(4, .mschapv2, [4, 3, 0, UInt8(4 + text.count)] + text)
        let step = peer.receive(failure)
        #expect(step.failureCode == .wrongPassword)
        #expect(step.packet == .response(4, .mschapv2, [4]))
    }

    @Test("Responses out of order or of the wrong method end with a typed failure and an EAP-Failure")
    func outOfOrder() throws {
        // Wrong Identifier.
        var authenticator = Self.authenticator([.mschapv2])
        let request = authenticator.start()
        var step = authenticator.receive(.response(request.identifier &+ 1, .identity, Array("alice".utf8)))
        #expect(step.failureCode == .outOfOrder)
        #expect(step.packet == .failure(request.identifier))
        // Anything after the end.
        #expect(authenticator.receive(.response(request.identifier, .identity, [])).failureCode == .outOfOrder)

        // The wrong method.
        authenticator = Self.authenticator([.mschapv2], identity: EAPIdentity("alice"))
        let challenge = authenticator.start()
        step = authenticator.receive(.response(challenge.identifier, .md5Challenge, [16] + [UInt8](repeating: 0, count: 16)))
        #expect(step.failureCode == .unexpectedMethod)

        // A Request sent to the authenticator; a Response before start().
        authenticator = Self.authenticator([.mschapv2])
        #expect(authenticator.receive(.response(0, .identity, [])).failureCode == .outOfOrder)
        authenticator = Self.authenticator([.mschapv2])
        let identity = authenticator.start()
        #expect(authenticator.receive(.request(identity.identifier, .identity)).failureCode == .outOfOrder)

        // An MSCHAPv2 Success Response in place of the Response.
        authenticator = Self.authenticator([.mschapv2], identity: EAPIdentity("alice"))
        let first = authenticator.start()
        #expect(authenticator.receive(.response(first.identifier, .mschapv2, [3])).failureCode == .outOfOrder)

        // The peer: a different method once MSCHAPv2 is under way; Identity mid-method.
        var peer = Self.peer("alice", .password(H.password("wonderland")))
        authenticator = Self.authenticator([.mschapv2], identity: EAPIdentity("alice"))
        _ = peer.receive(authenticator.start())
        #expect(peer.receive(.request(9, .md5Challenge, [16] + [UInt8](repeating: 0, count: 16))).failureCode == .unexpectedMethod)
        peer = Self.peer("alice", .password(H.password("wonderland")))
        var another = Self.authenticator([.mschapv2], identity: EAPIdentity("alice"))
        _ = peer.receive(another.start())
        #expect(peer.receive(.request(9, .identity)).failureCode == .outOfOrder)
        #expect(peer.receive(.request(10, .identity)).failureCode == .outOfOrder)  // finished
    }

    @Test("Notification is answered and changes nothing (RFC 3748 §5.2)")
    func notification() throws {
        var peer = Self.peer("alice", .password(H.password("wonderland")))
        #expect(peer.receive(.request(5, .notification, Array("hello".utf8))).packet == .response(5, .notification))
        var authenticator = Self.authenticator([.md5Challenge])
        let ends = try #require(H.converse(&authenticator, &peer))
        #expect(ends.authenticator.isSuccess && ends.peer.isSuccess)
    }

    @Test("Every truncation and every corrupted octet of every message ends typed, never traps")
    func malformedEverywhere() throws {
        // Record a clean conversation's messages, then replay each with damage.
        var authenticator = Self.authenticator([.mschapv2])
        var peer = Self.peer("alice", .password(H.password("wonderland")))
        var requests: [[UInt8]] = []
        var responses: [[UInt8]] = []
        var request = authenticator.start()
        while true {
            requests.append(request.encoded())
            guard case .send(let response) = peer.receive(request) else { break }
            responses.append(response.encoded())
            guard case .send(let next) = authenticator.receive(response) else { break }
            request = next
        }
        #expect(requests.count == 3 && responses.count == 3)

        for (round, response) in responses.enumerated() {
            for variant in Self.damaged(response) {
                var fresh = Self.authenticator([.mschapv2])
                var freshPeer = Self.peer("alice", .password(H.password("wonderland")))
                var current = fresh.start()
                for earlier in 0..<round {
                    guard case .send(let answer) = freshPeer.receive(current),
                        case .send(let next) = fresh.receive(answer)
                    else {
                        Issue.record("clean prefix failed at round \(earlier)")
                        return
                    }
                    current = next
                }
                _ = freshPeer.receive(current)
                switch fresh.receive(encoded: variant) {
                case .send, .success, .failure: break
                }
            }
        }
        for (round, request) in requests.enumerated() {
            for variant in Self.damaged(request) {
                var fresh = Self.authenticator([.mschapv2])
                var freshPeer = Self.peer("alice", .password(H.password("wonderland")))
                var current = fresh.start()
                for _ in 0..<round {
                    guard case .send(let answer) = freshPeer.receive(current), case .send(let next) = fresh.receive(answer)
                    else { return }
                    current = next
                }
                let step = freshPeer.receive(encoded: variant)
                if case .success = step { Issue.record("damaged request \(round) gave success") }
            }
        }
        // Truncated to a header that decodes: typed malformed, both sides.
        var fresh = Self.authenticator([.mschapv2], identity: EAPIdentity("alice"))
        let challenge = fresh.start()
        #expect(fresh.receive(.response(challenge.identifier, .mschapv2, [2, challenge.identifier, 0, 8, 49])).failureCode == .malformed)
        var freshPeer = Self.peer("alice", .password(H.password("wonderland")))
        #expect(freshPeer.receive(.request(1, .mschapv2, [1, 1, 0, 5, 16])).failureCode == .malformed)
        var md5Peer = Self.peer("alice", .password(H.password("wonderland")))
        #expect(md5Peer.receive(.request(1, .md5Challenge, [16, 1, 2])).failureCode == .malformed)
        var garbage = Self.peer("alice", .password(H.password("wonderland")))
        #expect(garbage.receive(encoded: [1, 2, 0]).failureCode == .malformed)
    }

    /// Every prefix and every single-octet change (to 0x00 and 0xFF) of `bytes`.
    static func damaged(_ bytes: [UInt8]) -> [[UInt8]] {
        var variants = (0..<bytes.count).map { Array(bytes.prefix($0)) }
        for index in bytes.indices {
            for value: UInt8 in [0x00, 0xFF] where bytes[index] != value {
                var copy = bytes
                copy[index] = value
                variants.append(copy)
            }
        }
        return variants
    }
}
