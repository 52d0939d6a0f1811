import IKEConfig
import IKEWire
import Testing

@Suite("swanctl.conf local/remote auth and certificate payload keys")
struct SwanctlAuthenticationTests {
    static let file = "/etc/swanctl/swanctl.conf"

    func load(_ text: String) throws(ConfigurationErrors) -> CygnetConfiguration {
        try CygnetConfiguration.load(
            file: Self.file,
            fileSystem: InMemorySettingsFileSystem(text: [
                Self.file: text, "/etc/swanctl/x509/a.pem": "", "/etc/swanctl/x509ca/ca.pem": "",
            ]))
    }

    func connection(local: String, remote: String, extra: String = "") -> String {
        """
        connections {
            gw {
                remote_addrs = 192.0.2.2
                \(extra)
                local {
                    auth = \(local)
                    id = a.example
                    certs = a.pem
                }
                remote {
                    auth = \(remote)
                    id = b.example
                    cacerts = ca.pem
                }
                children { net { remote_ts = 10.2.0.0/16 } }
            }
        }
        """
    }

    @Test("auth = rsa/pss (local) and ecdsa-sha384 (remote): public key authentication with those constraints")
    func constraintsOnBothSides() throws {
        let configuration = try load(connection(local: "rsa/pss", remote: "ecdsa-sha384"))
        let peer = try #require(configuration.peers.first)
        #expect(peer.localAuthentication == .publicKey && peer.remoteAuthentication == .publicKey)
        #expect(peer.localSignatureConstraints.rules == [SignatureConstraints.Rule(.rsaPSS)])
        #expect(peer.remoteSignatureConstraints.rules == [SignatureConstraints.Rule(.ecdsa, hashes: [.sha2_384])])
        #expect(configuration.connections[0].local.signatureConstraints == peer.localSignatureConstraints)
    }

    @Test("auth = pubkey keeps no constraint")
    func plainPublicKey() throws {
        let peer = try #require(try load(connection(local: "pubkey", remote: "pubkey")).peers.first)
        #expect(peer.localSignatureConstraints == .none && peer.remoteSignatureConstraints == .none)
    }

    @Test("An unknown form is an error at its file, line and column, with a hint; an unsupported one says so")
    func unknownForms() {
        for (value, code) in [("rsa4096-sha256", ConfigurationError.Code.invalidValue), ("ecdsa-sha1", .unsupported)] {
            do {
                _ = try load(connection(local: "pubkey", remote: value))
                Issue.record("auth = \(value) was accepted")
            } catch {
                let error = error.errors.first
                #expect(error?.code == code, "\(value)")
                #expect(error?.location?.line == 11, "\(value)")
                #expect(error?.location?.column == 20, "\(value)")
                #expect(error?.hint != nil, "\(value)")
            }
        }
    }

    @Test("send_cert and send_certreq reach the engine's connection; defaults are strongSwan's (ifasked, yes)")
    func certificatePayloadKeys() throws {
        let defaults = try #require(try load(connection(local: "pubkey", remote: "pubkey")).peers.first)
        #expect(defaults.sendCertificate == .ifAsked && defaults.sendCertificateRequest)
        let set = try #require(
            try load(connection(local: "pubkey", remote: "pubkey", extra: "send_cert = always\nsend_certreq = no")).peers
                .first)
        #expect(set.sendCertificate == .always && !set.sendCertificateRequest)
    }
}
