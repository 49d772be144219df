import Foundation
import PostgresNIO
import Logging
import Synchronization

/// Pushes the application's tables from its SQLite file to PostgreSQL, one cycle per `push` call.
///
/// Each table is split into chunks of its `chunkColumn`; the remote keeps, per instance, the row
/// count and checksum of every chunk it holds (`spom_push_chunks`). A cycle compares the local
/// chunks with those, rewrites the chunks that differ (upsert the rows that are new or changed;
/// when the chunks then hold rows the local side no longer has, stamp every local row and delete
/// the rest) and records the new checksums in the same transaction, so a
/// crash or a dropped connection at any point leaves a state the next cycle completes.
/// The remote state is the watermark: delete it (or the schema) and the next cycle pushes all.
public actor RemotePusher {
    /// The configuration in use.
    public let configuration: RemotePushConfiguration
    let logger: Logger
    private var source: LocalSource?
    private var session: PostgresSession?
    /// Remote chunk checksums per table, loaded on (re)connect and kept in step with commits.
    private var remoteChunks: [String: [Int64: ChunkSummary]] = [:]
    private var statusValue: RemotePushStatus
    private var cyclesSinceFullScan = Int.max
    private var lastPushID: Int64 = 0

    /// Creates a pusher; nothing connects until the first `push`.
    public init(configuration: RemotePushConfiguration, logger: Logger) throws(RemoteError) {
        try configuration.schema.validate()
        self.configuration = configuration
        self.logger = logger
        self.statusValue = RemotePushStatus(
            target: configuration.target.maskedURL, instanceName: configuration.instanceName, chain: configuration.chain,
            state: .starting, rowsBehind: 0, rowsPushedTotal: 0, cycles: 0, consecutiveFailures: 0,
            tables: configuration.schema.tables.map { .init(name: $0.name, remoteRows: 0, watermark: nil, rowsBehind: 0) })
    }

    /// The current status (cheap; no I/O).
    public func status() -> RemotePushStatus { statusValue }

    /// Marks the pusher stopped and closes its connection.
    public func close() async {
        await session?.close()
        session = nil
        statusValue.state = .stopped
        writeStatusFile()
    }

    /// Runs one cycle: compare, then write what differs.
    ///
    /// `full: true` compares and rewrites every chunk of every table (a complete re-push, still
    /// idempotent). Otherwise every `fullScanEvery`-th cycle compares all chunks and the others
    /// compare only the trailing chunks of each table. Errors are recorded in the status and thrown.
    @discardableResult
    public func push(full: Bool = false) async throws(RemoteError) -> PushReport {
        let started = ContinuousClock.now
        let scanAll = full || cyclesSinceFullScan >= configuration.fullScanEvery - 1
        statusValue.lastAttemptMs = nowMs()
        statusValue.state = .pushing
        do {
            let report = try await cycle(full: full, scanAll: scanAll, started: started)
            cyclesSinceFullScan = scanAll ? 0 : cyclesSinceFullScan + 1
            statusValue.state = .inSync
            statusValue.cycles += 1
            statusValue.consecutiveFailures = 0
            statusValue.lastError = nil
            statusValue.lastSuccessMs = nowMs()
            writeStatusFile()
            if report.rowsWritten > 0 || report.chunksRemoved > 0 {
                logger.info("remote push wrote rows", metadata: [
                    "rows": "\(report.rowsWritten)", "chunks": "\(report.chunksWritten)", "removed_chunks": "\(report.chunksRemoved)",
                    "seconds": "\(String(format: "%.2f", report.seconds))", "full": "\(report.fullScan)",
                ])
            }
            return report
        } catch {
            await session?.close()
            session = nil
            remoteChunks = [:]
            statusValue.state = .retrying
            statusValue.consecutiveFailures += 1
            statusValue.lastError = error.description
            statusValue.lastErrorMs = nowMs()
            writeStatusFile()
            throw error
        }
    }

    private func cycle(full: Bool, scanAll: Bool, started: ContinuousClock.Instant) async throws(RemoteError) -> PushReport {
        let config = configuration
        let source = try openSource()
        let session = try await connect()
        var report = PushReport(fullScan: scanAll, rowsWritten: 0, chunksWritten: 0, chunksRemoved: 0, rowsBehindAtStart: 0, seconds: 0)
        let snapshotMs = nowMs()

        // 1. Compare: local summaries against the remote chunk state.
        var plans: [(table: RemoteTable, dirty: [Int64], gone: [Int64], local: [Int64: ChunkSummary])] = []
        for (index, table) in config.schema.tables.enumerated() {
            let remote = remoteChunks[table.name] ?? [:]
            var fromChunk: Int64?
            if !scanAll, table.chunkColumn != nil, let top = remote.keys.max() {
                fromChunk = max(0, top - table.trailingChunks)
            }
            // Chunks above the newest one the remote holds are new: count them, don't hash them.
            let hashThrough: Int64? = full ? nil : remote.keys.max()
            let local = try source.summaries(of: table, chain: config.localChain, fromChunk: fromChunk, hashThrough: hashThrough)
            let dirty = local.filter { full || remote[$0.key] != $0.value }.keys.sorted()
            let gone = remote.keys.filter { chunk in local[chunk] == nil && (fromChunk.map { chunk >= $0 } ?? true) }.sorted()
            let behind = dirty.reduce(Int64(0)) { $0 + (local[$1]?.rows ?? 0) } + gone.reduce(Int64(0)) { $0 + (remote[$1]?.rows ?? 0) }
            statusValue.tables[index].rowsBehind = behind
            report.rowsBehindAtStart += behind
            plans.append((table, dirty, gone, local))
        }
        statusValue.rowsBehind = report.rowsBehindAtStart

        // 2. Write, batch by batch, each batch one transaction. The next batch is read from SQLite
        //    while PostgreSQL writes the current one.
        let namespace = config.schema.namespace
        for (index, plan) in plans.enumerated() {
            let table = plan.table
            var batches: [(chunks: [Int64], rows: Int64)] = []
            var position = 0
            while position < plan.dirty.count {
                var chunks: [Int64] = []
                var rows: Int64 = 0
                while position < plan.dirty.count, chunks.isEmpty || rows + (plan.local[plan.dirty[position]]?.rows ?? 0) <= Int64(config.batchRows) {
                    let chunk = plan.dirty[position]
                    chunks.append(chunk)
                    rows += plan.local[chunk]?.rows ?? 0
                    position += 1
                }
                batches.append((chunks, rows))
            }
            // The next batch is read from SQLite and encoded while PostgreSQL writes the current one.
            let instance = config.instanceName, remoteChain = config.chain, localChain = config.localChain
            func prepare(_ number: Int) -> Task<Result<PreparedBatch, RemoteError>, Never> {
                Self.prepare(source, table: table, chain: localChain, chunks: batches[number].chunks,
                             instance: instance, remoteChain: remoteChain, pushID: nextPushID())
            }
            var prefetch = batches.isEmpty ? nil : prepare(0)
            defer { prefetch?.cancel() }
            for (number, batch) in batches.enumerated() {
                guard let reading = prefetch else { break }
                let prepared = try await Self.result(of: reading)
                prefetch = number + 1 < batches.count ? prepare(number + 1) : nil
                let read = prepared.read
                let chunks = batch.chunks
                let pushID = prepared.pushID
                let vanished = chunks.filter { read.rows[$0] == nil }
                let rowCount = prepared.rowCount
                // Chunks the remote never had are inserted (a backfill); others are upserted.
                let known = remoteChunks[table.name] ?? [:]
                let replacing = chunks.contains { known[$0] != nil }
                try await guarded(session, operation: "writing \(table.name)") { () throws(RemoteError) in
                    if !replacing {
                        // Plain inserts. If a row is there after all (chunk records deleted by hand),
                        // roll back and upsert below; rows there that the local side doesn't have
                        // show in the count and are deleted (every row of ours carries this push id).
                        let inserted = try await session.transaction("pushing \(table.name)", commit: { $0 }) { () throws(RemoteError) -> Bool in
                            guard try await session.insertNew(table, namespace: namespace, bindings: prepared.bindings) else { return false }
                            let remoteRows = try await session.countChunkRows(table, namespace: namespace, chunks: chunks,
                                                                              instance: instance, chain: remoteChain)
                            if remoteRows != Int64(rowCount) {
                                try await session.deleteChunkRows(table, namespace: namespace, chunks: chunks, instance: instance,
                                                                  chain: remoteChain, keepPushID: pushID)
                            }
                            try await session.recordChunks(table, namespace: namespace, written: read.summaries, removed: vanished,
                                                           instance: instance, chain: remoteChain)
                            return true
                        }
                        if inserted { return }
                    }
                    try await session.transaction("pushing \(table.name)") { () throws(RemoteError) in
                        // Rows already there with the same values are left alone (the tip's chunk is
                        // rewritten every cycle for one new block). If the chunks then hold more rows
                        // than the local ones, some are stale (a reorg to a shorter chain, a deleted
                        // row): stamp every local row with this push id and delete the others.
                        try await session.upsert(table, namespace: namespace, bindings: prepared.bindings, onlyChanged: true)
                        let remoteRows = try await session.countChunkRows(table, namespace: namespace, chunks: chunks,
                                                                          instance: instance, chain: remoteChain)
                        if remoteRows != Int64(rowCount) {
                            try await session.upsert(table, namespace: namespace, bindings: prepared.bindings, onlyChanged: false)
                            try await session.deleteChunkRows(table, namespace: namespace, chunks: chunks, instance: instance,
                                                              chain: remoteChain, keepPushID: pushID)
                        }
                        try await session.recordChunks(table, namespace: namespace, written: read.summaries, removed: vanished,
                                                       instance: instance, chain: remoteChain)
                    }
                }
                var cache = remoteChunks[table.name] ?? [:]
                for chunk in chunks { cache[chunk] = read.summaries[chunk] }
                remoteChunks[table.name] = cache
                report.rowsWritten += Int64(rowCount)
                report.chunksWritten += read.rows.count
                report.chunksRemoved += vanished.count
                statusValue.rowsPushedTotal += Int64(rowCount)
                statusValue.tables[index].rowsBehind = max(0, statusValue.tables[index].rowsBehind - batch.rows)
                statusValue.rowsBehind = max(0, statusValue.rowsBehind - batch.rows)
            }
            if !plan.gone.isEmpty {
                let gone = plan.gone
                try await guarded(session, operation: "removing chunks of \(table.name)") { () throws(RemoteError) in
                    try await session.transaction("removing chunks of \(table.name)") { () throws(RemoteError) in
                        try await session.deleteChunkRows(table, namespace: namespace, chunks: gone, instance: config.instanceName,
                                                          chain: config.chain, keepPushID: nil)
                        try await session.recordChunks(table, namespace: namespace, written: [:], removed: gone,
                                                       instance: config.instanceName, chain: config.chain)
                    }
                }
                var cache = remoteChunks[table.name] ?? [:]
                for chunk in plan.gone { cache[chunk] = nil }
                remoteChunks[table.name] = cache
                report.chunksRemoved += plan.gone.count
            }
            // 3. Watermark and row count for this table.
            let watermark = try source.maxChunkKey(of: table, chain: config.localChain)
            let remoteRows = (remoteChunks[table.name] ?? [:]).values.reduce(Int64(0)) { $0 + $1.rows }
            try await guarded(session, operation: "recording the watermark") { () throws(RemoteError) in
                try await session.recordState(namespace: config.schema.namespace, table: table.name, instance: config.instanceName, chain: config.chain,
                                              watermark: watermark, rows: remoteRows, inSyncAsOfMs: snapshotMs, appVersion: config.appVersion)
            }
            statusValue.tables[index].watermark = watermark
            statusValue.tables[index].remoteRows = remoteRows
            statusValue.tables[index].rowsBehind = 0
        }
        statusValue.rowsBehind = 0
        statusValue.inSyncAsOfMs = snapshotMs
        let elapsed = ContinuousClock.now - started
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }

    /// One batch read from SQLite with its upsert parameters already encoded.
    struct PreparedBatch: Sendable {
        var read: ChunkRows
        var rowCount: Int
        var bindings: [PostgresBindings]
        var pushID: Int64
    }

    /// Reads the rows of `chunks` and encodes them off the actor (SQLite reads block their thread,
    /// and the encoding then overlaps the previous batch's round trip).
    private static func prepare(_ source: LocalSource, table: RemoteTable, chain: String, chunks: [Int64],
                                instance: String, remoteChain: String, pushID: Int64) -> Task<Result<PreparedBatch, RemoteError>, Never> {
        Task.detached {
            do throws(RemoteError) {
                let read = try source.rows(of: table, chain: chain, chunks: chunks)
                let flat = chunks.flatMap { read.rows[$0] ?? [] }
                let bindings = PostgresSession.upsertBindings(table, rows: flat[...], instance: instance, chain: remoteChain, pushID: pushID)
                return .success(PreparedBatch(read: read, rowCount: flat.count, bindings: bindings, pushID: pushID))
            } catch {
                return .failure(error)
            }
        }
    }

    private static func result(of task: Task<Result<PreparedBatch, RemoteError>, Never>) async throws(RemoteError) -> PreparedBatch {
        try await task.value.get()
    }

    private func openSource() throws(RemoteError) -> LocalSource {
        if let source { return source }
        let opened = try LocalSource(path: configuration.localPath)
        source = opened
        return opened
    }

    private func connect() async throws(RemoteError) -> PostgresSession {
        if let session { return session }
        let config = configuration
        let logger = self.logger
        let opened = try await Deadline.run(
            config.connectTimeout + .seconds(1),
            timeoutError: { .timeout(target: config.target.maskedURL, operation: "connecting", seconds: (config.connectTimeout + .seconds(1)).seconds) }
        ) { () throws(RemoteError) in
            try await PostgresSession.connect(config.target, connectTimeout: config.connectTimeout, logger: logger)
        }
        do {
            try await guarded(opened, operation: "preparing the remote schema") { () throws(RemoteError) in
                let timeoutMs = Int64(config.operationTimeout.components.seconds) * 1000
                try await opened.execute("SET statement_timeout = \(max(1000, timeoutMs))", operation: "setting the statement timeout")
                let before = try await opened.ensureSchema(config.schema, appVersion: config.appVersion)
                if before < config.schema.version {
                    self.logger.notice("remote schema ready", metadata: [
                        "target": "\(config.target.maskedURL)", "namespace": "\(config.schema.namespace)",
                        "from_version": "\(before)", "to_version": "\(config.schema.version)",
                    ])
                }
            }
            var chunks: [String: [Int64: ChunkSummary]] = [:]
            for table in config.schema.tables {
                chunks[table.name] = try await guarded(opened, operation: "reading the push state") { () throws(RemoteError) in
                    try await opened.chunkState(namespace: config.schema.namespace, table: table.name, instance: config.instanceName, chain: config.chain)
                }
            }
            remoteChunks = chunks
        } catch {
            await opened.close()
            throw error
        }
        session = opened
        return opened
    }

    /// Runs `body` with the `operationTimeout` deadline: when it passes, the caller gets
    /// ``RemoteError/timeout(target:operation:seconds:)`` at once, whatever the stuck statement does,
    /// and the connection is closed so the statement fails on its own.
    private func guarded<T: Sendable>(_ session: PostgresSession, operation: String,
                                      _ body: @escaping @Sendable () async throws(RemoteError) -> T) async throws(RemoteError) -> T {
        let timeout = configuration.operationTimeout
        let target = configuration.target.maskedURL
        return try await Deadline.run(
            timeout,
            timeoutError: { .timeout(target: target, operation: operation, seconds: timeout.seconds) },
            cancelledError: { .cancelled(target: target, operation: operation) },
            onTimeout: { await session.close() },
            body)
    }

    private func nextPushID() -> Int64 {
        let micros = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        lastPushID = max(lastPushID + 1, micros)
        return lastPushID
    }

    private func writeStatusFile() {
        if let path = configuration.statusFile { statusValue.write(to: path) }
    }
}
