/// Which node generation the simulated node imitates; it decides RPC shapes and digests.
public enum DevnodeFlavour: String, Sendable, CaseIterable, Codable {
    /// midnight-node 0.12 (testnet-02): legacy `auraPubKey`/`grandpaPubKey`, `sidechain.slot`,
    /// `SlotApi_slot_config`.
    case v0_12 = "0.12"
    /// midnight-node 0.18 (preview): `keys` map, `sidechain.slot` still present, `SlotApi_slot_config`.
    case v0_18 = "0.18"
    /// midnight-node 1.x (mainnet): `systemParameters_getAriadneParameters`, no `sidechain.slot`,
    /// `GetEpochDurationApi_get_epoch_duration_millis`.
    case v1_0 = "1.0"
    /// A 1.x node through the AURA→BABE migration: blocks carry AURA and BABE pre-digests, then
    /// BABE only after the flip epoch.
    case auraBabeMigration = "migration"

    /// The `system_version` string this generation reports.
    public var systemVersion: String {
        switch self {
        case .v0_12: return "0.12.1-045f8372"
        case .v0_18: return "0.18.0-rc.5-8f3c2a1d"
        case .v1_0: return "1.0.1-5edf8ddd"
        case .auraBabeMigration: return "2.1.0-7a9e4c20"
        }
    }

    /// The default `system_chain` name.
    public var defaultChainName: String {
        switch self {
        case .v0_12: return "testnet-02"
        case .v0_18: return "preview"
        case .v1_0, .auraBabeMigration: return "mainnet"
        }
    }

    /// Whether `sidechain_getStatus` still carries `sidechain.slot` (legacy SlotApi builds).
    public var hasSidechainSlot: Bool { self == .v0_12 || self == .v0_18 }
    /// Whether registrations use the legacy `auraPubKey`/`grandpaPubKey` fields.
    public var usesLegacyKeyFields: Bool { self == .v0_12 }
    /// Whether `systemParameters_*` methods exist.
    public var hasSystemParameters: Bool { self == .v1_0 || self == .auraBabeMigration }
    /// Whether the runtime answers `SlotApi_slot_config` (else `GetEpochDurationApi_…`).
    public var hasSlotApi: Bool { self == .v0_12 || self == .v0_18 }
    /// Whether candidates carry a BABE key.
    public var hasBabe: Bool { self == .auraBabeMigration }
}

/// Which candidate the simulated operator ("ours") is.
public enum DevnodeOperatorRole: String, Sendable, CaseIterable, Codable {
    /// A permissioned candidate (always valid).
    case permissioned
    /// A valid registered candidate with the largest stake.
    case registered
    /// A registered candidate whose registration is invalid (never selected).
    case registeredInvalid = "registered-invalid"
    /// Keys that appear in no candidate list.
    case notRegistered = "not-registered"
}

/// Faults the simulated node injects into its RPC answers. Random choices are drawn from a
/// generator seeded by the chain seed and the request's sequence number, so a given request
/// order always gets the same faults.
public struct DevnodeFaults: Sendable, Equatable, Codable {
    /// Added delay before every HTTP answer, in milliseconds.
    public var latencyMs: Int = 0
    /// Share of HTTP requests answered with `503 Service Unavailable` (0…1).
    public var http5xxRate: Double = 0
    /// Share of HTTP requests whose connection is closed without any answer (0…1).
    public var dropConnectionRate: Double = 0
    /// Share of HTTP requests answered with a truncated, unparsable JSON body (0…1).
    public var malformedJSONRate: Double = 0
    /// Batch requests: `nil` = unlimited (Substrate's default), `0` = disabled
    /// (`--rpc-disable-batch-requests`), `n` = at most `n` calls (`--rpc-max-batch-request-len`).
    public var maxBatchSize: Int? = nil
    /// Close each WebSocket connection after it has delivered this many subscription
    /// notifications (`nil` = never).
    public var wsDisconnectAfterNotifications: Int? = nil

    /// No faults.
    public init() {}

    /// Whether any HTTP-level fault is active.
    var hasHTTPFaults: Bool { latencyMs > 0 || http5xxRate > 0 || dropConnectionRate > 0 || malformedJSONRate > 0 }
}

/// Everything that shapes a simulated node: its chain, its timing, its operator and its faults.
///
/// The chain is a pure function of ``seed`` and the clock: two nodes with the same seed, the same
/// configuration and the same ``clockStartMs`` serve byte-identical blocks.
public struct DevnodeConfiguration: Sendable, Equatable {
    // MARK: Network
    /// Address to bind; only loopback (`127.0.0.1` or `::1`) is accepted.
    public var host: String = "127.0.0.1"
    /// RPC port (HTTP and WebSocket); `0` picks a free port, see ``Devnode/port``.
    public var port: Int = 0
    /// Prometheus text endpoint port (`nil` = off, `0` = ephemeral).
    public var prometheusPort: Int? = nil
    /// node_exporter-style endpoint port (`nil` = off, `0` = ephemeral).
    public var nodeExporterPort: Int? = nil
    /// Whether unsafe methods (`system_peers`, `author_hasKey`, …) are allowed, as with
    /// `--rpc-methods unsafe`. When false they fail with -32601 "RPC call is unsafe to be called externally".
    public var unsafeRPC: Bool = true

    // MARK: Chain
    /// The seed every random choice derives from.
    public var seed: UInt64 = 42
    /// Which node generation to imitate.
    public var flavour: DevnodeFlavour = .v1_0
    /// `system_chain` answer (`nil` = the flavour's default).
    public var chainName: String? = nil
    /// `system_name` answer.
    public var nodeName: String = "Midnight Node"
    /// Slot (block) time in milliseconds.
    public var slotDurationMs: UInt64 = 6000
    /// Slots per sidechain epoch.
    public var slotsPerEpoch: UInt64 = 300
    /// Blocks that exist before the node starts (the tip sits at the current slot).
    public var historyBlocks: Int = 1000
    /// The node's clock at start, in Unix ms (`nil` = the wall clock). Fixing it makes the
    /// history (hashes included) reproducible; the clock then runs forward in real time.
    public var clockStartMs: UInt64? = nil
    /// Blocks whose state is kept behind the best block (`nil` = archive node). `state_call` at
    /// an older block fails with Substrate's "State already discarded" error.
    public var pruningDepth: Int? = nil
    /// Blocks below this number are unknown (`chain_getBlockHash` answers `null`), as on a
    /// warp-synced node.
    public var firstAvailableBlock: UInt64 = 0
    /// Share of slots whose author produces nothing (0…1).
    public var missedSlotRate: Double = 0.05
    /// Finalized = best − lag (GRANDPA), give or take the jumps below.
    public var finalityLag: Int = 2
    /// Share of slots in which finality does not advance (it then catches up in one jump).
    public var finalityStallRate: Double = 0.2
    /// Share of produced slots that replace the last 1–2 unfinalized blocks (a reorg).
    public var reorgRate: Double = 0.0
    /// Cardano epoch length and origin (defaults: the preview preset, 1-day epochs).
    public var mainchainEpochLengthMs: UInt64 = 86_400_000
    public var mainchainOriginMs: UInt64 = 1_666_656_000_000
    /// Cardano slot length (preview: 1 s).
    public var mainchainSlotMs: UInt64 = 1000

    // MARK: Committee
    /// Seats in every committee.
    public var committeeSize: Int = 12
    /// Seats given to registered candidates (D-parameter R; `nil` = half the committee). The
    /// rest (P) go to permissioned candidates.
    public var registeredSeats: Int? = nil
    /// Permissioned candidates (all valid).
    public var permissionedCandidates: Int = 4
    /// Valid registered candidates.
    public var registeredCandidates: Int = 8
    /// Registered candidates with an invalid registration.
    public var invalidRegistrations: Int = 2
    /// Which candidate the operator is.
    public var operatorRole: DevnodeOperatorRole = .registered
    /// In ``DevnodeFlavour/auraBabeMigration``: first sidechain epoch whose blocks carry both
    /// pre-digests (`nil` = the epoch before the tip's at start).
    public var babeDualFromEpoch: UInt64? = nil
    /// In ``DevnodeFlavour/auraBabeMigration``: first epoch with BABE only (`nil` = the epoch
    /// after the tip's at start).
    public var babeOnlyFromEpoch: UInt64? = nil
    /// In 1.x flavours, the deprecated `sidechain_getAriadneParameters` reports a `(0, 0)`
    /// D-parameter (as observed on real nodes) while selection uses the real one.
    public var legacyAriadneZeroDParameter: Bool = true

    // MARK: Outputs
    /// Directory to write the operator's Substrate keystore into (`nil` = none).
    public var keystoreDirectory: String? = nil
    /// Path to write a v1 keys JSON file (`sidechain_pub_key`, `aura_pub_key`, `grandpa_pub_key`).
    public var keysFilePath: String? = nil
    /// Path of the ground-truth JSON file (`nil` = none), rewritten atomically as the chain advances.
    public var groundTruthPath: String? = nil
    /// Minimum time between two ground-truth rewrites, in milliseconds.
    public var groundTruthIntervalMs: Int = 500
    /// Peers reported by `system_health` and friends.
    public var peers: Int = 8

    // MARK: Faults
    /// Injected faults; can be changed at run time with ``Devnode/setFaults(_:)``.
    public var faults: DevnodeFaults = DevnodeFaults()

    /// A configuration with the defaults documented on each property.
    public init() {}

    /// A configuration for fast tests: 100 ms slots, 10-slot epochs, 60 history blocks, no
    /// missed slots, finality lag 2, an ephemeral port.
    public static func fastTest(seed: UInt64 = 42, flavour: DevnodeFlavour = .v1_0) -> DevnodeConfiguration {
        var c = DevnodeConfiguration()
        c.seed = seed
        c.flavour = flavour
        c.slotDurationMs = 100
        c.slotsPerEpoch = 10
        c.historyBlocks = 60
        c.missedSlotRate = 0
        c.finalityStallRate = 0
        c.mainchainEpochLengthMs = 10_000
        c.mainchainSlotMs = 100
        return c
    }

    /// The D-parameter (permissioned seats, registered seats).
    public var dParameter: (permissioned: Int, registered: Int) {
        let size = max(1, committeeSize)
        let r = min(size, max(0, registeredSeats ?? size / 2))
        return (size - r, r)
    }

    /// Sidechain epoch length in milliseconds.
    public var epochDurationMs: UInt64 { slotDurationMs * slotsPerEpoch }

    /// Checks that the values make sense.
    ///
    /// - Throws: ``DevnodeError/invalidConfiguration(_:)`` naming the offending field.
    public func validate() throws(DevnodeError) {
        func fail(_ s: String) -> DevnodeError { .invalidConfiguration(s) }
        guard host == "127.0.0.1" || host == "::1" || host == "localhost" else {
            throw fail("host must be loopback (127.0.0.1 or ::1), got \(host)")
        }
        guard (0...65535).contains(port) else { throw fail("port \(port) out of range") }
        guard slotDurationMs >= 10 else { throw fail("slotDurationMs must be at least 10, got \(slotDurationMs)") }
        guard slotsPerEpoch >= 1 else { throw fail("slotsPerEpoch must be at least 1") }
        guard historyBlocks >= 1 else { throw fail("historyBlocks must be at least 1") }
        guard committeeSize >= 1 else { throw fail("committeeSize must be at least 1") }
        guard permissionedCandidates >= 1 || dParameter.permissioned == 0 else {
            throw fail("permissioned seats need at least one permissioned candidate")
        }
        guard registeredCandidates >= 1 || dParameter.registered == 0 else {
            throw fail("registered seats need at least one valid registered candidate")
        }
        for (name, rate) in [
            ("missedSlotRate", missedSlotRate), ("finalityStallRate", finalityStallRate), ("reorgRate", reorgRate),
            ("faults.http5xxRate", faults.http5xxRate), ("faults.dropConnectionRate", faults.dropConnectionRate),
            ("faults.malformedJSONRate", faults.malformedJSONRate),
        ] where !(0...1).contains(rate) {
            throw fail("\(name) must be between 0 and 1, got \(rate)")
        }
        guard missedSlotRate < 0.95 else { throw fail("missedSlotRate must be below 0.95") }
        guard finalityLag >= 0 else { throw fail("finalityLag must not be negative") }
        if let p = pruningDepth, p < 1 { throw fail("pruningDepth must be at least 1 (or nil for archive)") }
        if let b = faults.maxBatchSize, b < 0 { throw fail("faults.maxBatchSize must be >= 0") }
        guard mainchainEpochLengthMs > 0, mainchainSlotMs > 0 else { throw fail("mainchain timing must be positive") }
    }
}

/// Errors raised by the simulated node.
public enum DevnodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A configuration value is out of range.
    case invalidConfiguration(String)
    /// A server could not bind or start.
    case startFailed(what: String, reason: String)
    /// Writing an output file failed.
    case writeFailed(path: String, reason: String)
    /// The operation needs a running node.
    case notRunning

    public var description: String {
        switch self {
        case .invalidConfiguration(let s): return "invalid devnode configuration: \(s)"
        case .startFailed(let what, let reason): return "devnode: could not start \(what): \(reason)"
        case .writeFailed(let path, let reason): return "devnode: could not write \(path): \(reason)"
        case .notRunning: return "devnode: not running"
        }
    }
}
