import IKEWire

/// A strict, bounds-checked reader of DER (ITU-T X.690 §10) for the few small structures
/// the signature layer needs: key containers (PKCS#1, PKCS#8, SEC1, SubjectPublicKeyInfo),
/// RFC 7427 AlgorithmIdentifiers and ECDSA-Sig-Value.
///
/// Only what DER allows is accepted: single-octet tags, definite lengths in the shortest
/// form, and no content past the end of the enclosing element. Every read checks its bounds
/// and throws an ``IKECryptoError`` with the code the reader was made with, so a hostile
/// encoding becomes a typed error, never a trap.
struct DERReader {
    /// Universal tags used here.
    enum Tag {
        static let integer: UInt8 = 0x02
        static let bitString: UInt8 = 0x03
        static let octetString: UInt8 = 0x04
        static let null: UInt8 = 0x05
        static let objectIdentifier: UInt8 = 0x06
        static let sequence: UInt8 = 0x30
        /// `[n]` constructed, context-specific.
        static func contextConstructed(_ number: UInt8) -> UInt8 { 0xA0 | number }
    }

    /// One element: its tag and its content octets (a slice of the input).
    struct Element {
        var tag: UInt8
        var content: ArraySlice<UInt8>
        /// The whole encoding (tag, length and content).
        var encoded: ArraySlice<UInt8>
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int
    private let errorCode: IKECryptoError.Code
    private let what: String

    /// A reader over `bytes`; failures throw `errorCode` with a message naming `what`.
    init(_ bytes: ArraySlice<UInt8>, errorCode: IKECryptoError.Code, what: String) {
        self.bytes = bytes
        self.index = bytes.startIndex
        self.errorCode = errorCode
        self.what = what
    }

    init(_ bytes: [UInt8], errorCode: IKECryptoError.Code, what: String) {
        self.init(bytes[...], errorCode: errorCode, what: what)
    }

    var isAtEnd: Bool { index >= bytes.endIndex }

    /// The tag of the next element, without consuming it.
    var peekTag: UInt8? { isAtEnd ? nil : bytes[index] }

    func error(_ message: String) -> IKECryptoError {
        IKECryptoError(errorCode, "\(what): \(message)")
    }

    /// Reads the next element, whatever its tag.
    mutating func readElement() throws(IKECryptoError) -> Element {
        let start = index
        guard index < bytes.endIndex else { throw error("truncated: element expected") }
        let tag = bytes[index]
        // High-tag-number form (X.690 §8.1.2.4) appears in none of the structures read here.
        guard tag & 0x1F != 0x1F else { throw error("multi-octet tag not supported") }
        index += 1
        guard index < bytes.endIndex else { throw error("truncated: length expected") }
        let first = bytes[index]
        index += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            // X.690 §10.1: "The definite form of length encoding shall be used"; 0x80 is the
            // indefinite form, and more than 4 length octets cannot describe anything we read.
            guard count >= 1, count <= 4 else { throw error("indefinite or oversized length") }
            guard bytes.endIndex - index >= count else { throw error("truncated length") }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
            // X.690 §10.1: "encoded in the minimum number of octets".
            guard length >= 0x80, length >> (8 * (count - 1)) != 0 else {
                throw error("length not in the shortest form")
            }
        }
        guard length <= bytes.endIndex - index else {
            throw error("length \(length) exceeds the \(bytes.endIndex - index) octets left")
        }
        let content = bytes[index..<index + length]
        index += length
        return Element(tag: tag, content: content, encoded: bytes[start..<index])
    }

    /// Reads the next element and checks its tag.
    mutating func read(_ tag: UInt8, _ name: String) throws(IKECryptoError) -> Element {
        let element = try readElement()
        guard element.tag == tag else {
            throw error("expected \(name), found tag 0x\(HexText.string(element.tag))")
        }
        return element
    }

    /// Reads a constructed element with `tag` and returns a reader over its content.
    mutating func readConstructed(_ tag: UInt8, _ name: String) throws(IKECryptoError) -> DERReader {
        let element = try read(tag, name)
        return DERReader(element.content, errorCode: errorCode, what: what)
    }

    mutating func readSequence(_ name: String) throws(IKECryptoError) -> DERReader {
        try readConstructed(Tag.sequence, name)
    }

    /// Reads an INTEGER and returns its magnitude without leading zero octets; negative
    /// values and non-minimal encodings (X.690 §8.3.2) are rejected.
    mutating func readUnsignedInteger(_ name: String) throws(IKECryptoError) -> ArraySlice<UInt8> {
        let content = try read(Tag.integer, name).content
        guard let first = content.first else { throw error("\(name): empty INTEGER") }
        guard first & 0x80 == 0 else { throw error("\(name): negative INTEGER") }
        if first == 0, content.count > 1 {
            guard content[content.startIndex + 1] & 0x80 != 0 else {
                throw error("\(name): INTEGER not in the shortest form")
            }
            return content.dropFirst()
        }
        return first == 0 ? content.dropFirst() : content
    }

    /// Reads a small non-negative INTEGER (a version or salt length).
    mutating func readSmallInteger(_ name: String) throws(IKECryptoError) -> Int {
        let magnitude = try readUnsignedInteger(name)
        guard magnitude.count <= 4 else { throw error("\(name): INTEGER too large") }
        return magnitude.reduce(0) { $0 << 8 | Int($1) }
    }

    /// Reads an OBJECT IDENTIFIER and returns its content octets.
    mutating func readObjectIdentifier(_ name: String) throws(IKECryptoError) -> ArraySlice<UInt8> {
        let content = try read(Tag.objectIdentifier, name).content
        guard !content.isEmpty else { throw error("\(name): empty OBJECT IDENTIFIER") }
        return content
    }

    /// Reads an OCTET STRING's content.
    mutating func readOctetString(_ name: String) throws(IKECryptoError) -> ArraySlice<UInt8> {
        try read(Tag.octetString, name).content
    }

    /// Reads a BIT STRING that holds whole octets (no unused bits) and returns them.
    mutating func readOctetAlignedBitString(_ name: String) throws(IKECryptoError) -> ArraySlice<UInt8> {
        let content = try read(Tag.bitString, name).content
        guard content.first == 0 else { throw error("\(name): BIT STRING with unused bits") }
        return content.dropFirst()
    }

    /// Checks that nothing follows the last element read.
    func finish() throws(IKECryptoError) {
        guard isAtEnd else { throw error("\(bytes.endIndex - index) unexpected trailing octets") }
    }
}
