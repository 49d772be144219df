/// What `insertBlocks` did.
public struct InsertResult: Sendable, Hashable, Codable {
    /// Blocks newly stored.
    public var inserted: Int
    /// Blocks that were already stored with the same hash (skipped; inserts are idempotent).
    public var alreadyStored: Int
    /// Of the inserted blocks, how many have an author.
    public var attributed: Int

    /// Creates a result.
    public init(inserted: Int, alreadyStored: Int, attributed: Int) {
        self.inserted = inserted
        self.alreadyStored = alreadyStored
        self.attributed = attributed
    }
}

/// What `markFinalized` changed.
public struct FinalizationChange: Sendable, Hashable, Codable {
    /// Number of blocks that became finalized.
    public var newlyFinalized: Int
    /// Lowest newly finalized block, if any.
    public var fromBlock: UInt64?
    /// Highest newly finalized block, if any.
    public var toBlock: UInt64?

    /// Creates a result.
    public init(newlyFinalized: Int, fromBlock: UInt64?, toBlock: UInt64?) {
        self.newlyFinalized = newlyFinalized
        self.fromBlock = fromBlock
        self.toBlock = toBlock
    }
}

/// A block removed by a reorg.
public struct RemovedBlock: Sendable, Hashable, Codable {
    /// Its number.
    public var number: UInt64
    /// Its (orphaned) hash.
    public var hash: String
    /// Its author's sidechain key, if it had one.
    public var author: String?

    /// Creates a value.
    public init(number: UInt64, hash: String, author: String?) {
        self.number = number
        self.hash = hash
        self.author = author
    }
}

/// What `replaceBlocks` changed.
public struct ReorgChange: Sendable, Hashable, Codable {
    /// The orphaned blocks that were removed, lowest first.
    public var removed: [RemovedBlock]
    /// The replacement blocks stored.
    public var inserted: Int
    /// Net change of each validator's block count (sidechain key -> delta), zero entries omitted.
    public var validatorDeltas: [String: Int]

    /// Creates a result.
    public init(removed: [RemovedBlock], inserted: Int, validatorDeltas: [String: Int]) {
        self.removed = removed
        self.inserted = inserted
        self.validatorDeltas = validatorDeltas
    }
}

/// What `storeCommittee` did.
public struct CommitteeStoreResult: Sendable, Hashable, Codable {
    /// False when the epoch's committee was already stored (it is never rewritten).
    public var stored: Bool
    /// Committee size (seats).
    public var committeeSize: Int
    /// Candidates recorded for the epoch.
    public var candidates: Int
    /// Seats whose key matched no candidate.
    public var unmatchedSeats: Int

    /// Creates a result.
    public init(stored: Bool, committeeSize: Int, candidates: Int, unmatchedSeats: Int) {
        self.stored = stored
        self.committeeSize = committeeSize
        self.candidates = candidates
        self.unmatchedSeats = unmatchedSeats
    }
}

/// What opening the writer did to a v1 database.
public struct MigrationReport: Sendable, Hashable, Codable {
    /// Schema version found.
    public var fromVersion: Int
    /// Schema version now.
    public var toVersion: Int
    /// The copy taken before migrating.
    public var backupPath: String
    /// Rows carried over.
    public var blocks: Int
    /// Validators carried over (including authors only seen in blocks).
    public var validators: Int
    /// Validators flagged as ours.
    public var ourValidators: Int
    /// Committees rebuilt from v1's snapshots.
    public var committees: Int
    /// Per-epoch validator rows carried over.
    public var validatorEpochs: Int
    /// Blocks whose sidechain epoch / timestamp was recomputed from the slot.
    public var blocksCorrected: Int
    /// Whether the file was compacted into v2 pages afterwards.
    public var compacted: Bool
}
