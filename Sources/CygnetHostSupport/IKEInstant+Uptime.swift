import IKECore
import NIOCore

extension IKEInstant {
    /// The host's monotonic uptime: the clock the host passes to its engines (the engine
    /// never reads a clock; every input carries `now`).
    public static var uptime: IKEInstant { IKEInstant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds)) }

    /// The same instant as an event-loop deadline, for timers armed from
    /// `IKEEngine.nextDeadline()`.
    public var eventLoopDeadline: NIODeadline { .uptimeNanoseconds(UInt64(max(0, nanoseconds))) }
}
