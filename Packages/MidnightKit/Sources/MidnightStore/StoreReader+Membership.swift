import Foundation
import GRDB

/// One stored committee seen from one validator: how many seats it held in that sidechain epoch.
public struct CommitteeMembership: Codable, Sendable, Hashable {
    /// The sidechain epoch of the committee.
    public var sidechainEpoch: UInt64
    /// The mainchain epoch the committee was selected for, when known.
    public var mainchainEpoch: UInt64?
    /// Seats the validator held (0 = not in the committee).
    public var seats: Int
    /// Seats in the committee.
    public var committeeSize: Int
    /// Whether it was among the epoch's valid candidates.
    public var isCandidate: Bool

    enum CodingKeys: String, CodingKey {
        case seats
        case sidechainEpoch = "sidechain_epoch"
        case mainchainEpoch = "mainchain_epoch"
        case committeeSize = "committee_size"
        case isCandidate = "is_candidate"
    }
}

extension StoreReader {
    /// A validator's registration status over time (changes only, newest first), by sidechain key.
    /// Empty when the key is unknown or nothing was recorded (the daemon records our validators').
    public func registrationHistory(sidechainKey: String, limit: Int = 1000) throws -> [RegistrationChange] {
        let key = StoreHex.normalizeKey(sidechainKey)
        return try read("reading the registration history of \(sidechainKey)") { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT h.status, h.reason, h.mainchain_epoch, h.observed_ms FROM registration_history h
                    JOIN validators v ON v.id = h.validator_id WHERE v.sidechain_key = ?
                    ORDER BY h.observed_ms DESC, h.id DESC LIMIT ?
                    """, arguments: [key, max(0, limit)]
            ).map {
                RegistrationChange(
                    status: $0["status"], reason: $0["reason"], mainchainEpoch: StoreInt.api($0["mainchain_epoch"] as Int64?),
                    observedMs: StoreInt.api($0["observed_ms"] as Int64))
            }
        }
    }

    /// A validator's committee membership over the stored committees (newest first, at most
    /// `limit` epochs): its seats in each, 0 when it held none. Empty when no committee is stored.
    public func committeeMembership(sidechainKey: String, limit: Int = 100) throws -> [CommitteeMembership] {
        let key = StoreHex.normalizeKey(sidechainKey)
        return try read("reading the committee membership of \(sidechainKey)") { db in
            let validator = try Row.fetchOne(db, sql: "SELECT id, aura_key FROM validators WHERE sidechain_key = ?", arguments: [key])
            let id: Int64? = validator?["id"]
            // Seats are counted in the committee itself by the validator's AURA key, so they are
            // exact even for an epoch whose candidate list could not be read.
            let aura: [UInt8]? = (validator?["aura_key"] as String?).flatMap { StoreHex.decodeBytes($0) }
            return try Row.fetchAll(
                db, sql: """
                    SELECT c.sidechain_epoch, c.mainchain_epoch, c.committee_size, c.key_length, c.authorities,
                           COALESCE(ve.seats, 0) AS seats, COALESCE(ve.is_candidate, 0) AS is_candidate
                    FROM committees c
                    LEFT JOIN validator_epochs ve ON ve.sidechain_epoch = c.sidechain_epoch AND ve.validator_id = ?
                    ORDER BY c.sidechain_epoch DESC LIMIT ?
                    """, arguments: [id, max(0, limit)]
            ).map { row in
                var seats: Int = row["seats"]
                let width: Int = row["key_length"]
                if let aura, aura.count == width, width > 0, let blob = row["authorities"] as Data? {
                    let bytes = [UInt8](blob)
                    var counted = 0
                    var offset = 0
                    while offset + width <= bytes.count {
                        if bytes[offset..<offset + width].elementsEqual(aura) { counted += 1 }
                        offset += width
                    }
                    seats = counted
                }
                return CommitteeMembership(
                    sidechainEpoch: StoreInt.api(row["sidechain_epoch"] as Int64), mainchainEpoch: StoreInt.api(row["mainchain_epoch"] as Int64?),
                    seats: seats, committeeSize: row["committee_size"], isCandidate: (row["is_candidate"] as Int64) != 0)
            }
        }
    }
}
