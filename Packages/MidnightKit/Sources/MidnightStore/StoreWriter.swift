import Foundation
import GRDB

/// The sync daemon's handle on the database: every write MVM makes, each call one transaction.
///
/// Open it with ``MidnightDatabase/openWriter(path:options:)``. Reads on the same connection go
/// through ``reader``. All methods are synchronous and thread-safe (GRDB serialises them).
public final class StoreWriter: Sendable {
    let queue: DatabaseQueue
    /// The database file.
    public let path: String
    /// The chain label written into rows.
    public let chain: String
    /// Set when opening migrated a v1 database.
    public let migration: MigrationReport?
    /// Read queries on the writer's own connection (sees the writer's latest commit).
    public let reader: StoreReader
    /// Called inside write transactions (see ``addObserver(_:)``).
    let observers = StoreWriteObservers()

    init(queue: DatabaseQueue, path: String, chain: String, migration: MigrationReport?) {
        self.queue = queue
        self.path = path
        self.chain = chain
        self.migration = migration
        self.reader = StoreReader(database: queue, path: path, chain: chain)
    }

    /// Checkpoints the WAL into the database file and closes the connection (further calls throw).
    /// Optional: the connection also closes when the writer is released.
    public func close() throws {
        try MidnightDatabase.wrap("closing", path) {
            _ = try? queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            try queue.close()
        }
    }

    /// Frees the connection's page and statement caches (SQLite refills them as queries need).
    /// Call it when a bulk write ends: a catch-up fills the cache that the tip then barely uses.
    public func releaseMemory() {
        queue.releaseMemory()
    }

    /// Runs `body` in one IMMEDIATE transaction; any error rolls everything back.
    func transaction<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        try MidnightDatabase.wrap(operation, path) {
            try queue.writeWithoutTransaction { db in
                var result: Result<T, any Error>?
                try db.inTransaction(.immediate) {
                    do {
                        result = .success(try body(db))
                        return .commit
                    } catch {
                        result = .failure(error)
                        return .rollback
                    }
                }
                guard let result else {
                    throw StoreError.sqlite(operation: operation, path: path, message: "transaction produced no result")
                }
                return try result.get()
            }
        }
    }

    // MARK: - Blocks

    /// Stores a batch of blocks in one transaction, with their authors (validators are created as
    /// needed) and the per-validator and per-epoch produced counts.
    ///
    /// Idempotent: a block already stored with the same hash is skipped; one stored with a different
    /// hash throws ``StoreError/blockConflict(number:storedHash:newHash:)`` (use ``replaceBlocks(from:with:)``).
    /// Blocks at or below the finalized watermark (see ``markFinalized(upTo:)``) are stored finalized.
    /// `syncStatus`, when given, is applied in the same transaction.
    @discardableResult
    public func insertBlocks(_ blocks: [NewBlock], syncStatus: SyncStatusUpdate? = nil) throws -> InsertResult {
        try transaction("inserting \(blocks.count) blocks") { db in
            var inserted: [NewBlock] = []
            let collect = observers.isEmpty ? nil : { (block: NewBlock) in inserted.append(block) }
            let result = try BlockWrites(db: db, chain: chain).insert(blocks, collect: collect)
            if let syncStatus { try applySyncStatus(db, syncStatus) }
            if result.inserted > 0 { try observers.notify(.blocksInserted(inserted), in: db) }
            if let syncStatus { try observers.notify(.syncStatusUpdated(syncStatus), in: db) }
            return result
        }
    }

    /// Marks every stored block numbered `upTo` or lower as finalized and returns what changed.
    ///
    /// Keeps a watermark so that each call only touches blocks above the previous one.
    /// `syncStatus`, when given, is applied in the same transaction: at the tip the daemon records
    /// finality and its status with one commit per block instead of three.
    @discardableResult
    public func markFinalized(upTo number: UInt64, syncStatus: SyncStatusUpdate? = nil) throws -> FinalizationChange {
        let upTo = try StoreInt.sql(number, "finalized block number")
        return try transaction("marking blocks finalized up to \(number)") { db in
            let change = try finalize(db, upTo: upTo)
            if let syncStatus { try applySyncStatus(db, syncStatus) }
            if change.newlyFinalized > 0 { try observers.notify(.finalized(change), in: db) }
            if let syncStatus { try observers.notify(.syncStatusUpdated(syncStatus), in: db) }
            return change
        }
    }

    private func finalize(_ db: Database, upTo: Int64) throws -> FinalizationChange {
        let watermark = Int64(try StoreSchema.meta(db, chain: chain, key: "finalized_watermark") ?? "") ?? 0
        guard upTo > watermark else { return FinalizationChange(newlyFinalized: 0, fromBlock: nil, toBlock: nil) }
        let row = try Row.fetchOne(
            db, sql: "SELECT MIN(number), MAX(number), COUNT(*) FROM blocks WHERE number > ? AND number <= ? AND finalized = 0",
            arguments: [watermark, upTo])
        try db.execute(sql: "UPDATE blocks SET finalized = 1 WHERE number > ? AND number <= ? AND finalized = 0", arguments: [watermark, upTo])
        try StoreSchema.setMeta(db, chain: chain, key: "finalized_watermark", value: String(upTo))
        let count: Int = row?[2] ?? 0
        return FinalizationChange(
            newlyFinalized: count,
            fromBlock: StoreInt.api(row?[0] as Int64?),
            toBlock: StoreInt.api(row?[1] as Int64?))
    }

    /// Replaces the orphaned unfinalized blocks numbered `from` and above with `newBlocks` (the new
    /// canonical branch; may be empty), correcting every per-validator and per-epoch count.
    ///
    /// Throws ``StoreError/finalizedBlockReplaced(number:hash:)`` (and changes nothing) if a block
    /// to remove is finalized.
    @discardableResult
    public func replaceBlocks(from number: UInt64, with newBlocks: [NewBlock]) throws -> ReorgChange {
        let from = try StoreInt.sql(number, "reorg start block")
        return try transaction("replacing blocks from \(number)") { db in
            let writes = BlockWrites(db: db, chain: chain)
            var inserted: [NewBlock] = []
            let collect = observers.isEmpty ? nil : { (block: NewBlock) in inserted.append(block) }
            let change = try writes.replace(from: from, with: newBlocks, collect: collect)
            try observers.notify(.blocksReplaced(removed: change.removed, inserted: inserted), in: db)
            return change
        }
    }

    /// Attributes previously unattributed blocks (e.g. when their epoch's committee turns up).
    ///
    /// Blocks that already have an author are left alone. `.unattributed` entries update the reason.
    /// Returns how many blocks gained an author.
    @discardableResult
    public func attributeBlocks(_ attributions: [BlockAttribution]) throws -> Int {
        try transaction("attributing \(attributions.count) blocks") { db in
            var attributed: [BlockAttribution] = []
            let collect = observers.isEmpty ? nil : { (item: BlockAttribution) in attributed.append(item) }
            let count = try BlockWrites(db: db, chain: chain).attribute(attributions, collect: collect)
            if count > 0 { try observers.notify(.blocksAttributed(attributed), in: db) }
            return count
        }
    }

    // MARK: - Committees and validators

    /// Stores an epoch's committee once (never rewritten), with its candidates as validators and
    /// their seats for the epoch. Returns `stored: false` if the epoch already has a committee.
    @discardableResult
    public func storeCommittee(_ committee: NewCommittee) throws -> CommitteeStoreResult {
        try transaction("storing the committee of epoch \(committee.sidechainEpoch)") { db in
            let result = try CommitteeWrites(db: db, chain: chain).store(committee)
            if result.stored { try observers.notify(.committeeStored(committee), in: db) }
            return result
        }
    }

    /// Marks a validator as ours (sticky: never unset by later writes), creating it if needed.
    public func markOurs(sidechainKey: String, auraKey: String? = nil, grandpaKey: String? = nil, label: String? = nil) throws {
        try transaction("marking \(sidechainKey) as ours") { db in
            var ids = ValidatorIDs(db: db, chain: chain)
            let id = try ids.validatorID(sidechainKey: sidechainKey, auraKey: auraKey, grandpaKey: grandpaKey)
            try db.execute(
                sql: "UPDATE validators SET is_ours = 1, label = COALESCE(?, label), updated_ms = ? WHERE id = ?",
                arguments: [label, StoreInt.nowMs(), id])
        }
    }

    /// Records a validator's registration status if it differs from the last one recorded
    /// (the history keeps changes only). Returns whether a change was recorded.
    @discardableResult
    public func recordRegistrationStatus(
        sidechainKey: String, status: String, reason: String? = nil, mainchainEpoch: UInt64? = nil, observedAtMs: UInt64? = nil
    ) throws -> Bool {
        let observed = try observedAtMs.map { try StoreInt.sql($0, "observedAtMs") } ?? StoreInt.nowMs()
        let epoch = try mainchainEpoch.map { try StoreInt.sql($0, "mainchainEpoch") }
        return try transaction("recording the registration of \(sidechainKey)") { db in
            var ids = ValidatorIDs(db: db, chain: chain)
            let id = try ids.validatorID(sidechainKey: sidechainKey, auraKey: nil, grandpaKey: nil)
            let last = try Row.fetchOne(
                db, sql: "SELECT status, reason FROM registration_history WHERE validator_id = ? ORDER BY observed_ms DESC, id DESC LIMIT 1",
                arguments: [id])
            if let last, (last["status"] as String?) == status, (last["reason"] as String?) == reason { return false }
            try db.execute(
                sql: "INSERT INTO registration_history (chain, validator_id, status, reason, mainchain_epoch, observed_ms) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [chain, id, status, reason, epoch, observed])
            try db.execute(
                sql: "UPDATE validators SET registration_status = ?, updated_ms = ? WHERE id = ?",
                arguments: [status, StoreInt.nowMs(), id])
            try observers.notify(
                .registrationChanged(
                    RegistrationStatusChange(
                        sidechainKey: sidechainKey, oldStatus: last?["status"], oldReason: last?["reason"], newStatus: status,
                        newReason: reason, mainchainEpoch: mainchainEpoch, observedAtMs: StoreInt.api(observed))),
                in: db)
            return true
        }
    }

    // MARK: - Sync status and settings

    /// Updates the sync status row (nil fields unchanged).
    public func updateSyncStatus(_ update: SyncStatusUpdate) throws {
        try transaction("updating the sync status") { db in
            try applySyncStatus(db, update)
            try observers.notify(.syncStatusUpdated(update), in: db)
        }
    }

    /// Records the chain's timing, used for missed-slot, progress and projection figures.
    public func setChainTiming(slotsPerEpoch: UInt64?, slotDurationMs: UInt64?) throws {
        try transaction("recording the chain timing") { db in
            if let slotsPerEpoch { try StoreSchema.setMeta(db, chain: chain, key: "slots_per_epoch", value: String(slotsPerEpoch)) }
            if let slotDurationMs { try StoreSchema.setMeta(db, chain: chain, key: "slot_duration_ms", value: String(slotDurationMs)) }
        }
    }

    func applySyncStatus(_ db: Database, _ update: SyncStatusUpdate) throws {
        var sets: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        func add(_ column: String, _ value: UInt64?) throws {
            guard let value else { return }
            sets.append("\(column) = ?")
            args.append(try StoreInt.sql(value, column))
        }
        try add("start_block", update.startBlock)
        try add("last_synced_block", update.lastSyncedBlock)
        try add("last_finalized_block", update.lastFinalizedBlock)
        try add("chain_tip_block", update.chainTipBlock)
        try add("current_sidechain_epoch", update.currentSidechainEpoch)
        try add("current_mainchain_epoch", update.currentMainchainEpoch)
        try add("rpc_requests_total", update.rpcRequestsTotal)
        try add("rpc_failures_total", update.rpcFailuresTotal)
        try add("last_progress_ms", update.lastProgressMs)
        if let syncing = update.isSyncing {
            sets.append("is_syncing = ?")
            args.append(syncing ? 1 : 0)
        }
        if let rate = update.blocksPerSecond {
            sets.append("blocks_per_second = ?")
            args.append(rate.isFinite ? rate : 0)
        }
        if let error = update.lastError {
            sets.append("last_error = ?")
            args.append(error)
            sets.append("last_error_ms = ?")
            args.append(error == nil ? nil : StoreInt.nowMs())
        }
        if let health = update.nodeHealth {
            sets.append("node_peers = ?, node_is_synced = ?, node_health_ms = ?")
            args.append(contentsOf: [try StoreInt.sql(health.peers, "node_peers"), health.isSynced ? 1 : 0, StoreInt.nowMs()])
        }
        sets.append("updated_ms = ?")
        args.append(StoreInt.nowMs())
        try db.execute(sql: "INSERT INTO sync_status (chain) VALUES (?) ON CONFLICT(chain) DO NOTHING", arguments: [chain])
        args.append(chain)
        try db.execute(sql: "UPDATE sync_status SET \(sets.joined(separator: ", ")) WHERE chain = ?", arguments: StatementArguments(args))
    }
}
