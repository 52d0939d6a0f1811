/// What kind of finding a ``LintFinding`` is, for tests and `--json` readers; the message
/// is for people. An open set: rules add their own.
public struct LintCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// A connection for EAP-MSCHAPv2 clients of any identity offers no `modp1024`: the
    /// built-in Windows client with its default settings cannot connect.
    public static let windowsGroupMissing = LintCode(rawValue: "windows_group_missing")
    /// A connection for those clients allows `modp1024` for Windows but does not tolerate
    /// Windows's Child SA rekeys with it (`cygnet { ms_dh_downgrade = yes }`).
    public static let windowsRekeyDowngradeNotTolerated = LintCode(rawValue: "windows_rekey_downgrade_not_tolerated")
    /// `ms_dh_downgrade = yes` on a connection whose IKE proposals do not name `modp1024`:
    /// the legacy group is allowed for rekeys without the opt-in of naming it.
    public static let downgradeWithoutLegacyGroup = LintCode(rawValue: "downgrade_without_legacy_group")
    /// The certificate of a gateway for remote-access clients lacks the serverAuth
    /// extended key usage.
    public static let gatewayCertificateWithoutServerAuth = LintCode(rawValue: "gateway_certificate_without_server_auth")
    /// The certificate of a gateway for remote-access clients has no subjectAltName for
    /// its local id, the name the clients dial.
    public static let gatewayCertificateWithoutDialledName = LintCode(rawValue: "gateway_certificate_without_dialled_name")
    /// The certificate of a gateway for remote-access clients does not parse as X.509.
    public static let gatewayCertificateUnreadable = LintCode(rawValue: "gateway_certificate_unreadable")
}
