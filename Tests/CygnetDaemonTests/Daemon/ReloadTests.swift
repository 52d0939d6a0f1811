import CygnetControlProtocol
import IKEConfig
import Logging
import Testing

@testable import CygnetDaemon

/// What `reload` (SIGHUP, `cygnet reload`) changes at once, and what it says needs a
/// restart.
@Suite("reload: connections, secrets, log levels and keepalives at once; sockets, TUN, key log and metrics named for a restart")
struct ReloadTests {
    @Test("Changed ports, listen addresses, metrics and TUN settings are reported and keep their running values; log levels apply")
    func restartRequired() async throws {
        let (daemon, configuration) = try await ControlFixtures.single()
        let levels = LogLevels(LogSettings())
        // The daemon as cygnetd starts it, with its log levels.
        await daemon.shutdown(grace: .zero)
        let running = try await IKEDaemon.start(configuration, logger: ControlFixtures.logger, logLevels: levels)
        let bound = running.boundAddresses
        var next = configuration
        next.settings.port = configuration.settings.port + 100
        next.settings.listenAddresses = [.address([127, 0, 0, 3])]
        next.settings.metricsAddress = "127.0.0.1:9469"
        next.settings.tunMTU = 1300
        next.settings.natKeepaliveInterval = .seconds(5)
        next.settings.log = LogSettings(defaultLevel: 0, levels: ["ike": 2])
        #expect(try await running.reload(next) == ["listen", "port", "metrics", "tun_mtu"])
        #expect(running.boundAddresses == bound)
        #expect(levels.level(for: "ike") == .debug && levels.level(for: "cfg") == .notice)
        // Nothing to restart for: nothing reported.
        #expect(try await running.reload(configuration) == [])
        #expect(levels.level(for: "ike") == .info)
        await running.shutdown(grace: .zero)
    }

    @Test("cygnetd's handler writes each line by its subsystem's level, as the levels stand at that moment")
    func subsystemLevels() {
        let lines = CapturingLogHandler.Lines()
        let levels = LogLevels(LogSettings(defaultLevel: 1, levels: ["ike": 2, "net": -1]))
        let logger = Logger(label: "cygnetd") { _ in SubsystemLogHandler(writingTo: CapturingLogHandler(lines: lines), levels: levels) }
        #expect(logger.logLevel == .debug)
        logger.subsystem("ike").debug("ike debug")
        logger.subsystem("chd").debug("chd debug")
        logger.subsystem("chd").info("chd info")
        logger.subsystem("net").error("net error")
        logger.subsystem("net").critical("net critical")
        logger.debug("no subsystem debug")
        #expect(lines.all.map(\.message) == ["ike debug", "chd info", "net critical"])
        lines.removeAll()
        levels.apply(LogSettings(defaultLevel: 3))
        #expect(logger.logLevel == .trace)
        logger.subsystem("chd").trace("chd trace")
        #expect(lines.all.map(\.message) == ["chd trace"])
    }
}
