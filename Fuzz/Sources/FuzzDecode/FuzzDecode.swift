import IKEWire
import NIOCore

/// libFuzzer entry point for the IKEWire decoder.
///
/// The property checked on every input (`Docs/architecture.md`, "Tests"):
/// - decoding never traps: malformed input is an `IKEWireError`;
/// - what decodes encodes, decodes again to an equal value, and re-encodes to the same
///   bytes (`decode(encode(decode(x))) == decode(x)`);
/// - the port 4500 classifier and the per-exchange rules table never trap either;
/// - a bare payload chain whose first type is the input's first byte decodes under the
///   same property, so inner payload decoders are reached without a valid IKE header.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let buffer = ByteBuffer(bytes: bytes)

    checkMessage(buffer)

    // Port 4500: the classifier, then the IKE message behind the non-ESP marker.
    if let datagram = try? UDPEncapsulatedDatagram(classifying: buffer) {
        guard datagram.framed == buffer else { fail("port 4500 framing does not give back the datagram", bytes) }
        if case .ike(let inner) = datagram { checkMessage(inner) }
    }

    // A bare payload chain, first payload type from the first byte.
    if let first = bytes.first {
        let chain = ByteBuffer(bytes: bytes.dropFirst())
        if let payloads = try? IKEPayload.decodeChain(chain, firstPayloadType: PayloadType(rawValue: first)) {
            var encoded = ByteBuffer()
            let firstType: PayloadType
            do {
                firstType = try IKEPayload.encodeChain(payloads, to: &encoded)
            } catch {
                fail("decoded payload chain does not encode: \(error)", bytes)
            }
            let again: [IKEPayload]
            do {
                again = try IKEPayload.decodeChain(encoded, firstPayloadType: firstType)
            } catch {
                fail("encoded payload chain does not decode: \(error)", bytes)
            }
            guard again == payloads else { fail("payload chain round trip changed the value", bytes) }
            var reencoded = ByteBuffer()
            _ = try? IKEPayload.encodeChain(again, to: &reencoded)
            guard reencoded == encoded else { fail("payload chain re-encoding changed the bytes", bytes) }
        }
    }
    return 0
}

private func checkMessage(_ buffer: ByteBuffer) {
    guard let message = try? IKEMessage(decoding: buffer) else { return }
    let bytes = Array(buffer.readableBytesView)
    let encoded: ByteBuffer
    do {
        encoded = try message.encoded()
    } catch {
        fail("decoded message does not encode: \(error)", bytes)
    }
    let again: IKEMessage
    do {
        again = try IKEMessage(decoding: encoded)
    } catch {
        fail("encoded message does not decode: \(error)", bytes)
    }
    // The header's Length and Next Payload are recomputed by the encoder, and the minor
    // version is always sent as zero (RFC 7296 §3.1); everything else must survive as
    // decoded.
    guard again.payloads == message.payloads else { fail("message round trip changed the payloads", bytes) }
    var header = message.header
    header.length = again.header.length
    header.nextPayload = again.header.nextPayload
    header.minorVersion = 0
    guard again.header == header else { fail("message round trip changed the header", bytes) }
    let reencoded: ByteBuffer
    do {
        reencoded = try again.encoded()
    } catch {
        fail("re-decoded message does not encode: \(error)", bytes)
    }
    guard reencoded == encoded else { fail("message re-encoding changed the bytes", bytes) }

    if let rules = IKEMessageRules.rules(for: message.header.exchangeType, isResponse: message.header.isResponse) {
        _ = try? rules.check(message)
        for payload in message.payloads {
            if case .encrypted(let sk) = payload {
                // Treat SK's content as if it were decrypted plaintext.
                if let inner = try? IKEPayload.decodeChain(
                    ByteBuffer(bytes: sk.data), firstPayloadType: sk.firstPayloadType)
                {
                    _ = try? rules.check(decryptedPayloads: inner)
                }
            }
        }
    }
}

private func fail(_ what: String, _ input: [UInt8]) -> Never {
    let hex = input.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        .joined()
    fatalError("FuzzDecode: \(what); input \(hex)")
}
