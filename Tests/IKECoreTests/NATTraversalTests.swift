import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// NAT detection and the move to the NAT-T port (RFC 7296 §2.23, RFC 3948), through a
/// NAT that rewrites the initiator's source address and port.
@Suite("NAT traversal: NAT_DETECTION_*_IP and the NAT-T port (RFC 7296 §2.23)")
struct NATTraversalTests {
    static let privateAddress: [UInt8] = [10, 0, 0, 1]
    static let publicAddress: [UInt8] = [198, 51, 100, 7]

    /// Two engines with the NAT between them; returns every datagram the responder got.
    func handshake(
        natTraversalPort: UInt16, behindNAT: Bool, forcedBy side: Int? = nil, mobike: (left: Bool, right: Bool) = (true, true)
    ) throws -> (
        left: EngineOutputs, right: EngineOutputs, seenByResponder: [IKETransmit], leftSPIs: [UInt64]
    ) {
        let network = EngineFixtures.network()
        var left = network.nodes[0].engine
        var right = network.nodes[1].engine
        left.configuration.natTraversalPort = natTraversalPort
        right.configuration.natTraversalPort = natTraversalPort
        if side == 0 { left.configuration.peers[0].forcesUDPEncapsulation = true }
        if side == 1 { right.configuration.peers[0].forcesUDPEncapsulation = true }
        left.configuration.peers[0].isMOBIKEEnabled = mobike.left
        right.configuration.peers[0].isMOBIKEEnabled = mobike.right
        let leftLocal = IKEEndpointAddress(address: behindNAT ? Self.privateAddress : EngineFixtures.leftAddress, port: 500)
        let rightAddress = IKEEndpointAddress(address: EngineFixtures.rightAddress, port: 500)
        try left.handleCommand(.initiate(peer: "lab", local: leftLocal, remote: rightAddress), now: .zero)
        var leftOutputs = EngineOutputs()
        var rightOutputs = EngineOutputs()
        var seen: [IKETransmit] = []
        var toRight = left.drain()
        leftOutputs.effects += toRight.effects
        leftOutputs.events += toRight.events
        for _ in 0..<10 {
            var toLeft: [IKETransmit] = []
            for transmit in toRight.transmits {
                // The NAT maps each private source port to a public one.
                let source = behindNAT
                    ? IKEEndpointAddress(address: Self.publicAddress, port: transmit.source.port == 500 ? 40_000 : 40_001)
                    : transmit.source
                seen.append(IKETransmit(source: source, destination: transmit.destination, datagram: transmit.datagram))
                let out = right.deliver(transmit.datagram, from: source, to: transmit.destination, now: .zero)
                rightOutputs.effects += out.effects
                rightOutputs.events += out.events
                toLeft += out.transmits
            }
            toRight = EngineOutputs()
            for transmit in toLeft {
                var destination = transmit.destination
                if behindNAT {
                    #expect(destination.address == Self.publicAddress)
                    destination = IKEEndpointAddress(
                        address: Self.privateAddress, port: transmit.destination.port == 40_000 ? 500 : natTraversalPort)
                }
                let out = left.deliver(transmit.datagram, from: transmit.source, to: destination, now: .zero)
                leftOutputs.effects += out.effects
                leftOutputs.events += out.events
                toRight.transmits += out.transmits
            }
            if toRight.transmits.isEmpty { break }
        }
        return (leftOutputs, rightOutputs, seen, left.establishedSPIs)
    }

    @Test("Behind a NAT the initiator moves to the NAT-T port after IKE_SA_INIT; both sides encapsulate", arguments: [UInt16(4500), 14_500])
    func behindNAT(natTraversalPort: UInt16) throws {
        let result = try handshake(natTraversalPort: natTraversalPort, behindNAT: true)
        #expect(result.leftSPIs.count == 1)
        // IKE_SA_INIT on 500, IKE_AUTH on the NAT-T port; the message itself is bare (the
        // host's NAT-T socket puts the non-ESP marker in front).
        #expect(result.seenByResponder.map(\.destination.port) == [500, natTraversalPort])
        let auth = try #require(result.seenByResponder.last)
        #expect(try IKEMessage(decoding: auth.datagram).header.exchangeType == .ikeAuth)
        for installation in ResponderFixtures.installations(result.left) + ResponderFixtures.installations(result.right) {
            #expect(installation.isUDPEncapsulated)
        }
        let responderView = try #require(ResponderFixtures.installations(result.right).first)
        #expect(responderView.remoteAddress == IKEEndpointAddress(address: Self.publicAddress, port: 40_001))
    }

    @Test("Without a NAT and with mobike = no on the initiator nothing moves: IKE_AUTH stays on port 500, the Child SA is not encapsulated")
    func noNAT() throws {
        let result = try handshake(natTraversalPort: 4500, behindNAT: false, mobike: (false, true))
        #expect(result.leftSPIs.count == 1)
        #expect(result.seenByResponder.map(\.destination.port) == [500, 500])
        for installation in ResponderFixtures.installations(result.left) + ResponderFixtures.installations(result.right) {
            #expect(!installation.isUDPEncapsulated)
        }
    }

    /// RFC 4555 §3.3: "implementations that support both this specification and NAT
    /// Traversal MUST change to port 4500 if the correspondent also supports both, even if
    /// no NAT was detected between them"; RFC 7296 §2.23: "When either side is using port
    /// 4500, sending ESP with UDP encapsulation is not required".
    @Test("RFC 4555 §3.3: without a NAT the MOBIKE initiator still moves IKE_AUTH to the NAT-T port; ESP stays raw",
          arguments: [true, false])
    func mobikeMovesToNATTraversalPort(responderMOBIKE: Bool) throws {
        let result = try handshake(natTraversalPort: 4500, behindNAT: false, mobike: (true, responderMOBIKE))
        #expect(result.leftSPIs.count == 1)
        #expect(result.seenByResponder.map(\.destination.port) == [500, 4500])
        let installations = ResponderFixtures.installations(result.left) + ResponderFixtures.installations(result.right)
        #expect(installations.count == 2)
        for installation in ResponderFixtures.installations(result.left) + ResponderFixtures.installations(result.right) {
            #expect(!installation.isUDPEncapsulated)
        }
    }

    @Test("encap = yes on either side without a NAT: both move to the NAT-T port and encapsulate", arguments: [0, 1])
    func forcedEncapsulation(side: Int) throws {
        let result = try handshake(natTraversalPort: 4500, behindNAT: false, forcedBy: side)
        #expect(result.leftSPIs.count == 1)
        #expect(result.seenByResponder.map(\.destination.port) == [500, 4500])
        let installations = ResponderFixtures.installations(result.left) + ResponderFixtures.installations(result.right)
        #expect(installations.count == 2)
        for installation in installations { #expect(installation.isUDPEncapsulated) }
    }
}
