import Foundation
import Testing

/// Cygnet against strongSwan in network namespaces: each case runs
/// `Interop/suite/run.sh SCENARIO`, which creates its own namespaces, runs cygnetd and
/// charon, checks that `cygnet status --json` and `swanctl --list-sas` agree and that
/// tshark dissects every message, and removes everything it started. The traffic
/// scenarios also send pings and iperf3 TCP through the tunnel (Cygnet against strongSwan,
/// Cygnet against Cygnet, behind a NAT, while rekeying) and decrypt the ESP with tshark.
///
/// Root is needed for the namespaces. Without root the suite does not run (the README's
/// test tier for unprivileged runs says so); as root, a missing strongSwan, tshark or
/// iproute2 fails the test with the package to install.
@Suite("Interop with strongSwan 5.9.8 in network namespaces", .serialized, .enabled(if: InteropRun.isRoot, "needs root for network namespaces; CI runs it as root"))
struct InteropTests {
    static let scenarios: [String] = [
        "psk-gcm-cygnet", "psk-gcm-strongswan", "psk-modp-cygnet", "psk-modp-strongswan",
        "ecdsa-cygnet", "ecdsa-strongswan", "rsa-cygnet", "rsa-strongswan",
        // signature constraints (RFC 7427 schemes checked in the decrypted AUTH) and send_certreq = no
        "rsa-pss-cygnet", "rsa-pss-strongswan", "ecdsa-sha384-cygnet", "ecdsa-sha384-strongswan",
        "certreq-off-cygnet", "certreq-off-strongswan",
        "rekey-cygnet", "rekey-strongswan", "dpd-cygnet", "dpd-strongswan",
        "delete-cygnet", "delete-strongswan", "signals-cygnet",
        // traffic through the data plane: ping, iperf3, counters, tshark ESP decryption
        "traffic-gcm-cygnet", "traffic-gcm-strongswan", "traffic-chacha-cygnet", "traffic-chacha-strongswan",
        "traffic-cbc-cygnet", "traffic-cbc-strongswan", "encap-cygnet", "pair-raw", "pair-encap", "nat-cygnet",
        "rekey-load-cygnet", "rekey-load-strongswan",
        // PFS in esp_proposals with rekeys under ping, both roles; a connection with two children
        "pfs-x25519-cygnet", "pfs-x25519-strongswan", "pfs-ecp384-cygnet", "pfs-ecp384-strongswan",
        "pfs-modp3072-cygnet", "pfs-modp3072-strongswan", "children-cygnet", "children-strongswan",
        // the responder chooses between two connections with the same proposals by identity
        "two-connections-cygnet", "two-connections-strongswan",
        // IPv6 selectors that end at the top of the address space, both roles
        "ipv6-ts-cygnet", "ipv6-ts-strongswan",
        // road warriors: a virtual IP and DNS from the gateway's pool, pings from it
        "vip-cygnet", "vip-strongswan",
        // EAP-MSCHAPv2 (RFC 7296 §2.16): Cygnet as the road warrior, then as the gateway
        "eap-mschapv2-cygnet", "eap-mschapv2-strongswan",
        // EAP-MSCHAPv2 with a virtual IP and DNS from a pool, each way; then the gateway
        // forwarding to FreeRADIUS, whose Framed-IP-Address is the virtual IP
        "eap-vip-cygnet", "eap-vip-strongswan",
        "eap-radius-strongswan",
        // the built-in clients of Windows, macOS/iOS and Android, emulated by strongSwan, against Cygnet
        "windows-strongswan", "apple-strongswan", "android-strongswan",
        // EAP-TLS (RFC 5216) with a client certificate: Cygnet as the road warrior, then as the gateway
        "eap-tls-cygnet", "eap-tls-strongswan",
        // EAP-only authentication (RFC 5998) with EAP-TLS on both sides, both roles
        "eap-only-cygnet", "eap-only-strongswan",
        // EAP-TLS with a virtual IP and DNS from a pool, each way
        "eap-tls-vip-cygnet", "eap-tls-vip-strongswan",
        // mobility: a road warrior's address moves (MOBIKE, RFC 4555, both roles; without
        // MOBIKE charon reauthenticates); a NAT rebinding with and without MOBIKE
        "mobike-strongswan", "mobike-cygnet", "mobike-off-strongswan", "rebind-strongswan", "rebind-nomobike-strongswan",
        // Cygnet's road warrior without MOBIKE: its liveness check finds the old path dead, dpd_action = restart
        "mobike-off-cygnet",
    ]

    @Test("Scenario", arguments: scenarios)
    func scenario(_ name: String) async throws {
        let (status, output) = try await InteropRun.run(name)
        #expect(status == 0, "Interop/suite/run.sh \(name) exited \(status):\n\(output)")
    }

    @Test("The scenario list matches the harness's")
    func scenarioList() async throws {
        let (status, output) = try await InteropRun.run("list")
        #expect(status == 0)
        #expect(output.split(separator: "\n").map(String.init) == Self.scenarios)
    }
}

enum InteropRun {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var isRoot: Bool { getuid() == 0 }

    /// Starts bash with every signal unblocked and SIGINT/SIGTERM at their defaults: a
    /// test runs on a thread that blocks signals, and a child would inherit the mask, so
    /// charon, cygnetd and tshark could never be stopped politely.
    static let unblockAndExec = """
        import os, signal, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        os.execvp("bash", ["bash"] + sys.argv[1:])
        """

    /// Runs the harness on a Dispatch thread (a scenario takes seconds; blocking one of
    /// the few threads of Swift's cooperative pool would stall every other async test);
    /// returns its exit status and its output (stdout and stderr).
    static func run(_ argument: String) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(argument) })
            }
        }
    }

    private static func runBlocking(_ argument: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", unblockAndExec, root.appendingPathComponent("Interop/suite/run.sh").path, argument,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
