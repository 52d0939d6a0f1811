import IKECore

/// The seam between an engine's host and whatever carries the Child SAs' traffic: the
/// host hands it the engine's ``IKECore/IKEEffect/installChildSA(_:)``,
/// ``IKECore/IKEEffect/removeChildSA(inboundSPI:outboundSPI:)`` and
/// ``IKECore/IKEEffect/updateChildSA(_:)`` effects, and reads back
/// what each SA carried, for status and for the byte and packet lifetimes
/// (``IKECore/IKECommand/childSAUsage(localSPI:inboundSPI:bytes:packets:)``).
///
/// The daemon's TUN data plane is one installer, `cygnet demo`'s in-memory ESP another;
/// `Docs/xfrm-installer.md` describes how the kernel's XFRM would be a third. Calls come
/// from the event loop of the engine that installed the SA (`engine` tells several
/// engines of one host apart); an implementation shared by several loops is thread-safe.
public protocol ChildSAInstaller: AnyObject {
    /// Keys and installs both directions of a Child SA, and whatever routing its traffic
    /// selectors need. A failure is the installer's to report (a log line): the engine
    /// has already answered the peer.
    func install(_ installation: ChildSAInstallation, engine: Int)
    /// Removes the pair whose inbound SPI is `inboundSPI` (deleted, replaced by a rekey,
    /// or its IKE SA gone), and what was routed for it alone.
    func remove(inboundSPI: UInt32)
    /// Moves the pair named by `update.inboundSPI` to new outer addresses (its IKE SA
    /// moved: MOBIKE, RFC 4555 §3.5, or a NAT mapping change, RFC 7296 §2.23): the
    /// destination, the local address and the encapsulation change together, the keys,
    /// sequence numbers, replay windows and counters stay, and no packet leaves for the
    /// old path once the call returns. A pair it does not carry is ignored.
    func update(_ update: ChildSAPathUpdate, engine: Int)
    /// What the Child SAs engine `engine` installed have carried, by inbound SPI; every
    /// Child SA with `nil`.
    func traffic(engine: Int?) -> [UInt32: ChildSATraffic]
    /// The inbound SPIs of engine `engine`'s Child SAs that cannot send again before a
    /// rekey (RFC 4303 §3.3.3: the sequence number must not cycle); each is returned once.
    func takeRekeyRequests(engine: Int) -> [UInt32]
}
