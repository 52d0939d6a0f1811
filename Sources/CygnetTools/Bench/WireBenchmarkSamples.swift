extension WireBenchmark {
    /// Real messages from `Tests/Fixtures/captures/multi-proposal-sll2.pcapng` (strongSwan
    /// initiator to strongSwan responder, PSK): the IKE_AUTH request, whose SK payload is
    /// opaque to the decoder; and an IKE_SA_INIT request with two IKE proposals (15
    /// transforms), KE, Nonce and five notifies, decoded down to every transform.
    public static let capturedSamples: [Sample] = [
        Sample(name: "IKE_AUTH request (PSK, SK opaque)", bytes: hexBytes(ikeAuthRequestHex)),
        Sample(name: "IKE_SA_INIT request (2 proposals, 15 transforms)", bytes: hexBytes(ikeSAInitRequestHex)),
    ]

    private static let ikeAuthRequestHex = """
        262a5c3a66ebaba82728504ab32794e22e20230800000001000001682300014c54227abc83d4f64651c5198a2df08f78
        dfbc188ba54ee5e1b35a90ac68b9e73b6b6a30a565900f5122686768c89509ce4433fc352022e597137cd3fad35b6c6c
        569d2700d3b00a250c569871b36b3ef8a5e5c91678afdf442249961d1fc27375427d44074e9c559ebfe68e5a6950f7f9
        ac2377acf4b3227a08ff2b7c3aee7afc5a0f6bb7980be44a47c88e503b2cbf618b0be1591a76f15ff9fd1c70529489ea
        1a18523b88fed3287cd75145b8b92ef11b4b6c5635c6d513045e49489178064283032641fd2ddf60fd11af250a53c926
        208d5225e8bc5826fd57b21bf73b8de70936b4442ddaa4f8fa86c16cc696d96bf4b3b70f7e98d4e9ce9a44c342ef74a6
        995e95e8f2b803fd23ee26b2f86b214d72d6c8c3c68f381d726046ec181063fae6442c283074c225c5216e92fba38f79
        104b743785a6e698cdc832f96bdcfbf7d9f68201bcbfa4d7
        """

    private static let ikeSAInitRequestHex = """
        262a5c3a66ebaba8000000000000000021202208000000000000019c2200009c02000048010100070300000c01000014
        800e01000300000c01000014800e00800300000802000006030000080200000503000008040000140300000804000013
        000000080400001f00000050020100080300000c0100000c800e01000300000c0100000c800e0080030000080300000e
        030000080300000c03000008020000070300000802000005030000080400000f000000080400000e2800006800140000
        2f77ebd3e5f165f549709212891a2e3cfccbe7d4896c032c71e2e6d98fe7e7e111922199260176d4b6ad043f2ca38983
        81af05d46766debdf182e0e9279e0fc45f65192cb5f956561e1b5f368803049ce6de3e4a16a9a011b01abaa112943adc
        29000024b892ed1ab97a8020ea4d4a04f14e47f28de72bf069d91bbf84df9d8fbff8f6a12900001c0000400466c2ae26
        639a7bd512893e70b8a26a3f9a5419cb2900001c00004005582475bf2e9a000ba06d4fe748c7c74d81c14c7b29000008
        0000402e290000100000402f00020003000400050000000800004016
        """

    private static func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in text.utf8 {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            default: continue
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}
