import Foundation
import GRDB
import MidnightChain
import MidnightStore
import SpomWebhooks

/// Who the events are about and how old a fact may be to still be news.
public struct MidnightEventContext: Sendable {
    /// The chain label (`[integration] chain_id`), also the writer's chain.
    public var chain: String
    /// This monitor's name (`[integration] instance_name`).
    public var instance: String
    /// Blocks, missed slots and epoch ends older than this are history, not news: no event
    /// (a first sync of a long chain does not send thousands of `block_produced`).
    public var maxEventAge: Duration
    /// The clock.
    public var now: @Sendable () -> Date

    /// Creates a context.
    public init(chain: String, instance: String, maxEventAge: Duration = .seconds(3600), now: @escaping @Sendable () -> Date = { Date() }) {
        self.chain = chain
        self.instance = instance
        self.maxEventAge = maxEventAge
        self.now = now
    }
}

/// Derives `block_produced`, `block_missed`, `epoch_summary` and `validator_status_change`
/// events from the sync daemon's writes and puts them in the webhook outbox in the same
/// transaction. Register it with ``MidnightStore/StoreWriter/addObserver(_:)`` after
/// ``MidnightEventsDatabase/prepare(_:)``.
///
/// Events concern "our" validators (`is_ours`, set by `mvm keys verify`). Every event has a
/// stable id derived from what it reports (block hash, slot, epoch, status change), so deriving
/// it again (a block stored again after a reorg, a restart) never enqueues a second copy, and
/// receivers can de-duplicate on `webhook-id`.
///
/// Missed slots use AURA's round robin (`committee[slot mod size]`) over the stored committee
/// of the slot's epoch; epochs whose committee is not stored are skipped.
public final class MidnightEventRecorder: StoreWriteObserver {
    let context: MidnightEventContext

    /// Creates a recorder.
    public init(context: MidnightEventContext) {
        self.context = context
    }

    /// Turns one write into events (see the type's description).
    public func storeDidWrite(_ change: StoreWriteChange, in db: Database) throws {
        switch change {
        case .blocksInserted(let blocks):
            try blocksStored(blocks, db)
        case .blocksReplaced(_, let inserted):
            try blocksStored(inserted, db)
        case .blocksAttributed(let items):
            try blocksAttributed(items, db)
        case .committeeStored(let committee):
            try committeeStored(committee, db)
        case .registrationChanged(let change):
            try registrationChanged(change, db)
        case .finalized, .syncStatusUpdated:
            break
        }
    }

    // MARK: Ours

    struct Ours {
        let id: Int64
        let sidechainKey: String
        let auraKey: String?
        let label: String?
    }

    static func ours(_ db: Database) throws -> [Ours] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT id, sidechain_key, aura_key, label FROM validators WHERE is_ours = 1 ORDER BY id"))
            .map { Ours(id: $0["id"], sidechainKey: $0["sidechain_key"], auraKey: ($0["aura_key"] as String?).map(KeyFormat.normalize), label: $0["label"]) }
    }

    private var nowMs: UInt64 { EventTime.nowMs(context.now()) }

    private var cutoffMs: UInt64 {
        let age = UInt64(max(0, context.maxEventAge.components.seconds)) * 1000
        return nowMs > age ? nowMs - age : 0
    }

    private func enqueue<Payload: Encodable>(_ db: Database, type: MidnightEventType, id: String, payload: Payload, summary: String) throws {
        guard try !MidnightEventsDatabase.hasEvent(db, id: id) else { return }
        try WebhookOutbox.enqueue(db, type: type.rawValue, payload: payload, summary: summary, id: id, now: context.now())
    }

    private static func short(_ key: String) -> String {
        key.count > 14 ? String(key.prefix(10)) + "…" + String(key.suffix(4)) : key
    }

    private static func name(_ validator: Ours) -> String {
        validator.label.map { "\($0) (\(short(validator.sidechainKey)))" } ?? short(validator.sidechainKey)
    }

    // MARK: Blocks

    struct StoredSlot {
        let number: UInt64
        let slot: UInt64
        let epoch: UInt64
        let timestampMs: UInt64
    }

    private func blocksStored(_ blocks: [NewBlock], _ db: Database) throws {
        guard !blocks.isEmpty else { return }
        let ours = try Self.ours(db)
        guard !ours.isEmpty else { return }
        let cutoff = cutoffMs
        guard blocks.contains(where: { $0.timestampMs >= cutoff }) else { return }
        var byKey: [String: Ours] = [:]
        for validator in ours { byKey[KeyFormat.normalize(validator.sidechainKey)] = validator }
        var committees = CommitteeCache()
        var previous: StoredSlot?
        for block in blocks.sorted(by: { $0.number < $1.number }) {
            let before: StoredSlot?
            if let previous, previous.number + 1 == block.number {
                before = previous
            } else {
                before = try Self.storedSlot(db, number: block.number &- 1)
            }
            previous = StoredSlot(number: block.number, slot: block.slot, epoch: block.sidechainEpoch, timestampMs: block.timestampMs)
            guard block.timestampMs >= cutoff else { continue }
            if case .attributed(let key, let aura) = block.author, let validator = byKey[KeyFormat.normalize(key)] {
                try produced(block, by: validator, aura: aura, db)
            }
            guard let before, block.number > 0 else { continue }
            if block.slot > before.slot + 1 {
                try missed(between: before, and: block, ours: ours, committees: &committees, db)
            }
            if block.sidechainEpoch > before.epoch {
                try epochEnded(before.epoch, endedAtMs: block.timestampMs, ours: ours, db)
            }
        }
    }

    static func storedSlot(_ db: Database, number: UInt64) throws -> StoredSlot? {
        guard number < UInt64(Int64.max) else { return nil }
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT slot, sidechain_epoch, timestamp_ms FROM blocks WHERE number = ?"), arguments: [Int64(number)])
        else { return nil }
        return StoredSlot(
            number: number, slot: UInt64(clamping: row["slot"] as Int64), epoch: UInt64(clamping: row["sidechain_epoch"] as Int64),
            timestampMs: UInt64(clamping: row["timestamp_ms"] as Int64))
    }

    private func produced(_ block: NewBlock, by validator: Ours, aura: String?, _ db: Database) throws {
        let hash = block.hash.lowercased()
        let id = "bp-\(context.chain)-\(block.number)-\(hash.hasPrefix("0x") ? String(hash.dropFirst(2).prefix(16)) : String(hash.prefix(16)))"
        let payload = BlockProducedEvent(
            timestamp: EventTime.rfc3339(milliseconds: block.timestampMs), chain: context.chain, instance: context.instance,
            validator: validator.sidechainKey, label: validator.label, auraKey: aura.map(KeyFormat.normalize),
            blockNumber: block.number, blockHash: hash, slot: block.slot, sidechainEpoch: block.sidechainEpoch,
            mainchainEpoch: block.mainchainEpoch)
        try enqueue(
            db, type: .blockProduced, id: id, payload: payload,
            summary: "[\(context.instance)] \(context.chain): block #\(block.number) produced by \(Self.name(validator)) (epoch \(block.sidechainEpoch), slot \(block.slot))")
    }

    private func blocksAttributed(_ items: [BlockAttribution], _ db: Database) throws {
        let ours = try Self.ours(db)
        guard !ours.isEmpty else { return }
        var byKey: [String: Ours] = [:]
        for validator in ours { byKey[KeyFormat.normalize(validator.sidechainKey)] = validator }
        let cutoff = cutoffMs
        for item in items {
            guard case .attributed(let key, let aura) = item.author, let validator = byKey[KeyFormat.normalize(key)],
                item.number < UInt64(Int64.max),
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT hash, parent_hash, slot, sidechain_epoch, mainchain_epoch, timestamp_ms, extrinsics_count FROM blocks WHERE number = ?"),
                    arguments: [Int64(item.number)])
            else { continue }
            let block = NewBlock(
                number: item.number, hash: Hex.encode([UInt8](row["hash"] as Data)), parentHash: Hex.encode([UInt8](row["parent_hash"] as Data)),
                slot: UInt64(clamping: row["slot"] as Int64), sidechainEpoch: UInt64(clamping: row["sidechain_epoch"] as Int64),
                mainchainEpoch: UInt64(clamping: row["mainchain_epoch"] as Int64), timestampMs: UInt64(clamping: row["timestamp_ms"] as Int64),
                extrinsicsCount: row["extrinsics_count"], author: item.author)
            guard block.timestampMs >= cutoff else { continue }
            try produced(block, by: validator, aura: aura, db)
        }
    }

    // MARK: Missed slots

    struct CommitteeCache {
        var byEpoch: [UInt64: Committee?] = [:]

        mutating func committee(_ db: Database, epoch: UInt64) throws -> Committee? {
            if let known = byEpoch[epoch] { return known }
            var loaded: Committee?
            if epoch < UInt64(Int64.max),
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT key_length, authorities FROM committees WHERE sidechain_epoch = ?"), arguments: [Int64(epoch)])
            {
                let length: Int = row["key_length"]
                let blob = [UInt8](row["authorities"] as Data)
                if length > 0, blob.count % length == 0 {
                    loaded = Committee(authorities: stride(from: 0, to: blob.count, by: length).map { Hex.encode(Array(blob[$0..<($0 + length)])) })
                }
            }
            byEpoch[epoch] = loaded
            return loaded
        }
    }

    /// The longest run of empty slots examined (a longer gap is a node outage or a sync start,
    /// not a missed slot worth a message each).
    static let maxGapSlots: UInt64 = 2_000

    private func missed(between before: StoredSlot, and block: NewBlock, ours: [Ours], committees: inout CommitteeCache, _ db: Database) throws {
        let gap = block.slot - before.slot - 1
        guard gap <= Self.maxGapSlots else { return }
        let slotsPerEpoch = try StoreMeta.slotsPerEpoch(db, chain: context.chain)
        let span = block.slot - before.slot
        let slotMs = block.timestampMs > before.timestampMs ? (block.timestampMs - before.timestampMs) / span : 0
        for slot in (before.slot + 1)..<block.slot {
            let epoch: UInt64
            if before.epoch == block.sidechainEpoch {
                epoch = block.sidechainEpoch
            } else if let slotsPerEpoch, slotsPerEpoch > 0 {
                epoch = slot / slotsPerEpoch
            } else {
                continue
            }
            guard let committee = try committees.committee(db, epoch: epoch), let holder = committee.authority(forSlot: slot) else { continue }
            for validator in ours {
                let keys = try Self.auraKeys(of: validator, epoch: epoch, db)
                guard keys.contains(holder) else { continue }
                let slotTime = before.timestampMs + (slot - before.slot) * slotMs
                let payload = BlockMissedEvent(
                    timestamp: EventTime.rfc3339(milliseconds: slotTime), chain: context.chain, instance: context.instance,
                    validator: validator.sidechainKey, label: validator.label, auraKey: holder, slot: slot, sidechainEpoch: epoch,
                    previousBlock: before.number, nextBlock: block.number)
                try enqueue(
                    db, type: .blockMissed, id: "bm-\(context.chain)-\(slot)-\(validator.id)", payload: payload,
                    summary: "[\(context.instance)] \(context.chain): \(Self.name(validator)) missed slot \(slot) (epoch \(epoch)): no block between #\(before.number) and #\(block.number)")
            }
        }
    }

    static func auraKeys(of validator: Ours, epoch: UInt64, _ db: Database) throws -> Set<String> {
        var keys = Set<String>()
        if let aura = validator.auraKey { keys.insert(aura) }
        if epoch < UInt64(Int64.max),
            let aura = try String.fetchOne(
                db.cachedStatement(sql: "SELECT aura_key FROM validator_epochs WHERE sidechain_epoch = ? AND validator_id = ?"),
                arguments: [Int64(epoch), validator.id])
        {
            keys.insert(KeyFormat.normalize(aura))
        }
        return keys
    }

    // MARK: Epochs

    private func epochEnded(_ epoch: UInt64, endedAtMs: UInt64, ours: [Ours], _ db: Database) throws {
        guard epoch < UInt64(Int64.max) else { return }
        let size = try Int.fetchOne(db, sql: "SELECT committee_size FROM committees WHERE sidechain_epoch = ?", arguments: [Int64(epoch)]) ?? 0
        let chainBlocks = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM blocks WHERE sidechain_epoch = ?", arguments: [Int64(epoch)]) ?? 0
        for validator in ours {
            let row = try Row.fetchOne(
                db, sql: "SELECT seats, blocks_produced FROM validator_epochs WHERE sidechain_epoch = ? AND validator_id = ?",
                arguments: [Int64(epoch), validator.id])
            let seats: Int = row?["seats"] ?? 0
            let produced: Int = row?["blocks_produced"] ?? 0
            let expected = ExpectedBlocks.expected(seats: seats, committeeSize: size, chainBlocks: chainBlocks)
            let ratio = ExpectedBlocks.ratio(produced: produced, expected: expected)
            let payload = EpochSummaryEvent(
                timestamp: EventTime.rfc3339(milliseconds: endedAtMs), chain: context.chain, instance: context.instance,
                validator: validator.sidechainKey, label: validator.label, sidechainEpoch: epoch, seats: seats, committeeSize: size,
                chainBlocks: chainBlocks, expected: (expected * 100).rounded() / 100, produced: produced,
                ratio: ratio.map { ($0 * 1000).rounded() / 1000 })
            try enqueue(
                db, type: .epochSummary, id: "es-\(context.chain)-\(epoch)-\(validator.id)", payload: payload,
                summary: "[\(context.instance)] \(context.chain): epoch \(epoch) ended for \(Self.name(validator)): \(produced) produced, \(String(format: "%.1f", expected)) expected, \(seats) of \(size) seats")
        }
    }

    // MARK: Status changes

    private func committeeStored(_ committee: NewCommittee, _ db: Database) throws {
        let ours = try Self.ours(db)
        guard !ours.isEmpty, committee.sidechainEpoch > 0, committee.sidechainEpoch < UInt64(Int64.max) else { return }
        let epoch = committee.sidechainEpoch
        // The previous stored committee (usually epoch - 1); without one there is nothing to compare.
        guard let previous = try Int64.fetchOne(
            db, sql: "SELECT MAX(sidechain_epoch) FROM committees WHERE sidechain_epoch < ?", arguments: [Int64(epoch)])
        else { return }
        // Not news when the epoch began before the cut-off.
        if let slotsPerEpoch = try StoreMeta.slotsPerEpoch(db, chain: context.chain),
            let slotMs = try StoreMeta.slotDurationMs(db, chain: context.chain),
            epoch * slotsPerEpoch * slotMs < cutoffMs
        {
            return
        }
        let size = committee.authorities.count
        for validator in ours {
            let seatsNow = try Int.fetchOne(
                db, sql: "SELECT seats FROM validator_epochs WHERE sidechain_epoch = ? AND validator_id = ?", arguments: [Int64(epoch), validator.id]) ?? 0
            let seatsBefore = try Int.fetchOne(
                db, sql: "SELECT seats FROM validator_epochs WHERE sidechain_epoch = ? AND validator_id = ?", arguments: [previous, validator.id]) ?? 0
            guard (seatsNow > 0) != (seatsBefore > 0) else { continue }
            let old = seatsBefore > 0 ? "in_committee" : "not_in_committee"
            let new = seatsNow > 0 ? "in_committee" : "not_in_committee"
            let payload = ValidatorStatusChangeEvent(
                timestamp: EventTime.rfc3339(milliseconds: nowMs), chain: context.chain, instance: context.instance,
                validator: validator.sidechainKey, label: validator.label, statusType: "committee", oldStatus: old, newStatus: new,
                reason: nil, sidechainEpoch: epoch, mainchainEpoch: committee.mainchainEpoch, seats: seatsNow, committeeSize: size)
            try enqueue(
                db, type: .validatorStatusChange, id: "vs-\(context.chain)-committee-\(epoch)-\(validator.id)", payload: payload,
                summary: "[\(context.instance)] \(context.chain): \(Self.name(validator)) is \(new == "in_committee" ? "in the committee again (\(seatsNow) of \(size) seats)" : "no longer in the committee") from epoch \(epoch)")
        }
    }

    private func registrationChanged(_ change: RegistrationStatusChange, _ db: Database) throws {
        let key = KeyFormat.normalize(change.sidechainKey)
        guard let validator = try Self.ours(db).first(where: { KeyFormat.normalize($0.sidechainKey) == key }) else { return }
        let payload = ValidatorStatusChangeEvent(
            timestamp: EventTime.rfc3339(milliseconds: change.observedAtMs), chain: context.chain, instance: context.instance,
            validator: validator.sidechainKey, label: validator.label, statusType: "registration", oldStatus: change.oldStatus,
            newStatus: change.newStatus, reason: change.newReason, sidechainEpoch: nil, mainchainEpoch: change.mainchainEpoch,
            seats: nil, committeeSize: nil)
        let reason = change.newReason.map { ": \($0)" } ?? ""
        try enqueue(
            db, type: .validatorStatusChange, id: "vs-\(context.chain)-registration-\(change.observedAtMs)-\(validator.id)", payload: payload,
            summary: "[\(context.instance)] \(context.chain): \(Self.name(validator)) registration \(change.oldStatus ?? "unknown") -> \(change.newStatus)\(reason)")
    }
}

/// The few `schema_meta` values events need.
enum StoreMeta {
    static func value(_ db: Database, chain: String, key: String) throws -> UInt64? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT value FROM schema_meta WHERE key = ? ORDER BY chain = ? DESC LIMIT 1"), arguments: [key, chain]
        ).flatMap { UInt64($0) }
    }

    static func slotsPerEpoch(_ db: Database, chain: String) throws -> UInt64? { try value(db, chain: chain, key: "slots_per_epoch") }

    static func slotDurationMs(_ db: Database, chain: String) throws -> UInt64? { try value(db, chain: chain, key: "slot_duration_ms") }
}
