import IKECore
import IKEWire
import NIOCore

/// Everything an engine produced after one input, collected in the documented order by
/// ``IKECore/IKEEngine/drain(into:)``.
public struct EngineOutputs: IKEEngineHost {
    public var transmits: [IKETransmit] = []
    /// The engine's next deadline after the input.
    public var deadline: IKEInstant?
    public var effects: [IKEEffect] = []
    public var events: [IKEEvent] = []

    public init() {}

    public mutating func send(_ transmit: IKETransmit) { transmits.append(transmit) }
    public mutating func scheduleTimeout(at deadline: IKEInstant?) { self.deadline = deadline }
    public mutating func carryOut(_ effect: IKEEffect) { effects.append(effect) }
    public mutating func observe(_ event: IKEEvent) { events.append(event) }

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
