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
    public init(_ loaded: LoadedConfiguration, engineCount: Int) {
        let configuration = loaded.configuration
        var keys: [IKEIdentity: PrivateKey] = [:]
        var connections = configuration.connections
        for index in connections.indices {
            var peer = connections[index].peer
            guard let leaf = peer.localCertificates.first else { continue }
            peer.localCertificates = LocalCertificateChain.chain(
                leaf: leaf, candidates: Array(peer.localCertificates.dropFirst()) + loaded.trustAnchors)
            if let publicKey = LocalCertificateChain.publicKey(of: leaf),
                let match = loaded.privateKeys.first(where: { ConfigurationLoader.key($0.key, matches: publicKey) })
            {
                keys[peer.localIdentity] = match.key
            }
            connections[index].peer = peer
        }
        self.init(
            connections: connections, preSharedKeys: configuration.preSharedKeys, settings: configuration.daemon,
            signer: LocalSigner(keys: keys),
            validator: loaded.trustAnchors.isEmpty ? nil : CertificateValidator(trustAnchorsDER: loaded.trustAnchors),
            engineCount: engineCount)
        pools = configuration.pools
        eapSecrets = configuration.eapSecrets
    }
}
