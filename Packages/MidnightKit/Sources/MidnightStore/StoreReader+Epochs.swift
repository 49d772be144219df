import Foundation
import GRDB
import MidnightChain

extension StoreReader {
    /// Recent sidechain epochs (those with stored blocks or a stored committee), newest first.
    public func epochs(limit: Int = 20, before: UInt64? = nil) throws -> [EpochOverview] {
        guard (1...1000).contains(limit) else {
            throw StoreError.invalidArgument(name: "limit", value: String(limit), reason: "must be between 1 and 1000")
        }
        let bound = try before.map { try StoreInt.sql($0, "before") } ?? Int64.max
        return try read("listing epochs") { db in
            var byEpoch: [Int64: EpochOverview] = [:]
            let blockRows = try Row.fetchAll(db, sql: """
                SELECT sidechain_epoch, COUNT(*) AS n, MIN(number) AS first, MAX(number) AS last, MAX(mainchain_epoch) AS mc
                FROM blocks WHERE sidechain_epoch < ? GROUP BY sidechain_epoch ORDER BY sidechain_epoch DESC LIMIT ?
                """, arguments: [bound, limit])
            for row in blockRows {
                let epoch: Int64 = row["sidechain_epoch"]
                byEpoch[epoch] = EpochOverview(
                    sidechainEpoch: StoreInt.api(epoch), mainchainEpoch: StoreInt.api(row["mc"] as Int64?),
                    blocksProduced: row["n"], firstBlock: StoreInt.api(row["first"] as Int64?),
                    lastBlock: StoreInt.api(row["last"] as Int64?), committeeSize: nil, ourSeats: 0, ourBlocks: 0, ourExpectedBlocks: 0)
            }
            let committeeRows = try Row.fetchAll(db, sql: """
                SELECT sidechain_epoch, committee_size, mainchain_epoch FROM committees WHERE sidechain_epoch < ?
                ORDER BY sidechain_epoch DESC LIMIT ?
                """, arguments: [bound, limit])
            for row in committeeRows {
                let epoch: Int64 = row["sidechain_epoch"]
                var overview = byEpoch[epoch] ?? EpochOverview(
                    sidechainEpoch: StoreInt.api(epoch), mainchainEpoch: StoreInt.api(row["mainchain_epoch"] as Int64?),
                    blocksProduced: 0, firstBlock: nil, lastBlock: nil, committeeSize: nil, ourSeats: 0, ourBlocks: 0, ourExpectedBlocks: 0)
                overview.committeeSize = row["committee_size"]
                byEpoch[epoch] = overview
            }
            let selected = byEpoch.keys.sorted(by: >).prefix(limit)
            return try selected.compactMap { epoch -> EpochOverview? in
                guard var overview = byEpoch[epoch] else { return nil }
                if overview.committeeSize == nil {
                    overview.committeeSize = try Int.fetchOne(db, sql: "SELECT committee_size FROM committees WHERE sidechain_epoch = ?", arguments: [epoch])
                }
                let ours = try Self.ourFigures(db, epoch: epoch)
                overview.ourSeats = ours.seats
                overview.ourBlocks = ours.blocks
                overview.ourExpectedBlocks = ExpectedBlocks.expected(
                    seats: ours.seats, committeeSize: overview.committeeSize ?? 0, chainBlocks: overview.blocksProduced)
                return overview
            }
        }
    }

    static func ourFigures(_ db: Database, epoch: Int64) throws -> (seats: Int, blocks: Int) {
        let row = try Row.fetchOne(db, sql: """
            SELECT COALESCE(SUM(ve.seats), 0), COALESCE(SUM(ve.blocks_produced), 0)
            FROM validator_epochs ve JOIN validators v ON v.id = ve.validator_id
            WHERE ve.sidechain_epoch = ? AND v.is_ours = 1
            """, arguments: [epoch])
        return (row?[0] ?? 0, row?[1] ?? 0)
    }

    /// Everything about one sidechain epoch; nil when it has neither blocks nor a committee.
    ///
    /// Missed blocks are the covered slots without a block: the epoch's slots from its start (when the
    /// block before its first is stored) or from its first stored block, up to its end (when the block
    /// after its last is stored) or to its newest block.
    public func epochSummary(_ sidechainEpoch: UInt64) throws -> EpochSummary? {
        let epoch = try StoreInt.sql(sidechainEpoch, "epoch")
        return try read("summarising epoch \(sidechainEpoch)") { db in
            guard let agg = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS n, MIN(number) AS first, MAX(number) AS last, MIN(slot) AS first_slot,
                       MAX(slot) AS last_slot, MAX(mainchain_epoch) AS mc, COALESCE(SUM(author_id IS NULL), 0) AS unattributed
                FROM blocks WHERE sidechain_epoch = ?
                """, arguments: [epoch])
            else { return nil }
            let committee = try Row.fetchOne(
                db, sql: "SELECT committee_size, source, mainchain_epoch FROM committees WHERE sidechain_epoch = ?", arguments: [epoch])
            let produced: Int = agg["n"]
            if produced == 0 && committee == nil { return nil }
            let committeeSize: Int? = committee?["committee_size"]
            let first: Int64? = agg["first"]
            let last: Int64? = agg["last"]
            let firstSlot: Int64? = agg["first_slot"]
            let lastSlot: Int64? = agg["last_slot"]
            let isRunning = try Self.latestEpoch(db) == epoch
            let slotsPerEpoch = try Self.meta(db, chain, "slots_per_epoch").flatMap { $0 > 0 ? $0 : nil }
            var covered: Int64?
            var progress: Double?
            if let first, let last, let firstSlot, let lastSlot {
                let hasBefore = try Int64.fetchOne(db, sql: "SELECT 1 FROM blocks WHERE number = ?", arguments: [first - 1]) != nil
                let hasAfter = try Int64.fetchOne(db, sql: "SELECT 1 FROM blocks WHERE number = ?", arguments: [last + 1]) != nil
                if let spe = slotsPerEpoch {
                    let start = hasBefore ? epoch * spe : firstSlot
                    let end = hasAfter ? epoch * spe + spe - 1 : lastSlot
                    covered = max(0, end - start + 1)
                    if isRunning { progress = min(1, max(0, Double(lastSlot - epoch * spe + 1) / Double(spe))) }
                } else {
                    covered = lastSlot - firstSlot + 1
                }
            }
            let validators = try Row.fetchAll(db, sql: """
                SELECT v.sidechain_key, ve.aura_key, v.is_ours, ve.seats, ve.blocks_produced
                FROM validator_epochs ve JOIN validators v ON v.id = ve.validator_id
                WHERE ve.sidechain_epoch = ? AND (ve.seats > 0 OR ve.blocks_produced > 0)
                ORDER BY ve.seats DESC, ve.blocks_produced DESC, v.sidechain_key
                """, arguments: [epoch]
            ).map { row -> EpochValidatorEntry in
                let seats: Int = row["seats"]
                let blocks: Int = row["blocks_produced"]
                let expected = ExpectedBlocks.expected(seats: seats, committeeSize: committeeSize ?? 0, chainBlocks: produced)
                return EpochValidatorEntry(
                    sidechainKey: row["sidechain_key"], auraKey: row["aura_key"], isOurs: (row["is_ours"] as Int64) != 0,
                    seats: seats, blocksProduced: blocks, expectedBlocks: expected,
                    ratio: ExpectedBlocks.ratio(produced: blocks, expected: expected))
            }
            let ours = try Self.ourFigures(db, epoch: epoch)
            let ourExpected = ExpectedBlocks.expected(seats: ours.seats, committeeSize: committeeSize ?? 0, chainBlocks: produced)
            return EpochSummary(
                chain: chain, sidechainEpoch: sidechainEpoch,
                mainchainEpoch: StoreInt.api((agg["mc"] as Int64?) ?? (committee?["mainchain_epoch"] as Int64?)),
                committeeSize: committeeSize, committeeSource: committee?["source"], blocksProduced: produced,
                blocksMissed: covered.map { max(0, Int($0) - produced) }, slotsInEpoch: slotsPerEpoch.map { Int($0) },
                slotsCovered: covered.map { Int($0) }, isRunning: isRunning, progress: progress,
                firstBlock: StoreInt.api(first), lastBlock: StoreInt.api(last),
                firstSlot: StoreInt.api(firstSlot), lastSlot: StoreInt.api(lastSlot),
                unattributedBlocks: agg["unattributed"], ourSeats: ours.seats, ourBlocks: ours.blocks,
                ourExpectedBlocks: ourExpected,
                ourProjectedBlocks: progress.flatMap { $0 > 0 ? ourExpected / $0 : nil },
                validators: validators)
        }
    }

    /// The committee stored for `sidechainEpoch`, or nil.
    public func committee(sidechainEpoch: UInt64) throws -> CommitteeEntity? {
        let epoch = try StoreInt.sql(sidechainEpoch, "epoch")
        return try read("reading the committee of epoch \(sidechainEpoch)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM committees WHERE sidechain_epoch = ?", arguments: [epoch]) else {
                return nil
            }
            let blob: Data = row["authorities"] ?? Data()
            let length = max(1, row["key_length"] as Int? ?? 32)
            var keys: [String] = []
            keys.reserveCapacity(blob.count / length)
            var offset = blob.startIndex
            while offset + length <= blob.endIndex {
                keys.append(StoreHex.encode(blob[offset..<(offset + length)]))
                offset += length
            }
            return CommitteeEntity(
                chain: row["chain"] ?? chain, sidechainEpoch: sidechainEpoch,
                mainchainEpoch: StoreInt.api(row["mainchain_epoch"] as Int64?), committeeSize: row["committee_size"],
                authorities: keys, source: row["source"], storedMs: StoreInt.api(row["stored_ms"] as Int64))
        }
    }

    /// Whether a committee is stored for `sidechainEpoch`.
    public func hasCommittee(sidechainEpoch: UInt64) throws -> Bool {
        let epoch = try StoreInt.sql(sidechainEpoch, "epoch")
        return try read("checking the committee of epoch \(sidechainEpoch)") { db in
            try Int64.fetchOne(db, sql: "SELECT 1 FROM committees WHERE sidechain_epoch = ?", arguments: [epoch]) != nil
        }
    }

    /// Blocks and seats per sidechain epoch for the `count` epochs ending at `endingAt` (default: the
    /// newest block's epoch), oldest first, with zeros for epochs without data.
    public func blockCountsPerEpoch(scope: BlockCountScope = .ours, count: Int = 12, endingAt: UInt64? = nil) throws -> [EpochBlockCount] {
        guard (1...1000).contains(count) else {
            throw StoreError.invalidArgument(name: "count", value: String(count), reason: "must be between 1 and 1000")
        }
        let requestedEnd = try endingAt.map { try StoreInt.sql($0, "endingAt") }
        return try read("counting blocks per epoch") { db in
            guard let end = try requestedEnd ?? Self.latestEpoch(db) else { return [] }
            let start = max(0, end - Int64(count) + 1)
            var blocks: [Int64: Int] = [:]
            var seats: [Int64: Int] = [:]
            switch scope {
            case .all:
                for row in try Row.fetchAll(
                    db, sql: "SELECT sidechain_epoch, COUNT(*) FROM blocks WHERE sidechain_epoch BETWEEN ? AND ? GROUP BY sidechain_epoch",
                    arguments: [start, end])
                { blocks[row[0]] = row[1] }
                for row in try Row.fetchAll(
                    db, sql: "SELECT sidechain_epoch, committee_size FROM committees WHERE sidechain_epoch BETWEEN ? AND ?",
                    arguments: [start, end])
                { seats[row[0]] = row[1] }
            case .ours, .keys:
                var filter = "v.is_ours = 1"
                var args: [(any DatabaseValueConvertible)?] = [start, end]
                if case .keys(let keys) = scope {
                    if keys.isEmpty { break }
                    filter = "v.sidechain_key IN (\(Array(repeating: "?", count: keys.count).joined(separator: ", ")))"
                    args += keys.map { StoreHex.normalizeKey($0) }
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT ve.sidechain_epoch, SUM(ve.blocks_produced), SUM(ve.seats)
                    FROM validator_epochs ve JOIN validators v ON v.id = ve.validator_id
                    WHERE ve.sidechain_epoch BETWEEN ? AND ? AND \(filter) GROUP BY ve.sidechain_epoch
                    """, arguments: StatementArguments(args))
                {
                    blocks[row[0]] = row[1]
                    seats[row[0]] = row[2]
                }
            }
            return (start...end).map {
                EpochBlockCount(sidechainEpoch: StoreInt.api($0), blocks: blocks[$0] ?? 0, seats: seats[$0] ?? 0)
            }
        }
    }
}
