import IKEWire

/// What `default` stands for in `proposals` and `esp_proposals`: strongSwan's default
/// proposals (`proposal_create_default` and `proposal_create_default_aead` in
/// strongSwan's `proposal.c`), limited to the algorithms Cygnet implements, in
/// strongSwan's order of preference (stronger round first).
///
/// - IKE: a classic proposal (AES-CBC and AES-CTR 128/192/256; HMAC-SHA2-256/384/512,
///   AES-XCBC, AES-CMAC, HMAC-SHA1; the matching PRFs; ECP 256/384/521, Curve25519,
///   MODP 3072–8192, then MODP 2048), then an AEAD one (AES-GCM-16 128/192/256,
///   ChaCha20-Poly1305, then AES-GCM-12 and -8; the same PRFs and groups).
/// - ESP: AES-CBC 128/192/256 with HMAC-SHA2-256/384/512, HMAC-SHA1, AES-XCBC; then
///   AES-GCM-16 128/192/256; no PFS, no ESN.
///
/// Unlike strongSwan, 3DES is not in the IKE default: Cygnet enables 3DES only when a
/// proposal names it. Brainpool groups, Curve448 and Camellia are left out because
/// Cygnet does not implement them.
public enum DefaultProposals {
    public static func templates(for proto: ProposalProtocol) -> [ProposalTemplate] {
        switch proto {
        case .ike: [ikeClassic, ikeAEAD]
        case .esp: [espClassic, espAEAD]
        }
    }

    static let ikePRFs: [PseudorandomFunctionID] = [
        .hmacSHA2_256, .hmacSHA2_384, .hmacSHA2_512, .aes128XCBC, .aes128CMAC, .hmacSHA1,
    ]
    static let ikeGroups: [KeyExchangeMethodID] = [
        .ecp256, .ecp384, .ecp521, .curve25519, .modp3072, .modp4096, .modp6144, .modp8192, .modp2048,
    ]

    static let ikeClassic = ProposalTemplate(
        encryption: [128, 192, 256].map { ProposalTemplate.EncryptionChoice(.aesCBC, keyBits: $0) }
            + [128, 192, 256].map { ProposalTemplate.EncryptionChoice(.aesCTR, keyBits: $0) },
        pseudorandomFunctions: ikePRFs,
        integrity: [.hmacSHA2_256_128, .hmacSHA2_384_192, .hmacSHA2_512_256, .aesXCBC96, .aesCMAC96, .hmacSHA1_96],
        keyExchangeMethods: ikeGroups)

    static let ikeAEAD = ProposalTemplate(
        encryption: [128, 192, 256].map { ProposalTemplate.EncryptionChoice(.aesGCM16, keyBits: $0) }
            + [ProposalTemplate.EncryptionChoice(.chacha20Poly1305)]
            + [EncryptionAlgorithmID.aesGCM12, .aesGCM8].flatMap { id in
                [128, 192, 256].map { ProposalTemplate.EncryptionChoice(id, keyBits: $0) }
            },
        pseudorandomFunctions: ikePRFs, keyExchangeMethods: ikeGroups)

    static let espClassic = ProposalTemplate(
        encryption: [128, 192, 256].map { ProposalTemplate.EncryptionChoice(.aesCBC, keyBits: $0) },
        integrity: [.hmacSHA2_256_128, .hmacSHA2_384_192, .hmacSHA2_512_256, .hmacSHA1_96, .aesXCBC96],
        sequenceNumbers: [.noExtendedSequenceNumbers])

    static let espAEAD = ProposalTemplate(
        encryption: [128, 192, 256].map { ProposalTemplate.EncryptionChoice(.aesGCM16, keyBits: $0) },
        sequenceNumbers: [.noExtendedSequenceNumbers])
}
