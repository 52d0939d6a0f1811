import IKECrypto

/// The computations of MS-CHAPv2 (RFC 2759 §8) and of its MPPE master keys
/// (RFC 3079 §3), as both roles need them.
public enum MSCHAPv2Crypto {
    /// The challenge lengths: the authenticator's and the peer's (RFC 2759 §4).
    public static let challengeLength = 16
    /// The NT-Response's length (RFC 2759 §8.1).
    public static let ntResponseLength = 24
    /// The authenticator response's length before hex encoding (RFC 2759 §8.7).
    public static let authenticatorResponseLength = 20

    /// `NtPasswordHash` (RFC 2759 §8.3): MD4 of the password in UTF-16LE. The password's
    /// octets are read as UTF-8; octets that are not UTF-8 are taken one per code unit,
    /// as strongSwan does with ASCII.
    public static func ntPasswordHash(password: SecretBytes) -> SecretBytes {
        let unicode = password.withUnsafeBytes { octets -> SecretBytes in
            var units: [UInt16] = []
            units.reserveCapacity(octets.count)
            if let text = String(validating: octets, as: UTF8.self) {
                units.append(contentsOf: text.utf16)
            } else {
                units.append(contentsOf: octets.map { UInt16($0) })
            }
            let secret = SecretBytes(count: units.count * 2) { buffer in
                for (index, unit) in units.enumerated() {
                    buffer[2 * index] = UInt8(truncatingIfNeeded: unit)
                    buffer[2 * index + 1] = UInt8(truncatingIfNeeded: unit >> 8)
                }
            }
            _ = units.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) }
            return secret
        }
        return LegacyDigest.hash(.md4, [unicode])
    }

    /// `ChallengeHash` (RFC 2759 §8.2): the first 8 octets of
    /// SHA-1(PeerChallenge | AuthenticatorChallenge | UserName).
    public static func challengeHash(peerChallenge: [UInt8], authenticatorChallenge: [UInt8], userName: [UInt8])
        -> [UInt8]
    {
        var digest = LegacyDigest(.sha1)
        digest.update(peerChallenge)
        digest.update(authenticatorChallenge)
        digest.update(userName)
        return Array(digest.finalize().unprotectedBytes.prefix(8))
    }

    /// `GenerateNTResponse` (RFC 2759 §8.1, §8.5): the challenge hash encrypted with
    /// three DES keys cut from the password hash padded to 21 octets.
    public static func ntResponse(challengeHash: [UInt8], passwordHash: SecretBytes) -> [UInt8] {
        let zeros = SecretBytes([UInt8](repeating: 0, count: 21 - min(21, passwordHash.count)))
        let padded = SecretBytes(concatenating: [passwordHash, zeros])
        var response: [UInt8] = []
        for index in 0..<3 {
            // 7-byte keys by construction; only a challenge hash of another length than 8
            // (not one of ours) could fail, and gives a response that matches nothing.
            let key = padded[(7 * index)..<(7 * index + 7)]
            response += (try? SingleDES.encrypt(block: challengeHash, key56: key)) ?? []
        }
        return response
    }

    /// `GenerateAuthenticatorResponse` (RFC 2759 §8.7): the 20 octets the authenticator
    /// proves its knowledge of the password with (sent as `S=` and 40 hex digits).
    public static func authenticatorResponse(
        passwordHash: SecretBytes, ntResponse: [UInt8], challengeHash: [UInt8]
    ) -> SecretBytes {
        let passwordHashHash = LegacyDigest.hash(.md4, [passwordHash])
        let digest = LegacyDigest.hash(.sha1, [passwordHashHash, SecretBytes(ntResponse), SecretBytes(magic1)])
        return LegacyDigest.hash(.sha1, [digest, SecretBytes(challengeHash), SecretBytes(magic2)])
    }

    /// `GetMasterKey` (RFC 3079 §3.4): the first 16 octets of
    /// SHA-1(PasswordHashHash | NT-Response | "This is the MPPE Master Key").
    public static func masterKey(passwordHash: SecretBytes, ntResponse: [UInt8]) -> SecretBytes {
        let passwordHashHash = LegacyDigest.hash(.md4, [passwordHash])
        let digest = LegacyDigest.hash(.sha1, [passwordHashHash, SecretBytes(ntResponse), SecretBytes(masterKeyMagic)])
        return digest[0..<16]
    }

    /// `GetAsymmetricStartKey` (RFC 3079 §3.4) for a 128-bit key: the server's send key
    /// is the client's receive key and the other way round.
    public static func asymmetricStartKey(masterKey: SecretBytes, isSend: Bool, isServer: Bool) -> SecretBytes {
        let magic = isSend == isServer ? serverSendMagic : clientSendMagic
        return LegacyDigest.hash(.sha1, [
            masterKey, SecretBytes([UInt8](repeating: 0, count: 40)), SecretBytes(magic),
            SecretBytes([UInt8](repeating: 0xF2, count: 40)),
        ])[0..<16]
    }

    /// The MSK of EAP-MSCHAPv2 as strongSwan and Windows compute it: the server's
    /// MasterReceiveKey, then its MasterSendKey (16 octets each, RFC 3079 §3.4), then 32
    /// zero octets to the 64 of an MSK (RFC 3748 §7.10). Both roles compute the same.
    public static func msk(passwordHash: SecretBytes, ntResponse: [UInt8]) -> SecretBytes {
        let master = masterKey(passwordHash: passwordHash, ntResponse: ntResponse)
        return msk(
            serverReceiveKey: asymmetricStartKey(masterKey: master, isSend: false, isServer: true),
            serverSendKey: asymmetricStartKey(masterKey: master, isSend: true, isServer: true))
    }

    /// The same MSK from the two keys (for a RADIUS server's MS-MPPE-Recv-Key and
    /// MS-MPPE-Send-Key, RFC 2548 §2.4, which are the server's receive and send keys).
    public static func msk(serverReceiveKey: SecretBytes, serverSendKey: SecretBytes) -> SecretBytes {
        SecretBytes(concatenating: [serverReceiveKey, serverSendKey, SecretBytes([UInt8](repeating: 0, count: 32))])
    }

    /// "Magic server to client signing constant" (RFC 2759 §8.7).
    private static let magic1 = Array("Magic server to client signing constant".utf8)
    /// "Pad to make it do more than one iteration" (RFC 2759 §8.7).
    private static let magic2 = Array("Pad to make it do more than one iteration".utf8)
    /// Magic1 of RFC 3079 §3.4.
    private static let masterKeyMagic = Array("This is the MPPE Master Key".utf8)
    /// Magic2 of RFC 3079 §3.4: the client's send key, the server's receive key.
    private static let clientSendMagic = Array(
        "On the client side, this is the send key; on the server side, it is the receive key.".utf8)
    /// Magic3 of RFC 3079 §3.4: the client's receive key, the server's send key.
    private static let serverSendMagic = Array(
        "On the client side, this is the receive key; on the server side, it is the send key.".utf8)
}
