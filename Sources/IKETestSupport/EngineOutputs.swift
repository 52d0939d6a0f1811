import IKECore
import IKEWire
import NIOCore

/// Everything an engine produced after one input, drained in the documented order.
public struct EngineOutputs {
    public var transmits: [IKETransmit] = []
    public var effects: [IKEEffect] = []
    public var events: [IKEEvent] = []

    public init() {}

    /// The reasons of `.datagramDropped` events.
    public var dropReasons: [IKEDropReason] { Self.dropReasons(events) }

    /// The codes of the reasons of `.datagramDropped` events.
    public var dropCodes: [IKEDropReason.Code] { dropReasons.map(\.code) }

    /// The reasons of the `.datagramDropped` events among `events`.
    public static func dropReasons(_ events: [IKEEvent]) -> [IKEDropReason] {
        events.compactMap { if case .datagramDropped(let reason) = $0 { reason } else { nil } }
    }

    /// The notify types of one unprotected IKE_SA_INIT response datagram.
    public static func notifyTypes(in datagram: ByteBuffer) -> [NotifyMessageType] {
        ((try? IKEMessage(decoding: datagram))?.notifications ?? []).map(\.type)
    }
}
