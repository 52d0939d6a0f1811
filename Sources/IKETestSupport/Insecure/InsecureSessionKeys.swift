import IKECrypto
import IKEWire
import NIOCore

/// The keys of an IKE SA negotiated with the ``InsecureCryptoProvider``, recomputed from
/// the two IKE_SA_INIT messages alone — possible only because the insecure "key
/// exchange" publishes its secret (the XOR of both public values). ⚠️ Test-only.
///
/// With it a fuzzer or a test plays the initiator of a live SA without its engine: it
/// seals arbitrary inner payloads as the initiator would (``initiatorToResponder``) and
/// opens what the responder sends (``responderToInitiator``).
public struct InsecureSessionKeys: Sendable {
    public var initiatorSPI: UInt64
    public var responderSPI: UInt64
    public var schedule: IKEKeySchedule
    public var material: IKEKeyMaterial
    /// SK_ei (and SK_ai): seals the initiator's messages, opens them at the responder.
    public var initiatorToResponder: SKPayloadProtection
    /// SK_er (and SK_ar).
    public var responderToInitiator: SKPayloadProtection

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Derives the keys from an IKE_SA_INIT request and its response (IKE messages, no
    /// non-ESP marker).
    public init(request: ByteBuffer, response: ByteBuffer, provider: CryptoProvider = InsecureCryptoProvider.provider)
        throws
    {
        let request = try IKEMessage(decoding: request)
        let response = try IKEMessage(decoding: response)
        func keyExchange(_ message: IKEMessage) -> [UInt8]? {
            message.payloads.lazy.compactMap { if case .keyExchange(let ke) = $0 { ke.data } else { nil } }.first
        }
        func nonce(_ message: IKEMessage) -> [UInt8]? {
            message.payloads.lazy.compactMap { if case .nonce(let nonce) = $0 { nonce.data } else { nil } }.first
        }
        guard let keI = keyExchange(request), let keR = keyExchange(response), let ni = nonce(request),
            let nr = nonce(response),
            let chosen = response.payloads.lazy.compactMap({
                if case .securityAssociation(let sa) = $0 { sa.proposals.first } else { nil }
            }).first,
            let keys = try DerivedIKESAKeys(
                provider: provider, chosen: chosen, sharedSecret: try InsecureKeyExchange.sharedSecret(keI, keR),
                initiatorNonce: ni, responderNonce: nr, initiatorSPI: response.header.initiatorSPI,
                responderSPI: response.header.responderSPI)
        else { throw Failure(description: "IKE_SA_INIT pair lacks KE, Nonce or an accepted proposal") }
        initiatorSPI = response.header.initiatorSPI
        responderSPI = response.header.responderSPI
        schedule = keys.schedule
        material = keys.material
        initiatorToResponder = keys.initiatorToResponder
        responderToInitiator = keys.responderToInitiator
    }
}
