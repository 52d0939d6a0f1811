import IKECrypto

/// One EAP-TLS conversation on either side: the TLS endpoint plus the fragmentation and
/// reassembly of RFC 5216 §2.1.5. Each EAP-TLS message from the other side goes to
/// ``receive(_:)``, which gives the type data to send next, or `nil` when this side has
/// nothing more to say (the handshake is done and the other side has all our data).
///
/// A class, because the TLS endpoint is: an ``EAPAuthenticator`` or ``EAPPeer`` holding
/// one is used by one caller at a time, and a copy of it shares the session.
final class EAPTLSSession: @unchecked Sendable {
    // Mutated only through the owning authenticator's or peer's mutating methods.
    /// The largest reassembled TLS message accepted: a peer cannot make us buffer more.
    static let maximumMessageLength = 64 * 1024

    let endpoint: TLSEndpoint
    private let fragmentSize: Int
    /// Our TLS message being sent, and how much of it has gone.
    private var outbound: [UInt8] = []
    private var sent = 0
    /// The other side's fragments so far, and the total its first fragment announced.
    private var inbound: [UInt8] = []
    private var announcedLength: Int?

    init(configuration: EAPTLSConfiguration, isServer: Bool) throws(EAPFailure) {
        endpoint = try TLSEndpoint(configuration: configuration, isServer: isServer)
        fragmentSize = configuration.fragmentSize
    }

    /// The client's first flight (the ClientHello), as the answer to EAP-TLS Start.
    func start() throws(EAPFailure) -> [UInt8] {
        send(try endpoint.drain())
        return nextFragment()
    }

    /// The answer to `message` from the other side: the next fragment of ours, an
    /// acknowledgement, or `nil` when there is nothing to send.
    func receive(_ message: EAPTLSMessage) throws(EAPFailure) -> [UInt8]? {
        if sent < outbound.count {
            // We sent a fragment with M set: only an acknowledgement may come back.
            guard message.isAcknowledgement else { throw EAPFailure(.outOfOrder, "EAP-TLS data while we fragment") }
            return nextFragment()
        }
        if let total = message.totalLength, total > Self.maximumMessageLength {
            throw EAPFailure(.malformed, "EAP-TLS message of \(total) octets")
        }
        guard inbound.count + message.data.count <= Self.maximumMessageLength else {
            throw EAPFailure(.malformed, "EAP-TLS fragments beyond \(Self.maximumMessageLength) octets")
        }
        if inbound.isEmpty, let total = message.totalLength { announcedLength = Int(total) }
        inbound += message.data
        if message.hasMoreFragments { return EAPTLSMessage().encoded() }
        let records = inbound
        inbound = []
        if let announced = announcedLength, announced != records.count {
            throw EAPFailure(.malformed, "EAP-TLS message of \(records.count) octets, \(announced) announced")
        }
        announcedLength = nil
        if records.isEmpty { return nil }
        send(try endpoint.receive(records))
        return outbound.isEmpty ? nil : nextFragment()
    }

    private func send(_ message: [UInt8]) {
        outbound = message
        sent = 0
    }

    /// The next fragment of our message; the first of several carries the total length
    /// ("The L flag ... MUST be set for the first fragment", RFC 5216 §3.1).
    private func nextFragment() -> [UInt8] {
        let end = min(sent + fragmentSize, outbound.count)
        let more = end < outbound.count
        let fragment = EAPTLSMessage(
            flags: more ? EAPTLSMessage.moreFragments : 0,
            totalLength: sent == 0 && more ? UInt32(outbound.count) : nil,
            data: Array(outbound[sent..<end]))
        sent = end
        return fragment.encoded()
    }
}
