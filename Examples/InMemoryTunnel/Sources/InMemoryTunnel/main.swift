// Two IKEv2 engines, each configured from swanctl.conf text, negotiate an IKE SA and a
// Child SA over an in-memory network in virtual time; then ESP keyed from the Child SA
// carries one packet from one gateway to the other. Nothing opens a socket or reads a
// clock: the engine is sans-I/O, and this file is its whole host.
import ESPCore
import Foundation
import IKEConfig
import IKECore
import IKECrypto
import IKEWire

/// One gateway's swanctl.conf: a connection `site` with a pre-shared key and one Child SA.
func swanctlConf(local: String, remote: String, localID: String, remoteID: String, localNet: String, remoteNet: String)
    -> String
{
    """
    connections {
        site {
            local_addrs = \(local)
            remote_addrs = \(remote)
            proposals = aes256gcm16-prfsha256-x25519
            local {
                auth = psk
                id = \(localID)
            }
            remote {
                auth = psk
                id = \(remoteID)
            }
            children {
                lan {
                    local_ts = \(localNet)
                    remote_ts = \(remoteNet)
                    esp_proposals = aes256gcm16
                }
            }
        }
    }
    secrets {
        ike-site {
            id-a = a.example.org
            id-b = b.example.org
            secret = "an example key; make your own with: openssl rand -base64 32"
        }
    }
    """
}

/// What a gateway does with its engine's outputs (`IKEEngine.drain(into:)` calls these in
/// order): datagrams wait in `outbox` for the network, the deadline for the clock.
struct Host: IKEEngineHost {
    let name: String
    var now = IKEInstant.zero
    var outbox: [IKETransmit] = []
    var deadline: IKEInstant?
    /// What a data plane would hold: the installed Child SAs, by inbound SPI.
    var childSAs: [UInt32: ChildSAInstallation] = [:]

    mutating func send(_ transmit: IKETransmit) { outbox.append(transmit) }

    mutating func scheduleTimeout(at deadline: IKEInstant?) { self.deadline = deadline }

    mutating func carryOut(_ effect: IKEEffect) {
        switch effect {
        case .installChildSA(let sa):
            childSAs[sa.inboundSPI] = sa
            let (inbound, outbound) = (HexText.string(sa.inboundSPI), HexText.string(sa.outboundSPI))
            let text = { (selectors: [TrafficSelector]) in
                selectors.map(TrafficSelectorText.format).joined(separator: ", ")
            }
            log("Child SA '\(sa.name)' installed: SPIs in \(inbound) out \(outbound), "
                + "\(sa.encryption) \(sa.encryptionKeyBits ?? 0) bits\(sa.integrity.map { " + \($0)" } ?? ""), "
                + "\(text(sa.localTrafficSelectors)) === \(text(sa.remoteTrafficSelectors))")
        case .removeChildSA(let inboundSPI, _):
            childSAs[inboundSPI] = nil
        case .updateChildSA(let update):
            // The IKE SA moved (MOBIKE, or a NAT that changed its mapping): a data plane
            // sends this pair's ESP to the new addresses from now on, keeping its keys
            // and sequence numbers. These two hosts never move.
            childSAs[update.inboundSPI]?.localAddress = update.localAddress
            childSAs[update.inboundSPI]?.remoteAddress = update.remoteAddress
            childSAs[update.inboundSPI]?.isUDPEncapsulated = update.isUDPEncapsulated
        case .sign, .validateCertificates, .assignAddresses, .eap:
            // Asked only with certificates (auth = pubkey), pools or EAP: a host signs,
            // validates, leases or runs the EAP method, then answers with
            // handleCompletion(_:now:). This example authenticates with a PSK and hands out
            // no virtual IPs.
            log("unexpected request: \(effect)")
        case .releaseAddresses, .addVirtualIPs, .removeVirtualIPs:
            break
        }
    }

    mutating func observe(_ event: IKEEvent) {
        switch event {
        case .ikeSAStarted(let connection, let localSPI, let isInitiator):
            let role = isInitiator ? "initiator" : "responder"
            log("IKE SA '\(connection)' started as \(role), SPI \(HexText.string(localSPI))")
        case .ikeSAEstablished(let connection, let localSPI, let remoteSPI, _):
            log("IKE SA '\(connection)' established, SPIs \(HexText.string(localSPI)) (ours) "
                + HexText.string(remoteSPI))
        case .childSAInstalled:
            break  // carryOut(_:) printed the installation
        default:
            log("\(event)")  // closes, drops, refusals, retransmissions: each with a typed reason
        }
    }

    func log(_ text: String) { print("\(now) \(name): \(text)") }
}

/// An engine and its host, at one address.
struct Gateway {
    var engine: IKEEngine<SystemRandomSource>
    var host: Host
    let address: IKEEndpointAddress
    let peerAddress: IKEEndpointAddress

    /// An established IKE SA, and a Child SA in the "data plane".
    var isTunnelUp: Bool { !engine.establishedSPIs.isEmpty && !host.childSAs.isEmpty }

    init(name: String, swanctlConf: String) throws {
        let files = InMemorySettingsFileSystem(text: ["/etc/swanctl/swanctl.conf": swanctlConf])
        let loaded = try CygnetConfiguration.load(file: "/etc/swanctl/swanctl.conf", fileSystem: files)
        guard let connection = loaded.connections.first,
            case .address(let local) = connection.localAddresses.first,
            case .address(let remote) = connection.remoteAddresses.first
        else { throw IKECoreError(.configuration, "no connection with addresses in local_addrs and remote_addrs") }
        address = IKEEndpointAddress(address: local, port: connection.localPort)
        peerAddress = IKEEndpointAddress(address: remote, port: connection.remotePort)
        let configuration = IKEEngineConfiguration(peers: loaded.peers, preSharedKeys: loaded.preSharedKeys)
        engine = IKEEngine(configuration: configuration, random: SystemRandomSource())
        host = Host(name: name)
    }

    // Every input is followed by drain(into:), which hands its outputs to the host.

    mutating func initiate(_ connection: String, now: IKEInstant) throws {
        host.now = now
        defer { engine.drain(into: &host) }  // a command that throws may have produced output
        try engine.handleCommand(.initiate(peer: connection, local: address, remote: peerAddress), now: now)
    }

    mutating func receive(_ transmit: IKETransmit, now: IKEInstant) {
        host.now = now
        engine.handleDatagram(transmit.datagram, from: transmit.source, to: transmit.destination, now: now)
        engine.drain(into: &host)
    }

    mutating func fireTimer(now: IKEInstant) {
        guard let deadline = host.deadline, deadline <= now else { return }
        host.now = now
        engine.handleTimeout(now: now)
        engine.drain(into: &host)
    }
}

/// Delivers each datagram `delay` after the previous one; with none in flight, moves the
/// clock to the earliest deadline (a retransmission, a timeout). Stops when both gateways
/// have an IKE SA and a Child SA, or at `limit`.
func negotiate(_ gateways: inout [Gateway], delay: Duration, limit: IKEInstant) -> IKEInstant {
    var now = IKEInstant.zero
    while now < limit, !gateways.allSatisfy(\.isTunnelUp) {
        if let sender = gateways.firstIndex(where: { !$0.host.outbox.isEmpty }) {
            let transmit = gateways[sender].host.outbox.removeFirst()
            now = now + delay
            // By IP address: each gateway receives on the IKE port and on the NAT-T port,
            // where MOBIKE moves the IKE SA after IKE_SA_INIT (RFC 4555 §3.3).
            for index in gateways.indices where gateways[index].address.address == transmit.destination.address {
                gateways[index].receive(transmit, now: now)
            }
        } else if let deadline = gateways.compactMap(\.host.deadline).min() {
            now = max(now, deadline)
            for index in gateways.indices { gateways[index].fireTimer(now: now) }
        } else {
            break
        }
    }
    return now
}

/// Keys the two ESP SAs of an installed Child SA, as a data plane would.
func espPair(_ sa: ChildSAInstallation) throws -> ESPSecurityAssociationPair {
    let transforms = try CryptoProvider.default.childSATransforms(
        encryption: sa.encryption, keyBits: sa.encryptionKeyBits, integrity: sa.integrity)
    return try ESPSecurityAssociationPair(
        inboundSPI: sa.inboundSPI, outboundSPI: sa.outboundSPI, encryption: transforms.encryption,
        integrity: transforms.integrity, inboundEncryptionKey: sa.inboundEncryptionKey,
        inboundIntegrityKey: sa.inboundIntegrityKey, outboundEncryptionKey: sa.outboundEncryptionKey,
        outboundIntegrityKey: sa.outboundIntegrityKey, usesExtendedSequenceNumbers: sa.usesExtendedSequenceNumbers)
}

do {
    var gateways = [
        try Gateway(name: "a", swanctlConf: swanctlConf(
            local: "192.0.2.1", remote: "198.51.100.2", localID: "a.example.org", remoteID: "b.example.org",
            localNet: "10.1.0.0/16", remoteNet: "10.2.0.0/16")),
        try Gateway(name: "b", swanctlConf: swanctlConf(
            local: "198.51.100.2", remote: "192.0.2.1", localID: "b.example.org", remoteID: "a.example.org",
            localNet: "10.2.0.0/16", remoteNet: "10.1.0.0/16")),
    ]
    try gateways[0].initiate("site", now: .zero)
    let now = negotiate(&gateways, delay: .milliseconds(5), limit: .zero + .seconds(60))
    guard gateways.allSatisfy(\.isTunnelUp), let a = gateways[0].host.childSAs.values.first,
        let b = gateways[1].host.childSAs.values.first
    else {
        print("\(now) the tunnel did not come up")
        exit(1)
    }

    // An IPv4 packet from 10.1.0.1 to 10.2.0.1 (protocol 253, for experiments), sealed by
    // a with its outbound SA and opened by b with its inbound SA.
    let inner: [UInt8] = [0x45, 0, 0, 25, 0, 0, 0, 0, 64, 253, 0, 0, 10, 1, 0, 1, 10, 2, 0, 1] + Array("hello".utf8)
    var sender = try espPair(a)
    var receiver = try espPair(b)
    var packet = try sender.outbound.seal(inner, nextHeader: .ipv4)
    let opened = try receiver.inbound.open(&packet)
    guard Array(packet[opened.payloadRange]) == inner else {
        print("ESP: the opened packet differs from the one sealed")
        exit(1)
    }
    print("ESP: a sealed \(inner.count) bytes into \(packet.count) to SPI \(HexText.string(a.outboundSPI)), "
        + "b opened them (sequence number \(opened.sequenceNumber))")
} catch {
    print("error: \(error)")
    exit(1)
}
