/// The pair of addresses (ports included) an IKE SA or its Child SAs run between.
struct IKEPath: Hashable, Sendable {
    var local: IKEEndpointAddress
    var remote: IKEEndpointAddress
}
