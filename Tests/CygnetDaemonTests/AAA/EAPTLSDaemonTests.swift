import EAPCore
import Foundation
import IKECertificates
import IKEConfig
import IKECore
import IKEWire
import Testing

@testable import CygnetDaemon

/// EAP-TLS (RFC 5216) in IKE_AUTH between two daemons on loopback, each loaded from a
/// swanctl.conf and swanctl's directories as an operator writes them: the road warrior
/// (left, `local { auth = eap-tls  certs = … }`) against the gateway (right, its own
/// certificate for IKE and TLS, `remote { auth = eap-tls  eap_id = %any }`).
@Suite("cygnetd on loopback: EAP-TLS from swanctl's certificates and keys", .serialized)
struct EAPTLSDaemonTests {
    static let pki = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/pki")

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.pki.appendingPathComponent(name)))
    }

    /// One side's swanctl directory in memory: `conf` as swanctl.conf, the RSA lab CA and
    /// intermediate in x509ca/ (and `extraCA`), `certificate`'s PEM and key in x509/ and
    /// private/, loaded as cygnetd loads it and put on loopback.
    static func side(
        _ conf: String, certificate: String, extraCA: String? = nil, address: String, ports: (UInt16, UInt16)
    ) throws -> DaemonConfiguration {
        let root = "/etc/swanctl"
        var files: [String: [UInt8]] = [
            "\(root)/swanctl.conf": Array(conf.utf8),
            "\(root)/x509ca/root.pem": try fixture("rsa-root.pem"),
            "\(root)/x509ca/intermediate.pem": try fixture("rsa-intermediate.pem"),
            "\(root)/x509/me.pem": try fixture("\(certificate).pem"),
            "\(root)/private/me.key": try fixture("\(certificate).key"),
        ]
        if let extraCA { files["\(root)/x509ca/extra.pem"] = try fixture("\(extraCA).pem") }
        let loaded = try ConfigurationLoader(fileSystem: InMemorySettingsFileSystem(files: files))
            .load(file: "\(root)/swanctl.conf")
        var configuration = DaemonConfiguration(loaded, engineCount: 1)
        let listen = AddressSpecification(address) ?? .any
        configuration.settings.listenAddresses = [listen]
        configuration.settings.port = ports.0
        configuration.settings.natTraversalPort = ports.1
        configuration.settings.dataPlane = false
        configuration.connections[0].remotePort = ports.0
        return configuration
    }

    static func gatewayConf(localAuth: String = "pubkey", remoteExtra: String = "eap_id = %any") -> String {
        """
        connections {
            lab {
                local_addrs = 127.0.0.2
                remote_addrs = 127.0.0.1
                local { auth = \(localAuth)
                    certs = me.pem
                    id = right.lab.test }
                remote { auth = eap-tls
                    \(remoteExtra) }
                children { net { local_ts = 203.0.113.0/24
                    remote_ts = 198.51.100.0/24 } }
            }
        }
        """
    }

    static func clientConf(localExtra: String = "", remoteAuth: String = "pubkey") -> String {
        """
        connections {
            lab {
                local_addrs = 127.0.0.1
                remote_addrs = 127.0.0.2
                local { auth = eap-tls
                    certs = me.pem
                    id = left@lab.test
                    \(localExtra) }
                remote { auth = \(remoteAuth)
                    id = right.lab.test }
                children { net { local_ts = 198.51.100.0/24
                    remote_ts = 203.0.113.0/24 } }
            }
        }
        """
    }

    /// Starts the gateway (right-rsa) and the client (`certificate`).
    static func pair(
        certificate: String = "left-rsa", clientExtraCA: String? = nil, localExtra: String = "",
        clientRemoteAuth: String = "pubkey", gatewayConf: String = gatewayConf()
    ) async throws -> (client: IKEDaemon, gateway: IKEDaemon) {
        let ports = DaemonFixtures.ports()
        let gateway = try side(gatewayConf, certificate: "right-rsa", address: "127.0.0.2", ports: ports)
        let client = try side(
            clientConf(localExtra: localExtra, remoteAuth: clientRemoteAuth), certificate: certificate, extraCA: clientExtraCA, address: "127.0.0.1",
            ports: ports)
        return try await EAPDaemonTests.start(client: client, gateway: gateway)
    }

    @Test("The loaded configuration gives each side its certificate, key and CAs for EAP-TLS")
    func credentials() throws {
        let ports = DaemonFixtures.ports()
        let gateway = try Self.side(Self.gatewayConf(), certificate: "right-rsa", address: "127.0.0.2", ports: ports)
        let client = try Self.side(Self.clientConf(), certificate: "left-rsa", address: "127.0.0.1", ports: ports)
        #expect(gateway.eapTLS["lab"] != nil && client.eapTLS["lab"] != nil)
        let psk = try Self.side(
            Self.gatewayConf().replacingOccurrences(of: "eap-tls", with: "eap-mschapv2"), certificate: "right-rsa",
            address: "127.0.0.2", ports: ports)
        #expect(psk.eapTLS.isEmpty, "a connection without EAP-TLS gets no TLS configuration")
    }

    @Test("EAP-TLS after an Identity round: both sides establish with AUTH from the MSK; both count a success")
    func success() async throws {
        let (client, gateway) = try await Self.pair()
        try await EAPDaemonTests.expectSuccess(client, gateway, method: "tls")
    }

    @Test("The gateway uses the IKE identity as EAP identity when eap_id is unset; the certificate names it")
    func ikeIdentity() async throws {
        let (client, gateway) = try await Self.pair(gatewayConf: Self.gatewayConf(remoteExtra: "id = left@lab.test"))
        try await EAPDaemonTests.expectSuccess(client, gateway, method: "tls")
    }

    @Test("EAP-only authentication (RFC 5998), auth = eap-tls on both sides of both ends: both establish from EAP-TLS alone")
    func eapOnly() async throws {
        let (client, gateway) = try await Self.pair(
            clientRemoteAuth: "eap-tls", gatewayConf: Self.gatewayConf(localAuth: "eap-tls"))
        try await EAPDaemonTests.expectSuccess(client, gateway, method: "tls")
    }

    @Test(
        "A client certificate from a CA the gateway does not know, or one that does not name the EAP identity: EAP Failure, AUTHENTICATION_FAILED on both sides, counted by reason",
        arguments: [
            ("other-right", "other-root", "", "TLS_failed"),
            ("left-rsa", nil, "eap_id = mallory@lab.test", "certificate_mismatch"),
        ])
    func failures(certificate: String, extraCA: String?, localExtra: String, reason: String) async throws {
        let (client, gateway) = try await Self.pair(
            certificate: certificate, clientExtraCA: extraCA, localExtra: localExtra)
        try await EAPDaemonTests.expectFailure(client, gateway, method: "tls", reason: reason)
    }

    @Test("A certificate names the identity it authenticates or is refused as certificate mismatch; the EAP identity reads as strongSwan reads identity text")
    func identityCheck() throws {
        let right = try Self.fixture("right-rsa.pem").pemToDER()
        #expect(EAPTLSCredentials.check(right, names: IKEIdentity("right.lab.test")) == nil)
        #expect(EAPTLSCredentials.check(right, names: IKEIdentity("right@lab.test")) == nil)
        #expect(EAPTLSCredentials.check(right, names: IKEIdentity("left.lab.test"))?.code == .certificateMismatch)
        #expect(EAPTLSCredentials.check(nil, names: IKEIdentity("right.lab.test"))?.code == .certificateMismatch)
        let ike = IKEIdentity(type: .ipv6Address, data: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])
        #expect(EAPTLSCredentials.identity(of: EAPIdentity(ike.description), ikeIdentity: ike) == ike)
        #expect(EAPTLSCredentials.identity(of: EAPIdentity("bob@lab.test"), ikeIdentity: ike) == IKEIdentity("bob@lab.test"))
    }
}

extension [UInt8] {
    /// The first certificate of PEM bytes as DER.
    fileprivate func pemToDER() throws -> [UInt8] {
        try #require(try CertificateValidator.derCertificates(pem: String(decoding: self, as: UTF8.self)).first)
    }
}
