import IKEWire

/// One proposal as configured: the transforms of each type a side offers or accepts, in
/// order of preference (strongSwan's `aes256gcm16-prfsha256-x25519` is one template).
public struct ProposalTemplate: Hashable, Sendable {
    /// Encryption transforms, each with its Key Length in bits (`nil` when the transform
    /// takes none).
    public var encryption: [EncryptionChoice]
    public var pseudorandomFunctions: [PseudorandomFunctionID]
    /// Empty with AEADs.
    public var integrity: [IntegrityAlgorithmID]
    /// Key exchange methods; for ESP, empty means no PFS.
    public var keyExchangeMethods: [KeyExchangeMethodID]
    /// For ESP: ESN choices (default: no ESN).
    public var sequenceNumbers: [SequenceNumbersID]

    public struct EncryptionChoice: Hashable, Sendable {
        public var id: EncryptionAlgorithmID
        public var keyBits: Int?

        public init(_ id: EncryptionAlgorithmID, keyBits: Int? = nil) {
            self.id = id
            self.keyBits = keyBits
        }
    }

    public init(
        encryption: [EncryptionChoice], pseudorandomFunctions: [PseudorandomFunctionID] = [],
        integrity: [IntegrityAlgorithmID] = [], keyExchangeMethods: [KeyExchangeMethodID] = [],
        sequenceNumbers: [SequenceNumbersID] = []
    ) {
        self.encryption = encryption
        self.pseudorandomFunctions = pseudorandomFunctions
        self.integrity = integrity
        self.keyExchangeMethods = keyExchangeMethods
        self.sequenceNumbers = sequenceNumbers
    }

    /// The transforms in wire order (RFC 7296 §3.3.2 allows any order; this is the order
    /// strongSwan sends: ENCR, INTEG, PRF, KE, ESN).
    public var transforms: [Transform] {
        encryption.map { Transform($0.id, keyLength: $0.keyBits.map(UInt16.init(clamping:))) }
            + integrity.map { Transform($0) } + pseudorandomFunctions.map { Transform($0) }
            + keyExchangeMethods.map { Transform($0) } + sequenceNumbers.map { Transform($0) }
    }

    /// The wire proposal with this template's transforms. An ESP or AH proposal always
    /// carries an ESN transform (RFC 7296 §3.3.3 lists it as mandatory for both); without
    /// one configured it offers "No Extended Sequence Numbers".
    public func proposal(number: UInt8, protocolID: SecurityProtocolID, spi: [UInt8] = []) -> Proposal {
        var transforms = transforms
        if protocolID != .ike, sequenceNumbers.isEmpty { transforms.append(Transform(.noExtendedSequenceNumbers)) }
        return Proposal(number: number, protocolID: protocolID, spi: spi, transforms: transforms)
    }
}
