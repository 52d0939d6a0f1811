import EAPCore
import IKECertificates
import IKEConfig
import IKECore
import IKECrypto

extension DaemonConfiguration {
    /// What `cygnetd` runs with, from a configuration file and its swanctl credentials.
    ///
    /// - Each connection sends its certificate followed by the intermediate CAs of
    ///   `x509ca/` that issued it (not the self-signed root), as strongSwan does when the
    ///   peer's CERTREQ does not name them.
    /// - Each connection's private key is the loaded key that matches its certificate.
    /// - A connection that may run EAP-TLS uses them for TLS too (``EAPTLSCredentials``).
    public init(_ loaded: LoadedConfiguration, engineCount: Int) {
        let configuration = loaded.configuration
        var keys: [IKEIdentity: PrivateKey] = [:]
        var eapTLS: [String: EAPTLSConfiguration] = [:]
        var connections = configuration.connections
        for index in connections.indices {
            var peer = connections[index].peer
            guard let leaf = peer.localCertificates.first else { continue }
            peer.localCertificates = LocalCertificateChain.chain(
                leaf: leaf, candidates: Array(peer.localCertificates.dropFirst()) + loaded.trustAnchors)
            let key = LocalCertificateChain.publicKey(of: leaf).flatMap { publicKey in
                loaded.privateKeys.first(where: { ConfigurationLoader.key($0.key, matches: publicKey) })?.key
            }
            if let key { keys[peer.localIdentity] = key }
            eapTLS[peer.name] = EAPTLSCredentials.configuration(for: peer, key: key, trustAnchors: loaded.trustAnchors)
            connections[index].peer = peer
        }
        self.init(
            connections: connections, preSharedKeys: configuration.preSharedKeys, settings: configuration.daemon,
            signer: LocalSigner(keys: keys),
            validator: loaded.trustAnchors.isEmpty ? nil : CertificateValidator(trustAnchorsDER: loaded.trustAnchors),
            engineCount: engineCount)
        pools = configuration.pools
        eapSecrets = configuration.eapSecrets
        self.eapTLS = eapTLS
    }
}
