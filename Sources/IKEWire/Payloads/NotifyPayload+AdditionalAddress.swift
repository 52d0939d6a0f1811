extension NotifyPayload {
    /// The address an ADDITIONAL_IP4_ADDRESS or ADDITIONAL_IP6_ADDRESS notification
    /// carries (RFC 4555 §4.2.2): "The data associated with these Notify types is either a
    /// four-octet IPv4 address or a 16-octet IPv6 address." Data of another length, or of
    /// the other family's length, is ``IKEWireError/Code-swift.struct/invalidLength``; any
    /// other notification type is ``IKEWireError/Code-swift.struct/invalidValue``.
    public func additionalAddress() throws(IKEWireError) -> [UInt8] {
        let expected: Int
        switch type {
        case .additionalIP4Address: expected = 4
        case .additionalIP6Address: expected = 16
        default:
            throw IKEWireError(
                .invalidValue, offset: 0, field: "Notify Message Type", payloadType: .notify,
                detail: "\(type) is not ADDITIONAL_IP4_ADDRESS or ADDITIONAL_IP6_ADDRESS")
        }
        guard data.count == expected else {
            throw IKEWireError(
                .invalidLength, offset: 0, field: "Notification Data", payloadType: .notify,
                detail: "\(type) data is \(data.count) octets, not \(expected)")
        }
        return data
    }
}
