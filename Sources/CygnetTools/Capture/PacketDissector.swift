import IKEWire
import NIOCore

/// Turns captured frames into ``CaptureRecord``s: strips the link layer, parses IPv4 or
/// IPv6 (reassembling fragments), and keeps UDP datagrams on port 500 or 4500.
///
/// Frames that are not IP, not UDP, or on other ports yield no record. Nothing here
/// traps on a hostile frame: every length is checked against the captured bytes.
struct PacketDissector {
    /// LINKTYPE_ values (tcpdump.org link-layer header types) this dissector understands.
    enum LinkType {
        static let null: UInt32 = 0
        static let ethernet: UInt32 = 1
        static let raw: UInt32 = 101
        static let loop: UInt32 = 108
        static let linuxSLL: UInt32 = 113
        static let ipv4: UInt32 = 228
        static let ipv6: UInt32 = 229
        static let linuxSLL2: UInt32 = 276
    }

    static let ikePort: UInt16 = 500
    static let natTraversalPort: UInt16 = 4500

    private var reassembler = IPFragmentReassembler()

    /// The record for `frame`, or `nil` when it carries no UDP 500/4500 datagram (or is
    /// a fragment of one not yet complete).
    mutating func dissect(_ frame: CaptureFrame) -> CaptureRecord? {
        guard let network = Self.networkLayer(frame.data, linkType: frame.linkType),
            let datagram = IPDatagram(network)
        else { return nil }
        guard let (proto, reassembled) = reassembler.add(datagram, frame: frame.number) else { return nil }
        var upperProtocol = proto
        var payload = reassembled
        if datagram.fragment != nil, datagram.version == 6 {
            guard let (inner, rest) = IPDatagram.skipIPv6ExtensionHeaders(proto, reassembled) else { return nil }
            upperProtocol = inner
            payload = rest
        }
        guard upperProtocol == IPDatagram.udp else { return nil }
        return Self.udpRecord(payload, datagram: datagram, frame: frame)
    }

    /// Notes for datagrams whose fragments never all arrived, once the capture has ended.
    func incompleteDatagramNotes() -> [CaptureRecord] {
        reassembler.incompleteFirstFrames.map {
            CaptureRecord(frameNumber: $0, content: .note("IP fragments from this frame on never completed a datagram"))
        }
    }

    /// The IP packet inside a link-layer frame, or `nil` for other protocols.
    static func networkLayer(_ data: [UInt8], linkType: UInt32) -> ArraySlice<UInt8>? {
        let reader = CaptureByteReader(data)
        let start: Int
        switch linkType {
        case LinkType.null, LinkType.loop:
            // A 4-byte address family in the capturing host's byte order (NULL) or network
            // order (LOOP); the IP version nibble tells IPv4 from IPv6 either way.
            start = 4
        case LinkType.ethernet:
            var typeOffset = 12
            // IEEE 802.1Q / 802.1ad tags: TPID then 2 bytes of TCI, possibly stacked.
            while let type = reader.uint16(at: typeOffset), [0x8100, 0x88A8, 0x9100].contains(type) {
                typeOffset += 4
            }
            guard let type = reader.uint16(at: typeOffset), type == 0x0800 || type == 0x86DD else { return nil }
            start = typeOffset + 2
        case LinkType.linuxSLL:
            guard let type = reader.uint16(at: 14), type == 0x0800 || type == 0x86DD else { return nil }
            start = 16
        case LinkType.linuxSLL2:
            guard let type = reader.uint16(at: 0), type == 0x0800 || type == 0x86DD else { return nil }
            start = 20
        case LinkType.raw, LinkType.ipv4, LinkType.ipv6:
            start = 0
        default:
            return nil
        }
        guard start < data.count else { return nil }
        return data[start...]
    }

    /// RFC 768: an 8-byte header, then the data; Length bounds the datagram.
    private static func udpRecord(_ segment: ArraySlice<UInt8>, datagram: IPDatagram, frame: CaptureFrame)
        -> CaptureRecord?
    {
        let bytes = Array(segment)
        let reader = CaptureByteReader(bytes)
        guard let sourcePort = reader.uint16(at: 0), let destinationPort = reader.uint16(at: 2),
            let length = reader.uint16(at: 4), length >= 8
        else { return nil }
        let ports = [sourcePort, destinationPort]
        guard ports.contains(ikePort) || ports.contains(natTraversalPort) else { return nil }
        let payload = ByteBuffer(bytes: bytes[8..<min(Int(length), bytes.count)])
        let content: CaptureRecord.Content
        if ports.contains(natTraversalPort) {
            // RFC 3948 §2.2 and RFC 7296 §2.23: on port 4500 IKE follows a non-ESP marker.
            do {
                switch try UDPEncapsulatedDatagram(classifying: payload) {
                case .ike(let message):
                    content = .ike(message)
                case .esp(let packet):
                    let spi = packet.getInteger(at: packet.readerIndex, as: UInt32.self) ?? 0
                    content = .esp(spi: spi, length: packet.readableBytes)
                case .natKeepalive:
                    content = .natKeepalive
                }
            } catch {
                content = .note("UDP/4500 datagram of \(payload.readableBytes) bytes is neither IKE, ESP nor a keepalive")
            }
        } else {
            content = .ike(payload)
        }
        return CaptureRecord(
            frameNumber: frame.number, timestamp: frame.timestamp,
            source: CaptureEndpoint(address: datagram.source, port: sourcePort),
            destination: CaptureEndpoint(address: datagram.destination, port: destinationPort), content: content)
    }
}
