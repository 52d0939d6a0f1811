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
}
