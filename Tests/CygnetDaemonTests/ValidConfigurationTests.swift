import Foundation
import IKEConfig
import IKECertificates
import IKECore
import IKECrypto
import IKEWire
import Testing

@testable import CygnetDaemon

/// The valid fixtures in `Tests/Fixtures/configs/valid`, loaded with their credentials
/// from swanctl's directory layout.
@Suite("Valid configurations load with their credentials")
struct ValidConfigurationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/configs/valid").path

    func load(_ name: String) throws -> LoadedConfiguration {
        try ConfigurationLoader().load(file: Self.fixtures + "/" + name + "/swanctl.conf")
    }

    @Test("Site-to-site with a pre-shared key")
    func siteToSite() throws {
        let loaded = try load("site-to-site-psk")
        let configuration = loaded.configuration
        #expect(configuration.connections.map(\.name) == ["site-to-site"])
        let connection = configuration.connections[0]
        #expect(connection.remoteAddresses == [.address([198, 51, 100, 2])])
        #expect(connection.peer.proposals.count == 2)
        #expect(connection.peer.livenessCheckInterval == .seconds(30))
        #expect(connection.peer.uniqueness == .replace)
        let child = try #require(connection.children.first)
        #expect(child.startAction == .start && child.dpdAction == .start && child.closeAction == .start)
        #expect(child.child.lifetime.rekeyBytes == 500 << 20)
        #expect(child.child.lifetime.lifeTime == .seconds(66 * 60))
        #expect(configuration.preSharedKeys.first?.identities.count == 2)
        #expect(configuration.daemon.metricsAddress == "127.0.0.1:9469")
        #expect(configuration.daemon.log.level(for: "ike") == 2)
        #expect(loaded.privateKeys.isEmpty && loaded.trustAnchors.isEmpty)
    }

    @Test("ECDSA certificates: the chain from x509/, the root from x509ca/, the key from private/")
    func certificates() throws {
        let loaded = try load("certificates")
        let peer = try #require(loaded.configuration.peers.first)
        #expect(peer.localAuthentication == .publicKey && peer.remoteAuthentication == .publicKey)
        #expect(peer.localCertificates.count == 2)
        #expect(peer.localCertificates.allSatisfy { $0.first == 0x30 })
        #expect(peer.localIdentity == IKEIdentity(type: .fqdn, data: Array("left.lab.test".utf8)))
        #expect(loaded.trustAnchors.count == 1)
        // remote { cacerts = ec-root.pem }: the connection's own CA, named by its key hash.
        #expect(peer.remoteCertificateAuthorities.map(\.certificate) == loaded.trustAnchors)
        #expect(
            peer.remoteCertificateAuthorities.map(\.keyHash)
                == CertificateValidator(trustAnchorsDER: loaded.trustAnchors).certificateRequestHashes)
        #expect(loaded.privateKeys.map(\.key.keyType) == [.p256])
        #expect(loaded.configuration.connections[0].sendCertificate == .always)
    }

    @Test("Road warriors with EAP: MSCHAPv2 against secrets { eap-… } after an Identity round, and a connection forwarding to RADIUS")
    func roadwarriorEAP() throws {
        let loaded = try load("roadwarrior-eap")
        let connections = loaded.configuration.connections
        #expect(connections.map(\.name) == ["roadwarriors", "radius-users"])
        #expect(connections.map(\.peer.remoteAuthentication) == [.eap(.method(.mschapv2)), .eap(.radius)])
        #expect(connections.map(\.peer.localAuthentication) == [.publicKey, .publicKey])
        #expect(connections.first?.peer.remoteEAPIdentity == .ask)
        #expect(loaded.configuration.eapSecrets.map(\.identities) == [["alice"], ["bob"]])
        #expect(loaded.configuration.eapSecrets.map(\.secret) == [Array("alice's long password".utf8), Array("bob's long password".utf8)])
        #expect(loaded.configuration.daemon.eapRADIUS?.servers.map(\.name) == ["primary"])
        #expect(loaded.privateKeys.map(\.key.keyType) == [.rsa(bits: 2048)])
    }

    @Test("Road warriors: connections from an included glob, RSA credentials, any remote")
    func roadwarrior() throws {
        let loaded = try load("roadwarrior")
        let connection = try #require(loaded.configuration.connections.first)
        #expect(connection.name == "roadwarriors")
        #expect(connection.location.file.hasSuffix("conf.d/roadwarriors.conf"))
        #expect(connection.remoteAddresses == [.any])
        #expect(connection.peer.remoteIdentity == nil)
        #expect(connection.peer.uniqueness == .keep)
        #expect(connection.peer.fragmentation == .force)
        #expect(connection.peer.reauthTime == .seconds(8 * 3600))
        #expect(connection.peer.pools == ["rw4", "rw6"])
        #expect(loaded.configuration.pools.map(\.addresses.description) == ["10.3.0.1-10.3.0.254", "fd00:3::1-fd00:3::fe"])
        #expect(loaded.configuration.daemon.leaseDatabase == "/var/lib/cygnet/leases.sqlite")
        #expect(connection.proposals.allSatisfy { $0.isDefault })
        let child = try #require(connection.children.first)
        #expect(child.child.localTrafficSelectors.count == 2)
        #expect(child.remoteTrafficSelectors == [.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)])
        #expect(child.child.remoteTrafficSelectors == [.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)])
        #expect(loaded.privateKeys.map(\.key.keyType) == [.rsa(bits: 2048)])
        #expect(loaded.trustAnchors.count == 2)
        let daemon = loaded.configuration.daemon
        #expect(daemon.tunName == "rw0" && daemon.tunMTU == 1380 && daemon.windowSize == 4 && daemon.cookieThreshold == nil)
        #expect(daemon.log.defaultLevel == 0 && daemon.log.level(for: "cfg") == 3)
    }

    @Test("Every proposal keyword Cygnet accepts is served by the crypto provider (with the legacy opt-in)")
    func keywordsHaveImplementations() throws {
        let provider = CryptoProvider.default.addingLegacyTransforms()
        for keyword in ProposalKeyword.supportedKeywords {
            switch try #require(ProposalKeyword.lookUp(keyword)?.algorithm) {
            case .encryption(let id, let bits):
                #expect((try? provider.encryptionAlgorithm(id, keyBits: bits)) != nil, "\(keyword)")
            case .integrity(let id):
                #expect((try? provider.integrityAlgorithm(id)) != nil, "\(keyword)")
            case .pseudorandomFunction(let id):
                #expect((try? provider.pseudorandomFunction(id)) != nil, "\(keyword)")
            case .keyExchange(let id) where id != .none:
                #expect((try? provider.keyExchangeMethod(id)) != nil, "\(keyword)")
            case .keyExchange, .sequenceNumbers:
                break
            }
        }
    }

    @Test("The default proposals need no legacy transform")
    func defaultsUseTheDefaultProvider() throws {
        let provider = CryptoProvider.default
        for template in DefaultProposals.templates(for: .ike) + DefaultProposals.templates(for: .esp) {
            for choice in template.encryption {
                #expect((try? provider.encryptionAlgorithm(choice.id, keyBits: choice.keyBits)) != nil)
            }
            for id in template.integrity { #expect((try? provider.integrityAlgorithm(id)) != nil) }
            for id in template.pseudorandomFunctions { #expect((try? provider.pseudorandomFunction(id)) != nil) }
            for id in template.keyExchangeMethods { #expect((try? provider.keyExchangeMethod(id)) != nil) }
        }
    }

    @Test("The daemon's configuration: chain with intermediates, the matching key by identity, CA hashes, addresses")
    func daemonConfiguration() throws {
        let loaded = try load("certificates")
        let daemon = DaemonConfiguration(loaded, engineCount: 2)
        let peer = try #require(daemon.engine.peers.first)
        #expect(peer.localCertificates.count == 2, "end entity and intermediate, no root")
        #expect(peer.localCertificates.first == loaded.configuration.connections.first?.peer.localCertificates.first)
        #expect(daemon.signer.keys[peer.localIdentity] != nil)
        #expect(daemon.validator != nil)
        #expect(!daemon.engine.certificateAuthorityKeyHashes.isEmpty)
        #expect(daemon.connections.first?.remoteAddresses.map(\.description) == ["192.0.2.2"])
        #expect(daemon.engineCount == 2)
        // send_cert reaches the engine, which leaves CERT out (CertificatePayloadPolicyTests).
        var never = loaded
        never.configuration.connections[0].sendCertificate = .never
        #expect(DaemonConfiguration(never, engineCount: 1).engine.peers.first?.sendCertificate == .never)
    }
}
