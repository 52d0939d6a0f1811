/// Our outstanding MOBIKE INFORMATIONAL (RFC 4555): what its answer is checked for.
struct MOBIKERequest: Sendable {
    /// It carries UPDATE_SA_ADDRESSES (RFC 4555 §3.5): the answer moves the Child SAs.
    var isUpdate: Bool
    /// The COOKIE2 it carries (RFC 4555 §3.7), which the answer must echo.
    var cookie2: [UInt8]?
}
