import IKEWire

/// Vendor ID values (RFC 7296 §3.12) that well-known implementations send, for naming
/// them in decoded output.
enum VendorIDCatalog {
    /// Hex of the Vendor ID → who sends it. Prefix matches are allowed for entries that
    /// end in a version number.
    static let known: [(hex: String, name: String)] = [
        ("882fe56d6fd20dbc2251613b2ebe5beb", "strongSwan"),
        ("1e2b516905991c7d7c96fcbfb587e461", "Microsoft Windows (MS NT5 ISAKMPOAKLEY)"),
        ("fb1de3cdf341b7ea16b7e5be0855f120", "Microsoft Windows (MS-Negotiation Discovery Capable)"),
        ("e3a5966a76379fe707228231e5ce8652", "Microsoft Windows (IKE CGA version 1)"),
        ("01528bbbc00696121849ab9a1c5b2a51", "Microsoft Windows (MS-MamieExists)"),
        ("26244d38eddb61b3172a36e3d0cfb819", "Microsoft Windows (Vid-Initial-Contact)"),
        ("4a131c81070358455c5728f20e95452f", "RFC 3947 NAT-T"),
        ("afcad71368a1f1c96b8696fc77570100", "Dead Peer Detection v1.0"),
        ("12f5f28c457168a9702d9fe274cc0100", "Cisco Unity"),
    ]

    /// The name for a Vendor ID, or `nil` when unknown.
    static func name(for data: [UInt8]) -> String? {
        let hex = HexText.string(data)
        return known.first { hex == $0.hex || (hex.count > $0.hex.count && hex.hasPrefix($0.hex)) }?.name
    }
}
