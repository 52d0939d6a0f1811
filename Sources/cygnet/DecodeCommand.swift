import ArgumentParser
import CygnetTools

/// `cygnet decode FILE [--json]`: prints the IKE messages in a pcap, pcapng or hex dump.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode the IKE messages in a pcap, pcapng or hex-dump file.",
        discussion: """
            Reads UDP 500 and 4500 traffic (IPv4 and IPv6; Ethernet, VLAN, Linux cooked, raw IP \
            and loopback captures) and prints each IKE message: header, payload tree, transform \
            and notify names. Encrypted (SK) payloads are shown with their length. A file that \
            is not pcap or pcapng is read as hex: one message per blank-line-separated block, \
            '#' starts a comment.

            --json prints JSON lines: one object per record, keys sorted.

            Exit status: 0 all messages decoded, 1 some IKE message was malformed, 2 the file \
            could not be read or is not a valid capture.
            """
    )

    @Argument(help: "A pcap, pcapng or hex-dump file.")
    var file: String

    @Flag(name: .long, help: "Print one JSON object per line instead of text.")
    var json = false

    func run() throws {
        let summary = CaptureDecoder(format: json ? .jsonLines : .text).runFile(atPath: file)
        if summary.exitStatus != 0 {
            throw ExitCode(summary.exitStatus)
        }
    }
}
