import Foundation
import MidnightChain
import Testing

/// The real Midnight header logs from v1's digest tests.
let realAuraLog = "0x066175726120778c911100000000"
let realMcshLog = "0x066d637368804404db62c3e40b047c638c2cc3ae2d45678b65b2fc57b748c4d1a9576bf4bc8c"
let realSealLog =
    "0x05617572610101f2a177943e6df53c0ae1a610ea380bae752fc98886ba61b484fbf3c56f18a51671c8021e00b8d363e95ebd10e65346dabf632cf99e627605ab8b729416c7a48b"

@Suite struct DigestTests {
    @Test func realAuraSlot() throws {
        let e = try AuthorEvidence.from(logs: [realAuraLog, realMcshLog])
        #expect(e.auraSlot == 294_751_351)
        #expect(e.slot == 294_751_351)
        #expect(e.mainchainHash.map { Hex.encode($0) } == "0x4404db62c3e40b047c638c2cc3ae2d45678b65b2fc57b748c4d1a9576bf4bc8c")
        #expect(e.babe == nil)
    }

    @Test func noAuraItem() throws {
        #expect(try AuthorEvidence.from(logs: []).slot == nil)
        #expect(try AuthorEvidence.from(logs: ["0x066d637368804404db62c3e40b047c638c"]).slot == nil)
        #expect(try AuthorEvidence.from(logs: ["0x0661757261"]).slot == nil)
    }

    @Test func decodesEveryItemKind() throws {
        #expect(try DigestItem.decode(hex: realSealLog) == .seal(.aura, Array(try Hex.decode(realSealLog).dropFirst(7))))
        #expect(try DigestItem.decode(hex: "0x044d4e535610e02e0000") == .consensus(ConsensusEngine(bytes: Array("MNSV".utf8))!, [0xe0, 0x2e, 0, 0]))
        #expect(try DigestItem.decode(hex: "0x000c010203") == .other([1, 2, 3]))
        #expect(try DigestItem.decode(hex: "0x08") == .runtimeEnvironmentUpdated)
        #expect(throws: ChainDecodingError.self) { try DigestItem.decode(hex: "0x09") }
        #expect(throws: ChainDecodingError.self) { try DigestItem.decode(hex: "0x0800") }
    }

    @Test func itemsRoundTrip() throws {
        for log in [realAuraLog, realMcshLog, realSealLog] {
            #expect(try DigestItem.decode(hex: log).hex == log)
        }
    }

    @Test(arguments: [
        BabePreDigest.secondaryPlain(authorityIndex: 17, slot: 99_000_001),
        BabePreDigest.primary(authorityIndex: 3, slot: 5, vrf: [UInt8](repeating: 9, count: 96)),
        BabePreDigest.secondaryVRF(authorityIndex: 1199, slot: 7, vrf: [UInt8](repeating: 1, count: 96)),
    ])
    func babeRoundTrip(digest: BabePreDigest) throws {
        let log = DigestItem.preRuntime(.babe, digest.encoded()).hex
        let e = try AuthorEvidence.from(logs: [log])
        #expect(e.babe == digest)
        #expect(e.slot == digest.slot)
    }

    /// During the AURA→BABE migration a block carries both pre-digests; AURA's slot decides.
    @Test func migrationBlockCarriesBoth() throws {
        let babe = DigestItem.preRuntime(.babe, BabePreDigest.secondaryPlain(authorityIndex: 2, slot: 294_751_351).encoded())
        let e = try AuthorEvidence.from(logs: [realAuraLog, babe.hex, realMcshLog])
        #expect(e.auraSlot == 294_751_351)
        #expect(e.babe?.authorityIndex == 2)
        let committee = Committee(authorities: (0..<10).map { Hex.encode([UInt8](repeating: UInt8($0), count: 32)) })
        let author = Attribution.author(evidence: e, committee: committee, directory: nil)
        #expect(author?.seat == Int(294_751_351 % 10))
        let babeOnly = try AuthorEvidence.from(logs: [babe.hex])
        #expect(Attribution.author(evidence: babeOnly, committee: committee, directory: nil)?.seat == 2)
    }

    @Test func malformedAuraPayloadIsAnError() {
        let bad = DigestItem.preRuntime(.aura, [1, 2, 3]).hex
        #expect(throws: ChainDecodingError.self) { try AuthorEvidence.from(logs: [bad]) }
    }
}

@Suite struct HeaderTests {
    let headerJSON = """
        {"parentHash":"0x55907f0ca903e0e16164cebeaf53d31b49c9a7895347cf57b1089ac9d9f896ea","number":"0x332534",
         "stateRoot":"0x36777d330a059e80b6256277ff6fe02924da22cd1a0e626b43684e30b6ed3636",
         "extrinsicsRoot":"0xfc1e9fb03c071b2781f0aa9deb6f5e61411e6001465f0d333130d5c417f23046",
         "digest":{"logs":["\(realAuraLog)","\(realMcshLog)","\(realSealLog)"]},"extra":1}
        """

    @Test func decodesTheRealHeader() throws {
        let h = try JSONDecoder().decode(BlockHeader.self, from: Data(headerJSON.utf8))
        #expect(h.number == 3_351_860)
        #expect(h.digestLogs.count == 3)
        #expect(try h.authorEvidence().slot == 294_751_351)
    }

    @Test func numberAsInteger() throws {
        let json = headerJSON.replacingOccurrences(of: "\"0x332534\"", with: "3351860")
        #expect(try JSONDecoder().decode(BlockHeader.self, from: Data(json.utf8)).number == 3_351_860)
    }

    @Test func missingDigestIsEmpty() throws {
        let json = """
            {"parentHash":"0x00","number":"0x1","stateRoot":"0x00","extrinsicsRoot":"0x00"}
            """
        #expect(try JSONDecoder().decode(BlockHeader.self, from: Data(json.utf8)).digestLogs == [])
    }

    @Test func hashIsBlake2bOfTheScaleHeader() throws {
        let h = try JSONDecoder().decode(BlockHeader.self, from: Data(headerJSON.utf8))
        let encoded = try h.scaleEncoded()
        // parent (32) + compact number (4 bytes: 3351860 >= 2^14) + roots (64) + compact count (1) + items
        let items = try [realAuraLog, realMcshLog, realSealLog].reduce(0) { $0 + (try Hex.decode($1)).count }
        #expect(encoded.count == 32 + 4 + 64 + 1 + items)
        #expect(Array(encoded[32..<36]) == [0xd2, 0x94, 0xcc, 0x00])
        #expect(try h.computeHash() == Hex.encode(Blake2b.hash256(encoded)))
        var changed = h
        changed.number += 1
        #expect(try changed.computeHash() != h.computeHash())
    }

    @Test func jsonRoundTrip() throws {
        let h = try JSONDecoder().decode(BlockHeader.self, from: Data(headerJSON.utf8))
        let again = try JSONDecoder().decode(BlockHeader.self, from: JSONEncoder().encode(h))
        #expect(again == h)
    }

    @Test func signedBlockAndTimestamp() throws {
        let json = """
            {"block":{"header":\(headerJSON),"extrinsics":["0x280401000b10254cc39b01","0x1234"]},"justifications":null}
            """
        let b = try JSONDecoder().decode(SignedBlock.self, from: Data(json.utf8))
        #expect(b.block.extrinsics.count == 2)
        #expect(!b.hasJustifications)
        // The timestamp inherent equals slot × 6000 ms on this chain.
        #expect(b.block.timestampMs == 294_751_351 * 6000)
    }

    @Test func timestampInherentRoundTrip() {
        #expect(TimestampInherent.encode(milliseconds: 1_768_508_106_000) == "0x280401000b10254cc39b01")
        #expect(TimestampInherent.decode(extrinsic: TimestampInherent.encode(milliseconds: 6000)) == 6000)
        #expect(TimestampInherent.decode(extrinsic: "0x1234") == nil)
        #expect(TimestampInherent.decode(extrinsic: "0x280402000b10254cc39b01") == nil)
    }
}
