import Foundation
import MidnightStore

/// Writes a synthetic chain through MidnightStore's public write API: committees per epoch,
/// attributed blocks, finality, registrations, "ours" and the sync status.
struct ChainFixture {
    let writer: StoreWriter
    static let slotsPerEpoch: UInt64 = 50
    static let committeeSize = 5

    init(path: String) throws {
        writer = try MidnightDatabase.openWriter(path: path, options: WriterOptions(appVersion: "remote-tests", slotsPerEpoch: Self.slotsPerEpoch, slotDurationMs: 6_000))
    }

    static func hex(_ seed: UInt64, _ salt: UInt8) -> String {
        var bytes: [UInt8] = []
        var x = seed &* 0x9e37_79b9_7f4a_7c15 &+ UInt64(salt)
        for _ in 0..<32 {
            x ^= x >> 29
            x = x &* 0xbf58_476d_1ce4_e5b9
            bytes.append(UInt8(truncatingIfNeeded: x >> 24))
        }
        return "0x" + bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func sidechainKey(_ i: Int) -> String { "0x02" + String(repeating: String(format: "%02x", i + 1), count: 32) }
    static func auraKey(_ i: Int) -> String { hex(UInt64(1_000 + i), 7) }

    func storeCommittees(epochs: ClosedRange<UInt64>) throws {
        for epoch in epochs {
            let candidates = (0..<Self.committeeSize).map {
                CommitteeCandidate(sidechainKey: Self.sidechainKey($0), auraKey: Self.auraKey($0), isPermissioned: $0 == 0, stake: $0 == 0 ? nil : UInt64(1_000 * $0))
            }
            try writer.storeCommittee(NewCommittee(sidechainEpoch: epoch, mainchainEpoch: epoch / 10, authorities: candidates.map(\.auraKey), source: "rpc", candidates: candidates))
        }
    }

    /// Block `n` sealed at slot `n` by seat `n % size` (or left unattributed).
    static func block(_ n: UInt64, fork: UInt8 = 0, attributed: Bool = true) -> NewBlock {
        let seat = Int(n % UInt64(committeeSize))
        let author: BlockAuthor = attributed
            ? .attributed(sidechainKey: sidechainKey(seat), auraKey: auraKey(seat))
            : .unattributed(.committeeUnavailable, auraKey: auraKey(seat))
        return NewBlock(
            number: n, hash: hex(n, fork), parentHash: n == 0 ? hex(0, 99) : hex(n - 1, fork),
            slot: n, sidechainEpoch: n / slotsPerEpoch, mainchainEpoch: n / slotsPerEpoch / 10,
            timestampMs: 1_700_000_000_000 + n * 6_000, extrinsicsCount: Int(n % 4) + 1, author: author)
    }

    /// Inserts blocks `range` in batches, storing committees for their epochs first.
    func insertBlocks(_ range: ClosedRange<UInt64>, attributed: Bool = true, batch: Int = 1_000) throws {
        try storeCommittees(epochs: (range.lowerBound / Self.slotsPerEpoch)...(range.upperBound / Self.slotsPerEpoch))
        var start = range.lowerBound
        while start <= range.upperBound {
            let end = min(range.upperBound, start + UInt64(batch) - 1)
            try writer.insertBlocks((start...end).map { Self.block($0, attributed: attributed) },
                                    syncStatus: SyncStatusUpdate(lastSyncedBlock: end, chainTipBlock: end + 2, isSyncing: end < range.upperBound))
            start = end + 1
        }
    }
}
