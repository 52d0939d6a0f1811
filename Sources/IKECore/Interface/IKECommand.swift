/// What the host asks the engine to do, with `handleCommand(_:now:)`.
public enum IKECommand: Sendable {
    /// Starts the connection named `peer` from `local` to `remote` with its children named
    /// in `children` (`nil`: all of them, in configuration order): the first in IKE_AUTH,
    /// each other with CREATE_CHILD_SA once the IKE SA is established.
    case initiate(peer: String, local: IKEEndpointAddress, remote: IKEEndpointAddress, children: [String]? = nil)
    /// Deletes the IKE SA with this local SPI (and its Child SAs), telling the peer.
    case delete(localSPI: UInt64)
    /// Sends an empty INFORMATIONAL request to check that the peer is alive.
    case checkLiveness(localSPI: UInt64)
    /// Creates another Child SA of the IKE SA, from the connection's child named `child`.
    case createChildSA(localSPI: UInt64, child: String)
    /// Replaces the Child SA whose inbound SPI is `inboundSPI` (RFC 7296 §1.3.3), then
    /// deletes the old one.
    case rekeyChildSA(localSPI: UInt64, inboundSPI: UInt32)
    /// Deletes one Child SA pair, by its inbound SPI.
    case deleteChildSA(localSPI: UInt64, inboundSPI: UInt32)
    /// Replaces the IKE SA with a new one with fresh keys (RFC 7296 §1.3.2), moving the
    /// Child SAs over, then deletes the old one.
    case rekeyIKESA(localSPI: UInt64)
    /// The data plane's counters of the Child SA whose inbound SPI is `inboundSPI`: bytes
    /// and packets so far, cumulative (a report replaces the previous one; report the
    /// busier direction of the pair). Crossing `rekey_bytes`/`rekey_packets` rekeys it;
    /// crossing `life_bytes`/`life_packets` deletes it (see `ChildLifetime`).
    case childSAUsage(localSPI: UInt64, inboundSPI: UInt32, bytes: UInt64, packets: UInt64)
    /// The data plane received an ESP packet from `remote` for an SPI it does not have:
    /// the engine tells the peer with INVALID_SPI on an established IKE SA to that
    /// address (RFC 7296 §2.21.4), at most once per ``IKEEngine/invalidSPINoticeInterval``
    /// per IKE SA. Without such an SA nothing is sent.
    case reportInvalidSPI(spi: UInt32, remote: IKEEndpointAddress)
    /// The host's route to the peer of IKE SA `localSPI` now leaves from `address` (an IP
    /// address; the port stays the SA's), or the SA's local address is gone and `address`
    /// is the new preferred source. With MOBIKE the original initiator moves the SA there
    /// (UPDATE_SA_ADDRESSES, RFC 4555 §3.5); otherwise nothing moves.
    case updateLocalAddress(localSPI: UInt64, address: [UInt8])
    /// Every usable local address the host has now (no link-local ones, none of the data
    /// plane's own device): what MOBIKE announces as additional addresses (RFC 4555 §3.6)
    /// and tries when the current path is dead.
    case setLocalAddresses([[UInt8]])
}
