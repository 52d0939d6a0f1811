import Foundation
import Testing

@testable import CygnetTools

/// The corpus of malformed configurations in `Tests/Fixtures/configs/invalid`: `cygnet
/// lint` rejects each with exactly these messages (file, line, column, text and hint).
@Suite("cygnet lint rejects every malformed configuration of the corpus with a precise message")
struct ConfigurationCorpusTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/configs/invalid").path

    /// File name and the exact findings `cygnet lint` prints for it (paths relative to
    /// the corpus directory).
    static let corpus: [(String, String)] = [
        ("01-unclosed-section.conf", "01-unclosed-section.conf:1:1: error: section 'connections' is not closed: missing '}'"),
        ("02-stray-closing-brace.conf", "02-stray-closing-brace.conf:3:1: error: unexpected '}' without a matching '{'"),
        ("03-unterminated-string.conf", "03-unterminated-string.conf:4:18: error: unterminated string: missing closing '\"'"),
        ("04-name-without-value.conf", "04-name-without-value.conf:2:5: error: 'site' is neither a setting ('site = value') nor a section ('site { ... }')"),
        ("05-equals-without-key.conf", "05-equals-without-key.conf:2:5: error: '=' without a key name"),
        ("06-quote-outside-value.conf", "06-quote-outside-value.conf:2:5: error: unexpected quoted string: quotes are only allowed in values"),
        ("07-missing-include.conf", "07-missing-include.conf:2:9: error: cannot read included file 'conf.d/site.conf'"),
        ("08-include-itself.conf", "08-include-itself.conf:1:9: error: includes nested deeper than 16 levels\n  hint: check whether '08-include-itself.conf' includes itself"),
        ("09-unknown-top-section.conf", "09-unknown-top-section.conf:1:1: error: unknown section 'connection' in the top level\n  hint: did you mean 'connections'?"),
        ("10-unknown-connection-key.conf", "10-unknown-connection-key.conf:4:9: error: unknown key 'rekey_tme' in connection 'site'\n  hint: did you mean 'rekey_time'?"),
        ("11-unsupported-connection-key.conf", "11-unsupported-connection-key.conf:4:9: error: 'childless' in connection 'site' is a strongSwan key that Cygnet does not support yet"),
        ("12-child-key-in-connection.conf", "12-child-key-in-connection.conf:4:9: error: 'start_action' is a Child SA setting, not a setting of connection 'site'\n  hint: move it into children { CHILD { ... } }"),
        ("13-invalid-duration.conf", "13-invalid-duration.conf:4:22: error: invalid value '4 hours' for 'rekey_time': expected a time such as 4h, 30m, 10s, 1d or plain seconds"),
        ("14-invalid-boolean.conf", "14-invalid-boolean.conf:4:18: error: invalid value 'maybe' for 'mobike': expected yes, no, true, false, enabled, disabled, 1 or 0"),
        ("15-invalid-port.conf", "15-invalid-port.conf:4:23: error: invalid value '70000' for 'remote_port': expected a port number from 1 to 65535"),
        ("16-ikev1.conf", "16-ikev1.conf:4:19: error: IKEv1 ('version = 1') is not supported\n  hint: use version = 2"),
        ("17-invalid-address.conf", "17-invalid-address.conf:4:34: error: invalid address '198.51.100.300' in 'local_addrs'\n  hint: write an IP address, a host name, a subnet (10.0.0.0/8), a range (10.0.0.1-10.0.0.9) or %any"),
        ("18-unknown-proposal-keyword.conf", "18-unknown-proposal-keyword.conf:4:21: error: unknown algorithm keyword 'aes256gmc16' in IKE proposal 'aes256gmc16-prfsha256-x25519'\n  hint: did you mean 'aes256gcm16'?"),
        ("19-unsupported-proposal-keyword.conf", "19-unsupported-proposal-keyword.conf:4:51: error: 'camellia256' (Camellia-256) is a strongSwan keyword, but Cygnet does not implement that algorithm\n  hint: use e.g. aes256gcm16, aes256 or chacha20poly1305"),
        ("20-aead-without-prf.conf", "20-aead-without-prf.conf:4:21: error: a PRF algorithm is mandatory in IKE proposals ('aes256gcm16-ecp256' has none)\n  hint: add e.g. prfsha256 (an AEAD has no integrity algorithm to derive it from)"),
        ("21-aead-mixed-with-classic.conf", "21-aead-mixed-with-classic.conf:4:21: error: classic and combined-mode (AEAD) encryption algorithms can't be contained in the same IKE proposal ('aes256gcm16-aes256-sha256-ecp256')\n  hint: split it into two proposals separated by a comma"),
        ("22-ike-proposal-without-key-exchange.conf", "22-ike-proposal-without-key-exchange.conf:4:21: error: a key exchange method is mandatory in IKE proposals ('aes256-sha256' has none)\n  hint: add e.g. x25519 or ecp256 or modp2048"),
        ("23-eap-on-both-sides.conf", "23-eap-on-both-sides.conf:9:20: error: connection 'site' uses EAP on both sides, which is EAP-only authentication (RFC 5998): it needs a method that authenticates both sides, derives a key and resists dictionary attacks (RFC 5998 §4), and local auth = eap-md5, remote auth = eap-mschapv2 is not one\n  hint: use auth = eap-tls on both sides, or authenticate the gateway with a certificate: remote { auth = pubkey } on the client, local { auth = pubkey } on the gateway"),
        ("24-authentication-round.conf", "24-authentication-round.conf:4:9: error: authentication rounds ('local-2') are not supported yet\n  hint: use one section named 'local'"),
        ("25-distinguished-name-identity.conf", "25-distinguished-name-identity.conf:7:18: error: distinguished-name identities ('C=CH, O=Example, CN=gw-a') are not supported yet\n  hint: use a subjectAltName of the certificate instead, e.g. id = vpn.example.org"),
        ("26-psk-without-secret.conf", "26-psk-without-secret.conf:5:20: error: connection 'site' authenticates with a pre-shared key, but no secret names 'b.example.org'\n  hint: add secrets { ike-site { id-local = a.example.org  id-remote = b.example.org  secret = ... } }"),
        ("27-pubkey-without-certs.conf", "27-pubkey-without-certs.conf:5:20: error: connection 'site' authenticates with a public key ('auth = pubkey', the default) but its local section has no 'certs'\n  hint: add certs = NAME.pem (a file in x509/), or use auth = psk"),
        ("28-missing-certificate-file.conf", "28-missing-certificate-file.conf:6:21: error: certificate file 'x509/gw-a.pem' does not exist\n  hint: relative names are looked up in x509/"),
        ("29-remote-pubkey-without-ca.conf", "29-remote-pubkey-without-ca.conf:9:20: error: connection 'site' verifies the peer's certificate ('auth = pubkey', the default) but no CA certificate is configured\n  hint: put the CA in x509ca/ or set cacerts in the remote section, or use auth = psk"),
        ("30-start-without-remote-address.conf", "30-start-without-remote-address.conf:16:32: error: child 'net' has start_action = start but connection 'site' has no remote address to initiate to\n  hint: set remote_addrs to the peer's address or host name"),
        ("31-children-at-top-level.conf", "31-children-at-top-level.conf:1:1: error: 'children' must be inside a connection\n  hint: write connections { NAME { children { CHILD { ... } } } }"),
        ("32-invalid-traffic-selector.conf", "32-invalid-traffic-selector.conf:14:28: error: invalid subnet '10.1.0.0/33' in traffic selector\n  hint: write e.g. 10.0.0.0/24 or 2001:db8::/64"),
        ("33-unsupported-mode.conf", "33-unsupported-mode.conf:16:24: error: mode 'beet' is not supported yet\n  hint: use tunnel or transport"),
        ("34-invalid-action.conf", "34-invalid-action.conf:16:32: error: invalid value 'go' for 'start_action': expected none or start (strongSwan's clear and restart are accepted too)"),
        ("35-secret-bad-hex.conf", "35-secret-bad-hex.conf:23:36: error: invalid hex digit in 0x secret of secret 'ike-site'"),
        ("36-secret-without-identity.conf", "36-secret-without-identity.conf:21:5: error: secret 'ike-site' names no identity\n  hint: add id = PEER-ID (and id-local = OUR-ID); secrets for any identity are not supported yet"),
        ("37-unknown-secret-kind.conf", "37-unknown-secret-kind.conf:21:5: error: unknown kind of secret 'psk-site'\n  hint: a secret's name starts with its kind: ike, eap, private, rsa, ecdsa or pkcs8 (e.g. ike-psk-site)"),
        ("38-unknown-daemon-key.conf", "38-unknown-daemon-key.conf:27:5: error: unknown key 'prot' in 'cygnet'\n  hint: did you mean 'port'?"),
        ("39-log-level-out-of-range.conf", "39-log-level-out-of-range.conf:28:15: error: invalid value '5' for 'ike': expected a level from -1 (silent) to 4 (private data)"),
        ("40-empty-list-item.conf", "40-empty-list-item.conf:4:50: error: empty item in the list of 'proposals'\n  hint: remove the extra comma"),
        ("41-missing-local-section.conf", "41-missing-local-section.conf:2:5: error: connection 'site' has no 'local' section\n  hint: add local { auth = psk  id = ... } or local { auth = pubkey  certs = ... }"),
        ("42-key-without-value.conf", "42-key-without-value.conf:4:9: error: 'rekey_time' has no value\n  hint: give it a value or remove the line to keep the default"),
        ("43-ipsec-conf-strict-proposal.conf", "43-ipsec-conf-strict-proposal.conf:4:43: error: '!' after a proposal is ipsec.conf syntax\n  hint: swanctl.conf proposals are strict already: remove the '!'"),
        ("44-esp-without-integrity.conf", "44-esp-without-integrity.conf:16:33: error: an integrity algorithm is mandatory in ESP proposals with classic (non-AEAD) encryption algorithms ('aes256')\n  hint: add e.g. sha256, or use an AEAD such as aes256gcm16"),
        ("45-unknown-child-key.conf", "45-unknown-child-key.conf:16:17: error: unknown key 'local_tss' in child 'net' of connection 'site'\n  hint: did you mean 'local_ts'?"),
        ("46-pool-split-include.conf", "46-pool-split-include.conf:4:9: error: 'split_include' is a Cisco Unity attribute (IKEv1 clients) that Cygnet does not send\n  hint: announce the networks behind the gateway with subnet = ..., and set remote_ts on the clients"),
        ("47-key-at-top-level.conf", "47-key-at-top-level.conf:1:1: error: 'port' must be inside a section\n  hint: swanctl.conf settings live in connections { }, secrets { }, pools { } or cygnet { }"),
        ("48-unknown-identity-form.conf", "48-unknown-identity-form.conf:10:18: error: '%myself' is not an identity Cygnet understands\n  hint: write %any, an address, a host name or user@domain"),
        ("49-additional-key-exchange.conf", "49-additional-key-exchange.conf:4:50: error: 'ke1_mlkem768' is an additional key exchange (RFC 9370), which Cygnet does not support yet\n  hint: remove it; the proposal's other key exchange method still applies"),
        ("50-invalid-bytes.conf", "50-invalid-bytes.conf:16:31: error: invalid value '1T' for 'rekey_bytes': expected a byte count such as 500M, 1G, 64k or plain bytes"),
        ("51-key-does-not-match-certificate.conf", "51-key-does-not-match-certificate.conf:6:21: error: no private key matches the ECDSA P-256 key of certificate 'x509/left-ec.pem' of connection 'site'\n  hint: put its key in private/ (or rsa/, ecdsa/, pkcs8/), or name it in secrets { private-NAME { file = ... } }"),
        ("52-children-directly-in-connections.conf", "52-children-directly-in-connections.conf:2:5: error: 'children' must be inside a connection, not directly in 'connections'\n  hint: write connections { NAME { children { CHILD { ... } } } }"),
        ("53-keyingtries-not-supported.conf", "53-keyingtries-not-supported.conf:4:23: error: keyingtries = 3 is not supported yet: Cygnet makes one attempt (with retransmissions), like keyingtries = 1\n  hint: use keyingtries = 1, or `cygnet up` again"),
        ("60-trap-not-supported.conf", "60-trap-not-supported.conf:16:32: error: trap policies ('start_action = trap': negotiate when traffic appears) are not supported yet\n  hint: use start_action = start, with dpd_action = restart and close_action = start to keep the tunnel up"),
        ("61-dpd-timeout-ikev1-only.conf", "61-dpd-timeout-ikev1-only.conf:4:9: error: 'dpd_timeout' applies to IKEv1 only (strongSwan ignores it for IKEv2 too): a peer is found dead when a liveness check (dpd_delay) goes unanswered after every retransmission\n  hint: remove it; the retransmissions are set by cygnet { retransmit_timeout, retransmit_base, retransmit_tries }"),
        ("63-local-port-not-the-daemon-port.conf", "63-local-port-not-the-daemon-port.conf:4:9: error: connection 'site' has local_port = 4500, but cygnetd sends and receives the IKE of every connection on one port, cygnet { port } (500)\n  hint: remove local_port, or set cygnet { port = 4500 }"),
        ("64-private-key-passphrase.conf", "64-private-key-passphrase.conf:27:9: error: encrypted private keys are not supported yet: 'secret' (the passphrase of secret 'private-gw') cannot be used\n  hint: decrypt the key file (openssl pkey -in KEY -out PLAIN.key) and remove the secret"),
        ("65-log-subsystem-unused.conf", "65-log-subsystem-unused.conf:28:9: error: Cygnet logs nothing under strongSwan's subsystem 'job'\n  hint: its subsystems are dmn, cfg, ike, chd, net, knl, esp; 'default' sets the level of those not named"),
    ]

    @Test("The corpus has at least 30 cases and a test for every file")
    func corpusIsComplete() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter { $0.hasSuffix(".conf") }.sorted()
        #expect(files.count >= 30)
        #expect(files == Self.corpus.map(\.0))
    }

    @Test("Each malformed configuration fails with its exact message", arguments: corpus)
    func rejected(file: String, expected: String) {
        let report = ConfigurationLinter().lint(file: Self.directory + "/" + file)
        let text = report.findings.map(\.description).joined(separator: "\n")
            .replacingOccurrences(of: Self.directory + "/", with: "")
        #expect(text == expected)
        #expect(report.exitStatus(strict: false) == 1)
        #expect(report.findings.allSatisfy { $0.severity == .error && $0.location != nil })
    }
}
