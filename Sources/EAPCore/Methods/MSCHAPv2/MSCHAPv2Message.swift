import IKEWire

/// The type data of an EAP-MSCHAPv2 packet (draft-kamath-pppext-eap-mschapv2 §2,
/// carrying the packets of RFC 2759 §4–§6):
///
/// ```
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    OpCode     |  MS-CHAPv2-ID |           MS-Length           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Data ...
/// ```
///
/// A Success or Failure Response is the OpCode alone. MS-Length (the EAP Length less 5)
/// is written; on reading, the data is taken from the packet, whose Length is checked.
enum MSCHAPv2Message: Equatable, CustomStringConvertible {
    /// OpCode 1: Value-Size 16, the authenticator's challenge, its name (RFC 2759 §4).
    case challenge(id: UInt8, challenge: [UInt8], name: [UInt8])
    /// OpCode 2: Value-Size 49, the peer's challenge, 8 reserved octets, the NT-Response,
    /// Flags, the user's name (RFC 2759 §4).
    case response(id: UInt8, peerChallenge: [UInt8], ntResponse: [UInt8], name: [UInt8])
    /// OpCode 3 in a Request: `S=<auth_string> M=<message>` (RFC 2759 §5).
    case successRequest(id: UInt8, message: [UInt8])
    /// OpCode 4 in a Request: `E=eeeeeeeeee R=r C=cccc… V=vvvvvvvvvv M=<msg>` (RFC 2759 §6).
    case failureRequest(id: UInt8, message: [UInt8])
    /// OpCode 3 in a Response: the peer accepts the authenticator's proof.
    case successResponse
    /// OpCode 4 in a Response: the peer gives up.
    case failureResponse

    enum OpCode: UInt8 {
        case challenge = 1, response = 2, success = 3, failure = 4
    }

    private static let challengeValueSize: UInt8 = 16
    private static let responseValueSize: UInt8 = 49

    /// Decodes the type data of a packet of `code` (Request or Response).
    init(decoding data: [UInt8], code: EAPCode) throws(EAPFailure) {
        guard let first = data.first, let opCode = OpCode(rawValue: first) else {
            throw EAPFailure(.malformed, "MSCHAPv2 opcode \(data.first.map(String.init) ?? "missing")")
        }
        if code == .response, opCode == .success || opCode == .failure {
            self = opCode == .success ? .successResponse : .failureResponse
            return
        }
        guard data.count >= 4 else { throw EAPFailure(.malformed, "MSCHAPv2 header of \(data.count) octets") }
        let id = data[1]
        let body = Array(data[4...])
        switch (code, opCode) {
        case (.request, .challenge):
            let size = Int(Self.challengeValueSize)
            guard body.count >= 1 + size, body[0] == Self.challengeValueSize else {
                throw EAPFailure(.malformed, "MSCHAPv2 Challenge value")
            }
            self = .challenge(id: id, challenge: Array(body[1...size]), name: Array(body[(1 + size)...]))
        case (.response, .response):
            guard body.count >= 1 + Int(Self.responseValueSize), body[0] == Self.responseValueSize else {
                throw EAPFailure(.malformed, "MSCHAPv2 Response value")
            }
            self = .response(
                id: id, peerChallenge: Array(body[1...16]), ntResponse: Array(body[25...48]), name: Array(body[50...]))
        case (.request, .success):
            self = .successRequest(id: id, message: body)
        case (.request, .failure):
            self = .failureRequest(id: id, message: body)
        default:
            throw EAPFailure(.malformed, "MSCHAPv2 opcode \(first) in a \(code)")
        }
    }

    /// The packet's name, without its data.
    var description: String {
        switch self {
        case .challenge: "Challenge"
        case .response: "Response"
        case .successRequest: "Success Request"
        case .failureRequest: "Failure Request"
        case .successResponse: "Success Response"
        case .failureResponse: "Failure Response"
        }
    }

    /// The type data.
    func encoded() -> [UInt8] {
        switch self {
        case .challenge(let id, let challenge, let name):
            Self.framed(.challenge, id, [Self.challengeValueSize] + challenge + name)
        case .response(let id, let peerChallenge, let ntResponse, let name):
            Self.framed(
                .response, id,
                [Self.responseValueSize] + peerChallenge + [UInt8](repeating: 0, count: 8) + ntResponse + [0] + name)
        case .successRequest(let id, let message): Self.framed(.success, id, message)
        case .failureRequest(let id, let message): Self.framed(.failure, id, message)
        case .successResponse: [OpCode.success.rawValue]
        case .failureResponse: [OpCode.failure.rawValue]
        }
    }

    private static func framed(_ opCode: OpCode, _ id: UInt8, _ body: [UInt8]) -> [UInt8] {
        let length = 4 + body.count
        return [opCode.rawValue, id, UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)] + body
    }

    /// The `key=value` fields of a Success or Failure message, split at spaces; the
    /// value of `M=` runs to the end (RFC 2759 §5, §6).
    static func fields(of message: [UInt8]) -> [UInt8: [UInt8]] {
        var fields: [UInt8: [UInt8]] = [:]
        var index = 0
        while index + 1 < message.count {
            let key = message[index]
            guard message[index + 1] == UInt8(ascii: "=") else { break }
            var end = index + 2
            if key == UInt8(ascii: "M") {
                end = message.count
            } else {
                while end < message.count, message[end] != UInt8(ascii: " ") { end += 1 }
            }
            if fields[key] == nil { fields[key] = Array(message[(index + 2)..<end]) }
            index = end + 1
        }
        return fields
    }
}
