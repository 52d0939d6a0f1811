import EAPCore
import IKECrypto
import Testing

@Suite("MS-CHAPv2 and MPPE keys (RFC 2759 §9.2, RFC 3079 §3.5.3)")
struct MSCHAPv2CryptoTests {
    typealias H = EAPTestSupport

    static let userName = Array("User".utf8)
    static let password = H.password("clientPass")
    static let authenticatorChallenge = H.hex("5B5D7C7D7B3F2F3E3C2C602132262628")
    static let peerChallenge = H.hex("21402324255E262A28295F2B3A337C7E")
    static let ntResponse = H.hex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF")

    /// Source: RFC 2759 §9.2, "Hash and Response Computations".
    @Test("RFC 2759 §9.2: password hash, challenge hash, NT-Response, authenticator response")
    func rfc2759() {
        let passwordHash = MSCHAPv2Crypto.ntPasswordHash(password: Self.password)
        #expect(passwordHash.unprotectedBytes == H.hex("44EBBA8D5312B8D611474411F56989AE"))
        #expect(LegacyDigest.hash(.md4, [passwordHash]).unprotectedBytes == H.hex("41C00C584BD2D91C4017A2A12FA59F3F"))
        let challengeHash = MSCHAPv2Crypto.challengeHash(
            peerChallenge: Self.peerChallenge, authenticatorChallenge: Self.authenticatorChallenge,
            userName: Self.userName)
        #expect(challengeHash == H.hex("D02E4386BCE91226"))
        let ntResponse = MSCHAPv2Crypto.ntResponse(challengeHash: challengeHash, passwordHash: passwordHash)
        #expect(ntResponse == Self.ntResponse)
        let proof = MSCHAPv2Crypto.authenticatorResponse(
            passwordHash: passwordHash, ntResponse: ntResponse, challengeHash: challengeHash)
        #expect(proof.unprotectedBytes == H.hex("407A5589115FD0D6209F510FE9C04566932CDA56"))
    }

    /// Source: RFC 3079 §3.5.3, "Sample Key Derivations", 128-bit key (the same inputs
    /// as RFC 2759 §9.2); SendStartKey128 is the server's send key.
    @Test("RFC 3079 §3.5.3: master key and 128-bit send start key")
    func rfc3079() {
        let passwordHash = MSCHAPv2Crypto.ntPasswordHash(password: Self.password)
        let master = MSCHAPv2Crypto.masterKey(passwordHash: passwordHash, ntResponse: Self.ntResponse)
        #expect(master.unprotectedBytes == H.hex("FDECE3717A8C838CB388E527AE3CDD31"))
        let send = MSCHAPv2Crypto.asymmetricStartKey(masterKey: master, isSend: true, isServer: true)
        #expect(send.unprotectedBytes == H.hex("8B7CDC149B993A1BA118CB153F56DCCB"))
        // The client's receive key is the server's send key.
        #expect(MSCHAPv2Crypto.asymmetricStartKey(masterKey: master, isSend: false, isServer: false) == send)
    }

    @Test("The MSK is the server's receive key, its send key, then 32 zero octets")
    func mskLayout() {
        let passwordHash = MSCHAPv2Crypto.ntPasswordHash(password: Self.password)
        let master = MSCHAPv2Crypto.masterKey(passwordHash: passwordHash, ntResponse: Self.ntResponse)
        let msk = MSCHAPv2Crypto.msk(passwordHash: passwordHash, ntResponse: Self.ntResponse)
        #expect(msk.count == 64)
        #expect(msk[0..<16] == MSCHAPv2Crypto.asymmetricStartKey(masterKey: master, isSend: false, isServer: true))
        #expect(msk[16..<32].unprotectedBytes == H.hex("8B7CDC149B993A1BA118CB153F56DCCB"))
        #expect(msk[32..<64].unprotectedBytes == [UInt8](repeating: 0, count: 32))
    }

    @Test("A non-ASCII password is hashed as UTF-16LE")
    func unicodePassword() {
        // "pä" is 70 00 e4 00 in UTF-16LE.
        let hash = MSCHAPv2Crypto.ntPasswordHash(password: SecretBytes(Array("pä".utf8)))
        #expect(hash == LegacyDigest.hash(.md4, [SecretBytes([0x70, 0x00, 0xE4, 0x00])]))
    }
}
