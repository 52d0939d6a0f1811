import IKEConfig

extension DaemonSettings {
    /// The keys of `cygnet { }` that a running daemon cannot change, whose values here
    /// differ from `running`: its sockets (`listen`, `port`, `port_nat_t`), the control
    /// socket, the metrics endpoint, the data plane and its TUN device, the key log, the
    /// lease database, the resolv.conf file and the RADIUS servers (`eap-radius`).
    /// A reload keeps the running values of these (``keepingRestartOnly(_:)``) and says
    /// that a restart is needed.
    func restartOnlyChanges(from running: DaemonSettings) -> [String] {
        var keys: [String] = []
        if listenAddresses != running.listenAddresses { keys.append("listen") }
        if port != running.port { keys.append("port") }
        if natTraversalPort != running.natTraversalPort { keys.append("port_nat_t") }
        if controlSocket != running.controlSocket { keys.append("control_socket") }
        if metricsAddress != running.metricsAddress { keys.append("metrics") }
        if dataPlane != running.dataPlane { keys.append("data_plane") }
        if keyLog != running.keyLog { keys.append("key_log") }
        if tunName != running.tunName { keys.append("tun_name") }
        if tunMTU != running.tunMTU { keys.append("tun_mtu") }
        if leaseDatabase != running.leaseDatabase { keys.append("lease_database") }
        if resolvConf != running.resolvConf { keys.append("resolv_conf") }
        if eapRADIUS != running.eapRADIUS { keys.append("eap-radius") }
        return keys
    }

    /// These settings, with those only a restart applies as `running` has them.
    func keepingRestartOnly(_ running: DaemonSettings) -> DaemonSettings {
        var settings = self
        settings.listenAddresses = running.listenAddresses
        settings.port = running.port
        settings.natTraversalPort = running.natTraversalPort
        settings.controlSocket = running.controlSocket
        settings.metricsAddress = running.metricsAddress
        settings.dataPlane = running.dataPlane
        settings.keyLog = running.keyLog
        settings.tunName = running.tunName
        settings.tunMTU = running.tunMTU
        settings.leaseDatabase = running.leaseDatabase
        settings.resolvConf = running.resolvConf
        settings.eapRADIUS = running.eapRADIUS
        return settings
    }
}
