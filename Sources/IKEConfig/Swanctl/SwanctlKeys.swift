/// The keys and sections Cygnet reads in each swanctl.conf section, and the ones
/// strongSwan has there that Cygnet does not implement yet (so an operator's existing
/// file gets "not supported yet" rather than "unknown").
enum SwanctlKeys {
    static let topSections = ["connections", "secrets", "pools", "cygnet"]
    static let unsupportedTopSections: [String: String] = [
        "authorities": "certification authority sections ('authorities') are not supported yet; put CA certificates in x509ca/ or use cacerts",
    ]

    static let connection = [
        "version", "local_addrs", "remote_addrs", "local_port", "remote_port", "proposals", "encap", "mobike", "dpd_delay",
        "fragmentation", "send_certreq", "send_cert", "keyingtries", "unique", "reauth_time", "rekey_time",
        "over_time", "rand_time", "vips", "pools",
    ]
    static let connectionSections = ["local", "remote", "children", "cygnet"]
    /// Cygnet's own settings of a connection, in its `cygnet { }` section.
    static let connectionExtensions = ["ms_dh_downgrade"]
    static let unsupportedConnection = [
        "aggressive", "pull", "dscp", "childless", "ppk_id", "ppk_required", "if_id_in", "if_id_out",
        "mediation", "mediated_by", "mediation_peer", "ocsp",
    ]

    static let endpoint = ["auth", "id", "eap_id", "certs", "cacerts"]
    static let unsupportedEndpoint = [
        "round", "pubkeys", "groups", "cert_policy", "aaa_id", "xauth_id", "revocation", "ca_id",
    ]

    static let child = [
        "local_ts", "remote_ts", "esp_proposals", "mode", "start_action", "dpd_action", "close_action", "rekey_time",
        "life_time", "rand_time", "rekey_bytes", "life_bytes", "rand_bytes", "rekey_packets", "life_packets", "rand_packets",
    ]
    static let unsupportedChild = [
        "ah_proposals", "sha256_96", "updown", "hostaccess", "policies", "policies_fwd_out", "replay_window", "inactivity",
        "reqid", "priority", "interface", "mark_in", "mark_in_sa", "mark_out", "set_mark_in", "set_mark_out", "if_id_in",
        "if_id_out", "label", "label_mode", "tfc_padding", "hw_offload", "copy_df", "copy_ecn", "copy_dscp", "ipcomp",
        "per_cpu_sas", "per_cpu_sas_encap", "dpd_delay",
    ]

    static let pool = ["addrs", "dns", "nbns", "subnet"]
    /// strongSwan's other `attr` attributes; `split_include` and `split_exclude` get their
    /// own message.
    static let unsupportedPool = ["dhcp", "netmask", "server", "p_cscf", "split_include", "split_exclude"]

    static let ikeSecret = ["secret", "id"]
    static let eapSecret = ["secret", "id"]
    static let privateKeySecret = ["file"]

    static let daemon = [
        "listen", "port", "port_nat_t", "control_socket", "metrics", "data_plane", "key_log", "tun_name", "tun_mtu",
        "keep_alive", "window_size",
        "fragment_size", "cookie_threshold", "block_threshold", "init_limit_half_open", "half_open_timeout",
        "retransmit_timeout", "retransmit_base", "retransmit_tries", "lease_database", "resolv_conf",
    ]
    static let daemonSections = ["log", "eap-radius"]

    /// `cygnet { eap-radius { } }`: the defaults of every server (strongSwan's
    /// `charon.plugins.eap-radius`).
    static let eapRADIUS = ["port", "nas_identifier", "retransmit_tries", "retransmit_timeout", "retransmit_base"]
    static let unsupportedEAPRADIUS = [
        "server", "secret", "source", "sockets", "accounting", "accounting_requires_vip", "accounting_close_on_timeout",
        "accounting_interval", "accounting_send_class", "class_group", "close_all_on_timeout", "eap_start", "filter_id",
        "forward", "id_prefix", "station_id_with_port", "dae", "xauth", "load",
    ]
    /// `cygnet { eap-radius { servers { NAME { } } } }`.
    static let radiusServer = [
        "address", "secret", "auth_port", "port", "preference", "nas_identifier", "retransmit_tries", "retransmit_timeout",
        "retransmit_base",
    ]
    static let unsupportedRADIUSServer = ["source", "acct_port", "sockets"]
    /// strongswan.conf `charon` options people carry over that Cygnet does not use.
    static let unsupportedDaemon = [
        "threads", "install_routes", "install_virtual_ip", "plugins", "interfaces_use", "interfaces_ignore",
        "retransmit_jitter", "retransmit_limit", "make_before_break", "reuse_ikesa", "dos_protection", "cookie_threshold_ip",
        "filelog", "syslog", "charon", "send_vendor_id", "ignore_acquire_ts", "cisco_unity", "i_dont_care_about_security_and_use_aggressive_mode_psk",
    ]
}
