/// Who produced a block, as the sync engine determined it.
public enum BlockAuthor: Sendable, Hashable {
    /// Attributed to the validator with this sidechain key, sealed with this AURA/BABE key.
    case attributed(sidechainKey: String, auraKey: String?)
    /// Not attributed (yet), with the reason and, when known, the authority key that sealed it.
    case unattributed(UnattributedReason, auraKey: String?)
}

/// A block to store, as the sync engine read it from the node.
///
/// Hashes and keys are `0x` hex strings; epochs are derived from the slot by the caller;
/// `timestampMs` is Unix milliseconds.
public struct NewBlock: Sendable, Hashable {
    /// Block number (height).
    public var number: UInt64
    /// Block hash (`0x` + 64 hex digits).
    public var hash: String
    /// Parent block hash.
    public var parentHash: String
    /// Consensus slot the block was sealed in.
    public var slot: UInt64
    /// Sidechain (partner-chain) epoch of the slot.
    public var sidechainEpoch: UInt64
    /// Cardano (mainchain) epoch of the block's timestamp.
    public var mainchainEpoch: UInt64
    /// Block timestamp, Unix milliseconds.
    public var timestampMs: UInt64
    /// Number of extrinsics in the block body.
    public var extrinsicsCount: Int
    /// Attribution state.
    public var author: BlockAuthor

    /// Creates a block row.
    public init(
        number: UInt64, hash: String, parentHash: String, slot: UInt64, sidechainEpoch: UInt64,
        mainchainEpoch: UInt64, timestampMs: UInt64, extrinsicsCount: Int, author: BlockAuthor
    ) {
        self.number = number
        self.hash = hash
        self.parentHash = parentHash
        self.slot = slot
        self.sidechainEpoch = sidechainEpoch
        self.mainchainEpoch = mainchainEpoch
        self.timestampMs = timestampMs
        self.extrinsicsCount = extrinsicsCount
        self.author = author
    }
}

/// A later attribution of a stored block (when its epoch's committee turns up).
public struct BlockAttribution: Sendable, Hashable {
    /// The block's number.
    public var number: UInt64
    /// The new attribution state (an `.unattributed` value only updates the reason / key).
    public var author: BlockAuthor

    /// Creates an attribution.
    public init(number: UInt64, author: BlockAuthor) {
        self.number = number
        self.author = author
    }
}

/// A registered or permissioned candidate of an epoch, as Ariadne reports it.
public struct CommitteeCandidate: Sendable, Hashable {
    /// The candidate's sidechain (cross-chain) public key.
    public var sidechainKey: String
    /// The candidate's AURA key (the key that appears in the committee).
    public var auraKey: String
    /// The candidate's GRANDPA key, when known.
    public var grandpaKey: String?
    /// Whether it is a permissioned (federated) candidate.
    public var isPermissioned: Bool
    /// Delegated stake in lovelace (nil for permissioned candidates).
    public var stake: UInt64?

    /// Creates a candidate.
    public init(sidechainKey: String, auraKey: String, grandpaKey: String? = nil, isPermissioned: Bool, stake: UInt64? = nil) {
        self.sidechainKey = sidechainKey
        self.auraKey = auraKey
        self.grandpaKey = grandpaKey
        self.isPermissioned = isPermissioned
        self.stake = stake
    }
}

/// One sidechain epoch's committee: the ordered authority keys (one entry per seat) and the
/// candidates that the keys map to.
public struct NewCommittee: Sendable, Hashable {
    /// The sidechain epoch the committee serves.
    public var sidechainEpoch: UInt64
    /// The mainchain epoch whose candidates were used, when known.
    public var mainchainEpoch: UInt64?
    /// Authority keys in seat order (`0x` hex, all of the same length, normally 32 bytes).
    public var authorities: [String]
    /// Where it came from, e.g. `"rpc"` or `"rpc-epoch-start"`.
    public var source: String
    /// The epoch's valid candidates; seats are counted from `authorities`.
    public var candidates: [CommitteeCandidate]

    /// Creates a committee.
    public init(sidechainEpoch: UInt64, mainchainEpoch: UInt64? = nil, authorities: [String], source: String, candidates: [CommitteeCandidate]) {
        self.sidechainEpoch = sidechainEpoch
        self.mainchainEpoch = mainchainEpoch
        self.authorities = authorities
        self.source = source
        self.candidates = candidates
    }
}

/// A partial update of the sync status row: nil fields are left as they are.
public struct SyncStatusUpdate: Sendable, Hashable {
    /// First block the daemon is configured to sync from (defines the leading gap).
    public var startBlock: UInt64?
    /// Highest block stored contiguously.
    public var lastSyncedBlock: UInt64?
    /// The node's finalized head.
    public var lastFinalizedBlock: UInt64?
    /// The node's best block.
    public var chainTipBlock: UInt64?
    /// Current sidechain epoch.
    public var currentSidechainEpoch: UInt64?
    /// Current mainchain epoch.
    public var currentMainchainEpoch: UInt64?
    /// Whether the daemon is catching up.
    public var isSyncing: Bool?
    /// Recent sync rate, blocks per second.
    public var blocksPerSecond: Double?
    /// RPC requests made since the daemon started.
    public var rpcRequestsTotal: UInt64?
    /// RPC requests that failed since the daemon started.
    public var rpcFailuresTotal: UInt64?
    /// When the daemon last made progress (Unix ms).
    public var lastProgressMs: UInt64?
    /// The last error; `.some(nil)` clears it.
    public var lastError: String??
    /// The node's health (`system_health`) just read; stored with the time it was read.
    public var nodeHealth: NodeHealthUpdate?

    /// Creates an update; pass only what changed.
    public init(
        startBlock: UInt64? = nil, lastSyncedBlock: UInt64? = nil, lastFinalizedBlock: UInt64? = nil,
        chainTipBlock: UInt64? = nil, currentSidechainEpoch: UInt64? = nil, currentMainchainEpoch: UInt64? = nil,
        isSyncing: Bool? = nil, blocksPerSecond: Double? = nil, rpcRequestsTotal: UInt64? = nil,
        rpcFailuresTotal: UInt64? = nil, lastProgressMs: UInt64? = nil, lastError: String?? = nil,
        nodeHealth: NodeHealthUpdate? = nil
    ) {
        self.startBlock = startBlock
        self.lastSyncedBlock = lastSyncedBlock
        self.lastFinalizedBlock = lastFinalizedBlock
        self.chainTipBlock = chainTipBlock
        self.currentSidechainEpoch = currentSidechainEpoch
        self.currentMainchainEpoch = currentMainchainEpoch
        self.isSyncing = isSyncing
        self.blocksPerSecond = blocksPerSecond
        self.rpcRequestsTotal = rpcRequestsTotal
        self.rpcFailuresTotal = rpcFailuresTotal
        self.lastProgressMs = lastProgressMs
        self.lastError = lastError
        self.nodeHealth = nodeHealth
    }
}

/// The node's health as the sync daemon read it (`system_health`), for the sync status row.
public struct NodeHealthUpdate: Sendable, Hashable {
    /// Connected peers.
    public var peers: UInt64
    /// The node is not major-syncing.
    public var isSynced: Bool

    /// Creates a health reading.
    public init(peers: UInt64, isSynced: Bool) {
        self.peers = peers
        self.isSynced = isSynced
    }
}

/// Options for opening the writer.
public struct WriterOptions: Sendable, Hashable {
    /// Chain label stored in every row.
    public var chain: String
    /// Written to `schema_meta.created_by` / `migrated_by`.
    public var appVersion: String
    /// Slots per sidechain epoch; used to fix v1's per-block epochs during migration and for
    /// missed-slot and progress figures. Nil keeps what is stored.
    public var slotsPerEpoch: UInt64?
    /// Slot length in ms; used to fix v1 timestamps during migration (timestamp = slot x slot ms).
    public var slotDurationMs: UInt64?
    /// After a v1 migration, rebuild the file (VACUUM) into v2's small pages and free v1's space.
    public var compactAfterMigration: Bool

    /// Creates options.
    public init(chain: String = StoreSchema.defaultChain, appVersion: String = "mvm", slotsPerEpoch: UInt64? = nil, slotDurationMs: UInt64? = nil, compactAfterMigration: Bool = true) {
        self.chain = chain
        self.appVersion = appVersion
        self.slotsPerEpoch = slotsPerEpoch
        self.slotDurationMs = slotDurationMs
        self.compactAfterMigration = compactAfterMigration
    }
}
