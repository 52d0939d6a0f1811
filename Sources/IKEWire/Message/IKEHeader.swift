import NIOCore

/// The IKE header (RFC 7296 §3.1).
///
/// ```
///                      1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       IKE SA Initiator's SPI                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       IKE SA Responder's SPI                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                          Message ID                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                            Length                             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct IKEHeader: Hashable, Sendable {
    /// The header flags (RFC 7296 §3.1). Bits other than R, V and I "MUST be cleared
    /// when sending and MUST be ignored on receipt", so they are dropped when decoding.
    public struct Flags: OptionSet, Hashable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue & 0x38 }

        /// R: this message is a response.
        public static let response = Flags(rawValue: 0x20)
        /// V: the sender can speak a higher major version.
        public static let version = Flags(rawValue: 0x10)
        /// I: the sender is the original initiator of the IKE SA.
        public static let initiator = Flags(rawValue: 0x08)
    }

    /// Length of the fixed header.
    public static let length = 28
    /// The major version this implementation speaks.
    public static let majorVersion: UInt8 = 2

    public var initiatorSPI: UInt64
    /// Zero in the first message of IKE_SA_INIT.
    public var responderSPI: UInt64
    /// The type of the first payload; set by the encoder.
    public var nextPayload: PayloadType
    /// Received minor version; RFC 7296 §3.1: implementations "MUST ignore the minor
    /// version number of received messages", and send zero.
    public var minorVersion: UInt8
    public var exchangeType: ExchangeType
    public var flags: Flags
    public var messageID: UInt32
    /// Length of the whole message; set by the encoder.
    public var length: UInt32

    public init(
        initiatorSPI: UInt64, responderSPI: UInt64 = 0, exchangeType: ExchangeType, flags: Flags,
        messageID: UInt32, nextPayload: PayloadType = .noNextPayload, minorVersion: UInt8 = 0, length: UInt32 = 0
    ) {
        self.initiatorSPI = initiatorSPI
        self.responderSPI = responderSPI
        self.nextPayload = nextPayload
        self.minorVersion = minorVersion
        self.exchangeType = exchangeType
        self.flags = flags
        self.messageID = messageID
        self.length = length
    }

    public var isResponse: Bool { flags.contains(.response) }
    public var isInitiator: Bool { flags.contains(.initiator) }

    /// Reads the header alone, checking the version but not the length against a
    /// datagram. The engine uses it to answer a message whose payloads did not decode.
    public init(parsing buffer: ByteBuffer) throws(IKEWireError) {
        var reader = WireReader(buffer)
        try self.init(parsing: &reader)
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        initiatorSPI = try reader.readUInt64("IKE SA Initiator's SPI")
        responderSPI = try reader.readUInt64("IKE SA Responder's SPI")
        nextPayload = PayloadType(rawValue: try reader.readUInt8("Next Payload"))
        let versionOffset = reader.offset
        let version = try reader.readUInt8("MjVer")
        // RFC 7296 §3.1: "Implementations based on this version of IKE MUST reject or
        // ignore messages containing a version number greater than 2 with an
        // INVALID_MAJOR_VERSION notification message".
        guard version >> 4 == Self.majorVersion else {
            throw reader.error(.invalidMajorVersion, "MjVer", at: versionOffset, "major version \(version >> 4)")
        }
        minorVersion = version & 0x0F
        exchangeType = ExchangeType(rawValue: try reader.readUInt8("Exchange Type"))
        flags = Flags(rawValue: try reader.readUInt8("Flags"))
        messageID = try reader.readUInt32("Message ID")
        let lengthOffset = reader.offset
        length = try reader.readUInt32("Length")
        guard length >= Self.length else {
            throw reader.error(.invalidLength, "Length", at: lengthOffset, "\(length) < \(Self.length)")
        }
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(initiatorSPI)
        buffer.writeInteger(responderSPI)
        buffer.writeInteger(nextPayload.rawValue)
        buffer.writeInteger(Self.majorVersion << 4)  // minor version 0
        buffer.writeInteger(exchangeType.rawValue)
        buffer.writeInteger(flags.rawValue)
        buffer.writeInteger(messageID)
        buffer.writeInteger(length)
    }
}
