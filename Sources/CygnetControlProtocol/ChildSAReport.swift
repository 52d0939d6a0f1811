/// One Child SA pair in an ``IKESAReport``, with vici's key names (`spi-in`,
/// `local-ts`, ...).
///
/// Byte and packet counters come from the data plane (inner packets, as strongSwan
/// counts them); they stay 0 with `data_plane = no`.
public struct ChildSAReport: Codable, Hashable, Sendable {
    /// The Child SA's name in the connection's `children` section.
    public var name: String
    /// `INSTALLED` (strongSwan's `child_sa_state_names`).
    public var state: String
    /// `TUNNEL` or `TRANSPORT`.
    public var mode: String
    /// `ESP`.
    public var `protocol`: String
    /// ESP travels in UDP (RFC 3948).
    public var encap: Bool
    /// Our inbound SPI (the peer sends to it): 8 lower-case hex digits.
    public var spiIn: String
    /// The peer's inbound SPI (we send to it): 8 hex digits.
    public var spiOut: String
    /// strongSwan's name of the encryption algorithm.
    public var encrAlg: String?
    /// The Key Length attribute, in bits.
    public var encrKeysize: Int?
    /// Absent with an AEAD cipher.
    public var integAlg: String?
    /// The key exchange method negotiated for PFS, if any.
    public var dhGroup: String?
    /// Extended sequence numbers (RFC 4303 §2.2.1).
    public var esn: Bool
    /// Traffic counters.
    public var bytesIn: UInt64
    public var packetsIn: UInt64
    public var bytesOut: UInt64
    public var packetsOut: UInt64
    /// Inbound packets dropped (replayed, failed ICV, malformed, outside the selectors);
    /// a Cygnet addition to vici's keys.
    public var dropsIn: UInt64
    /// Seconds until the Child SA is rekeyed.
    public var rekeyTime: Int?
    /// Seconds until the Child SA expires.
    public var lifeTime: Int?
    /// Traffic selectors as strongSwan prints them: `10.1.0.0/16`, `10.1.0.5/32[tcp/80]`.
    public var localTS: [String]
    /// The remote traffic selectors, in the same form.
    public var remoteTS: [String]

    public init(
        name: String, state: String = "INSTALLED", mode: String, protocol: String = "ESP", encap: Bool, spiIn: String,
        spiOut: String, encrAlg: String? = nil, encrKeysize: Int? = nil, integAlg: String? = nil,
        dhGroup: String? = nil,
        esn: Bool = false, bytesIn: UInt64 = 0, packetsIn: UInt64 = 0, bytesOut: UInt64 = 0, packetsOut: UInt64 = 0,
        dropsIn: UInt64 = 0,
        rekeyTime: Int? = nil, lifeTime: Int? = nil, localTS: [String], remoteTS: [String]
    ) {
        self.name = name
        self.state = state
        self.mode = mode
        self.protocol = `protocol`
        self.encap = encap
        self.spiIn = spiIn
        self.spiOut = spiOut
        self.encrAlg = encrAlg
        self.encrKeysize = encrKeysize
        self.integAlg = integAlg
        self.dhGroup = dhGroup
        self.esn = esn
        self.bytesIn = bytesIn
        self.packetsIn = packetsIn
        self.bytesOut = bytesOut
        self.packetsOut = packetsOut
        self.dropsIn = dropsIn
        self.rekeyTime = rekeyTime
        self.lifeTime = lifeTime
        self.localTS = localTS
        self.remoteTS = remoteTS
    }

    enum CodingKeys: String, CodingKey {
        case name, state, mode, `protocol`, encap
        case spiIn = "spi-in"
        case spiOut = "spi-out"
        case encrAlg = "encr-alg"
        case encrKeysize = "encr-keysize"
        case integAlg = "integ-alg"
        case dhGroup = "dh-group"
        case esn
        case bytesIn = "bytes-in"
        case packetsIn = "packets-in"
        case bytesOut = "bytes-out"
        case packetsOut = "packets-out"
        case dropsIn = "drops-in"
        case rekeyTime = "rekey-time"
        case lifeTime = "life-time"
        case localTS = "local-ts"
        case remoteTS = "remote-ts"
    }
}
