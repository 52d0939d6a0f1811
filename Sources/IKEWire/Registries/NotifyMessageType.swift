/// IKEv2 Notify Message Types (IANA; RFC 7296 §3.10.1 and later RFCs).
///
/// Values below 16384 are errors, 16384 and above are status types (RFC 7296 §3.10.1);
/// 8192–16383 and 40960–65535 are for private use.
public struct NotifyMessageType: IANARegistry {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt16

    /// Whether this is an error type (RFC 7296 §3.10.1: "Types in the range 0 - 16383
    /// are intended for reporting errors").
    public var isError: Bool { rawValue < 16384 }

    // Error types.
    public static let unsupportedCriticalPayload: NotifyMessageType = 1
    public static let invalidIKESPI: NotifyMessageType = 4
    public static let invalidMajorVersion: NotifyMessageType = 5
    public static let invalidSyntax: NotifyMessageType = 7
    public static let invalidMessageID: NotifyMessageType = 9
    public static let invalidSPI: NotifyMessageType = 11
    public static let noProposalChosen: NotifyMessageType = 14
    public static let invalidKEPayload: NotifyMessageType = 17
    public static let authenticationFailed: NotifyMessageType = 24
    public static let singlePairRequired: NotifyMessageType = 34
    public static let noAdditionalSAs: NotifyMessageType = 35
    public static let internalAddressFailure: NotifyMessageType = 36
    public static let failedCPRequired: NotifyMessageType = 37
    public static let tsUnacceptable: NotifyMessageType = 38
    public static let invalidSelectors: NotifyMessageType = 39
    public static let unacceptableAddresses: NotifyMessageType = 40
    public static let unexpectedNATDetected: NotifyMessageType = 41
    public static let temporaryFailure: NotifyMessageType = 43
    public static let childSANotFound: NotifyMessageType = 44

    // Status types.
    public static let initialContact: NotifyMessageType = 16384
    public static let setWindowSize: NotifyMessageType = 16385
    public static let additionalTSPossible: NotifyMessageType = 16386
    public static let ipcompSupported: NotifyMessageType = 16387
    public static let natDetectionSourceIP: NotifyMessageType = 16388
    public static let natDetectionDestinationIP: NotifyMessageType = 16389
    public static let cookie: NotifyMessageType = 16390
    public static let useTransportMode: NotifyMessageType = 16391
    public static let httpCertLookupSupported: NotifyMessageType = 16392
    public static let rekeySA: NotifyMessageType = 16393
    public static let espTFCPaddingNotSupported: NotifyMessageType = 16394
    public static let nonFirstFragmentsAlso: NotifyMessageType = 16395
    public static let mobikeSupported: NotifyMessageType = 16396
    public static let additionalIP4Address: NotifyMessageType = 16397
    public static let additionalIP6Address: NotifyMessageType = 16398
    public static let noAdditionalAddresses: NotifyMessageType = 16399
    public static let updateSAAddresses: NotifyMessageType = 16400
    public static let cookie2: NotifyMessageType = 16401
    public static let noNATsAllowed: NotifyMessageType = 16402
    public static let multipleAuthSupported: NotifyMessageType = 16404
    public static let anotherAuthFollows: NotifyMessageType = 16405
    public static let redirectSupported: NotifyMessageType = 16406
    public static let eapOnlyAuthentication: NotifyMessageType = 16417
    public static let childlessIKEv2Supported: NotifyMessageType = 16418
    public static let ikev2FragmentationSupported: NotifyMessageType = 16430
    public static let signatureHashAlgorithms: NotifyMessageType = 16431
    public static let intermediateExchangeSupported: NotifyMessageType = 16438
    public static let additionalKeyExchange: NotifyMessageType = 16441

    public static let names: [UInt16: String] = [
        1: "UNSUPPORTED_CRITICAL_PAYLOAD", 4: "INVALID_IKE_SPI", 5: "INVALID_MAJOR_VERSION",
        7: "INVALID_SYNTAX", 9: "INVALID_MESSAGE_ID", 11: "INVALID_SPI", 14: "NO_PROPOSAL_CHOSEN",
        17: "INVALID_KE_PAYLOAD", 24: "AUTHENTICATION_FAILED", 34: "SINGLE_PAIR_REQUIRED",
        35: "NO_ADDITIONAL_SAS", 36: "INTERNAL_ADDRESS_FAILURE", 37: "FAILED_CP_REQUIRED",
        38: "TS_UNACCEPTABLE", 39: "INVALID_SELECTORS", 40: "UNACCEPTABLE_ADDRESSES",
        41: "UNEXPECTED_NAT_DETECTED", 42: "USE_ASSIGNED_HoA", 43: "TEMPORARY_FAILURE",
        44: "CHILD_SA_NOT_FOUND", 45: "INVALID_GROUP_ID", 46: "AUTHORIZATION_FAILED",
        47: "STATE_NOT_FOUND",
        16384: "INITIAL_CONTACT", 16385: "SET_WINDOW_SIZE", 16386: "ADDITIONAL_TS_POSSIBLE",
        16387: "IPCOMP_SUPPORTED", 16388: "NAT_DETECTION_SOURCE_IP", 16389: "NAT_DETECTION_DESTINATION_IP",
        16390: "COOKIE", 16391: "USE_TRANSPORT_MODE", 16392: "HTTP_CERT_LOOKUP_SUPPORTED",
        16393: "REKEY_SA", 16394: "ESP_TFC_PADDING_NOT_SUPPORTED", 16395: "NON_FIRST_FRAGMENTS_ALSO",
        16396: "MOBIKE_SUPPORTED", 16397: "ADDITIONAL_IP4_ADDRESS", 16398: "ADDITIONAL_IP6_ADDRESS",
        16399: "NO_ADDITIONAL_ADDRESSES", 16400: "UPDATE_SA_ADDRESSES", 16401: "COOKIE2",
        16402: "NO_NATS_ALLOWED", 16403: "AUTH_LIFETIME", 16404: "MULTIPLE_AUTH_SUPPORTED",
        16405: "ANOTHER_AUTH_FOLLOWS", 16406: "REDIRECT_SUPPORTED", 16407: "REDIRECT",
        16408: "REDIRECTED_FROM", 16409: "TICKET_LT_OPAQUE", 16410: "TICKET_REQUEST",
        16411: "TICKET_ACK", 16412: "TICKET_NACK", 16413: "TICKET_OPAQUE", 16414: "LINK_ID",
        16415: "USE_WESP_MODE", 16416: "ROHC_SUPPORTED", 16417: "EAP_ONLY_AUTHENTICATION",
        16418: "CHILDLESS_IKEV2_SUPPORTED", 16419: "QUICK_CRASH_DETECTION",
        16420: "IKEV2_MESSAGE_ID_SYNC_SUPPORTED", 16421: "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED",
        16422: "IKEV2_MESSAGE_ID_SYNC", 16423: "IPSEC_REPLAY_COUNTER_SYNC",
        16424: "SECURE_PASSWORD_METHODS", 16425: "PSK_PERSIST", 16426: "PSK_CONFIRM",
        16427: "ERX_SUPPORTED", 16428: "IFOM_CAPABILITY", 16429: "SENDER_REQUEST_ID",
        16430: "IKEV2_FRAGMENTATION_SUPPORTED", 16431: "SIGNATURE_HASH_ALGORITHMS",
        16432: "CLONE_IKE_SA_SUPPORTED", 16433: "CLONE_IKE_SA", 16434: "PUZZLE", 16435: "USE_PPK",
        16436: "PPK_IDENTITY", 16437: "NO_PPK_AUTH", 16438: "INTERMEDIATE_EXCHANGE_SUPPORTED",
        16439: "IP4_ALLOWED", 16440: "IP6_ALLOWED", 16441: "ADDITIONAL_KEY_EXCHANGE",
        16442: "USE_AGGFRAG", 16443: "SUPPORTED_AUTH_METHODS", 16444: "SA_RESOURCE_INFO",
    ]
}
