import IKEWire

/// `cygnet { eap-radius { ... } }`: the RADIUS servers EAP is forwarded to (RFC 3579),
/// with the keys and defaults of strongSwan's eap-radius plugin
/// (`charon.plugins.eap-radius` in strongswan.conf). A server's own key wins over the
/// section's; the section's over the default.
public struct EAPRADIUSSettings: Hashable, Sendable {
    /// One `servers { NAME { ... } }` entry. The secret never prints: `description` and
    /// `debugDescription` leave it out.
    public struct Server: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
        /// The section's name, for logs.
        public var name: String
        /// `address` (required): the server's IPv4 or IPv6 address.
        public var address: [UInt8]
        /// `secret` (required): the shared secret, as the text's UTF-8 octets. Never logged.
        public var secret: [UInt8]
        /// `auth_port` (or `port`; default 1812).
        public var authPort: UInt16 = 1812
        /// `preference` (default 0): servers with a higher preference are tried first.
        public var preference: Int = 0
        /// `nas_identifier`: the NAS-Identifier sent to this server.
        public var nasIdentifier: String
        /// `retransmit_tries`: how many times a request is sent before the server counts
        /// as unreachable.
        public var retransmitTries: Int
        /// `retransmit_timeout`: how long to wait for the first answer.
        public var retransmitTimeout: Duration
        /// `retransmit_base`: each further wait is the previous one times this.
        public var retransmitBase: Double

        public init(
            name: String, address: [UInt8], secret: [UInt8], authPort: UInt16 = 1812, preference: Int = 0,
            nasIdentifier: String = EAPRADIUSSettings.defaultNASIdentifier,
            retransmitTries: Int = EAPRADIUSSettings.defaultRetransmitTries,
            retransmitTimeout: Duration = EAPRADIUSSettings.defaultRetransmitTimeout,
            retransmitBase: Double = EAPRADIUSSettings.defaultRetransmitBase
        ) {
            self.name = name
            self.address = address
            self.secret = secret
            self.authPort = authPort
            self.preference = preference
            self.nasIdentifier = nasIdentifier
            self.retransmitTries = retransmitTries
            self.retransmitTimeout = retransmitTimeout
            self.retransmitBase = retransmitBase
        }

        public var description: String {
            "RADIUS server '\(name)' at \(IPAddressText.format(address))[\(authPort)]"
        }

        public var debugDescription: String { description }
    }

    /// `nas_identifier`'s default (strongSwan sends "strongSwan").
    public static let defaultNASIdentifier = "cygnet"
    /// `retransmit_tries`' default, strongSwan's.
    public static let defaultRetransmitTries = 4
    /// `retransmit_timeout`'s default, strongSwan's.
    public static let defaultRetransmitTimeout: Duration = .seconds(2)
    /// `retransmit_base`'s default, strongSwan's.
    public static let defaultRetransmitBase = 1.4

    /// `servers { }`, in the order of the file.
    public var servers: [Server]

    public init(servers: [Server]) {
        self.servers = servers
    }
}
