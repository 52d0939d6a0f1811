import IKECrypto
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOSSL
import NIOTLS

/// One side of a TLS 1.2 handshake run in memory: swift-nio-ssl's handler in an
/// `EmbeddedChannel`, fed the peer's TLS records and drained of its own. No socket, no
/// clock; the channel lives as long as the conversation.
///
/// TLS 1.2 only, with suites whose PRF is SHA-256, so that the MSK is RFC 5216 §2.3's
/// `TLS-PRF-128(master_secret, "client EAP encryption", client.random || server.random)`:
/// swift-nio-ssl exports no keying material, so the master secret comes from its key log
/// (NSS format, `CLIENT_RANDOM`) and the server random from the ServerHello that passes
/// through here.
///
/// The key log's lines are kept as ``SecretBytes`` and dropped (zeroed) once the MSK is
/// derived, so the master secret outlives the handshake only inside swift-nio-ssl.
///
/// The channel is never closed: closing would start a TLS shutdown that waits for the
/// other side's close_notify, which EAP does not carry. It is simply released.
final class TLSEndpoint {
    private let channel: EmbeddedChannel
    private let observer: TLSObserver
    private let keyLog: NIOLockedValueBox<[SecretBytes]>
    private let isServer: Bool
    private var serverRandom: [UInt8]?

    init(configuration: EAPTLSConfiguration, isServer: Bool) throws(EAPFailure) {
        self.isServer = isServer
        let keyLog = NIOLockedValueBox<[SecretBytes]>([])
        self.keyLog = keyLog
        observer = TLSObserver()
        do {
            let chain = try NIOSSLCertificate.fromPEMBytes(configuration.certificateChainPEM)
            let key = try configuration.privateKeyPEM.withUnsafeBytes {
                try NIOSSLPrivateKey(bytes: Array($0), format: .pem)
            }
            let roots = try NIOSSLCertificate.fromPEMBytes(configuration.trustedRootsPEM)
            var tls =
                isServer
                ? TLSConfiguration.makeServerConfiguration(
                    certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
                : TLSConfiguration.makeClientConfiguration()
            if !isServer {
                tls.certificateChain = chain.map { .certificate($0) }
                tls.privateKey = .privateKey(key)
            }
            tls.minimumTLSVersion = .tlsv12
            tls.maximumTLSVersion = .tlsv12
            tls.cipherSuites = Self.cipherSuites
            // Both sides prove themselves with a certificate (RFC 5216 §2.1.1); names are
            // the caller's to match (the EAP identity, the gateway's name).
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(roots)
            tls.keyLogCallback = { line in keyLog.withLockedValue { $0.append(SecretBytes(line.readableBytesView)) } }
            let context = try NIOSSLContext(configuration: tls)
            let handler: any ChannelHandler =
                isServer
                ? NIOSSLServerHandler(context: context)
                : try NIOSSLClientHandler(context: context, serverHostname: nil)
            channel = EmbeddedChannel(handlers: [handler, observer])
            // The client speaks first: activating its channel writes the ClientHello.
            channel.pipeline.fireChannelActive()
        } catch {
            throw EAPFailure(.tlsFailed, "TLS setup: \(error)")
        }
    }

    /// The suites offered and accepted: ECDHE with AES-GCM or ChaCha20-Poly1305, whose
    /// TLS 1.2 PRF is SHA-256 (RFC 5246 §5, RFC 5289, RFC 7905).
    static let cipherSuites =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    /// Whether the handshake finished on this side.
    var isComplete: Bool { observer.isComplete }

    /// Gives the peer's records to TLS; returns what TLS wants sent back.
    func receive(_ records: [UInt8]) throws(EAPFailure) -> [UInt8] {
        if !isServer { noteServerRandom(records) }
        do {
            try channel.writeInbound(ByteBuffer(bytes: records))
        } catch {
            throw EAPFailure(.tlsFailed, "\(error)")
        }
        if let error = observer.error { throw EAPFailure(.tlsFailed, "\(error)") }
        return try drain()
    }

    /// What TLS has written so far (the client's first flight after setup).
    func drain() throws(EAPFailure) -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
                bytes += Array(buffer.readableBytesView)
            }
        } catch {
            throw EAPFailure(.tlsFailed, "\(error)")
        }
        if isServer { noteServerRandom(bytes) }
        return bytes
    }

    /// The peer's certificate chain in DER, leaf first, once the handshake is done.
    var peerCertificate: [UInt8]? {
        guard isComplete, let handler = try? channel.pipeline.syncOperations.handler(type: NIOSSLHandler.self)
        else { return nil }
        return try? handler.peerCertificate?.toDERBytes()
    }

    /// The MSK (RFC 5216 §2.3): the first 64 octets of
    /// TLS-PRF-128(master_secret, "client EAP encryption", client.random || server.random).
    /// The key log is dropped afterwards: a second call fails.
    func msk() throws(EAPFailure) -> SecretBytes {
        defer { keyLog.withLockedValue { $0.removeAll() } }
        guard isComplete, let serverRandom, let (clientRandom, masterSecret) = masterSecret() else {
            throw EAPFailure(.tlsFailed, "no key material")
        }
        let keyMaterial = try TLSPRF.sha256(
            secret: masterSecret, label: "client EAP encryption", seed: clientRandom + serverRandom, count: 128)
        return keyMaterial[0..<64]
    }

    /// The client random and master secret from the key log's `CLIENT_RANDOM` line (NSS
    /// format: the label, 32 octets and 48 octets in hex), the secret decoded straight
    /// into ``SecretBytes``.
    private func masterSecret() -> ([UInt8], SecretBytes)? {
        for line in keyLog.withLockedValue({ $0 }) {
            let found: ([UInt8], SecretBytes)? = line.withUnsafeBytes { bytes in
                let fields = bytes.split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }
                guard fields.count == 3, Array(fields[0]) == Array("CLIENT_RANDOM".utf8),
                    let random = HexDigits.bytes(Array(fields[1])), random.count == 32, fields[2].count == 96
                else { return nil }
                var decoded = false
                let secret = SecretBytes(count: 48) { decoded = HexDigits.decode(fields[2], into: $0) }
                return decoded ? (random, secret) : nil
            }
            if let found { return found }
        }
        return nil
    }

    /// Keeps the server random from the ServerHello at the start of the server's first
    /// flight: record header (5), handshake header (4), version (2), random (32).
    private func noteServerRandom(_ records: [UInt8]) {
        guard serverRandom == nil, records.count >= 43, records[0] == 22, records[5] == 2 else { return }
        serverRandom = Array(records[11..<43])
    }
}

/// Notes the handshake's end and any error, behind swift-nio-ssl's handler.
private final class TLSObserver: ChannelInboundHandler, @unchecked Sendable {
    // Touched only on the embedded channel's loop, which is this thread.
    typealias InboundIn = ByteBuffer

    var isComplete = false
    var error: (any Error)?

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { isComplete = true }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.error = error
    }
}
