import ArgumentParser
import CygnetTools
import Foundation

/// `cygnet demo [--packets N] [--esp PROPOSAL] [--ike PROPOSAL] [--timeout S] [--json]`:
/// two Cygnet peers in this process on loopback UDP, through an IKE SA's whole life.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run two Cygnet peers on loopback UDP: handshake, ESP both ways, rekeys, delete.",
        discussion: """
            Needs no root, no TUN and no configuration. Two IKEv2 engines, each on its own UDP \
            socket on 127.0.0.1 (ephemeral ports), authenticate with a random pre-shared key \
            (IKE_SA_INIT, IKE_AUTH) and make a Child SA for 10.0.0.1/32 === 10.0.0.2/32. Each \
            keys ESP from what its engine installed and sends IPv4 ICMP echo requests the \
            other decrypts and checks byte for byte; an authentic packet sent twice must be \
            dropped as replayed, one with a flipped ciphertext bit for its ICV. Then the Child \
            SA is rekeyed (and ESP checked on the new one), the IKE SA is rekeyed, and the IKE \
            SA deleted; neither peer may hold an SA afterwards.

            ESP travels in UDP as on port 4500 (RFC 3948): each socket is its peer's NAT-T \
            port, so IKE messages carry the non-ESP marker and ESP packets share the socket.

            Prints one line per step: algorithms, SPIs, packets and the time each exchange \
            took (wall time, this run). No key is ever printed. Exit status 0 when every step \
            passed, 1 when one failed or timed out (--timeout bounds each step).
            """
    )

    @Option(help: "Demo packets each way on the first and on the rekeyed Child SA (1–\(Demo.maximumPackets)).")
    var packets: Int = 100

    @Option(help: "The ESP proposal in strongSwan's syntax, e.g. aes256gcm16, chacha20poly1305, aes128-sha256.")
    var esp: String = "aes256gcm16"

    @Option(help: "The IKE proposal in strongSwan's syntax.")
    var ike: String = "aes256gcm16-prfsha256-x25519"

    @Option(help: "Seconds each step may take before the demo gives up.")
    var timeout: Int = 10

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard (1...Demo.maximumPackets).contains(packets) else {
            throw ValidationError("--packets must be 1 to \(Demo.maximumPackets)")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let demo = Demo(packets: packets, ikeProposal: ike, espProposal: esp, stepTimeout: .seconds(timeout))
        do {
            let report = try await demo.run()
            print(json ? try report.json() : report.text)
        } catch {
            FileHandle.standardError.write(Data("cygnet demo failed: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
