import Foundation
import Logging
import MidnightChain
import MidnightRPC
import MidnightStore
import ServiceLifecycle
import SpomDaemon
import Synchronization

/// Follows the node and records every block, its author and each epoch's committee.
///
/// - Catch-up: a bounded pipeline of batched `chain_getBlockHash` + `chain_getBlock` round
///   trips (a few batches in flight); the batches already fetched are written together, up to
///   ``SyncConfiguration/catchUpCommitBlocks`` blocks per transaction. Memory stays flat however
///   far behind it starts.
/// - Live: new and finalized heads over the WebSocket subscription trigger a step at once; a
///   poll every `pollInterval` is the fallback when the socket is down.
/// - Reorgs: a new block whose parent is not the stored block below it (or a stored block whose
///   hash is no longer canonical) replaces the orphaned unfinalized blocks.
/// - Gaps and unattributed blocks are revisited at start and every `maintenanceInterval`.
/// - Memory: on reaching the tip, and again ``settleAgainAfter`` later, it keeps only the newest
///   two epochs' committees and gives back the catch-up's SQLite cache, free heap pages and the
///   code pages it ran (`MemoryRelief.settle`).
///
/// Run it in a `ServiceGroup`: on graceful shutdown the batch in flight is committed or not at
/// all (each write is one transaction) and `run()` returns.
public actor SyncEngine: Service {
    private let node: NodeClient
    private let store: StoreWriter
    private let configuration: SyncConfiguration
    private let logger: Logger
    private let progress: SyncProgress
    private var timing: ChainTiming?
    private var committees: EpochCommittees
    private var lastTip: UInt64 = 0
    private var lastFinalized: UInt64 = 0
    private let wake = Wakeup()
    private var registrations: RegistrationRecorder

    /// Creates an engine that reads from `node` and writes through `store`.
    public init(node: NodeClient, store: StoreWriter, configuration: SyncConfiguration, logger: Logger) {
        self.node = node
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.progress = SyncProgress(logger: logger, interactive: configuration.progressLineOnTerminal ? nil : false)
        self.committees = EpochCommittees(node: node, store: store, logger: logger)
        self.registrations = RegistrationRecorder(
            validators: configuration.ourValidators, retryInterval: configuration.registrationRetryInterval)
    }

    /// The timing in use once the engine has connected.
    public var chainTiming: ChainTiming? { timing }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await self.runUntilCancelled()
        }
    }

    private func runUntilCancelled() async throws {
        guard try await connect() else { return }
        let timing = await node.chainTiming(
            network: configuration.network, slotDurationMsOverride: configuration.slotDurationMsOverride,
            slotsPerEpochOverride: configuration.slotsPerEpochOverride,
            mainchainEpochMsOverride: configuration.mainchainEpochMsOverride, logger: logger)
        self.timing = timing
        try store.setChainTiming(slotsPerEpoch: timing.slotsPerEpoch, slotDurationMs: timing.slotDurationMs)
        await recordRegistrations(timing: timing)

        var backoff = Backoff()
        // Catch up (retrying through node outages) before following the tip.
        while !Task.isCancelled {
            do {
                try await catchUp(timing: timing)
                try await maintenance(timing: timing)
                if backoff.attempts > 0 { logger.notice("recovered: caught up after \(backoff.attempts) failed attempt(s)") }
                backoff.reset()
                break
            } catch is CancellationError {
                return
            } catch {
                try await recordFailure(error, backoff: &backoff)
            }
        }
        if configuration.exitAfterCatchUp || Task.isCancelled { return }
        try await follow(timing: timing)
    }

    // MARK: - Connecting

    /// Waits for the node with exponential backoff; returns false when cancelled first.
    private func connect() async throws -> Bool {
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                let tip = try await node.bestHeader()
                logger.info("connected to node at \(node.url) (best block #\(tip.number))")
                return true
            } catch {
                let delay = backoff.next()
                logger.warning("node not available at \(node.url) (\(error)); retrying in \(delay)")
                try? store.updateSyncStatus(SyncStatusUpdate(lastError: .some("node unreachable: \(error)")))
                do { try await Task.sleep(for: delay) } catch { return false }
            }
        }
        return false
    }

    /// Logs one clear line saying what failed, what is safe and when it retries, records the error
    /// in the status row (when the database can still take it), then waits.
    private func recordFailure(_ error: any Error, backoff: inout Backoff) async throws {
        let delay = backoff.next()
        let retry = "retrying in \(Self.seconds(delay))"
        let stored = (try? store.reader.lastBlock()).flatMap { $0.map { "blocks up to #\($0.number) are stored" } } ?? "nothing stored yet"
        switch error {
        case let error as StoreError:
            if case .storageFull = error {
                logger.error("database full: \(error.description); \(stored); \(retry)")
            } else {
                logger.error("database write failed: \(error.description); \(stored); \(retry)")
            }
        case let error as NodeRPCError:
            if case .transport = error.kind {
                logger.warning("node unreachable: \(error.description); \(stored); \(retry)")
            } else {
                logger.warning("node request failed: \(error.description); \(stored); \(retry)")
            }
        default:
            logger.warning("sync step failed: \(error); \(stored); \(retry)")
        }
        try? store.updateSyncStatus(SyncStatusUpdate(lastError: .some(String(describing: error))))
        try await Task.sleep(for: delay)
    }

    /// "1.2 s" for a log line.
    static func seconds(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return String(format: "%.1f s", Double(ms) / 1000)
    }

    // MARK: - Catch-up

    /// The first block to sync when nothing says where to resume.
    private func startBlock(tip: UInt64) throws -> UInt64 {
        if let start = configuration.startBlock, start > 0 { return start }
        if let last = try store.reader.lastBlock() { return last.number + 1 }
        return tip > configuration.windowBlocks ? tip - configuration.windowBlocks + 1 : 1
    }

    private func catchUp(timing: ChainTiming) async throws {
        let best = try await node.bestHeader()
        let finalized = try await node.finalizedHeader()
        lastTip = best.number
        lastFinalized = finalized.number
        let target = configuration.finalizedOnly ? finalized.number : best.number
        var start = try startBlock(tip: best.number)
        if let configured = configuration.startBlock, configured > 0 {
            // An explicit start block re-checks from there but skips what is stored already.
            if let last = try store.reader.lastBlock(), last.number >= configured, try store.reader.gaps().isEmpty {
                start = last.number + 1
            }
        }
        let health = await nodeHealth()
        try store.updateSyncStatus(
            SyncStatusUpdate(
                startBlock: configuration.startBlock ?? (try store.reader.syncStatus().startBlock ?? start),
                lastFinalizedBlock: finalized.number, chainTipBlock: best.number,
                currentSidechainEpoch: timing.sidechainEpoch(slot: timing.slot(atMs: nowMs())),
                currentMainchainEpoch: timing.mainchainEpoch(timestampMs: nowMs()), isSyncing: start <= target,
                nodeHealth: health))
        guard start <= target else {
            try await markFinalized(finalized, timing: timing)
            return
        }
        logger.info("catching up from block #\(start) to #\(target) (\(target - start + 1) blocks)")
        try await syncRange(start...target, timing: timing, catchingUp: true)
        progress.finish()
        try await markFinalized(finalized, timing: timing)
        logger.info("caught up to block #\(target)")
    }

    /// Fetches and stores `range` through the bounded pipeline, checking parent links.
    private func syncRange(_ range: ClosedRange<UInt64>, timing: ChainTiming, catchingUp: Bool) async throws {
        let assembler = BlockAssembler(timing: timing, committees: committees)
        let batch = UInt64(configuration.batchSize)
        var next = range.lowerBound
        var inFlight: [Task<[FetchedBlock], any Error>] = []
        defer { for task in inFlight { task.cancel() } }
        let node = self.node
        let total = range.count
        var done: UInt64 = 0
        var pending: [NewBlock] = []
        while next <= range.upperBound || !inFlight.isEmpty {
            while inFlight.count < configuration.maxBatchesInFlight, next <= range.upperBound {
                let upper = min(next + batch - 1, range.upperBound)
                let numbers = Array(next...upper)
                inFlight.append(Task { try await node.blocks(numbers: numbers) })
                next = upper + 1
            }
            let fetched = try await inFlight.removeFirst().value
            try Task.checkCancellation()
            for f in fetched { pending.append(await assembler.assemble(f)) }
            // Catching up, batches are written together (see `catchUpCommitBlocks`); the rows
            // are contiguous, so `store` checks the parent link of the first one as before.
            let moreComing = next <= range.upperBound || !inFlight.isEmpty
            if pending.isEmpty || (catchingUp && moreComing && pending.count < configuration.catchUpCommitBlocks) { continue }
            try await store(pending, timing: timing)
            done += UInt64(pending.count)
            if catchingUp, let last = pending.last {
                progress.update(done: done, total: UInt64(total), lastBlock: last.number)
            }
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Stores assembled rows, replacing orphaned blocks when the first row does not extend what
    /// is stored.
    private func store(_ rows: [NewBlock], timing: ChainTiming) async throws {
        guard let first = rows.first else { return }
        if first.number > 1, let storedParent = try store.reader.blockHash(number: first.number - 1),
            storedParent != first.parentHash
        {
            try await handleReorg(at: first.number - 1, timing: timing)
        }
        let stats = node.statistics.snapshot()
        let requests = stats.values.reduce(0) { $0 + $1.requests }
        let failures = stats.values.reduce(0) { $0 + $1.failures }
        let update = SyncStatusUpdate(
            lastSyncedBlock: rows.last?.number, chainTipBlock: max(lastTip, rows.last?.number ?? 0),
            isSyncing: (rows.last?.number ?? 0) < lastTip, blocksPerSecond: progress.blocksPerSecond,
            rpcRequestsTotal: requests, rpcFailuresTotal: failures, lastProgressMs: nowMs(), lastError: .some(nil))
        do {
            try store.insertBlocks(rows, syncStatus: update)
        } catch let error as StoreError {
            guard case .blockConflict(let number, _, _) = error else { throw error }
            // A stored block at this height is no longer canonical.
            try await handleReorg(at: number, timing: timing)
            try store.insertBlocks(rows, syncStatus: update)
        }
    }

    /// Replaces stored blocks from the highest common ancestor of the stored chain and the node's
    /// canonical chain, scanning down from `height` (never below the finalized block).
    private func handleReorg(at height: UInt64, timing: ChainTiming) async throws {
        var fork = height
        while fork > 0 {
            guard let stored = try store.reader.blockHash(number: fork) else { break }
            let canonical = try await node.blockHash(number: fork)
            if canonical == stored { break }
            fork -= 1
        }
        let from = fork + 1
        // Everything stored above the fork is orphaned too, not only up to `height`.
        let to = max(height, try store.reader.lastBlock()?.number ?? height)
        guard from <= to else { return }
        let assembler = BlockAssembler(timing: timing, committees: committees)
        let fetched = try await node.blocks(numbers: Array(from...to))
        var rows: [NewBlock] = []
        for f in fetched { rows.append(await assembler.assemble(f)) }
        let change = try store.replaceBlocks(from: from, with: rows)
        let removed = change.removed.map { "#\($0.number) \($0.hash.prefix(10))…" }.joined(separator: ", ")
        logger.warning(
            "reorg: replaced \(change.removed.count) orphaned block(s) from #\(from) [\(removed)] with \(change.inserted) canonical block(s); validator count changes: \(change.validatorDeltas)"
        )
    }

    /// Marks stored blocks finalized up to the node's finalized head, after making sure the
    /// stored block at that height (or the highest stored one below it) is the canonical one: an
    /// orphan must be replaced before finality would make it permanent (v1 finalized by number).
    /// `status` is recorded with the finality in one transaction (its `lastFinalizedBlock` is set
    /// to the header's number).
    private func markFinalized(_ header: BlockHeader, timing: ChainTiming, status: SyncStatusUpdate = SyncStatusUpdate()) async throws {
        let number = header.number
        if let last = try store.reader.lastBlock() {
            let height = min(number, last.number)
            if let stored = try store.reader.blockHash(number: height) {
                let canonical = height == number ? try? header.computeHash() : try await node.blockHash(number: height)
                if let canonical, canonical != stored {
                    try await handleReorg(at: height, timing: timing)
                }
            }
        }
        var status = status
        status.lastFinalizedBlock = number
        let change = try store.markFinalized(upTo: number, syncStatus: status)
        if change.newlyFinalized > 0 {
            logger.debug("finalized \(change.newlyFinalized) block(s) up to #\(number)")
        }
    }

    // MARK: - Maintenance: gaps and late attribution

    private func maintenance(timing: ChainTiming) async throws {
        for gap in try store.reader.gaps() {
            logger.info("filling gap #\(gap.start)–#\(gap.end)")
            try await syncRange(gap.start...gap.end, timing: timing, catchingUp: false)
        }
        try await reattribute(timing: timing)
    }

    /// Attributes blocks stored without an author once their epoch's committee can be fetched:
    /// epochs whose committee was unavailable, and the two most recent epochs whose state was
    /// pruned at their first block (their later blocks may have live state).
    private func reattribute(timing: ChainTiming) async throws {
        var prunedTried = 0
        for epoch in try store.reader.epochsWithUnattributedBlocks().sorted(by: >) {
            let blocks = try store.reader.unattributedBlocks(sidechainEpoch: epoch, limit: 10_000)
            let retryable = blocks.filter {
                $0.unattributedReason == .committeeUnavailable || $0.unattributedReason == .authorNotCandidate
            }
            let sample: StoredBlock
            if let b = retryable.first {
                sample = b
                await committees.forget(sidechainEpoch: epoch)
            } else if prunedTried < 2, let newest = blocks.filter({ $0.unattributedReason == .statePruned }).max(by: { $0.number < $1.number }) {
                prunedTried += 1
                // Ask at the epoch's newest stored block, which may be past the pruning boundary.
                let newestInEpoch = try store.reader.blocks(BlockQuery(limit: 1, sidechainEpoch: epoch)).blocks.first ?? newest
                sample = newestInEpoch
            } else {
                continue
            }
            let state = await committees.state(
                sidechainEpoch: epoch, mainchainEpoch: sample.mainchainEpoch, blockHash: sample.hash,
                blockNumber: sample.number + 1_000_000)
            guard case .known = state else { continue }
            // Re-read the headers: BABE blocks are attributed by the authority index in the digest.
            var updates: [BlockAttribution] = []
            let numbers = blocks.map(\.number)
            let storedHashes = Dictionary(blocks.map { ($0.number, $0.hash) }, uniquingKeysWith: { a, _ in a })
            for start in stride(from: 0, to: numbers.count, by: configuration.batchSize) {
                let chunk = Array(numbers[start..<min(start + configuration.batchSize, numbers.count)])
                for f in try await node.blocks(numbers: chunk) {
                    guard storedHashes[f.number] == f.hash,
                        let evidence = try? f.block.block.header.authorEvidence()
                    else { continue }
                    let author = BlockAssembler.author(evidence: evidence, state: state)
                    if case .attributed = author { updates.append(BlockAttribution(number: f.number, author: author)) }
                }
            }
            if !updates.isEmpty {
                let n = try store.attributeBlocks(updates)
                logger.info("attributed \(n) earlier unattributed block(s) of sidechain epoch \(epoch)")
            }
        }
    }

    // MARK: - Following the tip

    private func follow(timing: ChainTiming) async throws {
        logger.info("following the chain tip")
        try store.updateSyncStatus(SyncStatusUpdate(isSyncing: false))
        // The catch-up's committees, SQLite cache, freed batch buffers and code are not needed at
        // the tip.
        await committees.keepOnlyNewest(2)
        settle(after: "the catch-up")
        let wake = self.wake
        let poll = configuration.pollInterval
        let node = self.node
        let useSubscriptions = configuration.useSubscriptions
        let logger = self.logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            if useSubscriptions {
                group.addTask {
                    for await event in node.headEvents() {
                        switch event {
                        case .newHead, .finalizedHead, .resubscribed:
                            wake.signal()
                        case .connected:
                            logger.debug("head subscription up")
                        case .disconnected(let reason):
                            logger.warning("head subscription down (\(reason)); polling every \(poll) until it returns")
                        }
                    }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: poll)
                    wake.signal()
                }
            }
            group.addTask { [weak self] in
                guard let self else { return }
                try await self.followLoop(timing: timing)
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Gives back what the work before this point used: SQLite's page cache, free heap pages, and
    /// the code and constants mapped for it (``MemoryRelief``).
    private func settle(after what: String) {
        store.releaseMemory()
        let relief = MemoryRelief.settle()
        logger.debug(
            "released memory after \(what): \(relief.droppedFileBytes / 1024) KiB of code and constants unmapped, heap trimmed: \(relief.returnedFreePages)"
        )
    }

    /// How long after reaching the tip the engine settles again: by then the head subscription is
    /// up, the first blocks at the tip are stored, and the catch-up's spare HTTP connections have
    /// closed (``NodeClient`` closes idle ones after 10 s), so what stays mapped afterwards is
    /// what following the tip uses.
    static let settleAgainAfter: Duration = .seconds(12)

    private func followLoop(timing: ChainTiming) async throws {
        var backoff = Backoff()
        var lastMaintenance = ContinuousClock.now
        var settleAgainAt: ContinuousClock.Instant? = ContinuousClock.now + Self.settleAgainAfter
        while !Task.isCancelled {
            do {
                try await step(timing: timing)
                if backoff.attempts > 0 {
                    logger.notice("recovered: following the tip again at block #\(lastTip)")
                    try? store.updateSyncStatus(SyncStatusUpdate(lastError: .some(nil)))
                }
                backoff.reset()
                if ContinuousClock.now - lastMaintenance >= configuration.maintenanceInterval {
                    lastMaintenance = ContinuousClock.now
                    try await maintenance(timing: timing)
                    MemoryRelief.returnFreePages()
                }
                if let due = settleAgainAt, ContinuousClock.now >= due {
                    settleAgainAt = nil
                    settle(after: "the first \(Self.settleAgainAfter) at the tip")
                }
            } catch is CancellationError {
                return
            } catch {
                try await recordFailure(error, backoff: &backoff)
                continue
            }
            await wake.wait()
        }
    }

    /// One follow step: store new blocks up to the tip (or finalized head), replace orphans, and
    /// mark finality.
    private func step(timing: ChainTiming) async throws {
        let best = try await node.bestHeader()
        let finalized = try await node.finalizedHeader()
        lastTip = best.number
        lastFinalized = finalized.number
        let target = configuration.finalizedOnly ? finalized.number : best.number
        let last = try store.reader.lastBlock()
        if let last, last.number >= target {
            // Same height: the stored block may have been replaced by a sibling.
            if !configuration.finalizedOnly, let stored = try store.reader.blockHash(number: best.number),
                let bestHash = try? best.computeHash(), stored != bestHash
            {
                try await handleReorg(at: best.number, timing: timing)
            }
        } else {
            let from: UInt64
            if let last { from = last.number + 1 } else { from = try startBlock(tip: target) }
            if from <= target {
                try await syncRange(from...target, timing: timing, catchingUp: target - from > 50)
                progress.finish()
            }
        }
        await recordRegistrations(timing: timing)
        let health = await nodeHealth()
        let now = nowMs()
        // Finality and the status row in one commit: each commit rewrites the pages it touches in
        // the WAL, so at the tip this is what bounds the bytes written per block.
        try await markFinalized(
            finalized, timing: timing,
            status: SyncStatusUpdate(
                chainTipBlock: best.number,
                currentSidechainEpoch: timing.sidechainEpoch(slot: timing.slot(atMs: now)),
                currentMainchainEpoch: timing.mainchainEpoch(timestampMs: now), isSyncing: false,
                lastProgressMs: now, nodeHealth: health))
    }

    /// Our validators' registration status, when the mainchain epoch changed (see ``RegistrationRecorder``).
    private func recordRegistrations(timing: ChainTiming) async {
        var recorder = registrations
        await recorder.update(mainchainEpoch: timing.mainchainEpoch(timestampMs: nowMs()), node: node, store: store, logger: logger)
        registrations = recorder
    }

    /// The node's `system_health` for the status row (peers, synced), or nil when the call
    /// fails: a node that answers blocks but not `system_health` must not stop the sync.
    private func nodeHealth() async -> NodeHealthUpdate? {
        do {
            let health = try await node.systemHealth()
            return NodeHealthUpdate(peers: health.peers, isSynced: !health.isSyncing)
        } catch {
            logger.debug("system_health failed: \(error)")
            return nil
        }
    }
}

/// Milliseconds since the Unix epoch.
func nowMs() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }

/// Exponential backoff with jitter: 0.5 s doubling to 30 s.
struct Backoff {
    private var attempt = 0

    mutating func next() -> Duration {
        let base = min(30.0, 0.5 * pow(2.0, Double(attempt)))
        attempt += 1
        return .milliseconds(Int(base * 1000 * Double.random(in: 0.8...1.2)))
    }

    mutating func reset() { attempt = 0 }

    /// Failures since the last reset.
    var attempts: Int { attempt }
}

/// A level-triggered wake-up: `signal()` wakes one pending or the next `wait()`.
final class Wakeup: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.pending = true
            return nil
        }
        waiter?.resume()
    }

    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.pending || Task.isCancelled {
                        s.pending = false
                        return true
                    }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            signal()
        }
    }
}
