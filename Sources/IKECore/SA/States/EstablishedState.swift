/// Both sides authenticated: the IKE SA carries CREATE_CHILD_SA and INFORMATIONAL.
struct EstablishedState: Sendable {
    var children: [ChildSA]
    /// What our outstanding request is for, if any.
    var pending: PendingRequest?

    enum PendingRequest: Sendable {
        case livenessCheck
        case deleteIKESA
        case createChildSA(PendingChildRequest)
        case rekeyIKESA(PendingIKERekey)
        /// Deleting the Child SA with this inbound SPI.
        case deleteChildSA(UInt32)
    }
}
