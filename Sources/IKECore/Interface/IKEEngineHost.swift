/// What an engine's host does with the engine's outputs: the other half of
/// ``IKEEngine/drain(into:)``, which polls them in the documented order.
///
/// A daemon sends through its sockets and arms a timer; a simulation queues datagrams in
/// virtual time. The methods are called synchronously from `drain(into:)` and must not
/// touch the engine being drained: an input they cause (a completion, a datagram) is
/// given to the engine afterwards.
public protocol IKEEngineHost {
    /// Sends one datagram (``IKEEngine/pollTransmit()``).
    mutating func send(_ transmit: IKETransmit)
    /// The engine's earliest deadline after this input (``IKEEngine/nextDeadline()``):
    /// call ``IKEEngine/handleTimeout(now:)`` then; `nil` when nothing is due.
    mutating func scheduleTimeout(at deadline: IKEInstant?)
    /// Carries out one effect: install or remove a Child SA, sign, validate a chain, run
    /// an EAP step (``IKEEngine/pollEffect()``). Signing, validation and EAP are answered
    /// later with ``IKEEngine/handleCompletion(_:now:)``.
    mutating func carryOut(_ effect: IKEEffect)
    /// Takes note of one event, for logs, status and metrics (``IKEEngine/pollEvent()``).
    mutating func observe(_ event: IKEEvent)
}

extension IKEEngine {
    /// Hands every output of the last input to `host`, in the documented order: each
    /// transmit, then the next deadline, then each effect, then each event.
    ///
    /// Call it after every input. It is generic over the host, so the calls are direct,
    /// not through an existential.
    @inlinable
    public mutating func drain<Host: IKEEngineHost>(into host: inout Host) {
        while let transmit = pollTransmit() { host.send(transmit) }
        host.scheduleTimeout(at: nextDeadline())
        while let effect = pollEffect() { host.carryOut(effect) }
        while let event = pollEvent() { host.observe(event) }
    }
}
