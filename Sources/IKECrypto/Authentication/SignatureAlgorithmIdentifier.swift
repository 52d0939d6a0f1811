import IKEWire

/// The AlgorithmIdentifiers of the Digital Signature method (RFC 7427 §3) that Cygnet sends
/// and accepts, and the parsing of method-14 AUTH data.
///
/// RFC 7427 §3 lays out the Authentication Data of method 14 as:
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | ASN.1 Length  | AlgorithmIdentifier ASN.1 object              |
/// +-+-+-+-+-+-+-+-+                                               +
/// ~        AlgorithmIdentifier ASN.1 object continuing            ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                         Signature Value                       ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// The constants are the exact DER strings of RFC 7427 Appendix A (A.1.2–A.1.4
/// sha256/384/512WithRSAEncryption, A.3.2–A.3.4 ecdsa-with-SHA256/384/512, A.4.3 RSASSA-PSS
/// with SHA-256) and RFC 8420 §2 (id-Ed25519); the PSS SHA-384/512 strings follow A.4.3
/// with the hash OIDs and salt lengths of RFC 4055 (each checked with `openssl asn1parse`).
public enum SignatureAlgorithmIdentifier {
    /// RFC 7427 A.1.2: sha256WithRSAEncryption, parameters NULL.
    public static let sha256WithRSAEncryption: [UInt8] = [
        0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00,
    ]
    /// RFC 7427 A.1.3: sha384WithRSAEncryption, parameters NULL.
    public static let sha384WithRSAEncryption: [UInt8] = [
        0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C, 0x05, 0x00,
    ]
    /// RFC 7427 A.1.4: sha512WithRSAEncryption, parameters NULL.
    public static let sha512WithRSAEncryption: [UInt8] = [
        0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D, 0x05, 0x00,
    ]
    /// RFC 7427 A.3.2: ecdsa-with-SHA256, parameters absent.
    public static let ecdsaWithSHA256: [UInt8] = [0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]
    /// RFC 7427 A.3.3: ecdsa-with-SHA384, parameters absent.
    public static let ecdsaWithSHA384: [UInt8] = [0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03]
    /// RFC 7427 A.3.4: ecdsa-with-SHA512, parameters absent.
    public static let ecdsaWithSHA512: [UInt8] = [0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04]
    /// RFC 7427 A.4.3: id-RSASSA-PSS with hashAlgorithm SHA-256, maskGenAlgorithm MGF1 with
    /// SHA-256, saltLength 32 (trailerField default).
    public static let rsassaPSSSHA256: [UInt8] = pss(hashOIDLastOctet: 0x01, saltLength: 32)
    /// As A.4.3 with SHA-384 for both hashes and a 48-octet salt.
    public static let rsassaPSSSHA384: [UInt8] = pss(hashOIDLastOctet: 0x02, saltLength: 48)
    /// As A.4.3 with SHA-512 for both hashes and a 64-octet salt.
    public static let rsassaPSSSHA512: [UInt8] = pss(hashOIDLastOctet: 0x03, saltLength: 64)
    /// RFC 8420 §2 / RFC 8410 §3: id-Ed25519, parameters absent.
    public static let ed25519: [UInt8] = [0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70]

    private static func pss(hashOIDLastOctet: UInt8, saltLength: UInt8) -> [UInt8] {
        // AlgorithmIdentifier { id-sha2xx, NULL }: 30 0d 06 09 60 86 48 01 65 03 04 02 xx 05 00
        let hash: [UInt8] = [0x30, 0x0D, 0x06, 0x09] + KnownOID.sha256.dropLast() + [hashOIDLastOctet, 0x05, 0x00]
        let mgf: [UInt8] = [0x30, 0x1A, 0x06, 0x09] + KnownOID.mgf1 + hash
        let parameters: [UInt8] = [0xA0, 0x0F] + hash + [0xA1, 0x1C] + mgf + [0xA2, 0x03, 0x02, 0x01, saltLength]
        return [0x30, 0x41, 0x06, 0x09] + KnownOID.rsassaPSS + [0x30, 0x34] + parameters
    }

    // MARK: Parsing

    /// Splits method-14 Authentication Data into the scheme its AlgorithmIdentifier names
    /// and the Signature Value.
    ///
    /// - Throws: ``IKECryptoError/Code/invalidSignature`` when the ASN.1 Length octet
    ///   overruns the data, the AlgorithmIdentifier is not one DER element of exactly that
    ///   length, the signature is empty, or the algorithm is unknown or not supported.
    public static func parseAuthenticationData(_ data: ArraySlice<UInt8>) throws(IKECryptoError)
        -> (scheme: SignatureScheme, signature: ArraySlice<UInt8>)
    {
        guard let length = data.first.map(Int.init) else {
            throw invalid("empty Digital Signature authentication data")
        }
        let start = data.startIndex + 1
        guard length > 0, data.endIndex - start > length else {
            throw invalid("ASN.1 Length \(length) leaves no signature in \(data.count) octets of AUTH data")
        }
        let scheme = try parse(data[start..<start + length])
        return (scheme, data[(start + length)...])
    }

    /// The scheme a DER AlgorithmIdentifier names.
    ///
    /// - Throws: ``IKECryptoError/Code/invalidSignature`` for malformed DER and for
    ///   algorithms Cygnet does not accept (DSA, SHA-1 under method 14, PSS whose MGF1 hash
    ///   differs from its message hash).
    public static func parse(_ der: ArraySlice<UInt8>) throws(IKECryptoError) -> SignatureScheme {
        var outer = DERReader(der, errorCode: .invalidSignature, what: "signature AlgorithmIdentifier")
        var algorithm = try outer.readSequence("AlgorithmIdentifier")
        try outer.finish()
        let oid = try algorithm.readObjectIdentifier("algorithm")
        let name = KeyDecoder.oidString(oid)

        let rsaHashes: [([UInt8], HashAlgorithm)] = [
            (KnownOID.sha256WithRSAEncryption, .sha2_256), (KnownOID.sha384WithRSAEncryption, .sha2_384),
            (KnownOID.sha512WithRSAEncryption, .sha2_512),
        ]
        if let (_, hash) = rsaHashes.first(where: { oid.elementsEqual($0.0) }) {
            // RFC 4055 §5: "When any of these four object identifiers appears within an
            // AlgorithmIdentifier, the parameters MUST be NULL.  Implementations MUST accept
            // the parameters being absent as well as present."
            try readOptionalNull(&algorithm)
            return .rsaPKCS1v15(hash)
        }
        let ecdsaHashes: [([UInt8], HashAlgorithm)] = [
            (KnownOID.ecdsaWithSHA256, .sha2_256), (KnownOID.ecdsaWithSHA384, .sha2_384),
            (KnownOID.ecdsaWithSHA512, .sha2_512),
        ]
        if let (_, hash) = ecdsaHashes.first(where: { oid.elementsEqual($0.0) }) {
            // RFC 5758 §3.2: "the encoding MUST omit the parameters field".
            try algorithm.finish()
            return .ecdsa(hash)
        }
        if oid.elementsEqual(KnownOID.ed25519) {
            // RFC 8410 §3: "For all of the OIDs, the parameters MUST be absent."
            try algorithm.finish()
            return .ed25519
        }
        if oid.elementsEqual(KnownOID.rsassaPSS) {
            return try parsePSSParameters(&algorithm)
        }
        if oid.elementsEqual(KnownOID.sha1WithRSAEncryption) || oid.elementsEqual(KnownOID.ecdsaWithSHA1) {
            throw invalid("the peer signed with SHA-1 (\(name)); Cygnet accepts SHA-1 only under "
                + "Authentication Method 1")
        }
        throw invalid("unknown or unsupported signature algorithm \(name)")
    }

    /// RSASSA-PSS-params (RFC 4055 §3.1):
    /// `SEQUENCE { hashAlgorithm [0] HashAlgorithm DEFAULT sha1, maskGenAlgorithm [1]
    /// MaskGenAlgorithm DEFAULT mgf1SHA1, saltLength [2] INTEGER DEFAULT 20,
    /// trailerField [3] INTEGER DEFAULT 1 }`.
    private static func parsePSSParameters(_ algorithm: inout DERReader) throws(IKECryptoError) -> SignatureScheme {
        guard !algorithm.isAtEnd else {
            throw invalid("RSASSA-PSS without parameters means SHA-1, which Cygnet does not accept")
        }
        var parameters = try algorithm.readSequence("RSASSA-PSS-params")
        try algorithm.finish()
        var hash: HashAlgorithm = .sha1
        var mgfHash: HashAlgorithm = .sha1
        var saltLength = 20
        if parameters.peekTag == DERReader.Tag.contextConstructed(0) {
            var field = try parameters.readConstructed(DERReader.Tag.contextConstructed(0), "[0] hashAlgorithm")
            hash = try readHashAlgorithm(&field)
            try field.finish()
        }
        if parameters.peekTag == DERReader.Tag.contextConstructed(1) {
            var field = try parameters.readConstructed(DERReader.Tag.contextConstructed(1), "[1] maskGenAlgorithm")
            var maskGen = try field.readSequence("MaskGenAlgorithm")
            try field.finish()
            let mgfOID = try maskGen.readObjectIdentifier("mask generation function")
            guard mgfOID.elementsEqual(KnownOID.mgf1) else {
                throw invalid("RSASSA-PSS mask generation function \(KeyDecoder.oidString(mgfOID)) is not MGF1")
            }
            mgfHash = try readHashAlgorithm(&maskGen)
            try maskGen.finish()
        }
        if parameters.peekTag == DERReader.Tag.contextConstructed(2) {
            var field = try parameters.readConstructed(DERReader.Tag.contextConstructed(2), "[2] saltLength")
            saltLength = try field.readSmallInteger("saltLength")
            try field.finish()
        }
        if parameters.peekTag == DERReader.Tag.contextConstructed(3) {
            var field = try parameters.readConstructed(DERReader.Tag.contextConstructed(3), "[3] trailerField")
            // RFC 4055 §3.1: trailerField 1 (the 0xBC trailer) is the only value defined.
            guard try field.readSmallInteger("trailerField") == 1 else {
                throw invalid("RSASSA-PSS trailerField is not 1")
            }
            try field.finish()
        }
        try parameters.finish()
        guard hash == .sha2_256 || hash == .sha2_384 || hash == .sha2_512 else {
            throw invalid("RSASSA-PSS with \(hash) is not accepted; use SHA2-256, SHA2-384 or SHA2-512")
        }
        guard mgfHash == hash else {
            throw invalid("RSASSA-PSS with MGF1 over \(mgfHash) but message hash \(hash) is not supported")
        }
        guard saltLength <= 1024 else { throw invalid("RSASSA-PSS salt length \(saltLength) is implausible") }
        return .rsaPSS(hash, saltLength: saltLength)
    }

    /// A hash AlgorithmIdentifier; RFC 4055 §2.1: "implementations MUST accept both NULL and
    /// absent parameters as legal and equivalent encodings."
    private static func readHashAlgorithm(_ reader: inout DERReader) throws(IKECryptoError) -> HashAlgorithm {
        var algorithm = try reader.readSequence("hash AlgorithmIdentifier")
        let oid = try algorithm.readObjectIdentifier("hash algorithm")
        try readOptionalNull(&algorithm)
        let hashes: [([UInt8], HashAlgorithm)] = [
            (KnownOID.sha1, .sha1), (KnownOID.sha256, .sha2_256), (KnownOID.sha384, .sha2_384),
            (KnownOID.sha512, .sha2_512),
        ]
        guard let (_, hash) = hashes.first(where: { oid.elementsEqual($0.0) }) else {
            throw invalid("unknown hash algorithm \(KeyDecoder.oidString(oid))")
        }
        return hash
    }

    private static func readOptionalNull(_ algorithm: inout DERReader) throws(IKECryptoError) {
        if !algorithm.isAtEnd {
            let null = try algorithm.read(DERReader.Tag.null, "NULL parameters")
            guard null.content.isEmpty else { throw invalid("NULL with content") }
        }
        try algorithm.finish()
    }

    private static func invalid(_ message: String) -> IKECryptoError {
        IKECryptoError(.invalidSignature, message)
    }
}
