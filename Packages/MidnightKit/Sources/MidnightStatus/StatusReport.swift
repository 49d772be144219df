import MidnightChain

/// Everything `mvm status`, `GET /api/v1/status` and the dashboard header say about the node and
/// our validator, gathered once. Optional parts are `nil` when they could not be read, with the
/// reason in ``problems`` or the part's own `unknownReason`.
public struct StatusReport: Codable, Sendable, Equatable {
    /// The node half.
    public struct Node: Codable, Sendable, Equatable {
        public var url: String
        public var reachable: Bool
        public var version: String?
        public var chain: String?
        public var peers: Int?
        public var isSyncing: Bool?
        public var bestBlock: UInt64?
        public var finalizedBlock: UInt64?
        public var highestBlock: UInt64?
        /// Node sync progress from `system_syncState`, 0–100.
        public var syncPercent: Double?
        /// Blocks this node constructed since it started (node Prometheus).
        public var blocksConstructed: UInt64?
        public var inboundPeers: Int?
        public var outboundPeers: Int?
    }

    /// Where the chain is in its epochs (from wall-clock time and the chain's timing).
    public struct Epochs: Codable, Sendable, Equatable {
        public var sidechainEpoch: UInt64
        public var slotInEpoch: UInt64
        public var slotsPerEpoch: UInt64
        public var sidechainProgress: Double
        public var msUntilNextSidechainEpoch: UInt64
        public var mainchainEpoch: UInt64
        public var mainchainProgress: Double
        public var slotDurationMs: UInt64
    }

    /// Our validator's keys and what the node knows of them.
    public struct Keys: Codable, Sendable, Equatable {
        public var sidechain: String
        public var aura: String?
        public var grandpa: String?
        public var babe: String?
        /// `author_hasKey` per key type (`crch`, `aura`, `gran`, `babe`); `nil` = unknown.
        public var inNodeKeystore: [String: Bool?]
        /// Why key presence is unknown (for example, unsafe RPC is off).
        public var unknownReason: String?
    }

    /// Our validator's standing in the current epoch.
    public struct Validator: Codable, Sendable, Equatable {
        public var registration: String
        public var registrationLabel: String
        public var committeeSize: Int?
        public var seats: Int?
        /// Full-epoch expected blocks (seats / size × slots per epoch).
        public var expectedBlocksEpoch: Double?
        /// Expected so far this epoch (seats / size × blocks the chain produced so far).
        public var expectedBlocksSoFar: Double?
        /// Blocks our validator produced this epoch (from the database).
        public var producedThisEpoch: Int?
        public var producedAllTime: Int?
        /// The D-parameter context when we are registered but hold no seats.
        public var dParameter: String?
    }

    /// How far the local database is behind.
    public struct Database: Codable, Sendable, Equatable {
        public var path: String
        public var lastBlock: UInt64?
        public var blocksBehind: UInt64?
        public var lastProgressMs: UInt64?
    }

    public var chain: String
    public var checkedAtMs: UInt64
    public var node: Node
    public var epochs: Epochs?
    public var keys: Keys?
    public var validator: Validator?
    public var database: Database?
    /// The remote database push, when `[database.remote]` is enabled (see RemoteLag.swift).
    public var remote: Remote? = nil
    /// Problems that make the node or validator unhealthy, in words an operator can act on.
    public var problems: [String]
    /// Things worth knowing that are not failures.
    public var notes: [String]

    /// Healthy when nothing in ``problems``.
    public var healthy: Bool { problems.isEmpty }
}
