import IKEConfig
import IKEWire

/// A Child SA pair as the engine tracks it (the data plane holds the keys).
struct ChildSA: Sendable {
    var name: String
    var inboundSPI: UInt32
    var outboundSPI: UInt32
    /// The negotiated selectors, reused when the SA is rekeyed.
    var localSelectors: [TrafficSelector] = []
    var remoteSelectors: [TrafficSelector] = []
    /// The transforms of the chosen ESP proposal, for status.
    var transforms: [Transform] = []
    var mode: ChildSAConfiguration.Mode = .tunnel
    /// Rekey and expiry timers and volume limits; `nil` until the engine arms them at the
    /// end of the input that installed the SA. A Child SA moved to a rekeyed IKE SA keeps
    /// them; a rekeyed Child SA is a new one with fresh timers.
    var lifetime: ChildSALifetimeState?
}
