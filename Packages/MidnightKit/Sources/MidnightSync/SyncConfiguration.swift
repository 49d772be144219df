import MidnightChain

/// How the sync engine follows the node. Built by the commands from `MVMConfig` and flags.
public struct SyncConfiguration: Sendable, Equatable {
    /// Blocks fetched per batched round trip (v1's `sync.batch_size`).
    public var batchSize: Int
    /// Batches in flight at once during catch-up; bounds memory however far behind we start.
    public var maxBatchesInFlight: Int
    /// During catch-up, fetched batches are written together until this many blocks are ready
    /// (or nothing more is fetched), one transaction each. Larger transactions touch each index
    /// page (the block hash and author indexes take inserts all over) once per commit instead of
    /// once per 100-block batch: fewer bytes written per block and fewer fsyncs. At the tip every
    /// block is still committed as soon as it is fetched.
    public var catchUpCommitBlocks: Int = 1000
    /// Seconds between polls when the WebSocket subscription is unavailable, and the safety-net
    /// poll while it is up.
    public var pollInterval: Duration
    /// Store only finalized blocks.
    public var finalizedOnly: Bool
    /// First block to sync; `nil` resumes after the last stored block, else starts
    /// `windowBlocks` behind the tip on a fresh database.
    public var startBlock: UInt64?
    /// How far behind the tip a fresh database starts when no start block is given.
    public var windowBlocks: UInt64
    /// Follow heads over the WebSocket subscription (polling remains as a fallback).
    public var useSubscriptions: Bool
    /// How often to look for gaps and retry unattributed blocks while following the tip.
    public var maintenanceInterval: Duration
    /// The network whose presets are the fallback when the node does not say (`[chain] network`).
    public var network: NetworkPreset
    /// Operator overrides of the node-reported timing (`[chain] slot_duration_ms`, `slots_per_epoch`).
    public var slotDurationMsOverride: UInt64?
    public var slotsPerEpochOverride: UInt64?
    /// Operator override of the Cardano epoch length (`[chain] mainchain_epoch_ms`).
    public var mainchainEpochMsOverride: UInt64?
    /// Draw a live progress line on stderr when it is a terminal (off under a dashboard).
    public var progressLineOnTerminal: Bool = true
    /// Stop after catching up instead of following the tip (used by benchmarks and one-shot runs).
    public var exitAfterCatchUp: Bool
    /// The operator's validators (from the keystore / keys file): marked as ours at start, and
    /// their registration status recorded at start and at every mainchain epoch change.
    public var ourValidators: [OurValidator] = []
    /// Shortest time between registration checks that failed (the node did not answer).
    public var registrationRetryInterval: Duration = .seconds(60)

    public init(
        batchSize: Int = 100,
        maxBatchesInFlight: Int = 4,
        pollInterval: Duration = .seconds(6),
        finalizedOnly: Bool = false,
        startBlock: UInt64? = nil,
        windowBlocks: UInt64 = 14_400,
        useSubscriptions: Bool = true,
        maintenanceInterval: Duration = .seconds(300),
        network: NetworkPreset = .preview,
        slotDurationMsOverride: UInt64? = nil,
        slotsPerEpochOverride: UInt64? = nil,
        mainchainEpochMsOverride: UInt64? = nil,
        exitAfterCatchUp: Bool = false
    ) {
        self.batchSize = max(1, batchSize)
        self.maxBatchesInFlight = max(1, maxBatchesInFlight)
        self.pollInterval = pollInterval
        self.finalizedOnly = finalizedOnly
        self.startBlock = startBlock
        self.windowBlocks = windowBlocks
        self.useSubscriptions = useSubscriptions
        self.maintenanceInterval = maintenanceInterval
        self.network = network
        self.slotDurationMsOverride = slotDurationMsOverride
        self.slotsPerEpochOverride = slotsPerEpochOverride
        self.mainchainEpochMsOverride = mainchainEpochMsOverride
        self.exitAfterCatchUp = exitAfterCatchUp
    }
}

/// One of the operator's validators, as the keystore or keys file names it.
public struct OurValidator: Sendable, Equatable {
    /// Its session keys (the sidechain key identifies it).
    public var keys: ValidatorKeys
    /// A label to show beside it (`[validator] label`).
    public var label: String?

    /// Creates one.
    public init(keys: ValidatorKeys, label: String? = nil) {
        self.keys = keys
        self.label = label
    }
}
