import IKECrypto

/// One direction of an ESP SA (RFC 4303): its SPI, keyed transforms, and sequence-number
/// state — the counter for an outbound SA, the anti-replay window for an inbound one.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |               Security Parameters Index (SPI)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      Sequence Number                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    IV (per transform)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                    Payload Data (variable)                    ~
/// +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |               |     Padding (0-255 bytes)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                               |  Pad Length   | Next Header   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Integrity Check Value (ICV, variable)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// (RFC 4303 §2, Figure 1.)
///
/// The type is sans-I/O: it draws no randomness and reads no clock. IVs are derived from
/// the sequence number, which never repeats under one key: the counter itself for AES-GCM,
/// ChaCha20-Poly1305 and AES-CTR (RFC 4106 §3.1, RFC 7634 §2, RFC 3686 §3.1 ask only
/// for uniqueness), and the counter block encrypted under the SA's key for CBC modes,
/// which makes it unpredictable as RFC 3602 §2.3 requires (NIST SP 800-38A Appendix C).
///
/// `seal` and `open` work in place on caller-provided buffers and do not allocate.
public struct ESPSecurityAssociation: Sendable {
    /// The SPI carried in every packet of this SA.
    public let spi: UInt32
    /// Whether 64-bit extended sequence numbers were negotiated (RFC 4303 §2.2.1).
    public let usesExtendedSequenceNumbers: Bool
    /// Bytes of IV after the sequence number.
    public let ivLength: Int
    /// Bytes of ICV at the end of each packet.
    public let icvLength: Int
    /// Plaintext (payload, padding, Pad Length, Next Header) is padded to a multiple of
    /// this: the cipher block size, and at least 4 (RFC 4303 §2.4).
    public let alignment: Int
    /// The sequence number of the last packet sealed (0 before the first).
    public internal(set) var lastSequenceNumber: UInt64
    /// The inbound anti-replay window (RFC 4303 §3.4.3).
    public internal(set) var replayWindow: ESPReplayWindow
    /// The bytes and packets this SA carried, against its soft and hard lifetimes
    /// (RFC 4301 §4.4.2.1). Once it is hard-expired, ``seal(payload:nextHeader:into:)`` and
    /// ``open(_:)-(UnsafeMutableRawBufferPointer)`` refuse with ``ESPError/Code/lifetimeExpired``.
    public internal(set) var lifetime: ESPLifetimeCounter
    /// Limits reached since the last ``pollLifetimeCrossing()``.
    var pendingLifetimeCrossing: ESPLifetimeCounter.Crossing = []

    let protection: ESPProtection
    let blockSize: Int

    /// Bytes before the payload: SPI, sequence number and IV.
    public var headerLength: Int { 8 + ivLength }

    /// The highest sequence number this SA may send: RFC 4303 §3.3.3, "the sender MUST
    /// NOT send a packet on an SA if doing so would cause the Sequence Number to cycle."
    public var maximumSequenceNumber: UInt64 {
        usesExtendedSequenceNumbers ? UInt64.max : UInt64(UInt32.max)
    }

    /// Keys an SA.
    ///
    /// - Parameters:
    ///   - spi: the SPI of this SA (the receiver's choice, RFC 4303 §2.1).
    ///   - encryption: the encryption transform, as IKECrypto's `CryptoProvider` resolves it.
    ///   - encryptionKey: its key material (for AEADs and AES-CTR, with the 4-byte salt
    ///     or nonce at the end: RFC 4106 §8.1, RFC 7634 §2, RFC 3686 §5.1).
    ///   - integrity: the integrity transform; required with a plain cipher, `nil` with an
    ///     AEAD (RFC 4303 §3.2: combined-mode algorithms provide their own integrity).
    ///   - integrityKey: its key; empty with an AEAD.
    ///   - usesExtendedSequenceNumbers: whether ESN was negotiated.
    ///   - replayWindowSize: packets the inbound window covers (default 1024).
    ///   - lifetimeLimits: soft and hard byte and packet lifetimes (none by default).
    /// - Throws: ``ESPError/Code/invalidConfiguration`` for NULL without integrity, an AEAD
    ///   with a separate integrity transform, or keys of the wrong length.
    public init(
        spi: UInt32, encryption: EncryptionAlgorithm, encryptionKey: SecretBytes,
        integrity: (any IntegrityAlgorithm)?, integrityKey: SecretBytes,
        usesExtendedSequenceNumbers: Bool, replayWindowSize: Int = ESPReplayWindow.defaultSize,
        lifetimeLimits: ESPLifetimeCounter.Limits = .unlimited
    ) throws(ESPError) {
        do {
            switch encryption {
            case .aead(let aead):
                guard integrity == nil else {
                    throw ESPError(.invalidConfiguration, "an AEAD takes no separate integrity transform")
                }
                guard aead.ivLength == 8 else { throw ESPError(.invalidConfiguration, "AEAD IV must be 8 bytes") }
                let context = try aead.makeContext(keyMaterial: encryptionKey)
                protection = .aead(context)
                ivLength = aead.ivLength
                icvLength = context.icvLength
                blockSize = 1
            case .cipher(let cipher):
                // RFC 4303 §3.2: ESP "MUST NOT" be configured with neither confidentiality
                // nor integrity; Cygnet requires integrity with every plain cipher.
                guard let integrity else {
                    throw ESPError(.invalidConfiguration, "a cipher needs an integrity transform")
                }
                let context = try cipher.makeContext(key: encryptionKey)
                let integrityContext = try integrity.makeContext(key: integrityKey)
                guard (4...64).contains(integrityContext.icvLength) else {
                    throw ESPError(.invalidConfiguration, "ICV length \(integrityContext.icvLength) not supported")
                }
                guard cipher.blockSize <= 1 || cipher.ivLength == cipher.blockSize else {
                    throw ESPError(.invalidConfiguration, "block cipher IV must be one block")
                }
                protection = .cipher(context, blockSize: cipher.blockSize, integrity: integrityContext)
                ivLength = cipher.ivLength
                icvLength = integrityContext.icvLength
                blockSize = max(cipher.blockSize, 1)
            }
        } catch let error as IKECryptoError {
            throw ESPError(.invalidConfiguration, "\(error)")
        } catch let error as ESPError {
            throw error
        } catch {
            throw ESPError(.invalidConfiguration)
        }
        guard blockSize <= 255, ivLength <= 64 else {
            throw ESPError(.invalidConfiguration, "block or IV too large")
        }
        // RFC 4303 §2.4: "the Padding field is used to ensure that the resulting
        // ciphertext terminates on a 4-byte boundary."
        alignment = blockSize % 4 == 0 ? blockSize : blockSize * 4 / gcd(blockSize, 4)
        self.spi = spi
        self.usesExtendedSequenceNumbers = usesExtendedSequenceNumbers
        lastSequenceNumber = 0
        replayWindow = ESPReplayWindow(size: replayWindowSize, usesExtendedSequenceNumbers: usesExtendedSequenceNumbers)
        lifetime = ESPLifetimeCounter(limits: lifetimeLimits)
    }

    /// The lifetime limits reached since the last call, for the host to act on: rekey on
    /// ``ESPLifetimeCounter/Crossing/soft``, delete the SA on
    /// ``ESPLifetimeCounter/Crossing/hard``. Each limit is reported once.
    public mutating func pollLifetimeCrossing() -> ESPLifetimeCounter.Crossing {
        defer { pendingLifetimeCrossing = [] }
        return pendingLifetimeCrossing
    }

    /// Counts a packet whose ciphertext (payload, padding and trailer) is `bytes` long.
    @inline(__always)
    mutating func countLifetime(bytes: Int) {
        let crossing = lifetime.record(bytes: bytes)
        if !crossing.isEmpty { pendingLifetimeCrossing.formUnion(crossing) }
    }

    /// Throws ``ESPError/Code/lifetimeExpired`` once a hard lifetime was reached:
    /// RFC 4301 §4.4.2.1 (b), the hard lifetime is "when the current SA ends and is
    /// destroyed".
    @inline(__always)
    func checkLifetime() throws(ESPError) {
        guard !lifetime.isHardExpired else {
            throw ESPError(.lifetimeExpired, "SPI \(spi) reached its hard lifetime (\(lifetime.bytes) bytes, \(lifetime.packets) packets)")
        }
    }

    /// The padding a payload of `payloadLength` bytes gets.
    @inline(__always)
    public func paddingLength(payloadLength: Int) -> Int {
        // Every alignment Cygnet makes (4, 8, 16) is a power of two: a mask, no division.
        if alignment & (alignment &- 1) == 0 { return (0 &- (payloadLength &+ 2)) & (alignment &- 1) }
        return (alignment - (payloadLength + 2) % alignment) % alignment
    }

    /// The length of the packet that ``seal(payload:nextHeader:into:)`` makes from a
    /// payload of `payloadLength` bytes.
    public func sealedLength(payloadLength: Int) -> Int {
        headerLength + payloadLength + paddingLength(payloadLength: payloadLength) + 2 + icvLength
    }
}

private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

/// Big-endian loads and stores on raw buffers (unaligned).
extension UnsafeMutableRawBufferPointer {
    func storeBigEndian(_ value: UInt32, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
    }

    func storeBigEndian(_ value: UInt64, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
    }

    func loadBigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    func slice(_ range: Range<Int>) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: self[range])
    }
}

/// 64 bytes on the stack, for an ICV or an IV of zeros, so no packet allocates.
func withStackScratch<Result>(_ body: (UnsafeMutableRawBufferPointer) -> Result) -> Result {
    var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    return withUnsafeMutableBytes(of: &scratch) { body($0) }
}
