import CCygnetNet
import Foundation
import IKECore
import IKECrypto
import IKEWire
import NIOConcurrencyHelpers

/// The opt-in key log (`cygnet { key_log = FILE }`): for each Child SA installed, one
/// line per direction in the format of Wireshark's `esp_sa` table (8 quoted fields:
/// protocol, source, destination, SPI, encryption, its key, authentication, its key), so
/// `tshark -o esp.enable_encryption_decode:TRUE -o 'uat:esp_sa:LINE'` decrypts the ESP.
///
/// This file holds traffic keys: it is for debugging only, and nobody but the daemon's
/// user may read it. An existing file is reused (appended to) when it is a regular file
/// of the daemon's user with no other link, and set to mode 0600; a new one is created
/// 0600. A symlink at the path is refused rather than followed, so the path cannot be
/// turned into a way to write keys elsewhere or re-mode another file; nor does a FIFO
/// there block the daemon. Nothing else in Cygnet ever writes a key (no secret ever goes
/// to a log).
final class KeyLog: Sendable {
    let path: String
    private let handle: NIOLockedValueBox<FileHandle>

    init(path: String) throws(DaemonError) {
        // O_NOFOLLOW: a symlink as the last component fails with ELOOP; O_NONBLOCK: the
        // open of a FIFO does not wait for a reader (a regular file ignores the flag).
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard fd >= 0 else {
            let error = errno
            switch error {
            case ELOOP:
                throw DaemonError(.unsafeKeyLog, "key_log \(path) is a symbolic link, which is not followed; give the path of the file itself")
            case ENXIO:
                // A FIFO (or a device) with nobody at the other end.
                throw DaemonError(.unsafeKeyLog, "key_log \(path) is not a regular file; give the path of a file")
            default:
                throw DaemonError("cannot open key_log \(path): \(PacketSocket.errorText(error))")
            }
        }
        do throws(DaemonError) {
            try Self.checkPrivate(fd, path: path)
        } catch {
            close(fd)
            throw error
        }
        self.path = path
        handle = NIOLockedValueBox(FileHandle(fileDescriptor: fd, closeOnDealloc: true))
    }

    /// Checks that the open file is a regular file of this user with one link, and sets
    /// its mode to 0600.
    private static func checkPrivate(_ fd: Int32, path: String) throws(DaemonError) {
        var status = cyg_file_status()
        let result = cyg_fd_status(fd, &status)
        guard result == 0 else { throw DaemonError("cannot check key_log \(path): \(PacketSocket.errorText(-result))") }
        guard status.mode & UInt32(S_IFMT) == UInt32(S_IFREG) else {
            throw DaemonError(.unsafeKeyLog, "key_log \(path) is not a regular file; give the path of a file")
        }
        guard status.links == 1 else {
            throw DaemonError(.unsafeKeyLog, "key_log \(path) has \(status.links) hard links; remove it, or give another path")
        }
        guard status.uid == geteuid() else {
            throw DaemonError(.unsafeKeyLog, "key_log \(path) belongs to uid \(status.uid), not to cygnetd's user; remove it, or give another path")
        }
        guard status.mode & 0o7777 != 0o600 else { return }
        guard fchmod(fd, 0o600) == 0 else {
            throw DaemonError("cannot set key_log \(path) to mode 0600: \(PacketSocket.errorText(errno))")
        }
    }

    func record(_ installation: ChildSAInstallation) {
        let lines = Self.lines(installation).joined(separator: "\n") + "\n"
        handle.withLockedValue { $0.write(Data(lines.utf8)) }
    }

    /// The two `esp_sa` lines of a Child SA: the peer's packets to us under the inbound
    /// keys, ours to it under the outbound ones.
    static func lines(_ installation: ChildSAInstallation) -> [String] {
        let family = installation.localAddress.address.count == 4 ? "IPv4" : "IPv6"
        let local = IPAddressText.format(installation.localAddress.address)
        let remote = IPAddressText.format(installation.remoteAddress.address)
        let encryption = encryptionName(installation)
        let integrity = installation.integrity.map(integrityName) ?? "NULL"
        func line(_ source: String, _ destination: String, _ spi: UInt32, _ key: SecretBytes, _ integrityKey: SecretBytes)
            -> String
        {
            let integrityHex = integrityKey.count == 0 ? "" : "0x" + integrityKey.withUnsafeBytes { HexText.string($0) }
            return [family, source, destination, "0x" + HexText.string(spi), encryption, "0x" + key.withUnsafeBytes { HexText.string($0) },
                    integrity, integrityHex].map { "\"\($0)\"" }.joined(separator: ",")
        }
        return [
            line(remote, local, installation.inboundSPI, installation.inboundEncryptionKey, installation.inboundIntegrityKey),
            line(local, remote, installation.outboundSPI, installation.outboundEncryptionKey, installation.outboundIntegrityKey),
        ]
    }

    /// Wireshark's names (packet-esp.c). Wireshark 4.0 has no ChaCha20-Poly1305 for ESP;
    /// later releases call it "ChaCha20 with Poly1305 [RFC7634]".
    static func encryptionName(_ installation: ChildSAInstallation) -> String {
        switch installation.encryption {
        case .aesGCM8: "AES-GCM with 8 octet ICV [RFC4106]"
        case .aesGCM12: "AES-GCM with 12 octet ICV [RFC4106]"
        case .aesGCM16: "AES-GCM with 16 octet ICV [RFC4106]"
        case .aesCBC: "AES-CBC [RFC3602]"
        case .aesCTR: "AES-CTR [RFC3686]"
        case .chacha20Poly1305: "ChaCha20 with Poly1305 [RFC7634]"
        case .tripleDES: "TripleDES-CBC [RFC2451]"
        case .null: "NULL"
        default: "\(installation.encryption)"
        }
    }

    static func integrityName(_ id: IntegrityAlgorithmID) -> String {
        switch id {
        case .hmacSHA1_96: "HMAC-SHA-1-96 [RFC2404]"
        case .hmacSHA2_256_128: "HMAC-SHA-256-128 [RFC4868]"
        case .hmacSHA2_384_192: "HMAC-SHA-384-192 [RFC4868]"
        case .hmacSHA2_512_256: "HMAC-SHA-512-256 [RFC4868]"
        default: "\(id)"
        }
    }
}
