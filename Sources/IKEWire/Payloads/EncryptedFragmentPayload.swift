import NIOCore

/// Encrypted and Authenticated Fragment payload, SKF (RFC 7383 §2.5).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// |        Fragment Number        |        Total Fragments        |
/// +---------------+---------------+---------------+---------------+
/// |                     Initialization Vector                     |
/// +---------------+---------------+---------------+---------------+
/// ~                      Encrypted content                        ~
/// +---------------+---------------+---------------+---------------+
/// ~                    Integrity Checksum Data                    ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct EncryptedFragmentPayload: Hashable, Sendable {
    /// Type of the first inner payload: set in fragment 1 only, zero in the others.
    public var firstPayloadType: PayloadType
    /// Starts from 1.
    public var fragmentNumber: UInt16
    public var totalFragments: UInt16
    /// IV, ciphertext and ICV, as sent.
    public var data: [UInt8]

    public init(firstPayloadType: PayloadType, fragmentNumber: UInt16, totalFragments: UInt16, data: [UInt8]) {
        self.firstPayloadType = firstPayloadType
        self.fragmentNumber = fragmentNumber
        self.totalFragments = totalFragments
        self.data = data
    }

    init(parsing reader: inout WireReader, firstPayloadType: PayloadType, nextPayloadOffset: Int) throws(IKEWireError) {
        let numberOffset = reader.offset
        fragmentNumber = try reader.readUInt16("Fragment Number")
        totalFragments = try reader.readUInt16("Total Fragments")
        // RFC 7383 §2.5: Fragment Number "MUST be less than or equal to the next field
        // (Total Fragments). This field MUST NOT be zero."; Total Fragments "MUST NOT be
        // zero".
        guard totalFragments != 0 else {
            throw reader.error(.invalidValue, "Total Fragments", at: numberOffset + 2, "zero")
        }
        guard fragmentNumber != 0, fragmentNumber <= totalFragments else {
            throw reader.error(
                .invalidValue, "Fragment Number", at: numberOffset, "\(fragmentNumber) of \(totalFragments)")
        }
        // RFC 7383 §2.5: "In the other fragments, this field MUST be set to zero."
        if fragmentNumber != 1, firstPayloadType != .noNextPayload {
            throw reader.error(
                .invalidValue, "Next Payload", at: nextPayloadOffset,
                "\(firstPayloadType) in fragment \(fragmentNumber); only fragment 1 names a payload")
        }
        self.firstPayloadType = firstPayloadType
        data = reader.readRest()
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(fragmentNumber)
        buffer.writeInteger(totalFragments)
        buffer.writeBytes(data)
    }
}
