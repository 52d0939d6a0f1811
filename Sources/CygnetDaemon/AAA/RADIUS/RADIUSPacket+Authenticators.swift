import Crypto
import IKECrypto

/// The two authenticators of RADIUS: the Response Authenticator (RFC 2865 §3) and the
/// Message-Authenticator attribute (RFC 3579 §3.2), both keyed with the shared secret.
extension RADIUSPacket {
    /// An Access-Request with `attributes` and a Message-Authenticator after them, signed
    /// with `secret`. RFC 3579 §3.2: the Message-Authenticator is the HMAC-MD5 of Type,
    /// Identifier, Length, Request Authenticator and Attributes, computed with the
    /// attribute's own value as sixteen zero octets. Cygnet adds it to every Access-Request.
    ///
    /// - Parameter requestAuthenticator: sixteen random octets (RFC 2865 §3: "The
    ///   Request Authenticator value MUST be changed each time a new Identifier is used").
    public static func signedAccessRequest(
        identifier: UInt8, requestAuthenticator: [UInt8], attributes: [RADIUSAttribute], secret: [UInt8]
    ) throws(RADIUSPacketError) -> [UInt8] {
        var packet = RADIUSPacket(
            code: .accessRequest, identifier: identifier, authenticator: requestAuthenticator,
            attributes: attributes.filter { $0.type != .messageAuthenticator }
                + [RADIUSAttribute(.messageAuthenticator, [UInt8](repeating: 0, count: 16))])
        let unsigned = try packet.encoded()
        packet.attributes[packet.attributes.count - 1].value = Self.hmacMD5(unsigned, secret: secret)
        return try packet.encoded()
    }

    /// Checks an answer to the request whose Request Authenticator is
    /// `requestAuthenticator`: its code, its Response Authenticator, and its
    /// Message-Authenticator, which must be there when it carries an EAP-Message (RFC 3579
    /// §3.2 has the NAS silently discard an Access-Challenge, Access-Accept or
    /// Access-Reject with EAP-Message and without Message-Authenticator; Cygnet does).
    public func verifyAnswer(requestAuthenticator: [UInt8], secret: [UInt8]) throws(RADIUSPacketError) {
        guard code.isAccessAnswer else {
            throw RADIUSPacketError(.unexpectedCode, "\(code) is no answer to an Access-Request")
        }
        // RFC 2865 §3: ResponseAuth = MD5(Code+ID+Length+RequestAuth+Attributes+Secret).
        var withRequestAuthenticator = self
        withRequestAuthenticator.authenticator = requestAuthenticator
        var hash = Insecure.MD5()
        hash.update(data: try withRequestAuthenticator.encoded())
        hash.update(data: secret)
        guard ConstantTime.equal(Array(hash.finalize()), authenticator) else {
            throw RADIUSPacketError(.badResponseAuthenticator, "the Response Authenticator of \(code) \(identifier) does not verify")
        }
        let positions = attributes.indices.filter { attributes[$0].type == .messageAuthenticator }
        guard let position = positions.first else {
            if attributes.contains(where: { $0.type == .eapMessage }) {
                throw RADIUSPacketError(.missingMessageAuthenticator, "\(code) \(identifier) carries EAP-Message without Message-Authenticator")
            }
            return
        }
        let received = attributes[position].value
        guard positions.count == 1, received.count == 16 else {
            throw RADIUSPacketError(.badMessageAuthenticator, "\(positions.count) Message-Authenticator attributes, the first of \(received.count) octets")
        }
        // RFC 3579 §3.2: for an answer, the Request Authenticator of the Access-Request
        // takes the place of the Response Authenticator in the HMAC.
        withRequestAuthenticator.attributes[position].value = [UInt8](repeating: 0, count: 16)
        guard ConstantTime.equal(Self.hmacMD5(try withRequestAuthenticator.encoded(), secret: secret), received) else {
            throw RADIUSPacketError(.badMessageAuthenticator, "the Message-Authenticator of \(code) \(identifier) does not verify")
        }
    }

    static func hmacMD5(_ message: [UInt8], secret: [UInt8]) -> [UInt8] {
        Array(HMAC<Insecure.MD5>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
    }
}
