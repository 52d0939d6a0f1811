/// A private key named in `secrets` (`private<suffix>`, `rsa<suffix>`, `ecdsa<suffix>`,
/// `pkcs8<suffix>` with `file`; a `secret` passphrase is an error, encrypted keys are not
/// supported yet).
///
/// Every key file in the swanctl key directories is loaded whether named here or not,
/// as `swanctl --load-creds` does; a `secrets` entry names a file elsewhere.
public struct PrivateKeySecret: Hashable, Sendable, CustomStringConvertible {
    /// Which swanctl directory relative paths resolve against.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case `private`, rsa, ecdsa, pkcs8
    }

    public var name: String
    public var kind: Kind
    /// `file`; `nil` when the section has none.
    public var file: FileReference?
    public var location: SourceLocation

    public init(name: String, kind: Kind, file: FileReference?, location: SourceLocation) {
        self.name = name
        self.kind = kind
        self.file = file
        self.location = location
    }

    public var description: String { "private key secret '\(name)'" + (file.map { " (\($0.path))" } ?? "") }
}
