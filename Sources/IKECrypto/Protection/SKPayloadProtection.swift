import IKEWire
import NIOCore

/// Encrypts and authenticates the payloads of an IKE message into its SK or SKF payload,
/// and checks and decrypts them on receipt (RFC 7296 §3.14, RFC 5282 for AEADs,
/// RFC 7383 §2.5 for fragments).
///
/// One value per direction of an IKE SA: it holds keyed contexts built once from SK_e
/// and SK_a of that direction.
public struct SKPayloadProtection: Sendable {
    enum Mode: Sendable {
        case cipher(any CipherContext, ivLength: Int, blockSize: Int, integrity: any IntegrityContext)
        case aead(any AEADContext, ivLength: Int)
    }

    let mode: Mode

    /// - Parameters:
    ///   - encryptionKey: SK_ei or SK_er (salt included for an AEAD).
    ///   - integrityKey: SK_ai or SK_ar; `nil` with an AEAD.
    public init(
        encryption: EncryptionAlgorithm, encryptionKey: SecretBytes, integrity: (any IntegrityAlgorithm)?,
        integrityKey: SecretBytes?
    ) throws(IKECryptoError) {
        switch encryption {
        case .aead(let aead):
            // RFC 5282 §8: with a combined-mode cipher "the integrity transform ... MUST
            // be either omitted or NONE".
            guard integrity == nil else {
                throw IKECryptoError(.invalidParameter, "\(aead.id) is an AEAD: no integrity transform may be used")
            }
            mode = .aead(try aead.makeContext(keyMaterial: encryptionKey), ivLength: aead.ivLength)
        case .cipher(let cipher):
            // RFC 7296 §3.3.2 lists ENCR_NULL as not allowed for IKE: SK payloads are
            // always encrypted.
            guard cipher.id != .null else {
                throw IKECryptoError(.unsupportedTransform, "ENCR_NULL is for ESP only, never for IKE")
            }
            guard let integrity, let integrityKey else {
                throw IKECryptoError(.invalidParameter, "\(cipher.id) needs an integrity transform")
            }
            mode = .cipher(
                try cipher.makeContext(key: encryptionKey), ivLength: cipher.ivLength, blockSize: cipher.blockSize,
                integrity: try integrity.makeContext(key: integrityKey))
        }
    }

    /// Bytes the SK payload adds around the plaintext, not counting padding: IV and ICV.
    public var overhead: Int {
        switch mode {
        case .cipher(_, let ivLength, _, let integrity): ivLength + integrity.icvLength
        case .aead(let context, let ivLength): ivLength + context.icvLength
        }
    }

    /// The block size the plaintext (payloads, padding and Pad Length) is padded to: the
    /// cipher's block size, or 1 for an AEAD, whose plaintext needs no alignment.
    public var blockSize: Int {
        switch mode {
        case .cipher(_, _, let blockSize, _): blockSize
        case .aead: 1
        }
    }

    /// Builds the whole message: `header` (its Next Payload and Length are set here), the
    /// `plain` payloads that stay outside the encryption (none in IKEv2 today), and an SK
    /// payload (or SKF, when `fragment` is given) protecting `inner`, whose first payload
    /// type is `innerFirstPayload`.
    ///
    /// - Parameters:
    ///   - inner: the encoded inner payload chain (``IKEPayload/encodeChain(_:to:)``).
    ///   - fragment: fragment number and total for an SKF payload (RFC 7383); fragments
    ///     after the first carry zero in Next Payload whatever `innerFirstPayload` says.
    public func seal(
        header: IKEHeader, innerFirstPayload: PayloadType, inner: ByteBuffer,
        fragment: (number: UInt16, total: UInt16)? = nil, random: inout some RandomSource
    ) throws(IKECryptoError) -> ByteBuffer {
        let (ivLength, blockSize, icvLength): (Int, Int, Int) =
            switch mode {
            case .cipher(_, let iv, let block, let integrity): (iv, block, integrity.icvLength)
            case .aead(let context, let iv): (iv, 1, context.icvLength)
            }
        // RFC 7296 §3.14: "The sender SHOULD set the Pad Length to the minimum value that
        // makes the combination of the payloads, the Padding, and the Pad Length a multiple
        // of the block size".
        let padLength = (blockSize - (inner.readableBytes + 1) % blockSize) % blockSize
        let plaintextLength = inner.readableBytes + padLength + 1
        let skHeaderLength = 4 + (fragment == nil ? 0 : 4)
        let total = IKEHeader.length + skHeaderLength + ivLength + plaintextLength + icvLength
        guard let totalLength = UInt32(exactly: total), skHeaderLength + ivLength + plaintextLength + icvLength <= 0xFFFF
        else {
            throw IKECryptoError(.invalidParameter, "message of \(total) bytes is too long for one SK payload")
        }

        var message = ByteBuffer()
        message.reserveCapacity(total)
        var header = header
        header.nextPayload = fragment == nil ? .encrypted : .encryptedFragment
        header.length = totalLength
        do {
            // A header with no payloads always encodes.
            try IKEMessage(header: header, payloads: []).write(to: &message)
        } catch {
            throw IKECryptoError(.internalFailure, "header: \(error)")
        }
        message.setInteger(header.nextPayload.rawValue, at: 16)
        message.setInteger(totalLength, at: 24)
        // Generic payload header of SK/SKF: Next Payload names the first inner payload.
        // RFC 7383 §2.5: in fragments other than the first, "this field MUST be set to
        // zero".
        let nextPayload = (fragment?.number ?? 1) == 1 ? innerFirstPayload : .noNextPayload
        message.writeInteger(nextPayload.rawValue)
        message.writeInteger(UInt8(0))
        message.writeInteger(UInt16(skHeaderLength + ivLength + plaintextLength + icvLength))
        if let fragment {
            message.writeInteger(fragment.number)
            message.writeInteger(fragment.total)
        }
        let aadLength = message.writerIndex
        let iv = random.bytes(ivLength)
        message.writeBytes(iv)
        let plaintextStart = message.writerIndex
        message.writeImmutableBuffer(inner)
        // RFC 7296 §3.14: "The Padding MAY contain any value chosen by the sender".
        message.writeBytes(random.bytes(padLength))
        message.writeInteger(UInt8(padLength))
        message.writeRepeatingByte(0, count: icvLength)

        try message.withUnsafeMutableReadableBytes { bytes throws(IKECryptoError) in
            let ivBytes = UnsafeRawBufferPointer(rebasing: bytes[aadLength..<plaintextStart])
            let plaintext = UnsafeMutableRawBufferPointer(rebasing: bytes[plaintextStart..<plaintextStart + plaintextLength])
            let icv = UnsafeMutableRawBufferPointer(rebasing: bytes[(total - icvLength)..<total])
            switch mode {
            case .aead(let context, _):
                // RFC 5282 §5.1: the associated data is the IKE header and the payloads
                // "up to and including the generic payload header of the Encrypted
                // payload" (RFC 7383 §2.5.3: for SKF, through Total Fragments).
                try context.seal(
                    iv: ivBytes, aad: UnsafeRawBufferPointer(rebasing: bytes[0..<aadLength]), data: plaintext, icv: icv)
            case .cipher(let cipher, _, _, let integrity):
                try cipher.encrypt(iv: ivBytes, data: plaintext)
                // RFC 7296 §3.14: the checksum covers "the entire message starting with
                // the Fixed IKE header through the Pad Length".
                integrity.authenticate(UnsafeRawBufferPointer(rebasing: bytes[0..<(total - icvLength)]), icv: icv)
            }
        }
        return message
    }

    /// Checks the ICV of a received message whose last payload is SK or SKF, and returns
    /// the decrypted inner payload chain (padding removed).
    ///
    /// RFC 7296 §2.21.2: a message whose integrity check fails is dropped; the error is
    /// ``IKECryptoError/Code/authenticationFailed``.
    public func open(_ message: ByteBuffer) throws(IKECryptoError) -> ByteBuffer {
        let decoded: IKEMessage
        do {
            decoded = try IKEMessage(decoding: message)
        } catch {
            throw IKECryptoError(.invalidCiphertext, "message does not decode: \(error)")
        }
        let protected: [UInt8]
        switch decoded.payloads.last {
        case .encrypted(let payload): protected = payload.data
        case .encryptedFragment(let payload): protected = payload.data
        default: throw IKECryptoError(.invalidCiphertext, "no SK or SKF payload")
        }
        let total = message.readableBytes
        let aadLength = total - protected.count
        let (ivLength, blockSize, icvLength): (Int, Int, Int) =
            switch mode {
            case .cipher(_, let iv, let block, let integrity): (iv, block, integrity.icvLength)
            case .aead(let context, let iv): (iv, 1, context.icvLength)
            }
        let ciphertextLength = protected.count - ivLength - icvLength
        guard ciphertextLength >= 1, ciphertextLength % blockSize == 0 else {
            throw IKECryptoError(
                .invalidCiphertext, "\(protected.count) protected bytes do not fit IV \(ivLength), ICV \(icvLength)")
        }
        var work = message
        let padLength = try work.withUnsafeMutableReadableBytes { bytes throws(IKECryptoError) -> Int in
            let iv = UnsafeRawBufferPointer(rebasing: bytes[aadLength..<aadLength + ivLength])
            let dataStart = aadLength + ivLength
            let data = UnsafeMutableRawBufferPointer(rebasing: bytes[dataStart..<dataStart + ciphertextLength])
            let icv = UnsafeRawBufferPointer(rebasing: bytes[(total - icvLength)..<total])
            switch mode {
            case .aead(let context, _):
                try context.open(iv: iv, aad: UnsafeRawBufferPointer(rebasing: bytes[0..<aadLength]), data: data, icv: icv)
            case .cipher(let cipher, _, _, let integrity):
                guard integrity.verify(UnsafeRawBufferPointer(rebasing: bytes[0..<(total - icvLength)]), icv: icv) else {
                    throw IKECryptoError(.authenticationFailed, "SK integrity check failed")
                }
                try cipher.decrypt(iv: iv, data: data)
            }
            return Int(data[ciphertextLength - 1])
        }
        // RFC 7296 §3.14: "the recipient MUST accept any length that results in proper
        // alignment"; it must still fit in the decrypted data.
        guard padLength + 1 <= ciphertextLength else {
            throw IKECryptoError(.invalidCiphertext, "Pad Length \(padLength) exceeds the \(ciphertextLength) decrypted bytes")
        }
        return work.getSlice(at: work.readerIndex + aadLength + ivLength, length: ciphertextLength - padLength - 1)
            ?? ByteBuffer()
    }
}

extension SKPayloadProtection {
    /// Decrypts a message with an SK payload and decodes the payloads inside.
    ///
    /// Fragments (SKF) are decrypted one by one with ``open(_:)`` and reassembled by the
    /// engine before their chain is decoded.
    public func decryptPayloads(_ message: ByteBuffer) throws(IKECryptoError) -> [IKEPayload] {
        let inner = try open(message)
        do {
            let decoded = try IKEMessage(decoding: message)
            guard case .encrypted(let sk) = decoded.payloads.last else {
                throw IKECryptoError(.invalidCiphertext, "not an SK payload")
            }
            return try IKEPayload.decodeChain(
                inner, firstPayloadType: sk.firstPayloadType,
                baseOffset: message.readableBytes - sk.data.count + ivLength)
        } catch let error as IKECryptoError {
            throw error
        } catch {
            throw IKECryptoError(.invalidCiphertext, "decrypted payloads do not decode: \(error)")
        }
    }

    private var ivLength: Int {
        switch mode {
        case .cipher(_, let ivLength, _, _): ivLength
        case .aead(_, let ivLength): ivLength
        }
    }
}
