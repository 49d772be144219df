import Foundation
import Logging
import MidnightStore
import MidnightView
import SpomTUI

/// A temporary database filled through MidnightStore's public write API: one committee of four
/// seats in sidechain epoch 10 (ours holds one), `blocks` blocks authored round-robin.
struct DashboardFixture {
    static let ours = "0x02" + String(repeating: "ab", count: 32)
    static let others = ["0x02" + String(repeating: "01", count: 32), "0x02" + String(repeating: "02", count: 32),
                         "0x02" + String(repeating: "03", count: 32)]
    static func aura(_ i: Int) -> String { "0x" + String(i + 16, radix: 16) + String(repeating: "cd", count: 31) }
    static func hash(_ n: UInt64) -> String {
        let digits = String(n &* 2_654_435_761 &+ 7, radix: 16)
        return "0x" + String(repeating: "0", count: 64 - digits.count) + digits
    }

    let directory: URL
    let path: String
    let writer: StoreWriter

    init(blocks: UInt64 = 30, oursSeated: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mvm-view-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("mvm.db").path
        writer = try MidnightDatabase.openWriter(path: path)
        let keys = Self.others + [Self.ours]
        let candidates = keys.enumerated().map { i, key in
            CommitteeCandidate(sidechainKey: key, auraKey: Self.aura(i), isPermissioned: i == 0)
        }
        try writer.markOurs(sidechainKey: Self.ours, auraKey: Self.aura(3), label: "mine")
        // blocks == 0: only our validator, for tests that write their own epochs.
        guard blocks > 0 else { return }
        _ = try writer.storeCommittee(NewCommittee(sidechainEpoch: 10, mainchainEpoch: 5, authorities: (oursSeated ? keys.indices : Self.others.indices).map { Self.aura($0) },
                                                   source: "fixture", candidates: candidates))
        try insert(1...blocks, oursSeated: oursSeated)
        try writer.updateSyncStatus(SyncStatusUpdate(lastSyncedBlock: blocks, chainTipBlock: blocks + 1, currentSidechainEpoch: 10, isSyncing: false, blocksPerSecond: 2.5))
    }

    func insert(_ numbers: ClosedRange<UInt64>, oursSeated: Bool = true) throws {
        let keys = Self.others + [Self.ours]
        let blocks = numbers.map { n in
            let i = Int(n % (oursSeated ? 4 : 3))
            return NewBlock(number: n, hash: Self.hash(n), parentHash: Self.hash(n - 1), slot: 1000 + n, sidechainEpoch: 10, mainchainEpoch: 5,
                            timestampMs: 1_700_000_000_000 + n * 6000, extrinsicsCount: 1,
                            author: .attributed(sidechainKey: keys[i], auraKey: Self.aura(i)))
        }
        _ = try writer.insertBlocks(blocks)
    }

    func loader() -> DashboardLoader {
        DashboardLoader(databasePath: path, status: nil, logger: Logger(label: "test"))
    }

    func remove() {
        try? writer.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Renders the app into a grid of `columns` x `rows` and returns its text.
func screen(_ app: inout DashboardApp, columns: Int = 80, rows: Int = 24) -> String {
    var grid = CellGrid(width: columns, height: rows)
    app.render(into: &grid)
    return grid.textRows.joined(separator: "\n")
}
