/// One frame read from a pcap or pcapng file, before link-layer dissection.
struct CaptureFrame: Sendable {
    /// 1-based, counting every frame in the file.
    var number: Int
    var timestamp: CaptureTimestamp?
    /// The LINKTYPE_ value of the interface the frame was captured on.
    var linkType: UInt32
    /// The captured bytes (possibly fewer than were on the wire).
    var data: [UInt8]
}
