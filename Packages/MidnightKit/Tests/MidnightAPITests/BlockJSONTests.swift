import Foundation
import MidnightAPI
import MidnightStore
import SpomHTTP
import Testing

/// The hand-written block JSON must be byte-identical to the `Encodable` reference (what the CLI's
/// `--json` and every other entity use) for ordinary and awkward values.
@Suite("BlockJSON")
struct BlockJSONTests {
    static func block(
        number: UInt64 = 42, chain: String = "midnight", author: String? = "0x" + String(repeating: "ab", count: 32),
        aura: String? = "0x" + String(repeating: "cd", count: 32), finalized: Bool = true, extrinsics: Int = 3,
        big: UInt64 = 1_700_000_000_000
    ) -> StoredBlock {
        StoredBlock(
            chain: chain, number: number, hash: "0x" + String(repeating: "0f", count: 32),
            parentHash: "0x" + String(repeating: "f0", count: 32), slot: big / 6000, sidechainEpoch: 1234,
            mainchainEpoch: 567, timestampMs: big, extrinsicsCount: extrinsics, author: author, authorAuraKey: aura,
            finalized: finalized, unattributedReason: author == nil ? .committeeUnavailable : nil)
    }

    static let blocks: [StoredBlock] = [
        block(),
        block(author: nil, aura: nil, finalized: false),
        block(author: nil, aura: "0x01"),
        block(number: 0, chain: "", extrinsics: 0, big: 0),
        block(number: UInt64(Int64.max), chain: "test\"net\\/\n\u{1}é", extrinsics: Int.max, big: UInt64.max),
        block(chain: "preview", extrinsics: -1),
    ]

    @Test(arguments: blocks)
    func oneBlockIsByteIdenticalToTheEncoder(_ block: StoredBlock) throws {
        let expected = String(decoding: try JSONOutput.encode(block), as: UTF8.self)
        let actual = String(decoding: BlockJSON.encode(block), as: UTF8.self)
        #expect(actual == expected)
    }

    @Test(arguments: [(nil, nil), (UInt64(7), nil), (nil, UInt64(9)), (UInt64(1), UInt64.max)] as [(UInt64?, UInt64?)])
    func pagesAreByteIdenticalToTheEncoder(next: UInt64?, prev: UInt64?) throws {
        for blocks in [[], [Self.blocks[0]], Self.blocks] {
            let page = BlocksResponse(blocks: blocks, nextBefore: next, prevAfter: prev)
            let expected = String(decoding: try JSONOutput.encode(page), as: UTF8.self)
            #expect(String(decoding: BlockJSON.encode(page), as: UTF8.self) == expected)
        }
    }
}

/// The hand-written `/health` body against the `Encodable` reference.
@Suite("HealthJSON")
struct HealthJSONTests {
    @Test(arguments: [nil, 0, 123_456, UInt64.max] as [UInt64?])
    func healthIsByteIdenticalToTheEncoder(lastSynced: UInt64?) throws {
        for chain in ["midnight", "", "q\"\\/\n\u{7}é"] {
            let response = HealthResponse(
                status: "ok", chain: chain, lastProgressMs: 1_800_000_000_000, progressAgeMs: 0, maxProgressAgeMs: UInt64.max,
                lastSyncedBlock: lastSynced)
            let expected = String(decoding: try JSONOutput.encode(response), as: UTF8.self)
            #expect(String(decoding: HealthJSON.encode(response), as: UTF8.self) == expected)
        }
    }
}
