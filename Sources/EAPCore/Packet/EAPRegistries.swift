import IKEWire

extension EAPCode {
    /// Whether packets of this code carry a Type field (Request and Response do).
    var hasType: Bool { self == .request || self == .response }
}
