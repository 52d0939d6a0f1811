import CygnetControlProtocol
import CygnetDaemon
import Foundation
import IKECore
import Logging

/// Control sockets in temporary directories, and one-daemon setups for protocol tests.
enum ControlFixtures {
    static var logger: Logger {
        var logger = Logger(label: "control-test")
        logger.logLevel = .critical
        return logger
    }

    /// A fresh directory and a socket path in it (short enough for `sockaddr_un`).
    static func socketPath() throws -> (directory: URL, path: String) {
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("cygnet-ctl-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("ctl.sock").path)
    }

    /// The left daemon alone (its peer never answers): enough for requests that need no
    /// IKE SA.
    static func single() async throws -> (daemon: IKEDaemon, configuration: DaemonConfiguration) {
        let configuration = DaemonFixtures.configuration(
            local: DaemonFixtures.leftID, remote: DaemonFixtures.rightID, address: "127.0.0.1",
            peerAddress: "127.0.0.2",
            ports: DaemonFixtures.ports(), localNet: "198.51.100.0/24", remoteNet: "203.0.113.0/24", engines: 1)
        return (try await IKEDaemon.start(configuration, logger: logger), configuration)
    }

    /// Sends `text` as it is and decodes the response line as a JSON object.
    static func exchange(_ text: String, with client: ControlClient) async throws -> [String: Any] {
        try object(try await client.exchange(Array(text.utf8)))
    }

    static func object(_ line: [UInt8]) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(line))
        guard let object = value as? [String: Any] else { throw FixtureError("not a JSON object: \(value)") }
        return object
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
