import Foundation
import Logging
import MidnightChain
import MidnightRPC
import MidnightStore

/// Gathers a ``StatusReport`` from the node, its metrics endpoint, the validator's keys and (when
/// present) the sync daemon's database.
public struct StatusChecker: Sendable {
    /// What to check.
    public struct Inputs: Sendable {
        public var chain: String
        public var network: NetworkPreset
        public var metricsURL: String?
        public var keys: ValidatorKeys?
        /// Why keys are absent, when the operator gave a keystore that could not be read.
        public var keysProblem: String?
        public var databasePath: String?
        /// Blocks behind the node's tip that still count as in sync.
        public var allowedLagBlocks: UInt64
        /// Finality lag (best − finalized) above which the node is unhealthy.
        public var maxFinalityLagBlocks: UInt64

        public init(
            chain: String = "midnight", network: NetworkPreset = .preview, metricsURL: String? = nil,
            keys: ValidatorKeys? = nil, keysProblem: String? = nil, databasePath: String? = nil,
            allowedLagBlocks: UInt64 = 10, maxFinalityLagBlocks: UInt64 = 20
        ) {
            self.chain = chain
            self.network = network
            self.metricsURL = metricsURL
            self.keys = keys
            self.keysProblem = keysProblem
            self.databasePath = databasePath
            self.allowedLagBlocks = allowedLagBlocks
            self.maxFinalityLagBlocks = maxFinalityLagBlocks
        }
    }

    let node: NodeClient
    let inputs: Inputs
    let logger: Logger

    public init(node: NodeClient, inputs: Inputs, logger: Logger) {
        self.node = node
        self.inputs = inputs
        self.logger = logger
    }

    /// Runs every check; never throws: what could not be read is reported as a problem or note.
    public func check(nowMs: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) async -> StatusReport {
        await run(nowMs: nowMs, gatherNetwork: false).report
    }

    /// Runs every check and also gathers the dashboard's network details (the node's Prometheus
    /// figures and, when the node allows unsafe RPC, the `system_peers` list) in the same pass.
    public func checkWithNetwork(nowMs: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) async -> DetailedStatus {
        await run(nowMs: nowMs, gatherNetwork: true)
    }

    private func run(nowMs: UInt64, gatherNetwork: Bool) async -> DetailedStatus {
        var network = NodeNetworkDetails()
        var problems: [String] = []
        var notes: [String] = []
        var n = StatusReport.Node(url: node.url, reachable: false)

        // Required: the node answers.
        do {
            let health = try await node.systemHealth()
            n.reachable = true
            n.peers = Int(health.peers)
            n.isSyncing = health.isSyncing
            let best = try await node.bestHeader()
            n.bestBlock = best.number
            n.finalizedBlock = try await node.finalizedHeader().number
        } catch {
            problems.append(
                "node unreachable at \(node.url): \(error) — is the node running, and is --rpc-url (rpc.url) right?")
            network.peersProblem = "node unreachable"
            network.metricsProblem = inputs.metricsURL == nil ? Self.metricsNotConfigured : "not asked (node unreachable)"
            let report = StatusReport(
                chain: inputs.chain, checkedAtMs: nowMs, node: n, epochs: nil, keys: nil, validator: nil,
                database: databaseStatus(tip: nil, problems: &problems, notes: &notes), problems: problems, notes: notes)
            return DetailedStatus(report: report, network: network)
        }
        n.version = try? await node.systemVersion()
        n.chain = try? await node.systemChain()
        if let sync = try? await node.syncState() {
            n.highestBlock = sync.highestBlock
            let highest = sync.highestBlock ?? sync.currentBlock
            n.syncPercent = highest == 0 ? 100 : min(100, Double(sync.currentBlock) / Double(highest) * 100)
        }
        if let url = inputs.metricsURL {
            do {
                let m = NodeMetricsSummary(document: try await MetricsScraper.scrape(url))
                n.blocksConstructed = m.blocksConstructed
                n.inboundPeers = m.inboundConnections
                n.outboundPeers = m.outboundConnections
                if let peers = m.peers { n.peers = peers }
                network.metrics = m
            } catch {
                notes.append("\(error)")
                network.metricsProblem = "\(error)"
            }
        } else {
            network.metricsProblem = Self.metricsNotConfigured
        }
        if gatherNetwork {
            do {
                network.peers = try await node.peers()
            } catch {
                network.peersProblem = "system_peers refused (\(error)); the per-peer list needs the node's --rpc-methods=unsafe (on localhost)"
            }
        }
        if n.isSyncing == true { problems.append("the node is still syncing (major sync)") }
        if n.peers == 0 { problems.append("the node has no peers") }
        if let best = n.bestBlock, let fin = n.finalizedBlock, best > fin + inputs.maxFinalityLagBlocks {
            problems.append("finality is lagging: finalized #\(fin) is \(best - fin) blocks behind best #\(best)")
        }

        let timing = await node.chainTiming(network: inputs.network, logger: logger)
        let slot = timing.slot(atMs: nowMs)
        let epoch = timing.sidechainEpoch(slot: slot)
        let epochs = StatusReport.Epochs(
            sidechainEpoch: epoch, slotInEpoch: timing.slotInEpoch(slot: slot), slotsPerEpoch: timing.slotsPerEpoch,
            sidechainProgress: timing.epochProgress(nowMs: nowMs), msUntilNextSidechainEpoch: timing.msUntilNextEpoch(nowMs: nowMs),
            mainchainEpoch: timing.mainchainEpoch(timestampMs: nowMs), mainchainProgress: timing.mainchainProgress(nowMs: nowMs),
            slotDurationMs: timing.slotDurationMs)

        var keysReport: StatusReport.Keys? = nil
        var validator: StatusReport.Validator? = nil
        if let problem = inputs.keysProblem { problems.append(problem) }
        if let keys = inputs.keys {
            keysReport = await keyPresence(keys)
            validator = await validatorStatus(keys: keys, epochs: epochs, timing: timing, problems: &problems, notes: &notes)
        }
        let database = databaseStatus(tip: n.bestBlock, problems: &problems, notes: &notes)
        if let db = database, let ours = inputs.keys?.sidechain, var v = validator,
            let reader = try? MidnightDatabase.openReader(path: db.path, chain: inputs.chain),
            let detail = try? reader.validator(key: ours, historyLimit: 1)
        {
            v.producedAllTime = detail.validator.blocksTotal
            if detail.validator.epoch == epochs.sidechainEpoch { v.producedThisEpoch = detail.validator.epochBlocks }
            else { v.producedThisEpoch = 0 }
            if let size = v.committeeSize, let seats = v.seats,
                let chainBlocks = try? reader.epochSummary(epochs.sidechainEpoch)?.blocksProduced
            {
                v.expectedBlocksSoFar = ExpectedBlocks.expected(seats: seats, committeeSize: size, chainBlocks: chainBlocks)
            }
            validator = v
        }
        let report = StatusReport(
            chain: inputs.chain, checkedAtMs: nowMs, node: n, epochs: epochs, keys: keysReport, validator: validator,
            database: database, problems: problems, notes: notes)
        return DetailedStatus(report: report, network: network)
    }

    /// Why there are no node metrics when `metrics_url` is unset.
    static let metricsNotConfigured = "node Prometheus endpoint not configured (rpc.metrics_url / MVM_METRICS_URL)"

    private func keyPresence(_ keys: ValidatorKeys) async -> StatusReport.Keys {
        var present: [String: Bool?] = [:]
        var unknownReason: String? = nil
        let pairs: [(String, String?)] = [("crch", keys.sidechain), ("aura", keys.aura), ("gran", keys.grandpa), ("babe", keys.babe)]
        for (type, key) in pairs {
            guard let key else { continue }
            do {
                present[type] = .some(try await node.hasKey(publicKey: key, keyType: type))
            } catch {
                present[type] = .some(nil)
                unknownReason =
                    "the node refused author_hasKey (\(error)); start it with --rpc-methods=unsafe on localhost to check keys"
            }
        }
        return StatusReport.Keys(
            sidechain: keys.sidechain, aura: keys.aura, grandpa: keys.grandpa, babe: keys.babe, inNodeKeystore: present,
            unknownReason: unknownReason)
    }

    private func validatorStatus(
        keys: ValidatorKeys, epochs: StatusReport.Epochs, timing: ChainTiming, problems: inout [String], notes: inout [String]
    ) async -> StatusReport.Validator {
        let registration: RegistrationStatus
        var dParameter: String? = nil
        do {
            let params = try await node.ariadneParameters(mainchainEpoch: epochs.mainchainEpoch)
            registration = RegistrationStatus.evaluate(sidechainKey: keys.sidechain, in: params)
            if let d = params.dParameter {
                dParameter = "D-parameter: \(d.numPermissionedCandidates) permissioned and \(d.numRegisteredCandidates) registered seats"
            }
        } catch {
            registration = .unknown(reason: "\(error)")
        }
        var v = StatusReport.Validator(registration: registration.code, registrationLabel: registration.label)
        switch registration {
        case .notRegistered: problems.append("validator \(KeyFormat.short(keys.sidechain)) is not registered")
        case .registeredInvalid(let r): problems.append("validator registration is invalid: \(r)")
        case .unknown(let r): notes.append("registration unknown: \(r)")
        default: break
        }
        if let committee = try? await node.authorities() {
            let authorityKey = keys.aura ?? keys.babe
            let seats = authorityKey.map { committee.seats(of: $0) } ?? 0
            v.committeeSize = committee.size
            v.seats = seats
            v.expectedBlocksEpoch = ExpectedBlocks.projected(seats: seats, committeeSize: committee.size, slotsPerEpoch: timing.slotsPerEpoch)
            if seats == 0, registration.isEligible {
                v.dParameter = dParameter
                notes.append(
                    "registered but holding no committee seats this epoch"
                        + (dParameter.map { " (\($0); registered candidates only get seats when the D-parameter gives them some)" } ?? ""))
            }
        } else {
            notes.append("could not read the current committee (AuraApi_authorities)")
        }
        return v
    }

    private func databaseStatus(tip: UInt64?, problems: inout [String], notes: inout [String]) -> StatusReport.Database? {
        guard let path = inputs.databasePath, FileManager.default.fileExists(atPath: path) else { return nil }
        guard let reader = try? MidnightDatabase.openReader(path: path, chain: inputs.chain),
            let sync = try? reader.syncStatus()
        else {
            notes.append("the database at \(path) could not be read")
            return StatusReport.Database(path: path)
        }
        let last = sync.lastSyncedBlock
        var behind: UInt64? = nil
        if let tip, let last { behind = tip > last ? tip - last : 0 }
        if let behind, behind > inputs.allowedLagBlocks {
            notes.append("the sync daemon is \(behind) blocks behind the node")
        }
        return StatusReport.Database(path: path, lastBlock: last, blocksBehind: behind, lastProgressMs: sync.lastProgressMs)
    }
}
