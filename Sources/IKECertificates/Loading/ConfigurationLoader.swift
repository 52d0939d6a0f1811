import IKEConfig
import IKECore
import IKECrypto
import IKEWire

/// Reads a swanctl.conf-style file, checks it, and loads the certificates and private
/// keys it uses from swanctl's directory layout beside it:
///
/// | directory | holds | used for |
/// |---|---|---|
/// | `x509/` | end-entity certificates (PEM or DER) | `certs = NAME` |
/// | `x509ca/` | CA certificates | trust anchors; `cacerts = NAME` |
/// | `private/`, `rsa/`, `ecdsa/`, `pkcs8/` | private keys (PEM or DER) | signing; every file is loaded |
///
/// `IKEConfig` resolves the paths and checks that they exist; this type reads the bytes,
/// so `IKEConfig` stays free of I/O.
public struct ConfigurationLoader: Sendable {
    public var fileSystem: any SettingsFileSystem

    public init(fileSystem: any SettingsFileSystem = LocalFileSystem()) {
        self.fileSystem = fileSystem
    }

    /// Loads `file` and its credentials.
    ///
    /// - Throws: ``IKEConfig/ConfigurationErrors`` with every problem, each with file, line and column
    ///   (a credential file that does not parse is reported where it is named, or at its
    ///   own first line when it was found in a directory).
    public func load(file: String) throws(ConfigurationErrors) -> LoadedConfiguration {
        var configuration = try CygnetConfiguration.load(file: file, fileSystem: fileSystem)
        var errors: [ConfigurationError] = []
        for index in configuration.connections.indices {
            var chain: [[UInt8]] = []
            for reference in configuration.connections[index].local.certificates {
                switch certificates(at: reference.path) {
                case .success(let certificates): chain += certificates
                case .failure(let problem):
                    errors.append(ConfigurationError(.file, at: reference.location, "certificate '\(reference.path)' \(problem.text)"))
                }
            }
            configuration.connections[index].peer.localCertificates = chain
        }
        // Every CA is a trust anchor; a connection's `cacerts` also constrain its peers.
        var anchors: [[UInt8]] = []
        for path in fileSystem.files(inDirectory: configuration.path(of: .x509ca)) {
            switch certificates(at: path) {
            case .success(let certificates):
                for certificate in certificates where !anchors.contains(certificate) { anchors.append(certificate) }
            case .failure(let problem):
                errors.append(ConfigurationError(.file, at: Self.start(of: path), "CA certificate '\(path)' \(problem.text)"))
            }
        }
        for index in configuration.connections.indices {
            var authorities: [CertificateAuthority] = []
            for reference in configuration.connections[index].remote.certificateAuthorities {
                switch certificates(at: reference.path) {
                case .success(let certificates):
                    for certificate in certificates {
                        if !anchors.contains(certificate) { anchors.append(certificate) }
                        guard let authority = CertificateValidator.certificateAuthority(der: certificate) else {
                            errors.append(ConfigurationError(
                                .file, at: reference.location, "CA certificate '\(reference.path)' is not an X.509 certificate"))
                            continue
                        }
                        authorities.append(authority)
                    }
                case .failure(let problem):
                    errors.append(ConfigurationError(
                        .file, at: reference.location, "CA certificate '\(reference.path)' \(problem.text)"))
                }
            }
            configuration.connections[index].peer.remoteCertificateAuthorities = authorities
        }
        var keys: [LoadedPrivateKey] = []
        var keyPaths: [(path: String, location: SourceLocation)] = CredentialDirectory.privateKeyDirectories.flatMap { directory in
            fileSystem.files(inDirectory: configuration.path(of: directory)).map { (path: $0, location: Self.start(of: $0)) }
        }
        for secret in configuration.privateKeySecrets {
            if let file = secret.file, !keyPaths.contains(where: { $0.path == file.path }) {
                keyPaths.append((file.path, file.location))
            }
        }
        for (path, location) in keyPaths {
            guard let bytes = fileSystem.contents(ofFile: path) else {
                errors.append(ConfigurationError(.file, at: location, "cannot read private key '\(path)'"))
                continue
            }
            do {
                let key: PrivateKey
                if let text = Self.pemText(bytes) {
                    key = try PrivateKey(pemRepresentation: text)
                } else {
                    key = try PrivateKey(derRepresentation: bytes)
                }
                keys.append(LoadedPrivateKey(path: path, key: key))
            } catch {
                errors.append(ConfigurationError(.file, at: location, "private key '\(path)' cannot be used: \(error)"))
            }
        }
        // Our certificate signs AUTH (auth = pubkey) or the TLS handshake (auth = eap-tls).
        for connection in configuration.connections
        where connection.local.authentication == .publicKey || connection.local.authentication == .eap(.method(.tls)) {
            guard let reference = connection.local.certificates.first, let publicKey = leafKey(at: reference.path) else {
                continue
            }
            if !keys.contains(where: { Self.key($0.key, matches: publicKey) }) {
                errors.append(
                    ConfigurationError(
                        .inconsistent, at: reference.location,
                        "no private key matches the \(publicKey.keyType) key of certificate '\(reference.path)' of connection '\(connection.name)'",
                        hint: "put its key in \(configuration.path(of: .private))/ (or rsa/, ecdsa/, pkcs8/), or name it in secrets { private-NAME { file = ... } }"))
            }
            guard connection.local.authentication == .publicKey else { continue }
            // local { auth = rsa/pss } with an ECDSA certificate could never sign.
            let constraints = connection.local.signatureConstraints
            if (try? constraints.signingScheme(for: publicKey.keyType, peerHashes: .cygnetDefault)) == nil {
                errors.append(
                    ConfigurationError(
                        .inconsistent, at: connection.local.authenticationLocation ?? reference.location,
                        "local auth = \(constraints.text) of connection '\(connection.name)' allows no signature with the \(publicKey.keyType) key of certificate '\(reference.path)'",
                        hint: "name the key type of the certificate (e.g. auth = \(Self.keyword(for: publicKey.keyType))), or use a certificate of the type auth names"))
            }
        }
        guard errors.isEmpty else { throw ConfigurationErrors(errors) }
        return LoadedConfiguration(configuration: configuration, privateKeys: keys, trustAnchors: anchors)
    }

    /// The `auth` key type for a key.
    private static func keyword(for keyType: KeyType) -> String {
        switch keyType {
        case .rsa: "rsa"
        case .p256, .p384, .p521: "ecdsa"
        case .ed25519: "ed25519"
        }
    }

    /// The DER certificates in a PEM or DER file.
    private func certificates(at path: String) -> Result<[[UInt8]], LoadProblem> {
        guard let bytes = fileSystem.contents(ofFile: path) else { return .failure(LoadProblem("cannot be read")) }
        if let text = Self.pemText(bytes) {
            do {
                let certificates = try CertificateValidator.derCertificates(pem: text)
                guard !certificates.isEmpty else { return .failure(LoadProblem("holds no CERTIFICATE block")) }
                return .success(certificates)
            } catch {
                return .failure(LoadProblem("is not a PEM certificate: \(error)"))
            }
        }
        // DER: an X.509 Certificate is a SEQUENCE.
        guard bytes.first == 0x30, bytes.count > 64 else { return .failure(LoadProblem("is neither PEM nor a DER certificate")) }
        return .success([bytes])
    }

    /// The public key of the first certificate of a PEM file; `nil` for DER files and
    /// files that do not parse (reported elsewhere).
    private func leafKey(at path: String) -> PublicKey? {
        guard let bytes = fileSystem.contents(ofFile: path), let text = Self.pemText(bytes),
            let leaf = try? CertificateValidator.certificates(pem: text).first
        else { return nil }
        return try? CertificateValidator.publicKey(of: leaf)
    }

    /// Whether `key` is the private half of `publicKey`: it signs a probe that
    /// `publicKey` verifies, as the peer will verify our AUTH payload.
    public static func key(_ key: PrivateKey, matches publicKey: PublicKey) -> Bool {
        guard key.keyType == publicKey.keyType else { return false }
        let probe = Array("cygnet key and certificate match".utf8)
        var random = SystemRandomSource()
        guard
            let scheme = try? SignatureScheme.preferred(
                for: key.keyType, peerHashes: SignatureHashAlgorithms([.sha2_256, .sha2_384, .sha2_512, .identity])),
            let signature = try? key.sign(octets: probe, scheme: scheme, random: &random)
        else { return false }
        return (try? AuthenticationVerifier.verify(
            octets: probe, authMethod: signature.method, authData: signature.data, publicKey: publicKey)) != nil
    }

    /// The text of a file that looks like PEM.
    static func pemText(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.contains("-----BEGIN ") ? text : nil
    }

    static func start(of path: String) -> SourceLocation { SourceLocation(file: path, line: 1, column: 1) }
}

/// Why a credential file could not be used.
struct LoadProblem: Error {
    var text: String
    init(_ text: String) { self.text = text }
}
