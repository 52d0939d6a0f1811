import IKEConfig
import IKECrypto

/// EAP over RADIUS (RFC 3579) for the gateway: each EAP message from the peer goes to a
/// RADIUS server in an Access-Request, and the answer says what to send the peer next,
/// whether it is authenticated, and with which MSK and virtual IP.
///
/// The backend does not look into the EAP messages: the RADIUS server runs the EAP
/// method, as with strongSwan's eap-radius plugin. The Access-Request carries what
/// strongSwan's does: User-Name, EAP-Message (cut into 253-octet pieces), State when
/// continuing, Service-Type Framed, NAS-Port-Type Virtual, NAS-Identifier, the
/// Message-Authenticator, and what ``RADIUSRequestContext`` gives.
public struct EAPRADIUSBackend: Sendable {
    public let client: RADIUSClient

    public init(client: RADIUSClient) {
        self.client = client
    }

    /// Forwards one EAP message of the peer and returns the server's verdict.
    ///
    /// - Parameters:
    ///   - user: the peer's EAP identity, the Type-Data of its EAP-Response/Identity, which
    ///     RFC 3579 §2.1 has the NAS copy into User-Name.
    ///   - eapMessage: the EAP packet from the peer; empty for EAP-Start (RFC 3579 §2.1).
    ///   - continuing: the challenge this message answers, `nil` for the first message.
    /// - Throws: ``RADIUSError``; the caller answers AUTHENTICATION_FAILED.
    public func exchange(
        user: [UInt8], eapMessage: [UInt8], continuing challenge: RADIUSChallenge? = nil, context: RADIUSRequestContext = RADIUSRequestContext()
    ) async throws(RADIUSError) -> RADIUSAnswer {
        guard (1...RADIUSAttribute.maximumValueLength).contains(user.count) else {
            throw RADIUSError(.invalidRequest, "an EAP identity of \(user.count) octets does not fit User-Name (1 to 253)")
        }
        var attributes = [RADIUSAttribute(.userName, user)]
        attributes += context.attributes
        attributes += RADIUSPacket.eapMessageAttributes(eapMessage)
        if let state = challenge?.state { attributes.append(RADIUSAttribute(.state, state)) }
        let received = try await client.send(attributes, to: challenge?.server)
        return try Self.answer(received, continuing: challenge != nil)
    }

    /// What an authentic answer means for the conversation.
    static func answer(_ received: RADIUSClient.ReceivedAnswer, continuing: Bool) throws(RADIUSError) -> RADIUSAnswer {
        let packet = received.packet
        let server = received.server.name
        switch packet.code {
        case .accessChallenge:
            guard let eapMessage = packet.eapMessage, !eapMessage.isEmpty else {
                throw RADIUSError(.invalidAnswer, "RADIUS server '\(server)' sent an Access-Challenge without EAP-Message")
            }
            return .challenge(RADIUSChallenge(eapMessage: eapMessage, state: packet.firstValue(of: .state), server: server))
        case .accessAccept where continuing:
            let framed = packet.firstValue(of: .framedIPAddress)
            return .accept(
                RADIUSAccept(
                    eapMessage: packet.eapMessage,
                    msk: MPPEKeys.msk(of: packet, requestAuthenticator: received.requestAuthenticator, secret: received.server.secret),
                    framedIPAddress: framed.flatMap { $0.count == 4 && $0 != [255, 255, 255, 255] && $0 != [255, 255, 255, 254] ? $0 : nil },
                    classes: packet.values(of: .class),
                    sessionTimeout: packet.attributes.first { $0.type == .sessionTimeout }?.integer,
                    server: server))
        case .accessAccept:
            return .reject(RADIUSReject(eapMessage: packet.eapMessage, acceptedWithoutChallenge: true, server: server))
        default:
            // The client hands on Access-Reject and the two codes above only.
            return .reject(RADIUSReject(eapMessage: packet.eapMessage, acceptedWithoutChallenge: false, server: server))
        }
    }
}

/// What the gateway knows about the IKE SA, sent to the RADIUS server beside the EAP
/// message, as strongSwan's eap-radius plugin sends it. Every field is optional.
public struct RADIUSRequestContext: Sendable, Hashable {
    /// Our IKE address: NAS-IP-Address (4 octets) or NAS-IPv6-Address (16).
    public var nasAddress: [UInt8]?
    /// NAS-Port: a number for the IKE SA (strongSwan sends its unique ID).
    public var nasPort: UInt32?
    /// NAS-Port-Id: the connection's name.
    public var nasPortID: String?
    /// Called-Station-Id: our address and port, as `192.0.2.1[4500]`.
    public var calledStationID: String?
    /// Calling-Station-Id: the peer's address and port.
    public var callingStationID: String?
    /// Acct-Session-Id: the accounting session of the IKE SA.
    public var acctSessionID: String?

    public init(
        nasAddress: [UInt8]? = nil, nasPort: UInt32? = nil, nasPortID: String? = nil, calledStationID: String? = nil,
        callingStationID: String? = nil, acctSessionID: String? = nil
    ) {
        self.nasAddress = nasAddress
        self.nasPort = nasPort
        self.nasPortID = nasPortID
        self.calledStationID = calledStationID
        self.callingStationID = callingStationID
        self.acctSessionID = acctSessionID
    }

    var attributes: [RADIUSAttribute] {
        var attributes = [
            RADIUSAttribute(.serviceType, integer: RADIUSAttribute.serviceTypeFramed),
            RADIUSAttribute(.nasPortType, integer: RADIUSAttribute.nasPortTypeVirtual),
        ]
        if let nasAddress, nasAddress.count == 4 || nasAddress.count == 16 {
            attributes.append(RADIUSAttribute(nasAddress.count == 4 ? .nasIPAddress : .nasIPv6Address, nasAddress))
        }
        if let nasPort { attributes.append(RADIUSAttribute(.nasPort, integer: nasPort)) }
        let texts: [(RADIUSAttributeType, String?)] = [
            (.nasPortID, nasPortID), (.calledStationID, calledStationID), (.callingStationID, callingStationID),
            (.acctSessionID, acctSessionID),
        ]
        for (type, text) in texts {
            if let text { attributes.append(RADIUSAttribute(type, Array(text.utf8.prefix(RADIUSAttribute.maximumValueLength)))) }
        }
        return attributes
    }
}
