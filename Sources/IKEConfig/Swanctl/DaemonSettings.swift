/// The `cygnet { ... }` section: what strongSwan keeps in strongswan.conf, with
/// strongSwan's defaults where it has the setting (`charon.port`, `charon.port_nat_t`,
/// `charon.keep_alive`, `charon.window_size`, `charon.fragment_size`,
/// `charon.cookie_threshold`, `charon.block_threshold`, `charon.init_limit_half_open`,
/// `charon.half_open_timeout`, `charon.retransmit_*`).
public struct DaemonSettings: Hashable, Sendable {
    /// `listen` (default `0.0.0.0, ::`): the addresses to bind.
    public var listenAddresses: [AddressSpecification] = [.address([0, 0, 0, 0]), .address([UInt8](repeating: 0, count: 16))]
    /// `port` (default 500); 0 picks a free port.
    public var port: UInt16 = 500
    /// `port_nat_t` (default 4500); 0 picks a free port.
    public var natTraversalPort: UInt16 = 4500
    /// `control_socket` (default `/run/cygnet.ctl`).
    public var controlSocket: String = "/run/cygnet.ctl"
    /// `metrics` (`ADDRESS:PORT`, `[IPv6]:PORT`; default off).
    public var metricsAddress: String?
    /// `data_plane` (default `yes`): carry the Child SAs' traffic through a TUN device;
    /// `no` negotiates SAs without one (no root needed).
    public var dataPlane = true
    /// `key_log` (default off): a file that receives every Child SA's ESP keys in
    /// Wireshark's `esp_sa` format, for debugging only.
    public var keyLog: String?
    /// `tun_name` (default `cygnet0`).
    public var tunName: String = "cygnet0"
    /// `tun_mtu` (default 1400).
    public var tunMTU: Int = 1400
    /// `keep_alive` (default 20 s; 0 off): NAT keepalive interval (RFC 3948 §2.3).
    public var natKeepaliveInterval: Duration = .seconds(20)
    /// `window_size` (default 1): requests of the peer processed in parallel (RFC 7296 §2.3).
    public var windowSize: UInt32 = 1
    /// `fragment_size` (default 1280): largest IKE datagram we send (RFC 7383).
    public var fragmentSize: Int = 1280
    /// `cookie_threshold` (default 30; 0 never): half-open SAs from which on COOKIEs are
    /// required (RFC 7296 §2.6).
    public var cookieThreshold: Int? = 30
    /// `block_threshold` (default 5; 0 off): half-open SAs one address may have.
    public var blockThreshold: Int? = 5
    /// `init_limit_half_open` (default 10000; 0 off): half-open SAs in total.
    public var halfOpenLimit: Int? = 10_000
    /// `half_open_timeout` (default 30 s).
    public var halfOpenTimeout: Duration = .seconds(30)
    /// `retransmit_timeout` (default 4 s).
    public var retransmitTimeout: Duration = .seconds(4)
    /// `retransmit_base` (default 1.8).
    public var retransmitBase: Double = 1.8
    /// `retransmit_tries` (default 5).
    public var retransmitTries: Int = 5
    /// `lease_database` (default off): an SQLite file where the leases of the address pools
    /// are kept, so every identity gets its address back after a restart; without it the
    /// leases live in memory.
    public var leaseDatabase: String?
    /// `resolv_conf` (default off): on a road warrior, the file (such as
    /// `/etc/resolv.conf`) where the DNS servers received with a virtual IP are written,
    /// ahead of the system's own, while the IKE SA that brought them is up.
    public var resolvConf: String?
    /// `log { ... }`.
    public var log = LogSettings()
    /// `eap-radius { ... }` (default none): the RADIUS servers for `auth = eap-radius`.
    public var eapRADIUS: EAPRADIUSSettings?
    /// Where each key was set, by key name.
    public var keyLocations: [String: SourceLocation] = [:]

    public init() {}
}
