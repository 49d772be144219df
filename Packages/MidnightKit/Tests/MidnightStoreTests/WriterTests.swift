import Foundation
import MidnightStore
import SpomTesting
import Testing

@Suite struct WriterTests {
    @Test func insertedBlocksReadBackWithTheSharedJSONShape() throws {
        let dir = try TemporaryDirectory(prefix: "store-insert")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        let result = try writer.insertBlocks([Fixture.block(1, author: 0), Fixture.block(2, author: nil, reason: .statePruned)])
        #expect(result == InsertResult(inserted: 2, alreadyStored: 0, attributed: 1))

        let reader = try MidnightDatabase.openReader(path: dir.path("mvm.db"))
        let one = try #require(try reader.block(number: 1))
        #expect(one.hash == Fixture.hash(1))
        #expect(one.parentHash == Fixture.hash(0))
        #expect(one.author == Fixture.sidechainKey(0))
        #expect(one.authorAuraKey == Fixture.auraKey(0))
        #expect(one.slot == 1 && one.timestampMs == 6000 && one.extrinsicsCount == 2 && !one.finalized)
        #expect(try reader.block(hash: Fixture.hash(1)) == one)
        #expect(try reader.block(hash: Fixture.hash(99)) == nil)

        let two = try #require(try reader.block(number: 2))
        #expect(two.author == nil && two.unattributedReason == .statePruned)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(two)) as? [String: Any]
        let keys = Set(try #require(json).keys)
        #expect(keys == [
            "chain", "number", "hash", "parent_hash", "slot", "sidechain_epoch", "mainchain_epoch", "timestamp_ms",
            "extrinsics_count", "author", "author_aura_key", "finalized",
        ])
        #expect(json?["author"] is NSNull)
        #expect(json?["chain"] as? String == "midnight")
        let decoded = try JSONDecoder().decode(StoredBlock.self, from: JSONEncoder().encode(one))
        #expect(decoded.hash == one.hash && decoded.author == one.author)
    }

    @Test func insertIsIdempotentAndRefusesADifferentHashAtTheSameHeight() throws {
        let dir = try TemporaryDirectory(prefix: "store-idem")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        try writer.insertBlocks((1...5).map { Fixture.block($0, author: 1) })
        let again = try writer.insertBlocks((4...6).map { Fixture.block($0, author: 1) })
        #expect(again.inserted == 1 && again.alreadyStored == 2)
        #expect(try writer.reader.validator(key: Fixture.sidechainKey(1))?.validator.blocksTotal == 6)

        #expect(throws: StoreError.blockConflict(number: 6, storedHash: Fixture.hash(6), newHash: Fixture.hash(6, salt: 9))) {
            try writer.insertBlocks([Fixture.block(7, author: 1), Fixture.block(6, author: 1, salt: 9)])
        }
        // The failed batch rolled back entirely: block 7 is not there.
        #expect(try writer.reader.block(number: 7) == nil)
        #expect(throws: StoreError.self) { try writer.insertBlocks([NewBlock(number: 8, hash: "0xzz", parentHash: "0x00", slot: 8, sidechainEpoch: 0, mainchainEpoch: 0, timestampMs: 0, extrinsicsCount: 1, author: .unattributed(.unknown, auraKey: nil))]) }
    }

    @Test func finalizationReportsWhatChangedAndLaterBlocksBelowTheMarkAreFinal() throws {
        let dir = try TemporaryDirectory(prefix: "store-final")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        try writer.insertBlocks((1...10).filter { $0 != 4 }.map { Fixture.block($0, author: 0) })
        let change = try writer.markFinalized(upTo: 6)
        #expect(change == FinalizationChange(newlyFinalized: 5, fromBlock: 1, toBlock: 6))
        #expect(try writer.markFinalized(upTo: 6).newlyFinalized == 0)
        #expect(try writer.markFinalized(upTo: 3).newlyFinalized == 0)
        // A gap filled below the finalized mark is canonical and finalized.
        try writer.insertBlocks([Fixture.block(4, author: 0)])
        #expect(try writer.reader.block(number: 4)?.finalized == true)
        #expect(try writer.reader.block(number: 7)?.finalized == false)
        let stats = try writer.reader.stats()
        #expect(stats.finalizedBlocks == 6 && stats.unfinalizedBlocks == 4 && stats.lastFinalizedBlock == 6)
        #expect(try writer.markFinalized(upTo: 100) == FinalizationChange(newlyFinalized: 4, fromBlock: 7, toBlock: 10))
        #expect(try writer.reader.blocks(BlockQuery(finalized: false)).blocks.isEmpty)
    }

    @Test func finalityAndTheStatusRowAreOneTransaction() throws {
        let dir = try TemporaryDirectory(prefix: "store-final-status")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        try writer.insertBlocks((1...10).map { Fixture.block($0, author: 0) })
        let change = try writer.markFinalized(
            upTo: 8, syncStatus: SyncStatusUpdate(lastFinalizedBlock: 8, chainTipBlock: 10, isSyncing: false))
        #expect(change == FinalizationChange(newlyFinalized: 8, fromBlock: 1, toBlock: 8))
        var status = try writer.reader.syncStatus()
        #expect(status.lastFinalizedBlock == 8 && status.chainTipBlock == 10 && status.isSyncing == false)
        // Nothing new to finalize: the status is still recorded.
        #expect(try writer.markFinalized(upTo: 8, syncStatus: SyncStatusUpdate(chainTipBlock: 11)).newlyFinalized == 0)
        #expect(try writer.reader.syncStatus().chainTipBlock == 11)
        // A status that cannot be stored rolls the finality back with it.
        #expect(throws: StoreError.self) {
            try writer.markFinalized(upTo: 10, syncStatus: SyncStatusUpdate(chainTipBlock: UInt64.max))
        }
        #expect(try writer.reader.block(number: 9)?.finalized == false)
        status = try writer.reader.syncStatus()
        #expect(status.chainTipBlock == 11 && status.lastFinalizedBlock == 8)
        #expect(try writer.markFinalized(upTo: 10).newlyFinalized == 2)
    }

    @Test func reorgReplacementCorrectsEveryCount() throws {
        let dir = try TemporaryDirectory(prefix: "store-reorg")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        try writer.storeCommittee(Fixture.committee(epoch: 0, seats: [2, 1, 1]))
        // Blocks 1...10: 1...7 by validator 0, 8...10 by validator 1.
        try writer.insertBlocks((1...10).map { Fixture.block($0, author: $0 <= 7 ? 0 : 1) })
        try writer.markFinalized(upTo: 5)

        #expect(throws: StoreError.finalizedBlockReplaced(number: 5, hash: Fixture.hash(5))) {
            try writer.replaceBlocks(from: 5, with: [])
        }
        // The new branch from 8: validator 2 authors 8...11, 12 is unattributed.
        let newBranch = (8...11).map { Fixture.block($0, author: 2, salt: 7) } + [Fixture.block(12, author: nil, salt: 7)]
        let change = try writer.replaceBlocks(from: 8, with: newBranch)
        #expect(change.removed.map(\.number) == [8, 9, 10])
        #expect(change.removed.map(\.hash) == [Fixture.hash(8), Fixture.hash(9), Fixture.hash(10)])
        #expect(change.removed.allSatisfy { $0.author == Fixture.sidechainKey(1) })
        #expect(change.inserted == 5)
        #expect(change.validatorDeltas == [Fixture.sidechainKey(1): -3, Fixture.sidechainKey(2): 4])

        let reader = writer.reader
        #expect(try reader.block(number: 9)?.hash == Fixture.hash(9, salt: 7))
        #expect(try reader.validator(key: Fixture.sidechainKey(0))?.validator.blocksTotal == 7)
        #expect(try reader.validator(key: Fixture.sidechainKey(1))?.validator.blocksTotal == 0)
        #expect(try reader.validator(key: Fixture.sidechainKey(2))?.validator.blocksTotal == 4)
        let epoch = try #require(try reader.epochSummary(0))
        #expect(epoch.blocksProduced == 12)
        let produced = Dictionary(uniqueKeysWithValues: epoch.validators.map { ($0.sidechainKey, $0.blocksProduced) })
        #expect(produced[Fixture.sidechainKey(0)] == 7)
        #expect(produced[Fixture.sidechainKey(1)] == 0)
        #expect(produced[Fixture.sidechainKey(2)] == 4)
        #expect(epoch.unattributedBlocks == 1)
        // Counts agree with the blocks themselves.
        #expect(try reader.blocks(BlockQuery(limit: 1000, author: Fixture.sidechainKey(2))).blocks.count == 4)
        #expect(try reader.blocks(BlockQuery(limit: 1000, author: Fixture.sidechainKey(1))).blocks.isEmpty)
    }

    @Test func committeeIsStoredOnceWithSeatsAndNeverRewritten() throws {
        let dir = try TemporaryDirectory(prefix: "store-committee")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        var committee = Fixture.committee(epoch: 3, seats: [3, 2, 1, 0])
        committee.authorities.append("0x" + String(repeating: "ee", count: 32))  // a seat no candidate holds
        let first = try writer.storeCommittee(committee)
        #expect(first == CommitteeStoreResult(stored: true, committeeSize: 7, candidates: 4, unmatchedSeats: 1))
        var changed = Fixture.committee(epoch: 3, seats: [1])
        changed.source = "other"
        #expect(try writer.storeCommittee(changed).stored == false)

        let stored = try #require(try writer.reader.committee(sidechainEpoch: 3))
        #expect(stored.authorities == committee.authorities)
        #expect(stored.committeeSize == 7 && stored.source == "test" && stored.mainchainEpoch == 0)
        #expect(try writer.reader.hasCommittee(sidechainEpoch: 3))
        #expect(try writer.reader.hasCommittee(sidechainEpoch: 4) == false)
        let history = try #require(try writer.reader.validator(key: Fixture.sidechainKey(0))).epochs
        #expect(history.count == 1 && history[0].seats == 3 && history[0].committeeSize == 7 && history[0].isPermissioned)
        #expect(try writer.reader.validator(key: Fixture.sidechainKey(3))?.epochs.first?.seats == 0)
        #expect(try writer.reader.validator(key: Fixture.sidechainKey(2))?.epochs.first?.stake == 3_000_000)

        #expect(throws: StoreError.self) {
            try writer.storeCommittee(NewCommittee(sidechainEpoch: 5, authorities: ["0x11", "0x2222"], source: "x", candidates: []))
        }
        #expect(try writer.reader.hasCommittee(sidechainEpoch: 5) == false)
    }

    @Test func lateAttributionFillsAuthorsAndCounts() throws {
        let dir = try TemporaryDirectory(prefix: "store-attr")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        try writer.insertBlocks((1...6).map { Fixture.block($0, author: nil) })
        #expect(try writer.reader.epochsWithUnattributedBlocks() == [0])
        #expect(try writer.reader.stats().unattributedByReason == ["committee_unavailable": 6])
        try writer.storeCommittee(Fixture.committee(epoch: 0, seats: [1, 1]))
        let updates = try writer.reader.unattributedBlocks(sidechainEpoch: 0).map {
            BlockAttribution(
                number: $0.number,
                author: $0.number == 6
                    ? .unattributed(.authorNotCandidate, auraKey: "0x" + String(repeating: "ab", count: 32))
                    : .attributed(sidechainKey: Fixture.sidechainKey(Int($0.slot % 2)), auraKey: Fixture.auraKey(Int($0.slot % 2))))
        }
        #expect(try writer.attributeBlocks(updates) == 5)
        #expect(try writer.attributeBlocks(updates) == 0)  // already attributed: untouched
        let stats = try writer.reader.stats()
        #expect(stats.attributedBlocks == 5 && stats.unattributedBlocks == 1)
        #expect(stats.unattributedByReason == ["author_not_candidate": 1])
        #expect(try writer.reader.block(number: 6)?.authorAuraKey == "0x" + String(repeating: "ab", count: 32))
        #expect(try writer.reader.block(number: 3)?.author == Fixture.sidechainKey(1))
        #expect(try writer.reader.validator(key: Fixture.sidechainKey(1))?.validator.blocksTotal == 3)
        #expect(try writer.reader.validator(key: Fixture.sidechainKey(0))?.epochs.first?.blocksProduced == 2)
    }

    @Test func oursIsStickyAndRegistrationHistoryKeepsChangesOnly() throws {
        let dir = try TemporaryDirectory(prefix: "store-ours")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        try writer.markOurs(sidechainKey: "  0X02" + String(repeating: "AB", count: 32) + " ", auraKey: Fixture.auraKey(5), label: "mine")
        let key = "0x02" + String(repeating: "ab", count: 32)
        try writer.storeCommittee(NewCommittee(
            sidechainEpoch: 1, authorities: [Fixture.auraKey(5)], source: "t",
            candidates: [CommitteeCandidate(sidechainKey: key, auraKey: Fixture.auraKey(5), isPermissioned: false, stake: 5)]))
        try writer.insertBlocks([NewBlock(
            number: 150, hash: Fixture.hash(150), parentHash: Fixture.hash(149), slot: 150, sidechainEpoch: 1, mainchainEpoch: 0,
            timestampMs: 900_000, extrinsicsCount: 1, author: .attributed(sidechainKey: key, auraKey: Fixture.auraKey(5)))])
        let ours = try writer.reader.ourValidators()
        #expect(ours.count == 1 && ours[0].sidechainKey == key && ours[0].label == "mine" && ours[0].isOurs)

        #expect(try writer.recordRegistrationStatus(sidechainKey: key, status: "registered", mainchainEpoch: 1, observedAtMs: 1000))
        #expect(try writer.recordRegistrationStatus(sidechainKey: key, status: "registered", mainchainEpoch: 1, observedAtMs: 2000) == false)
        #expect(try writer.recordRegistrationStatus(sidechainKey: key, status: "registered_invalid", reason: "stake too low", observedAtMs: 3000))
        let detail = try #require(try writer.reader.validator(key: key))
        #expect(detail.registrationHistory.map(\.status) == ["registered_invalid", "registered"])
        #expect(detail.registrationHistory.first?.reason == "stake too low")
        #expect(detail.validator.registrationStatus == "registered_invalid")
        // Looking up by AURA key works too.
        #expect(try writer.reader.validator(key: Fixture.auraKey(5))?.validator.sidechainKey == key)
    }

    @Test func syncStatusUpdatesOnlyWhatIsGiven() throws {
        let dir = try TemporaryDirectory(prefix: "store-status")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        try writer.updateSyncStatus(SyncStatusUpdate(
            startBlock: 10, lastSyncedBlock: 100, lastFinalizedBlock: 95, chainTipBlock: 130, currentSidechainEpoch: 4,
            currentMainchainEpoch: 1, isSyncing: true, blocksPerSecond: 3000.5, rpcRequestsTotal: 42, rpcFailuresTotal: 2,
            lastProgressMs: 1_700_000_000_000, lastError: .some("node unreachable")))
        try writer.updateSyncStatus(SyncStatusUpdate(lastSyncedBlock: 120, rpcRequestsTotal: 50))
        let status = try MidnightDatabase.openReader(path: dir.path("mvm.db")).syncStatus()
        #expect(status.startBlock == 10 && status.lastSyncedBlock == 120 && status.chainTipBlock == 130 && status.blocksBehind == 10)
        #expect(status.lastFinalizedBlock == 95 && status.isSyncing && status.blocksPerSecond == 3000.5)
        #expect(status.rpcRequestsTotal == 50 && status.rpcFailuresTotal == 2)
        #expect(status.lastError == "node unreachable" && status.lastErrorMs != nil)
        try writer.updateSyncStatus(SyncStatusUpdate(isSyncing: false, lastError: .some(nil)))
        let cleared = try writer.reader.syncStatus()
        #expect(cleared.lastError == nil && cleared.isSyncing == false && cleared.lastSyncedBlock == 120)
    }
}
