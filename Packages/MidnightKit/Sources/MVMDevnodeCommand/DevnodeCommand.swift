import ArgumentParser
import Dispatch
import Foundation
import Logging
import MidnightDevnode
import Synchronization
import MVMCommandSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mvm-devnode`: the simulated Midnight node's command line (docs/devnode.md, "Command-line
/// flags"). Every flag maps onto one ``DevnodeConfiguration`` field; `Apps/mvm-devnode` only runs it.
public struct MVMDevnodeApp: AsyncParsableCommand {
    /// Name, abstract and discussion of `mvm-devnode`.
    public static let configuration = CommandConfiguration(
        commandName: "mvm-devnode",
        abstract: "A deterministic simulated Midnight node (JSON-RPC over HTTP and WebSocket on one port).",
        discussion: "See docs/devnode.md for flavours, faults and the ground-truth file.")

    @Option(help: "RPC port for HTTP and WebSocket (0 = pick a free one).") public var port: Int = 9944
    @Option(help: "Loopback address to bind (127.0.0.1 or ::1).") public var host: String = "127.0.0.1"
    @Option(help: "Write the bound RPC port to this file once listening.") public var portFile: String?
    @Flag(help: "Start from the fast test preset (100 ms slots, 10-slot epochs, 60 blocks).") public var fast = false
    @Option(help: "Seed of every random choice.") public var seed: UInt64?
    @Option(help: "Node generation: 0.12, 0.18, 1.0 or migration.") public var flavour: String?
    @Option(help: "Slot (block) time in ms.") public var slotMs: UInt64?
    @Option(help: "Slots per sidechain epoch.") public var slotsPerEpoch: UInt64?
    @Option(help: "Blocks that exist at start.") public var history: Int?
    @Option(help: "The node clock at start, Unix ms (default: the wall clock).") public var clockStartMs: UInt64?
    @Option(help: "Blocks of state kept behind best, or 'archive'.") public var pruning: String = "archive"
    @Option(help: "Blocks below this number are unknown (warp-synced node).") public var firstAvailableBlock: UInt64?
    @Option(help: "Share of slots without a block (0-1).") public var missedSlotRate: Double?
    @Option(help: "Finalized = best - lag.") public var finalityLag: Int?
    @Option(help: "Share of slots in which finality pauses (0-1).") public var finalityStallRate: Double?
    @Option(help: "Share of slots that reorg the last 1-2 unfinalized blocks (0-1).") public var reorgRate: Double?
    @Option(help: "Cardano epoch length in ms.") public var mainchainEpochMs: UInt64?
    @Option(help: "Cardano epoch 0 start, Unix ms.") public var mainchainOriginMs: UInt64?
    @Option(help: "Cardano slot length in ms.") public var mainchainSlotMs: UInt64?
    @Option(help: "Seats per committee.") public var committeeSize: Int?
    @Option(help: "Seats for registered candidates (D-parameter R).") public var registeredSeats: Int?
    @Option(help: "Permissioned candidates.") public var permissioned: Int?
    @Option(help: "Valid registered candidates.") public var registered: Int?
    @Option(help: "Invalid registrations.") public var invalidRegistrations: Int?
    @Option(help: "The operator: permissioned, registered, registered-invalid, not-registered.") public var operatorRole: String?
    @Option(help: "Migration flavour: first epoch with AURA and BABE digests.") public var babeDualFromEpoch: UInt64?
    @Option(help: "Migration flavour: first epoch with BABE only.") public var babeOnlyFromEpoch: UInt64?
    @Flag(help: "1.x: report the real D-parameter from the deprecated sidechain_getAriadneParameters too.") public var noLegacyZeroD = false
    @Option(help: "Write the operator's keystore into this directory.") public var keystore: String?
    @Option(help: "Write a v1 keys JSON file here.") public var keysFile: String?
    @Option(help: "Write the ground-truth JSON file here.") public var groundTruth: String?
    @Option(help: "Minimum ms between ground-truth rewrites.") public var groundTruthIntervalMs: Int?
    @Option(help: "Serve Prometheus substrate_* metrics on this port (0 = any).") public var prometheusPort: Int?
    @Option(help: "Serve node_exporter-style metrics on this port (0 = any).") public var nodeExporterPort: Int?
    @Option(help: "Connected peers to report.") public var peers: Int?
    @Flag(help: "Refuse unsafe methods (system_peers, author_hasKey, ...), like --rpc-methods safe.") public var safeRpc = false
    @Option(help: "system_chain answer.") public var chainName: String?
    @Option(help: "system_name answer.") public var nodeName: String?
    @Option(help: "Fault: added latency per HTTP request, ms.") public var latencyMs: Int?
    @Option(help: "Fault: share of HTTP requests answered 503 (0-1).") public var http5xxRate: Double?
    @Option(help: "Fault: share of HTTP connections closed without answer (0-1).") public var dropRate: Double?
    @Option(help: "Fault: share of HTTP answers with truncated JSON (0-1).") public var malformedRate: Double?
    @Option(help: "Fault: largest batch accepted (like --rpc-max-batch-request-len).") public var maxBatch: Int?
    @Flag(help: "Fault: refuse batches (like --rpc-disable-batch-requests).") public var disableBatches = false
    @Option(help: "Fault: close each WebSocket after this many notifications.") public var wsDisconnectAfter: Int?
    @Option(help: "Log level (trace, debug, info, notice, warning, error).") public var logLevel: String = "info"

    private static let bootstrapped = Mutex(false)

    /// Creates the defaults (every flag unset).
    public init() {}

    /// The simulated node's configuration from the flags: `--fast` picks the fast test preset,
    /// then every flag given overrides its field. Throws `ValidationError` (exit code 2) naming
    /// the flag for a value the configuration rejects.
    public func makeConfiguration() throws -> DevnodeConfiguration {
        var c = fast ? DevnodeConfiguration.fastTest() : DevnodeConfiguration()
        c.port = port
        c.host = host
        if let seed { c.seed = seed }
        if let flavour {
            guard let f = DevnodeFlavour(rawValue: flavour) else {
                throw ValidationError("unknown flavour \(flavour); use 0.12, 0.18, 1.0 or migration")
            }
            c.flavour = f
        }
        if let slotMs { c.slotDurationMs = slotMs }
        if let slotsPerEpoch { c.slotsPerEpoch = slotsPerEpoch }
        if let history { c.historyBlocks = history }
        if let clockStartMs { c.clockStartMs = clockStartMs }
        if pruning == "archive" {
            c.pruningDepth = nil
        } else if let depth = Int(pruning) {
            c.pruningDepth = depth
        } else {
            throw ValidationError("--pruning takes a number of blocks or 'archive', got \(pruning)")
        }
        if let firstAvailableBlock { c.firstAvailableBlock = firstAvailableBlock }
        if let missedSlotRate { c.missedSlotRate = missedSlotRate }
        if let finalityLag { c.finalityLag = finalityLag }
        if let finalityStallRate { c.finalityStallRate = finalityStallRate }
        if let reorgRate { c.reorgRate = reorgRate }
        if let mainchainEpochMs { c.mainchainEpochLengthMs = mainchainEpochMs }
        if let mainchainOriginMs { c.mainchainOriginMs = mainchainOriginMs }
        if let mainchainSlotMs { c.mainchainSlotMs = mainchainSlotMs }
        if let committeeSize { c.committeeSize = committeeSize }
        if let registeredSeats { c.registeredSeats = registeredSeats }
        if let permissioned { c.permissionedCandidates = permissioned }
        if let registered { c.registeredCandidates = registered }
        if let invalidRegistrations { c.invalidRegistrations = invalidRegistrations }
        if let operatorRole {
            guard let r = DevnodeOperatorRole(rawValue: operatorRole) else {
                throw ValidationError("unknown operator role \(operatorRole)")
            }
            c.operatorRole = r
        }
        if let babeDualFromEpoch { c.babeDualFromEpoch = babeDualFromEpoch }
        if let babeOnlyFromEpoch { c.babeOnlyFromEpoch = babeOnlyFromEpoch }
        if noLegacyZeroD { c.legacyAriadneZeroDParameter = false }
        c.keystoreDirectory = keystore
        c.keysFilePath = keysFile
        c.groundTruthPath = groundTruth
        if let groundTruthIntervalMs { c.groundTruthIntervalMs = groundTruthIntervalMs }
        c.prometheusPort = prometheusPort
        c.nodeExporterPort = nodeExporterPort
        if let peers { c.peers = peers }
        c.unsafeRPC = !safeRpc
        if let chainName { c.chainName = chainName }
        if let nodeName { c.nodeName = nodeName }
        if let latencyMs { c.faults.latencyMs = latencyMs }
        if let http5xxRate { c.faults.http5xxRate = http5xxRate }
        if let dropRate { c.faults.dropConnectionRate = dropRate }
        if let malformedRate { c.faults.malformedJSONRate = malformedRate }
        if let maxBatch { c.faults.maxBatchSize = maxBatch }
        if disableBatches { c.faults.maxBatchSize = 0 }
        if let wsDisconnectAfter { c.faults.wsDisconnectAfterNotifications = wsDisconnectAfter }
        do { try c.validate() } catch { throw ValidationError(error.description) }
        return c
    }

    /// Starts the node, prints the listening line (and writes `--port-file`), and serves until
    /// SIGINT or SIGTERM, then stops cleanly (writing the ground truth a last time).
    public func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        // swift-log allows one bootstrap per process; a second run in the same process keeps the first.
        if Self.bootstrapped.withLock({ done in defer { done = true }; return !done }) {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let configuration = try makeConfiguration()
        let node = try Devnode(configuration: configuration, logger: Logger(label: "mvm-devnode"))
        try await node.start()
        if let portFile {
            try "\(node.port)\n".write(toFile: portFile, atomically: true, encoding: .utf8)
        }
        var line = "mvm-devnode listening on \(node.httpURL) (flavour \(configuration.flavour.rawValue), best #\(node.bestNumber)"
        if let p = node.prometheusPort { line += ", prometheus :\(p)" }
        if let p = node.nodeExporterPort { line += ", node_exporter :\(p)" }
        FileHandle.standardOutput.write(Data((line + ")\n").utf8))

        let stopped = AsyncStream<Int32>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stopped.continuation.yield(sig) }
            source.resume()
            sources.append(source)
        }
        for await _ in stopped.stream { break }
        await node.stop()
        sources.forEach { $0.cancel() }
    }
}
