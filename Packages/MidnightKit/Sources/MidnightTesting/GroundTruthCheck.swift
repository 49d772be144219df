import Foundation
import MidnightDevnode
import MidnightStore

/// Test support: reads what a sync wrote and compares it with the simulated node's ground truth.
///
/// The sync tests, the crash tests and the end-to-end tests all judge a database the same way:
/// every stored block must be canonical on the node with the same hash, parent, slot, epochs,
/// timestamp, extrinsics count and (unless the test says otherwise) author, and nothing may be
/// finalized in the database that the node has not finalized.
public enum GroundTruthCheck {
    /// Every block stored in the database at `path`, lowest first (none when the file is absent).
    public static func storedBlocks(databasePath path: String) throws -> [StoredBlock] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let reader = try MidnightDatabase.openReader(path: path)
        defer { try? reader.close() }
        var all: [StoredBlock] = []
        var before: UInt64? = nil
        while true {
            let page = try reader.blocks(BlockQuery(before: before, limit: 1000))
            all += page.blocks
            guard let next = page.nextBefore, !page.blocks.isEmpty else { break }
            before = next
        }
        return all.sorted { $0.number < $1.number }
    }

    /// The differences between `stored` and the node's `truth`, one line each (empty: equal).
    ///
    /// - Parameters:
    ///   - checkAuthors: compare authors too (off where a test expects unattributed blocks).
    ///   - requireEveryBlock: also require that every block of the node from #1 up is stored.
    public static func mismatches(
        stored: [StoredBlock], truth: DevnodeGroundTruth, checkAuthors: Bool = true, requireEveryBlock: Bool = false
    ) -> [String] {
        var problems: [String] = []
        let canonical = truth.blocks.filter { $0.number >= 1 }.sorted { $0.number < $1.number }
        if requireEveryBlock, stored.map(\.number) != canonical.map(\.number) {
            problems.append(
                "stored #\(stored.first?.number ?? 0)-#\(stored.last?.number ?? 0) (\(stored.count)), node has #1-#\(canonical.last?.number ?? 0) (\(canonical.count))"
            )
        }
        let byNumber = Dictionary(canonical.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        for b in stored {
            guard let t = byNumber[b.number] else {
                problems.append("#\(b.number) stored but not canonical on the node")
                continue
            }
            if b.hash != t.hash { problems.append("#\(b.number) hash \(b.hash) != \(t.hash)") }
            if b.parentHash != t.parentHash { problems.append("#\(b.number) parent \(b.parentHash) != \(t.parentHash)") }
            if b.slot != t.slot { problems.append("#\(b.number) slot \(b.slot) != \(t.slot)") }
            if b.sidechainEpoch != t.sidechainEpoch { problems.append("#\(b.number) sidechain epoch \(b.sidechainEpoch) != \(t.sidechainEpoch)") }
            if b.mainchainEpoch != t.mainchainEpoch { problems.append("#\(b.number) mainchain epoch \(b.mainchainEpoch) != \(t.mainchainEpoch)") }
            if b.timestampMs != t.timestampMs { problems.append("#\(b.number) timestamp \(b.timestampMs) != \(t.timestampMs)") }
            if b.extrinsicsCount != t.extrinsicsCount { problems.append("#\(b.number) extrinsics \(b.extrinsicsCount) != \(t.extrinsicsCount)") }
            if checkAuthors, b.author != t.author {
                problems.append("#\(b.number) author \(b.author ?? "nil") != \(t.author ?? "nil") (\(b.unattributedReason?.rawValue ?? "-"))")
            }
            if b.finalized && !t.finalized { problems.append("#\(b.number) finalized in the database but not on the node") }
        }
        return problems
    }
}
