import IKEWire
import NIOCore
import Testing

/// Inputs found by `Fuzz/run.sh` (the FuzzDecode libFuzzer target), one test per finding.
///
/// The property FuzzDecode checks: decoding never traps; what decodes encodes; the
/// encoding decodes to an equal value; re-encoding gives identical bytes.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// FuzzDecode crash-9536dd054bf484954263465fc4fe75dda2dc2f10 (an IKE_SA_INIT response
    /// mutated to end in `D { protocol AH, SPI Size 4, Num of SPIs 0 }`), and the same
    /// finding reduced to a header and one Delete payload, for ESP and AH.
    static let deleteWithoutSPIsInputs: [String] = [
        "837a2c001b0100000000000009d7bce82120222000d80000000000f02400002800000024010100030300000c01000014800e"
            + "010003000008020000050000000804001f000c000028001f00007f799d35ad96225550870c5cacb8d37eb47bcc4970163108"
            + "93ecf76edd0ccccf2900002441fffffffff600052c00000004bff04418a87dfbe928d39bbb27b4f2d35e8a7c2900001c0000"
            + "4003c1cf9b82e169220d02ffffffffffffff3410fd3c2900001c00004005d489f69a481d41769f160bf99978ac5d1743d8f1"
            + "290000080000402e2900001000000040022f0003000400052a000008100040220000000802040000",
        // HDR(INFORMATIONAL, next D), D { ESP, SPI Size 4, Num of SPIs 0 }
        "0102030405060708000000000000000a2a202500000000020000002400000008030400" + "00",
        // HDR(INFORMATIONAL, next D), D { AH, SPI Size 4, Num of SPIs 0 }
        "0102030405060708000000000000000a2a202500000000020000002400000008020400" + "00",
    ]

    @Test(
        "RFC 7296 §3.11: a Delete payload for ESP or AH with no SPIs re-encodes with SPI Size 4",
        arguments: deleteWithoutSPIsInputs)
    func deleteForESPOrAHWithoutSPIsRoundTrips(_ inputHex: String) throws {
        let input = hexBytes(inputHex)
        // Decoding must not trap; the input is valid, so it must succeed.
        let message = try IKEMessage(decoding: ByteBuffer(bytes: input))
        let delete = try #require(
            message.payloads.lazy.compactMap { if case .delete(let delete) = $0 { delete } else { nil } }.first)
        #expect(delete.spis.isEmpty)
        let encoded = try message.encoded()
        let again = try IKEMessage(decoding: encoded)
        #expect(again == message)
        #expect(try again.encoded() == encoded)
    }
}

private func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count - 1, by: 2).compactMap { index in
        UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)
    }
}
