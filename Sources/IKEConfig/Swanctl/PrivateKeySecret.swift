/// A private key named in `secrets` (`private<suffix>`, `rsa<suffix>`, `ecdsa<suffix>`,
/// `pkcs8<suffix>` with `file` and an optional `secret` passphrase).
///
/// Every key file in the swanctl key directories is loaded whether named here or not,
/// as `swanctl --load-creds` does; a `secrets` entry names a file elsewhere or gives
/// its passphrase.
public struct PrivateKeySecret: Hashable, Sendable, CustomStringConvertible {
    /// Which swanctl directory relative paths resolve against.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case `private`, rsa, ecdsa, pkcs8
    }

    public var name: String
    public var kind: Kind
    /// `file`; `nil` when only a passphrase is given.
    public var file: FileReference?
    /// `secret`: the passphrase of an encrypted key.
    public var passphrase: [UInt8]?
    public var location: SourceLocation

    public init(name: String, kind: Kind, file: FileReference?, passphrase: [UInt8]?, location: SourceLocation) {
        self.name = name
        self.kind = kind
        self.file = file
        self.passphrase = passphrase
        self.location = location
    }

    /// Never the passphrase.
    public var description: String { "private key secret '\(name)'" + (file.map { " (\($0.path))" } ?? "") }
}
