import IKECore
import NIOCore

extension IKEInstant {
    /// The host's monotonic uptime: the clock the host passes to its engines (DESIGN
    /// principle 1: the engine never reads a clock; every input carries `now`).
    static var uptime: IKEInstant { IKEInstant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds)) }

    /// The same instant as an event-loop deadline, for timers armed from
    /// `IKEEngine.nextDeadline()`.
    var eventLoopDeadline: NIODeadline { .uptimeNanoseconds(UInt64(max(0, nanoseconds))) }
}
