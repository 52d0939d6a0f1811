import ArgumentParser

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decode", abstract: "Decode IKE messages.")
    func run() throws { throw ValidationError("not yet implemented") }
}
