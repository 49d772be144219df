import MidnightChain
import Testing

@Suite struct ScaleTests {
    /// v1's compact vectors plus the computed ones in predecessor-core §4.
    @Test(arguments: [
        ([0x00], 0, 1), ([0xfc], 63, 1), ([0x01, 0x01], 64, 2), ([0xbd, 0x12], 1199, 2),
        ([0x04], 1, 1), ([0x08], 2, 1), ([0xc1, 0x12], 1200, 2), ([0xfd, 0xff], 16383, 2),
        ([0x02, 0x00, 0x01, 0x00], 16384, 4),
    ] as [([UInt8], UInt64, Int)])
    func compactDecoding(bytes: [UInt8], value: UInt64, consumed: Int) throws {
        var r = ScaleReader(bytes)
        #expect(try r.readCompact() == value)
        #expect(r.offset == consumed)
    }

    /// Big-integer mode, which v1 rejected: `0b` + six bytes is the timestamp inherent's moment.
    @Test func compactBigIntegerMode() throws {
        var r = ScaleReader([0x0b, 0x10, 0x25, 0x4c, 0xc3, 0x9b, 0x01])
        #expect(try r.readCompact() == 1_768_508_106_000)
        var max = ScaleReader([0x13] + [UInt8](repeating: 0xff, count: 8))
        #expect(try max.readCompact() == UInt64.max)
        var tooBig = ScaleReader([0x17] + [UInt8](repeating: 0xff, count: 9))
        #expect(throws: ScaleError.self) { try tooBig.readCompact() }
    }

    @Test(arguments: [0, 1, 63, 64, 16383, 16384, 1 << 30 - 1, 1 << 30, 1_768_508_106_000, UInt64.max] as [UInt64])
    func compactRoundTrip(value: UInt64) throws {
        var w = ScaleWriter()
        w.appendCompact(value)
        var r = ScaleReader(w.bytes)
        #expect(try r.readCompact() == value)
        #expect(r.isAtEnd)
    }

    @Test func truncatedInputNamesTheOffset() {
        var r = ScaleReader([0x01])
        do {
            _ = try r.readCompact()
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 1)
        }
        var v = ScaleReader([0x10, 0x01])
        #expect(throws: ScaleError.self) { try v.readByteVector() }
    }

    /// v1's `AuraApi_authorities` vectors.
    @Test func authorities() throws {
        #expect(try Committee.decodeAuthorities(scale: "0x00") == [])
        #expect(try Committee.decodeAuthorities(scale: "0x") == [])
        #expect(try Committee.decodeAuthorities(scale: "0x04" + String(repeating: "a", count: 64)) == ["0x" + String(repeating: "a", count: 64)])
        #expect(throws: ChainDecodingError.self) {
            try Committee.decodeAuthorities(scale: "0x08" + String(repeating: "b", count: 64))
        }
    }

    /// A 1200-seat committee uses the two-byte compact prefix `c112`, as real responses do.
    @Test func largeCommitteeRoundTrip() throws {
        let keys = (0..<1200).map { i in Hex.encode((0..<32).map { UInt8(truncatingIfNeeded: i &* 7 &+ $0) }) }
        let hex = try Committee.encodeAuthorities(keys)
        #expect(hex.hasPrefix("0xc112"))
        #expect(try Committee.decodeAuthorities(scale: hex) == keys)
    }
}

@Suite struct Blake2bTests {
    @Test func knownVectors() {
        #expect(Hex.encode(Blake2b.hash256([])) == "0x0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        #expect(Hex.encode(Blake2b.hash256(Array("abc".utf8))) == "0xbddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
        #expect(
            Hex.encode(Blake2b.hash(Array("abc".utf8), outputLength: 64))
                == "0xba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        )
    }

    /// Inputs around the 128-byte block boundary, checked against Python's `hashlib.blake2b`.
    @Test(arguments: [
        (1, "0x8928aae63c84d87ea098564d1e03ad813f107add474e56aedd286349c0c03ea4"),
        (127, "0x59e2f1aba240f20aa591016f5ef429990bc9c2131dcd0d30f0ffd75ed18f317d"),
        (128, "0xae2aa48507885c4c950fb809b2076f959cde9f8ea6da260d9a3587df33dac450"),
        (129, "0x2f64744a6de0d2c0b56e64cf6e29a5aaa255010d415d51c75ccc82f73dccd865"),
        (255, "0x177ec7b22a982dd81ec80e0f8fd488bb347952a0876fed488191b6dede62df81"),
        (256, "0xeae4d3a7627549b383179dc18049964f91a6fed14c9f3fb26705eda3eeda5558"),
        (257, "0x496943de3c8b1458635ee30c15bb26cede6957abdd28f0a860cdaf967116c747"),
        (1000, "0xe00b0ddbf1e2cdaf5c898e1a5e8826ea3a2c339bcf2a478da2e5fca9ff126672"),
    ])
    func boundaryVectors(length: Int, expected: String) {
        let input = [UInt8](repeating: 0x61, count: length)
        #expect(Hex.encode(Blake2b.hash256(input)) == expected)
        #expect(input.withUnsafeBytes { Hex.encode(Blake2b.hash256($0)) } == expected)
    }

    /// Other output lengths and an input of several blocks that is not all one byte.
    @Test func otherLengths() {
        #expect(Hex.encode(Blake2b.hash(Array("abc".utf8), outputLength: 20)) == "0x384264f676f39536840523f284921cdc68b6846b")
        let ramp = (0..<768).map { UInt8(truncatingIfNeeded: $0) }
        #expect(
            Hex.encode(Blake2b.hash(ramp, outputLength: 64))
                == "0x323e97a7a859ee63c9013debb0ca995811e73117a2f574723416e596ebc184e37a59b66d2f597df4a7c1b0d1d41a1a7f28774f46a6864d56c57b9d6c5f7302fb"
        )
    }

    /// Inputs around the 128-byte block boundary must all differ and be stable.
    @Test func blockBoundaries() {
        let hashes = [127, 128, 129, 256, 257].map { n in Blake2b.hash256([UInt8](repeating: 0x61, count: n)) }
        #expect(Set(hashes.map { Hex.encode($0) }).count == 5)
        #expect(Blake2b.hash256([UInt8](repeating: 0x61, count: 128)) == Blake2b.hash256([UInt8](repeating: 0x61, count: 128)))
    }
}
