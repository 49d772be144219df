/// Database-wide figures for `mvm query stats` and the API.
public struct StoreStats: Codable, Sendable, Hashable {
    /// Chain label.
    public var chain: String
    /// Blocks stored.
    public var totalBlocks: Int
    /// Finalized blocks stored.
    public var finalizedBlocks: Int
    /// Unfinalized blocks stored.
    public var unfinalizedBlocks: Int
    /// Lowest stored block number.
    public var firstBlock: UInt64?
    /// Highest stored block number.
    public var lastBlock: UInt64?
    /// Highest finalized stored block.
    public var lastFinalizedBlock: UInt64?
    /// Blocks with an author.
    public var attributedBlocks: Int
    /// Blocks without one.
    public var unattributedBlocks: Int
    /// Unattributed blocks per reason (raw reason string -> count).
    public var unattributedByReason: [String: Int]
    /// Number of gaps (leading gap included when the start block is known).
    public var gaps: Int
    /// Blocks missing in those gaps.
    public var missingBlocks: UInt64
    /// Validators known.
    public var validators: Int
    /// Validators marked as ours.
    public var ourValidators: Int
    /// Committees stored.
    public var committees: Int
    /// Sidechain epoch of the newest block.
    public var latestSidechainEpoch: UInt64?

    enum CodingKeys: String, CodingKey {
        case chain, gaps, validators, committees
        case totalBlocks = "total_blocks"
        case finalizedBlocks = "finalized_blocks"
        case unfinalizedBlocks = "unfinalized_blocks"
        case firstBlock = "first_block"
        case lastBlock = "last_block"
        case lastFinalizedBlock = "last_finalized_block"
        case attributedBlocks = "attributed_blocks"
        case unattributedBlocks = "unattributed_blocks"
        case unattributedByReason = "unattributed_by_reason"
        case missingBlocks = "missing_blocks"
        case ourValidators = "our_validators"
        case latestSidechainEpoch = "latest_sidechain_epoch"
    }
}

/// The sync daemon's status as it last wrote it.
public struct SyncStatusEntity: Codable, Sendable, Hashable {
    /// Chain label.
    public var chain: String
    /// Configured start block.
    public var startBlock: UInt64?
    /// Highest block stored contiguously.
    public var lastSyncedBlock: UInt64?
    /// Node's finalized head.
    public var lastFinalizedBlock: UInt64?
    /// Node's best block.
    public var chainTipBlock: UInt64?
    /// chainTipBlock - lastSyncedBlock (nil when either is unknown).
    public var blocksBehind: UInt64?
    /// Current sidechain epoch.
    public var currentSidechainEpoch: UInt64?
    /// Current mainchain epoch.
    public var currentMainchainEpoch: UInt64?
    /// Catching up.
    public var isSyncing: Bool
    /// Recent rate, blocks/s.
    public var blocksPerSecond: Double
    /// RPC requests since the daemon started.
    public var rpcRequestsTotal: UInt64
    /// Failed RPC requests since the daemon started.
    public var rpcFailuresTotal: UInt64
    /// Last progress (Unix ms).
    public var lastProgressMs: UInt64?
    /// Last error message.
    public var lastError: String?
    /// When it happened (Unix ms).
    public var lastErrorMs: UInt64?
    /// Last write of this row (Unix ms).
    public var updatedMs: UInt64
    /// The node's peer count (`system_health.peers`) when the daemon last asked; nil before it
    /// has asked (or in a file written before schema revision 1). Published as `mvm_node_peers`.
    public var nodePeers: UInt64?
    /// Whether the node said it is synced (`system_health.isSyncing == false`) when the daemon
    /// last asked; nil when unknown. Published as `mvm_node_synced`.
    public var nodeSynced: Bool?
    /// When the daemon last read the node's health (Unix ms); nil when never.
    public var nodeHealthMs: UInt64?

    enum CodingKeys: String, CodingKey {
        case chain
        case startBlock = "start_block"
        case lastSyncedBlock = "last_synced_block"
        case lastFinalizedBlock = "last_finalized_block"
        case chainTipBlock = "chain_tip_block"
        case blocksBehind = "blocks_behind"
        case currentSidechainEpoch = "current_sidechain_epoch"
        case currentMainchainEpoch = "current_mainchain_epoch"
        case isSyncing = "is_syncing"
        case blocksPerSecond = "blocks_per_second"
        case rpcRequestsTotal = "rpc_requests_total"
        case rpcFailuresTotal = "rpc_failures_total"
        case lastProgressMs = "last_progress_ms"
        case lastError = "last_error"
        case lastErrorMs = "last_error_ms"
        case updatedMs = "updated_ms"
        case nodePeers = "node_peers"
        case nodeSynced = "node_synced"
        case nodeHealthMs = "node_health_ms"
    }
}
