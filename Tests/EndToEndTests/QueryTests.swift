import Foundation
import MidnightStore
import SpomTesting
import Testing

/// `mvm query ...` against a real database written with MidnightStore: blocks 1-20 with blocks
/// 8-10 and 15 missing, validator B (12 blocks) and validator A (ours, 4 blocks).
@Suite("mvm query against a database")
struct QueryTests {
    static let ours = "0x02" + String(repeating: "aa", count: 32)
    static let other = "0x02" + String(repeating: "bb", count: 32)
    static let oursAura = "0x" + String(repeating: "a1", count: 32)
    static let otherAura = "0x" + String(repeating: "b1", count: 32)
    static let stored: [UInt64] = (1...20).filter { !(8...10).contains($0) && $0 != 15 }

    static func hash(_ n: UInt64) -> String { "0x" + String(format: "%064x", n) }

    /// Writes the fixture database and returns its path.
    static func makeDatabase(in directory: TemporaryDirectory) throws -> String {
        let path = directory.path("mvm.db")
        let writer = try MidnightDatabase.openWriter(path: path, options: WriterOptions(slotsPerEpoch: 10, slotDurationMs: 6000))
        let blocks = stored.map { n -> NewBlock in
            let mine = n % 4 == 0  // 4, 12, 16, 20
            return NewBlock(
                number: n, hash: hash(n), parentHash: hash(n - 1), slot: 1000 + n, sidechainEpoch: (1000 + n) / 10,
                mainchainEpoch: 7, timestampMs: (1000 + n) * 6000, extrinsicsCount: 2,
                author: .attributed(sidechainKey: mine ? ours : other, auraKey: mine ? oursAura : otherAura))
        }
        _ = try writer.insertBlocks(blocks, syncStatus: SyncStatusUpdate(startBlock: 1, lastSyncedBlock: 20))
        _ = try writer.markFinalized(upTo: 18)
        try writer.markOurs(sidechainKey: ours, auraKey: oursAura)
        return path
    }

    func mvm(_ arguments: [String], _ directory: TemporaryDirectory) async throws -> CLIResult {
        try await CLI.run("mvm", arguments, environment: CLI.isolatedEnvironment(directory, rpcPort: 9), in: directory.url.path)
    }

    func json(_ result: CLIResult) throws -> Any {
        #expect(result.status == 0, "\(result)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    @Test func statsAndGapsAreCorrect() async throws {
        let directory = try TemporaryDirectory(prefix: "query-stats")
        defer { directory.remove() }
        let db = try Self.makeDatabase(in: directory)
        let stats = try #require(try json(try await mvm(["query", "-d", db, "stats", "--json"], directory)) as? [String: Any])
        #expect(stats["total_blocks"] as? Int == 16)
        #expect(stats["finalized_blocks"] as? Int == 14)
        #expect(stats["first_block"] as? Int == 1)
        #expect(stats["last_block"] as? Int == 20)
        #expect(stats["gaps"] as? Int == 2)
        #expect(stats["missing_blocks"] as? Int == 4)
        #expect(stats["attributed_blocks"] as? Int == 16)

        // -d after the subcommand, table form.
        let table = try await mvm(["query", "stats", "-d", db], directory)
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("total_blocks") && table.stdout.contains("16"))

        let gaps = try #require(try json(try await mvm(["query", "gaps", "-d", db, "--json"], directory)) as? [[String: Any]])
        #expect(gaps.count == 2)
        #expect(gaps.first?["start"] as? Int == 8 && gaps.first?["end"] as? Int == 10 && gaps.first?["missing"] as? Int == 3, "v1 said 1")
        #expect(gaps.last?["start"] as? Int == 15 && gaps.last?["missing"] as? Int == 1, "v1 underflowed on one-block gaps")
        let gapTable = try await mvm(["query", "-d", db, "gaps"], directory)
        #expect(gapTable.stdout.contains("Total missing blocks: 4"), "\(gapTable)")
        let csv = try await mvm(["query", "-d", db, "gaps", "--format", "csv"], directory)
        #expect(csv.stdout.split(separator: "\n").map(String.init) == ["from,to,missing,leading", "8,10,3,no", "15,15,1,no"], "\(csv)")
    }

    @Test func blocksUseTheSharedEntityJSON() async throws {
        let directory = try TemporaryDirectory(prefix: "query-blocks")
        defer { directory.remove() }
        let db = try Self.makeDatabase(in: directory)
        let blocks = try #require(try json(try await mvm(["query", "-d", db, "blocks", "-f", "2", "-t", "7", "--json"], directory)) as? [[String: Any]])
        #expect(blocks.compactMap { $0["number"] as? Int } == [2, 3, 4, 5, 6, 7])
        let keys: Set<String> = [
            "chain", "number", "hash", "parent_hash", "slot", "sidechain_epoch", "mainchain_epoch", "timestamp_ms",
            "extrinsics_count", "author", "author_aura_key", "finalized",
        ]
        #expect(Set(blocks[0].keys) == keys)
        #expect(blocks[0]["chain"] as? String == "midnight")
        #expect(blocks[2]["author"] as? String == Self.ours)
        #expect(blocks[2]["author_aura_key"] as? String == Self.oursAura)
        #expect(blocks[0]["hash"] as? String == Self.hash(2))

        // Default: the newest 10 stored blocks, shown oldest first; --limit caps them.
        let newest = try #require(try json(try await mvm(["query", "blocks", "-d", db, "--json", "-l", "3"], directory)) as? [[String: Any]])
        #expect(newest.compactMap { $0["number"] as? Int } == [18, 19, 20])
        let csv = try await mvm(["query", "blocks", "-d", db, "--format", "csv", "-t", "7", "-l", "2"], directory)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "block,slot,sc_epoch,mc_epoch,extrinsics,final,author,hash", "\(csv)")
        #expect(lines.count == 3 && lines[1].hasPrefix("6,1006,100,7,2,true,\(Self.other),"), "\(csv)")
        let text = try await mvm(["query", "-d", db, "blocks"], directory)
        #expect(text.status == 0 && text.stdout.contains("Blocks 7 - 20 (10 shown)"), "\(text)")
    }

    @Test func validatorsRankByBlocksNotByOurs() async throws {
        let directory = try TemporaryDirectory(prefix: "query-validators")
        defer { directory.remove() }
        let db = try Self.makeDatabase(in: directory)
        let page = try #require(try json(try await mvm(["query", "-d", db, "validators", "--json"], directory)) as? [String: Any])
        let validators = try #require(page["validators"] as? [[String: Any]])
        #expect(validators.count == 2)
        #expect(validators[0]["sidechain_key"] as? String == Self.other)
        #expect(validators[0]["rank"] as? Int == 1 && validators[0]["blocks_total"] as? Int == 12)
        #expect(validators[1]["sidechain_key"] as? String == Self.ours)
        #expect(validators[1]["rank"] as? Int == 2 && validators[1]["is_ours"] as? Bool == true, "v1 ranked ours #1")

        let ours = try #require(try json(try await mvm(["query", "validators", "--ours", "-d", db, "--json"], directory)) as? [String: Any])
        #expect((ours["validators"] as? [[String: Any]])?.count == 1)

        let performance = try #require(try json(try await mvm(["query", "-d", db, "performance", "--ours", "--json"], directory)) as? [String: Any])
        let rows = try #require(performance["validators"] as? [[String: Any]])
        #expect(rows.first?["rank"] as? Int == 2, "ranks stay chain-wide with --ours")
        #expect(abs((rows.first?["share_percent"] as? Double ?? 0) - 25) < 0.01)

        let detail = try #require(try json(try await mvm(["query", "-d", db, "validator", String(Self.ours.dropFirst(2)).uppercased(), "--json"], directory)) as? [String: Any])
        #expect((detail["validator"] as? [String: Any])?["sidechain_key"] as? String == Self.ours, "key normalised")
        let missing = try await mvm(["query", "-d", db, "validator", "0x0299"], directory)
        #expect(missing.status == 1 && missing.stderr.contains("validator not found: 0x0299"), "\(missing)")

        let table = try await mvm(["query", "-d", db, "performance"], directory)
        #expect(table.status == 0 && table.stdout.contains("Active validators: 2"), "\(table)")
    }

    @Test func epochsListAndDetail() async throws {
        let directory = try TemporaryDirectory(prefix: "query-epochs")
        defer { directory.remove() }
        let db = try Self.makeDatabase(in: directory)
        let epochs = try #require(try json(try await mvm(["query", "-d", db, "epochs", "--json"], directory)) as? [[String: Any]])
        #expect(Set(epochs.compactMap { $0["sidechain_epoch"] as? Int }) == [100, 101, 102])
        let one = try #require(try json(try await mvm(["query", "-d", db, "epochs", "101", "--json"], directory)) as? [String: Any])
        #expect(one["sidechain_epoch"] as? Int == 101)
        let absent = try await mvm(["query", "-d", db, "epochs", "55"], directory)
        #expect(absent.status == 1 && absent.stderr.contains("epoch 55"), "\(absent)")
        let csv = try await mvm(["query", "-d", db, "epochs", "--format", "csv"], directory)
        #expect(csv.status == 0 && csv.stdout.hasPrefix("sc_epoch,"), "\(csv)")
    }
}
