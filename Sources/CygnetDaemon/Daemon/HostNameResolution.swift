import CCygnetNet

/// Host names of `remote_addrs`, resolved when a connection is brought up (getaddrinfo;
/// blocking, so callers run it off the event loops).
enum HostNameResolution {
    /// The addresses `host` resolves to, IPv4 and IPv6 in the resolver's order, or why it
    /// does not resolve.
    static func resolve(_ host: String) -> Result<[[UInt8]], Failure> {
        var buffer = [UInt8](repeating: 0, count: 16 * 32)
        var lengths = [Int32](repeating: 0, count: 32)
        let count = Int(cyg_resolve(host, &buffer, &lengths, 32))
        guard count > 0 else {
            return .failure(Failure(description: count == 0 ? "no IPv4 or IPv6 address" : String(cString: cyg_resolve_error(Int32(count)))))
        }
        return .success((0..<count).map { Array(buffer[$0 * 16..<$0 * 16 + Int(lengths[$0])]) })
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}
