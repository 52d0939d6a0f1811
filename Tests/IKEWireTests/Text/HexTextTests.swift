import IKEWire
import Testing

@Suite("Hex text: bytes and SPIs, lower case, leading zeros kept")
struct HexTextTests {
    @Test("bytes are two digits each")
    func bytes() {
        #expect(HexText.string([0x9c, 0x0e, 0x11, 0x5e]) == "9c0e115e")
        #expect(HexText.string([0x00, 0x0a, 0xff]) == "000aff")
        #expect(HexText.string([UInt8]()) == "")
    }

    @Test("integers print every digit of their width: IKE SPIs 16, ESP SPIs 8, bytes 2")
    func integers() {
        #expect(HexText.string(UInt64(0x0123_4567_89ab_cdef)) == "0123456789abcdef")
        #expect(HexText.string(UInt64(1)) == "0000000000000001")
        #expect(HexText.string(UInt32(0xc5d6)) == "0000c5d6")
        #expect(HexText.string(UInt32.max) == "ffffffff")
        #expect(HexText.string(UInt8(0x5)) == "05")
    }

    @Test("abbreviated: at most the limit, then an ellipsis")
    func abbreviated() {
        let bytes = [UInt8](0..<40)
        #expect(HexText.abbreviated(bytes, limit: 4) == "00010203…")
        #expect(HexText.abbreviated(Array(bytes.prefix(4)), limit: 4) == "00010203")
        #expect(HexText.abbreviated(bytes) == HexText.string(bytes.prefix(32)) + "…")
    }
}
