import IKEConfig
import IKEWire
import Testing

@testable import IKECore

/// RFC 7296 §2.7: "The accepted cryptographic suite MUST contain exactly one transform
/// of each type included in the proposal" — also for the types our template does not need.
@Suite("Proposal selection settles every transform type the peer offered (RFC 7296 §2.7)")
struct ProposalSelectionTests {
    static let gcm = Transform(.aesGCM16, keyLength: 256)
    static let noESN = Transform(SequenceNumbersID.noExtendedSequenceNumbers)
    static let template = ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 256)])

    static func offer(_ transforms: [Transform]) -> [Proposal] {
        [Proposal(number: 1, protocolID: .esp, spi: [1, 2, 3, 4], transforms: transforms)]
    }

    @Test("A key exchange the peer leaves optional (with NONE) is answered with NONE by a template without one")
    func optionalKeyExchange() throws {
        let offered = Self.offer([Self.gcm, Transform(KeyExchangeMethodID.modp2048), Transform(KeyExchangeMethodID.none), Self.noESN])
        let chosen = try #require(ProposalSelection.select(from: offered, templates: [Self.template], protocolID: .esp))
        #expect(chosen.transforms == [Self.gcm, Self.noESN, Transform(KeyExchangeMethodID.none)])
        #expect(ProposalSelection.verify(accepted: [chosen], offered: offered) != nil)
    }

    @Test("A key exchange the peer requires does not match a template without one, unless that type is ignored (IKE_AUTH)")
    func requiredKeyExchange() {
        let offered = Self.offer([Self.gcm, Transform(KeyExchangeMethodID.modp2048), Self.noESN])
        #expect(ProposalSelection.select(from: offered, templates: [Self.template], protocolID: .esp) == nil)
        let ignored = ProposalSelection.select(
            from: offered, templates: [Self.template], protocolID: .esp, ignoring: ProposalSelection.keyExchangeTypes)
        #expect(ignored?.transforms == [Self.gcm, Self.noESN])
    }

    @Test("An additional key exchange (RFC 9370 ADDKE1) is settled with NONE when offered so, refused when required")
    func additionalKeyExchange() {
        let mlkem = Transform(type: .additionalKeyExchange1, id: 36)
        let optional = Self.offer([Self.gcm, mlkem, Transform(type: .additionalKeyExchange1, id: 0), Self.noESN])
        #expect(ProposalSelection.select(from: optional, templates: [Self.template], protocolID: .esp)?.transforms
            == [Self.gcm, Self.noESN, Transform(type: .additionalKeyExchange1, id: 0)])
        let required = Self.offer([Self.gcm, mlkem, Self.noESN])
        #expect(ProposalSelection.select(from: required, templates: [Self.template], protocolID: .esp) == nil)
    }
}
