import Foundation
import GRDB

/// Stores one epoch's committee and its candidates' seats, once.
struct CommitteeWrites {
    let db: Database
    let chain: String

    func store(_ committee: NewCommittee) throws -> CommitteeStoreResult {
        let epoch = try StoreInt.sql(committee.sidechainEpoch, "sidechain epoch")
        let mainchain = try committee.mainchainEpoch.map { try StoreInt.sql($0, "mainchain epoch") }
        if try Int64.fetchOne(db, sql: "SELECT committee_size FROM committees WHERE sidechain_epoch = ?", arguments: [epoch]) != nil {
            return CommitteeStoreResult(stored: false, committeeSize: committee.authorities.count, candidates: 0, unmatchedSeats: 0)
        }
        var blob = Data()
        var keyLength: Int?
        var seatsByKey: [String: Int] = [:]
        for (index, key) in committee.authorities.enumerated() {
            guard let bytes = StoreHex.decode(key), !bytes.isEmpty else {
                throw StoreError.invalidArgument(name: "committee seat \(index) of epoch \(committee.sidechainEpoch)", value: key, reason: "not a hex key")
            }
            if let keyLength, keyLength != bytes.count {
                throw StoreError.invalidArgument(
                    name: "committee seat \(index) of epoch \(committee.sidechainEpoch)", value: key,
                    reason: "\(bytes.count) bytes where the other seats have \(keyLength)")
            }
            keyLength = bytes.count
            blob.append(bytes)
            seatsByKey[StoreHex.encode(bytes), default: 0] += 1
        }
        let size = committee.authorities.count
        try db.execute(
            sql: """
                INSERT INTO committees (sidechain_epoch, chain, mainchain_epoch, committee_size, key_length, authorities, source, stored_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [epoch, chain, mainchain, size, keyLength ?? 32, blob, committee.source, StoreInt.nowMs()])
        var ids = ValidatorIDs(db: db, chain: chain)
        var matched = Set<String>()
        var recorded = Set<Int64>()
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO validator_epochs (sidechain_epoch, validator_id, chain, aura_key, seats, committee_size, is_permissioned, is_candidate, stake)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
            ON CONFLICT(sidechain_epoch, validator_id) DO UPDATE SET aura_key = excluded.aura_key, seats = excluded.seats,
                committee_size = excluded.committee_size, is_permissioned = excluded.is_permissioned, is_candidate = 1,
                stake = excluded.stake
            """)
        let seen = try db.cachedStatement(sql: """
            UPDATE validators SET is_permissioned = ?1, first_seen_epoch = MIN(COALESCE(first_seen_epoch, ?2), ?2),
                last_seen_epoch = MAX(COALESCE(last_seen_epoch, ?2), ?2) WHERE id = ?3
            """)
        for candidate in committee.candidates {
            let aura = StoreHex.normalizeKey(candidate.auraKey)
            let id = try ids.validatorID(sidechainKey: candidate.sidechainKey, auraKey: aura, grandpaKey: candidate.grandpaKey)
            guard recorded.insert(id).inserted else { continue }
            let seats = seatsByKey[aura] ?? 0
            if seats > 0 { matched.insert(aura) }
            let stake = try candidate.stake.map { try StoreInt.sql($0, "stake of \(candidate.sidechainKey)") }
            try upsert.execute(arguments: [epoch, id, chain, aura, seats, size, candidate.isPermissioned ? 1 : 0, stake])
            try seen.execute(arguments: [candidate.isPermissioned ? 1 : 0, epoch, id])
        }
        // Rows made earlier by blocks of this epoch now learn the committee size.
        try db.execute(sql: "UPDATE validator_epochs SET committee_size = ? WHERE sidechain_epoch = ?", arguments: [size, epoch])
        let unmatched = seatsByKey.filter { !matched.contains($0.key) }.values.reduce(0, +)
        return CommitteeStoreResult(stored: true, committeeSize: size, candidates: recorded.count, unmatchedSeats: unmatched)
    }
}
