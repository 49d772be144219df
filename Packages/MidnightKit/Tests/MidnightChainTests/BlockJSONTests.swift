import Foundation
import MidnightChain
import Testing

/// Block JSON of every node generation, built from real digest shapes.
enum BlockFixtures {
    enum Generation: String, CaseIterable, Sendable {
        case v0_12, v0_18, v1_aura, v1_migration, v1_babe
    }

    static let hash = "0x" + String(repeating: "ab", count: 32)
    static let root = "0x" + String(repeating: "cd", count: 32)

    static func logs(_ generation: Generation, slot: UInt64) -> [String] {
        var w = ScaleWriter(capacity: 8)
        w.appendU64(slot)
        let aura = DigestItem.preRuntime(.aura, w.bytes).hex
        let babe = DigestItem.preRuntime(.babe, BabePreDigest.secondaryPlain(authorityIndex: 7, slot: slot).encoded()).hex
        let babeVRF = DigestItem.preRuntime(
            .babe, BabePreDigest.secondaryVRF(authorityIndex: 3, slot: slot, vrf: [UInt8](repeating: 5, count: 96)).encoded()
        ).hex
        let mcsh = realMcshLog
        let seal = { (engine: ConsensusEngine) in DigestItem.seal(engine, [UInt8](repeating: 0x11, count: 64)).hex }
        switch generation {
        case .v0_12, .v0_18, .v1_aura: return [aura, mcsh, seal(.aura)]
        case .v1_migration: return [aura, babe, mcsh, seal(.aura)]
        case .v1_babe: return [babeVRF, mcsh, seal(.babe)]
        }
    }

    /// `chain_getBlock`'s answer; 0.12 sends the number as an integer-free hex string like the
    /// others, but with the keys in another order and whitespace, as older serializers did.
    static func json(_ generation: Generation, number: UInt64 = 0x332534, slot: UInt64 = 294_751_351) -> String {
        let logs = logs(generation, slot: slot).map { "\"\($0)\"" }.joined(separator: ",")
        let extrinsics = [TimestampInherent.encode(milliseconds: slot * 6000), "0x1004050607"].map { "\"\($0)\"" }
            .joined(separator: ",")
        let n = "0x" + String(number, radix: 16)
        switch generation {
        case .v0_12:
            return """
                {
                  "justifications": null,
                  "block": {
                    "extrinsics": [\(extrinsics)],
                    "header": {"number": "\(n)", "parentHash": "\(hash)", "extrinsicsRoot": "\(root)",
                               "stateRoot": "\(root)", "digest": {"logs": [\(logs)]}}
                  }
                }
                """
        default:
            return #"{"block":{"header":{"parentHash":"\#(hash)","number":"\#(n)","stateRoot":"\#(root)","extrinsicsRoot":"\#(root)","digest":{"logs":[\#(logs)]}},"extrinsics":[\#(extrinsics)]},"justifications":null}"#
        }
    }
}

@Suite struct BlockJSONTests {
    @Test(arguments: BlockFixtures.Generation.allCases)
    func sameAsCodableForEveryGeneration(_ generation: BlockFixtures.Generation) throws {
        let text = BlockFixtures.json(generation)
        let fast = try BlockJSON.signedBlock(Array(text.utf8))
        let codable = try JSONDecoder().decode(SignedBlock.self, from: Data(text.utf8))
        #expect(fast == codable)
        #expect(fast.block.header.number == 0x332534)
        #expect(fast.block.timestampMs == 294_751_351 * 6000)
        let evidence = try fast.block.header.authorEvidence()
        #expect(evidence.slot == 294_751_351)
        switch generation {
        case .v0_12, .v0_18, .v1_aura: #expect(evidence.babe == nil && evidence.auraSlot != nil)
        case .v1_migration: #expect(evidence.babe?.authorityIndex == 7 && evidence.auraSlot != nil)
        case .v1_babe: #expect(evidence.babe?.authorityIndex == 3 && evidence.auraSlot == nil)
        }
        #expect(try fast.block.header.computeHash() == codable.block.header.computeHash())
    }

    @Test func headerAlone() throws {
        let text = #"{"parentHash":"\#(BlockFixtures.hash)","number":"0x10","stateRoot":"\#(BlockFixtures.root)","extrinsicsRoot":"\#(BlockFixtures.root)","digest":{"logs":["\#(realAuraLog)"]}}"#
        let header = try BlockJSON.header(Array(text.utf8))
        #expect(header == (try JSONDecoder().decode(BlockHeader.self, from: Data(text.utf8))))
        #expect(header.number == 16)
    }

    /// The tolerances of the Codable models: integer numbers, null or absent digest, unknown
    /// members, justifications present, escaped text.
    @Test func tolerantShapes() throws {
        let h = BlockFixtures.hash, r = BlockFixtures.root
        let integerNumber = #"{"block":{"header":{"parentHash":"\#(h)","number":1234,"stateRoot":"\#(r)","extrinsicsRoot":"\#(r)","digest":null,"extra":[1,{"a":true},-2.5e3]},"extrinsics":[]},"justifications":[["0x46524e4b","0x0102"]],"x":"y"}"#
        let block = try BlockJSON.signedBlock(Array(integerNumber.utf8))
        #expect(block.block.header.number == 1234)
        #expect(block.block.header.digestLogs.isEmpty)
        #expect(block.hasJustifications)
        #expect(block == (try JSONDecoder().decode(SignedBlock.self, from: Data(integerNumber.utf8))))

        let escaped = #"{"block":{"header":{"parentHash":"\u0030x\#(h.dropFirst(2))","number":"0x1","stateRoot":"\#(r)","extrinsicsRoot":"\#(r)"},"extrinsics":["0x\/00"]}}"#
        let e = try BlockJSON.signedBlock(Array(escaped.utf8))
        #expect(e.block.header.parentHash == h)
        #expect(e.block.extrinsics == ["0x/00"])
        #expect(!e.hasJustifications)
        #expect(e == (try JSONDecoder().decode(SignedBlock.self, from: Data(escaped.utf8))))
    }

    @Test(arguments: [
        ("", "block"),
        ("{", "block"),
        (#"{"block":{"header":{"parentHash":"0x00","number":"zz","stateRoot":"0x","extrinsicsRoot":"0x"},"extrinsics":[]}}"#, "block.header.number"),
        (#"{"block":{"header":{"parentHash":"0x00","number":1.5,"stateRoot":"0x","extrinsicsRoot":"0x"},"extrinsics":[]}}"#, "block.header.number"),
        (#"{"block":{"header":{"parentHash":"0x00","stateRoot":"0x","extrinsicsRoot":"0x"},"extrinsics":[]}}"#, "block.header.number"),
        (#"{"block":{"header":{"parentHash":"0x00","number":1,"stateRoot":"0x","extrinsicsRoot":"0x"}}}"#, "block.extrinsics"),
        (#"{"block":{"header":{"parentHash":"0x00","number":1,"stateRoot":"0x","extrinsicsRoot":"0x"},"extrinsics":[1]}}"#, "block.extrinsics"),
        (#"{"block":{"header":{"parentHash":"0x00","number":1,"stateRoot":"0x","extrinsicsRoot":"0x","digest":{"logs":["0x06"#, "block.header.digest.logs"),
        (#"{"justifications":null}"#, "block"),
        (#"{"block":{"header":{"parentHash":"0x00","number":1,"stateRoot":"0x","extrinsicsRoot":"0x"},"extrinsics":[]}} trailing"#, "block"),
    ])
    func malformedInputNamesFieldAndOffset(text: String, field: String) {
        do {
            _ = try BlockJSON.signedBlock(Array(text.utf8))
            Issue.record("decoded malformed input: \(text)")
        } catch {
            #expect(error.description.hasPrefix(field + ":") || error.description.hasPrefix(field + "."), "\(error)")
            #expect(error.description.contains("byte offset"), "\(error)")
        }
    }

    /// Deep nesting in an unknown member fails cleanly instead of exhausting the stack.
    @Test func deepNestingIsRejected() {
        let deep = String(repeating: "[", count: 10_000)
        let text = #"{"x":\#(deep)"#
        #expect(throws: ChainDecodingError.self) { try BlockJSON.signedBlock(Array(text.utf8)) }
    }
}
