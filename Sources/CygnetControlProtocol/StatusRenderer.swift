/// `cygnet status` as text, in the spirit of `swanctl --list-sas`: one block per IKE SA,
/// its Child SAs indented under it.
///
/// ```
/// site-b: ESTABLISHED, IKEv2, 0123456789abcdef_i* fedcba9876543210_r
///   local  'gw-a@example.net' @ 192.0.2.1[4500]
///   remote 'gw-b@example.net' @ 198.51.100.7[4500]
///   AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE_25519
///   established 2m5s ago, rekeying in 3h58m, expires in 4h28m
///   NAT-T: IKE on UDP 4500, ESP in UDP
///   MOBIKE, moved 1 time, peer also at 198.51.100.8
///   net: INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-256
///     rekeying in 55m, expires in 1h5m
///     in  c1a2b3c4,      0 bytes,     0 packets
///     out c5d6e7f8,      0 bytes,     0 packets
///     local  10.1.0.0/16
///     remote 10.2.0.0/16
/// ```
public enum StatusRenderer {
    /// The report as text, one line per `\n`, ending with a newline.
    public static func render(_ report: StatusReport) -> String {
        guard !report.ikeSAs.isEmpty else {
            return "no IKE SAs (`cygnet up NAME` initiates a connection)\n"
        }
        return report.ikeSAs.map(render).joined()
    }

    static func render(_ sa: IKESAReport) -> String {
        var lines: [String] = []
        lines.append(
            "\(sa.name): \(sa.state), IKEv2, \(sa.initiatorSPI)_i\(sa.initiator ? "*" : "") "
                + "\(sa.responderSPI)_r\(sa.initiator ? "" : "*")")
        // Virtual IPs in brackets after the address, as swanctl --list-sas shows them.
        let vips = { (addresses: [String]?) in addresses.map { " [\($0.joined(separator: " "))]" } ?? "" }
        lines.append("  local  '\(sa.localID)' @ \(host(sa.localHost, sa.localPort))\(vips(sa.localVIPs))")
        // The EAP identity after the address, as swanctl --list-sas shows it.
        let eap = sa.remoteEAPID.map { " EAP: '\($0)'" } ?? ""
        lines.append("  remote '\(sa.remoteID ?? "%any")' @ \(host(sa.remoteHost, sa.remotePort))\(eap)\(vips(sa.remoteVIPs))")
        if let encryption = sa.encrAlg {
            var algorithms = [keyed(encryption, sa.encrKeysize)]
            if let integrity = sa.integAlg { algorithms.append(integrity) }
            if let prf = sa.prfAlg { algorithms.append(prf) }
            if let group = sa.dhGroup { algorithms.append(group) }
            lines.append("  " + algorithms.joined(separator: "/"))
        }
        var times: [String] = []
        if let established = sa.established {
            times.append("established \(DurationText.format(seconds: established)) ago")
        }
        if let rekey = sa.rekeyTime { times.append("rekeying in \(DurationText.format(seconds: rekey))") }
        if let reauth = sa.reauthTime { times.append("reauth in \(DurationText.format(seconds: reauth))") }
        if let life = sa.lifeTime { times.append("expires in \(DurationText.format(seconds: life))") }
        if !times.isEmpty { lines.append("  " + times.joined(separator: ", ")) }
        if sa.natAny { lines.append("  NAT-T: IKE on UDP \(sa.localPort), ESP in UDP") }
        if let dns = sa.localDNS { lines.append("  DNS servers \(dns.joined(separator: " "))") }
        var mobility: [String] = []
        if sa.mobike == true { mobility.append("MOBIKE") }
        if let moves = sa.addressUpdates { mobility.append("moved \(moves) time\(moves == 1 ? "" : "s")") }
        if let hosts = sa.remoteAdditionalHosts { mobility.append("peer also at \(hosts.joined(separator: " "))") }
        if !mobility.isEmpty { lines.append("  " + mobility.joined(separator: ", ")) }
        for child in sa.childSAs { lines += render(child) }
        return lines.map { $0 + "\n" }.joined()
    }

    static func render(_ child: ChildSAReport) -> [String] {
        var algorithms: [String] = []
        if let encryption = child.encrAlg { algorithms.append(keyed(encryption, child.encrKeysize)) }
        if let integrity = child.integAlg { algorithms.append(integrity) }
        if let group = child.dhGroup { algorithms.append(group) }
        if child.esn { algorithms.append("ESN") }
        var lines = [
            "  \(child.name): \(child.state), \(child.mode)\(child.encap ? "-in-UDP" : ""), "
                + "\(child.protocol):\(algorithms.joined(separator: "/"))"
        ]
        var times: [String] = []
        if let rekey = child.rekeyTime { times.append("rekeying in \(DurationText.format(seconds: rekey))") }
        if let life = child.lifeTime { times.append("expires in \(DurationText.format(seconds: life))") }
        if !times.isEmpty { lines.append("    " + times.joined(separator: ", ")) }
        let drops = child.dropsIn > 0 ? ", \(child.dropsIn) dropped" : ""
        lines.append("    in  \(child.spiIn), \(counters(child.bytesIn, child.packetsIn))\(drops)")
        lines.append("    out \(child.spiOut), \(counters(child.bytesOut, child.packetsOut))")
        lines.append("    local  " + child.localTS.joined(separator: " "))
        lines.append("    remote " + child.remoteTS.joined(separator: " "))
        return lines
    }

    /// `AES_GCM_16-256`, or the bare name without a key size.
    private static func keyed(_ name: String, _ bits: Int?) -> String { bits.map { "\(name)-\($0)" } ?? name }

    /// `192.0.2.1[500]`, `2001:db8::1[500]`, as swanctl prints them.
    private static func host(_ address: String, _ port: Int) -> String { "\(address)[\(port)]" }

    /// swanctl's `%6s bytes, %5s packets`.
    private static func counters(_ bytes: UInt64, _ packets: UInt64) -> String {
        "\(padded(String(bytes), 6)) bytes, \(padded(String(packets), 5)) packets"
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
