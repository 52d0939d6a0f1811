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
        let settings = configuration.daemon
        let validator = loaded.trustAnchors.isEmpty ? nil : CertificateValidator(trustAnchorsDER: loaded.trustAnchors)
        var engine = IKEEngineConfiguration(
            peers: [], preSharedKeys: configuration.preSharedKeys,
            provider: configuration.requiresLegacyTransforms ? CryptoProvider.default.addingLegacyTransforms() : .default,
            retransmission: RetransmissionPolicy(
                timeout: settings.retransmitTimeout, base: settings.retransmitBase, tries: settings.retransmitTries),
            halfOpenTimeout: settings.halfOpenTimeout)
        engine.windowSize = settings.windowSize
        engine.fragmentation.fragmentSize = settings.fragmentSize
        engine.cookieThreshold = settings.cookieThreshold
        engine.maximumHalfOpenSAsPerAddress = settings.blockThreshold
        engine.maximumHalfOpenSAs = settings.halfOpenLimit
        engine.certificateAuthorityKeyHashes = validator?.certificateRequestHashes ?? []
        var keys: [IKEIdentity: PrivateKey] = [:]
        engine.peers = configuration.connections.map { connection in
            var peer = connection.peer
            guard let leaf = peer.localCertificates.first else { return peer }
            peer.localCertificates = LocalCertificateChain.chain(
                leaf: leaf, candidates: Array(peer.localCertificates.dropFirst()) + loaded.trustAnchors)
            if let publicKey = LocalCertificateChain.publicKey(of: leaf),
                let match = loaded.privateKeys.first(where: { ConfigurationLoader.key($0.key, matches: publicKey) })
            {
                keys[peer.localIdentity] = match.key
            }
            // send_cert = never: the peer has our certificate already.
            if connection.sendCertificate == .never { peer.localCertificates = [] }
            return peer
        }
        self.init(
            engine: engine,
            connections: configuration.connections.map { connection in
                DaemonConnection(
                    name: connection.name,
                    localAddresses: connection.localAddresses.filter(\.isSingleHost).map(\.description),
                    remoteAddresses: connection.remoteAddresses.filter(\.isSingleHost).map(\.description),
                    remotePort: connection.remotePort,
                    startAction: connection.children.contains { $0.startAction == .start } ? .start : .none)
            },
            signer: LocalSigner(keys: keys), validator: validator)
        listenAddresses = settings.listenAddresses.map(\.description)
        ikePort = settings.port
        natTraversalPort = settings.natTraversalPort
        controlSocketPath = settings.controlSocket
        metricsAddress = settings.metricsAddress
        tunName = settings.dataPlane ? settings.tunName : nil
        tunMTU = settings.tunMTU
        keyLogPath = settings.keyLog
        natKeepaliveInterval = settings.natKeepaliveInterval > .zero ? settings.natKeepaliveInterval : nil
        self.engineCount = engineCount
    }

}
