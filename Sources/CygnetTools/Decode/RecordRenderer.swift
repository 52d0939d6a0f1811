import IKEWire
import NIOCore

/// Renders capture records for `cygnet decode`: decodes each IKE message with
/// ``IKEWire/IKEMessage`` and turns it (or the ``IKEWire/IKEWireError`` that stopped
/// it) into text and JSON.
///
/// The text header line reads
/// `#3 192.0.2.1:500 -> 192.0.2.2:500 IKE_AUTH request #1 (I) SPIi … SPIr … len 256`:
/// frame number, addresses, exchange, request or response (the R flag), Message ID,
/// the sender's role from the I flag (`(I)` original initiator, `(R)` original
/// responder; `V` is added when the version flag is set), both SPIs and the length.
public enum RecordRenderer {
    /// Renders one record.
    public static func render(_ record: CaptureRecord) -> RenderedRecord {
        var fields = addressFields(record)
        let prefix = linePrefix(record)
        switch record.content {
        case .ike(let buffer):
            do {
                return render(try IKEMessage(decoding: buffer), record: record)
            } catch {
                return renderMalformed(buffer, error: error, prefix: prefix, fields: fields)
            }
        case .esp(let spi, let length):
            let spiText = HexText.string(spi)
            fields["kind"] = .string(RenderedRecord.Kind.esp.rawValue)
            fields["spi"] = .string(spiText)
            fields["length"] = .integer(length)
            return RenderedRecord(kind: .esp, lines: ["\(prefix)ESP SPI \(spiText), \(length) bytes"], json: .object(fields))
        case .natKeepalive:
            fields["kind"] = .string(RenderedRecord.Kind.keepalive.rawValue)
            return RenderedRecord(kind: .keepalive, lines: ["\(prefix)NAT-keepalive"], json: .object(fields))
        case .note(let note):
            fields["kind"] = .string(RenderedRecord.Kind.note.rawValue)
            fields["note"] = .string(note)
            return RenderedRecord(kind: .note, lines: ["\(prefix)\(note)"], json: .object(fields))
        }
    }

    /// Renders a decoded message (for tests and callers that decode themselves).
    public static func render(_ message: IKEMessage, record: CaptureRecord) -> RenderedRecord {
        var fields = addressFields(record)
        fields.merge(headerFields(message.header)) { _, new in new }
        let items = message.payloads.map(PayloadDescriber.describe)
        fields["kind"] = .string(RenderedRecord.Kind.ike.rawValue)
        fields["payloads"] = .array(items.map(\.json))
        fields["payloadTypes"] = .array(message.payloads.map { .string(PayloadDescriber.shortName($0.type)) })
        let lines = [linePrefix(record) + headerText(message.header)] + items.flatMap { $0.lines(indent: 1) }
        return RenderedRecord(kind: .ike, lines: lines, json: .object(fields))
    }

    private static func renderMalformed(
        _ buffer: ByteBuffer, error: IKEWireError, prefix: String, fields: [String: JSONValue]
    ) -> RenderedRecord {
        var fields = fields
        fields["kind"] = .string(RenderedRecord.Kind.malformed.rawValue)
        fields["length"] = .integer(buffer.readableBytes)
        var errorFields: [String: JSONValue] = [
            "code": .string(error.code.description), "codeNumber": .integer(Int(error.code.rawValue)),
            "offset": .integer(error.offset), "field": .string(error.field), "description": .string(error.description),
            "payloadType": .null,
        ]
        if let type = error.payloadType {
            errorFields["payloadType"] = .string(PayloadDescriber.shortName(type))
            errorFields["payloadTypeNumber"] = .integer(Int(type.rawValue))
        }
        fields["error"] = .object(errorFields)
        let malformed = "malformed: \(error)"
        guard let header = try? IKEHeader(parsing: buffer) else {
            return RenderedRecord(kind: .malformed, lines: [prefix + malformed], json: .object(fields))
        }
        fields.merge(headerFields(header)) { old, _ in old }
        return RenderedRecord(
            kind: .malformed, lines: [prefix + headerText(header), "  " + malformed], json: .object(fields))
    }

    /// `#3 192.0.2.1:500 -> 192.0.2.2:500 ` (addresses only for captures).
    static func linePrefix(_ record: CaptureRecord) -> String {
        var text = "#\(record.frameNumber) "
        if let source = record.source, let destination = record.destination {
            text += "\(source) -> \(destination) "
        }
        return text
    }

    static func headerText(_ header: IKEHeader) -> String {
        var role = header.isInitiator ? "I" : "R"
        if header.flags.contains(.version) { role += ",V" }
        return "\(header.exchangeType) \(header.isResponse ? "response" : "request") #\(header.messageID) (\(role))"
            + " SPIi \(HexText.string(header.initiatorSPI)) SPIr \(HexText.string(header.responderSPI))"
            + " len \(header.length)"
    }

    static func headerFields(_ header: IKEHeader) -> [String: JSONValue] {
        [
            "exchange": .string(header.exchangeType.description),
            "exchangeType": .integer(Int(header.exchangeType.rawValue)),
            "isResponse": .bool(header.isResponse),
            "isInitiator": .bool(header.isInitiator),
            "hasVersionFlag": .bool(header.flags.contains(.version)),
            "messageID": .integer(Int(header.messageID)),
            "spiI": .string(HexText.string(header.initiatorSPI)),
            "spiR": .string(HexText.string(header.responderSPI)),
            "length": .integer(Int(header.length)),
            "nextPayload": .string(PayloadDescriber.shortName(header.nextPayload)),
            "minorVersion": .integer(Int(header.minorVersion)),
        ]
    }

    static func addressFields(_ record: CaptureRecord) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["frame": .integer(record.frameNumber)]
        if let timestamp = record.timestamp { fields["timestamp"] = .string(timestamp.description) }
        if let source = record.source {
            fields["source"] = .string(source.addressText)
            fields["sourcePort"] = .integer(Int(source.port))
        }
        if let destination = record.destination {
            fields["destination"] = .string(destination.addressText)
            fields["destinationPort"] = .integer(Int(destination.port))
        }
        return fields
    }
}
