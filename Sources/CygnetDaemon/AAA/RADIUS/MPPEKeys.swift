import Crypto
import IKECrypto

/// The MS-MPPE-Send-Key and MS-MPPE-Recv-Key of an Access-Accept (RFC 2548 §2.4.2,
/// §2.4.3), which carry the EAP method's MSK from the RADIUS server to the gateway
/// (RFC 3579 §2.6.3 points to them).
///
/// Each is a Microsoft Vendor-Specific sub-attribute:
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Vendor-Type  | Vendor-Length |             Salt
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///                                   String...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// where String is the key length octet, the key and zero padding to a multiple of 16,
/// encrypted with the shared secret S, the Request Authenticator R and the Salt A:
/// `b(1) = MD5(S + R + A)`, `b(i) = MD5(S + c(i-1))`, `c(i) = p(i) xor b(i)`.
public enum MPPEKeys {
    /// The MSK as strongSwan's eap-radius plugin builds it from the two keys:
    /// MS-MPPE-Recv-Key then MS-MPPE-Send-Key, padded with zero octets to 64 when shorter.
    /// `nil` unless the answer carries both keys and both decrypt to a valid length.
    public static func msk(of answer: RADIUSPacket, requestAuthenticator: [UInt8], secret: [UInt8]) -> SecretBytes? {
        var sendKey: SecretBytes?
        var receiveKey: SecretBytes?
        for attribute in answer.attributes {
            for (type, value) in attribute.vendorSubAttributes(vendorID: RADIUSAttribute.microsoftVendorID) {
                switch type {
                case RADIUSAttribute.msMPPESendKey:
                    sendKey = decrypt(value, requestAuthenticator: requestAuthenticator, secret: secret)
                case RADIUSAttribute.msMPPERecvKey:
                    receiveKey = decrypt(value, requestAuthenticator: requestAuthenticator, secret: secret)
                default:
                    continue
                }
            }
        }
        guard let sendKey, let receiveKey else { return nil }
        let padding = max(0, 64 - receiveKey.count - sendKey.count)
        return SecretBytes(concatenating: [receiveKey, sendKey, SecretBytes([UInt8](repeating: 0, count: padding))])
    }

    /// One key from its Salt and String (`saltAndString`, the sub-attribute's value), or
    /// `nil` when String is not a non-empty multiple of 16 octets or its key length octet
    /// is zero or claims more than it holds.
    public static func decrypt(_ saltAndString: ArraySlice<UInt8>, requestAuthenticator: [UInt8], secret: [UInt8]) -> SecretBytes? {
        let salt = saltAndString.prefix(2)
        let string = Array(saltAndString.dropFirst(2))
        guard salt.count == 2, !string.isEmpty, string.count % 16 == 0 else { return nil }
        var plain = [UInt8](repeating: 0, count: string.count)
        defer { for index in plain.indices { plain[index] = 0 } }
        var chain = Array(requestAuthenticator) + Array(salt)
        for block in stride(from: 0, to: string.count, by: 16) {
            var hash = Insecure.MD5()
            hash.update(data: secret)
            hash.update(data: chain)
            let b = Array(hash.finalize())
            for index in 0..<16 { plain[block + index] = string[block + index] ^ b[index] }
            chain = Array(string[block..<(block + 16)])
        }
        let keyLength = Int(plain[0])
        guard keyLength > 0, keyLength < plain.count else { return nil }
        return SecretBytes(plain[1..<(1 + keyLength)])
    }
}
