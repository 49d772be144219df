import Foundation
import Logging
import MidnightStore
import MidnightView
import SpomTUI
import Testing

private let now: UInt64 = 1_800_000_000_000

/// Three epochs of our validator's history, through MidnightStore's public write API:
/// epoch 8: 1 of 4 seats, 12 chain blocks, 3 ours (expected 3, 100 %);
/// epoch 9: a candidate with 0 seats, 8 blocks (nothing expected);
/// epoch 10: 2 of 4 seats, 10 blocks, 2 ours (expected 5, 40 %).
private func historyFixture() throws -> DashboardFixture {
    let fixture = try DashboardFixture(blocks: 0)
    let ours = DashboardFixture.ours, others = DashboardFixture.others
    let keys = others + [ours]
    let candidates = keys.enumerated().map { i, key in
        CommitteeCandidate(sidechainKey: key, auraKey: DashboardFixture.aura(i), isPermissioned: i == 0)
    }
    let oursAura = DashboardFixture.aura(3)
    let seats: [UInt64: [Int]] = [8: [0, 1, 2, 3], 9: [0, 1, 2, 0], 10: [3, 3, 1, 2]]
    // Authors per epoch (indexes into `keys`); 3 = ours.
    let authors: [UInt64: [Int]] = [8: [0, 3, 1, 3, 2, 3, 0, 1, 2, 0, 1, 2], 9: [0, 1, 2, 0, 1, 2, 0, 1], 10: [3, 1, 2, 3, 1, 2, 1, 2, 1, 2]]
    var number: UInt64 = 0
    for epoch: UInt64 in [8, 9, 10] {
        _ = try fixture.writer.storeCommittee(NewCommittee(sidechainEpoch: epoch, mainchainEpoch: 5, authorities: seats[epoch, default: []].map { DashboardFixture.aura($0) },
                                                           source: "fixture", candidates: candidates))
        let blocks = authors[epoch, default: []].map { i -> NewBlock in
            number += 1
            return NewBlock(number: number, hash: DashboardFixture.hash(number), parentHash: DashboardFixture.hash(number - 1), slot: 1000 + number,
                            sidechainEpoch: epoch, mainchainEpoch: 5, timestampMs: 1_700_000_000_000 + number * 6000, extrinsicsCount: 1,
                            author: .attributed(sidechainKey: keys[i], auraKey: i == 3 ? oursAura : DashboardFixture.aura(i)))
        }
        _ = try fixture.writer.insertBlocks(blocks)
    }
    try fixture.writer.updateSyncStatus(SyncStatusUpdate(lastSyncedBlock: number, chainTipBlock: number, currentSidechainEpoch: 10, isSyncing: false, blocksPerSecond: 1))
    return fixture
}

@Test func performanceEnterOpensTheEpochHistoryOnTheSelectedEpoch() async throws {
    let fixture = try historyFixture()
    defer { fixture.remove() }
    var app = DashboardApp(snapshot: await fixture.loader().load(nowMs: now))
    app.setNow(ms: now)
    app.handle(.character("4"))
    var text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("Performance (our validator"))
    // Newest first: 10, 9, 8; select epoch 8.
    app.handle(.character("j"))
    app.handle(.character("j"))
    #expect(app.state.performance.selectedID == "8")
    app.handle(.enter)
    #expect(app.state.popup == .epochHistory(key: DashboardFixture.ours))
    #expect(app.state.epochHistory.selectedID == "8", "the popup opens on the epoch selected in Performance")
    text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("★ Epoch history"))
    #expect(text.contains("3 epochs stored, 2 with seats"), "\(text)")
    #expect(text.contains("seats 3  produced 5 / expected ~8.0  (62%)"), "\(text)")
    #expect(text.contains("Best epoch 8 (100%)  worst 10 (40%)  average 2.5 blocks per seated epoch"), "\(text)")
    let rows = text.split(separator: "\n")
    let row8 = try #require(rows.first { $0.contains("1/4") && $0.contains("100%") }, "\(text)")
    #expect(row8.contains("12") && row8.contains("3.0"))
    let row10 = try #require(rows.first { $0.contains("10*") }, "the current epoch is marked:\n\(text)")
    #expect(row10.contains("2/4") && row10.contains("5.0") && row10.contains("40%"))
    #expect(rows.contains { $0.contains("0/4") && $0.contains(" -") }, "no ratio where nothing was expected")
    // j/k scroll inside the popup (the Performance selection stays), y copies our key, Esc closes.
    app.handle(.character("k"))
    #expect(app.state.epochHistory.selectedID == "9")
    #expect(app.state.performance.selectedID == "8")
    #expect(app.handle(.character("y")) == [.copy(DashboardFixture.ours)])
    app.handle(.escape)
    #expect(app.state.popup == nil && !app.state.shouldQuit)
    #expect(app.state.view == .performance)
}

@Test func enterOnTheDashboardOpensOurEpochHistory() async throws {
    let fixture = try historyFixture()
    defer { fixture.remove() }
    var app = DashboardApp(snapshot: await fixture.loader().load(nowMs: now))
    app.setNow(ms: now)
    app.handle(.enter)
    #expect(app.state.popup == .epochHistory(key: DashboardFixture.ours))
    #expect(app.state.epochHistory.selectedID == "10", "newest epoch first")
    // It fits an 80x24 terminal: the summary and the table with its newest row.
    let text = screen(&app, columns: 80, rows: 24)
    #expect(text.contains("Epoch history") && text.contains("Best epoch 8"))
    #expect(text.contains("10*"))
    #expect(text.contains("j/k"))
}

@Test func noOursMeansNoEpochHistory() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mvm-view-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("mvm.db").path
    try MidnightDatabase.openWriter(path: path).close()
    var app = DashboardApp(snapshot: await DashboardLoader(databasePath: path, status: nil, logger: Logger(label: "test")).load(nowMs: now))
    #expect(app.snapshot.ours.value?.isEmpty == true)
    app.handle(.enter)
    #expect(app.state.popup == nil)
    app.handle(.character("4"))
    app.handle(.enter)
    #expect(app.state.popup == nil)
}
