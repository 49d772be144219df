import Foundation
import Hummingbird
import MidnightStore
import SpomHTTP

/// The `/api/v1` handlers. Every handler validates its parameters first (400 naming the
/// parameter), then reads the database through ``DatabaseHandle`` (503 when it cannot).
struct APIRoutes: Sendable {
    static let prefix = "/api/v1"

    let database: DatabaseHandle
    let configuration: MVMAPIConfiguration
    let nowMs: @Sendable () -> UInt64
    /// The shared, short-lived values behind /health, /status and /metrics.
    let snapshots: APISnapshots
    /// Encoded block pages and blocks, reused until the database changes.
    let responses: ResponseCache

    func register(on router: Router<SpomRequestContext>, routes: RouteTable) {
        let p = Self.prefix
        routes.route(.get, p + "/live", on: router) { _, _ in try JSONOutput.response(["status": "alive"]) }
        routes.route(.get, p + "/health", on: router) { _, _ in try health() }
        routes.route(.get, p + "/openapi.json", on: router) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = JSONOutput.contentType
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: MVMOpenAPI.json + "\n")))
        }
        routes.route(.get, p + "/status", on: router) { request, _ in try status(request) }
        routes.route(.get, p + "/blocks", on: router) { request, _ in try blocks(request) }
        routes.route(.get, p + "/blocks/:id", on: router) { request, context in try block(request, id: context.parameters.get("id")) }
        routes.route(.get, p + "/validators", on: router) { request, _ in try validators(request) }
        routes.route(.get, p + "/validators/ours", on: router) { request, _ in try ourValidators(request) }
        routes.route(.get, p + "/validators/:key", on: router) { request, context in
            try validator(request, key: context.parameters.get("key"))
        }
        routes.route(.get, p + "/epochs", on: router) { request, _ in try epochs(request) }
        routes.route(.get, p + "/epochs/:id", on: router) { request, context in try epoch(request, id: context.parameters.get("id")) }
    }

    // MARK: health and status

    /// The health verdict: nil when healthy, else the reason.
    func unhealthyReason(_ sync: SyncStatusEntity) -> String? {
        guard let last = sync.lastProgressMs else {
            return "the sync daemon has not recorded any progress yet"
        }
        let now = nowMs()
        let age = now > last ? now - last : 0
        if age > configuration.maxProgressAgeMs {
            return "the sync daemon made no progress for \(age / 1000) s (limit \(configuration.maxProgressAgeMs / 1000) s)"
        }
        return nil
    }

    func health() throws -> Response {
        let sync = try snapshots.sync.value { try database.read { try $0.syncStatus() } }
        if let reason = unhealthyReason(sync) {
            throw APIError.unavailable(reason, retryAfterSeconds: 10)
        }
        let last = sync.lastProgressMs ?? 0
        let now = nowMs()
        return JSONOutput.response(json: HealthJSON.encode(HealthResponse(
            status: "ok", chain: configuration.chain, lastProgressMs: last, progressAgeMs: now > last ? now - last : 0,
            maxProgressAgeMs: configuration.maxProgressAgeMs, lastSyncedBlock: sync.lastSyncedBlock)))
    }

    func status(_ request: Request) throws -> Response {
        let query = QueryParameters(request)
        try query.rejectUnknown(allowing: ["epochs"])
        let count = try query.int("epochs", default: StatusSnapshot.defaultEpochCount, in: 1...100)
        let snapshot = try snapshots.status.value {
            try database.read { reader in
                let sync = try reader.syncStatus()
                let stats = try reader.stats()
                let current = try stats.latestSidechainEpoch.flatMap { try reader.epochSummary($0) }
                let recent = try reader.epochs(limit: StatusSnapshot.defaultEpochCount)
                do {
                    return StatusSnapshot(
                        sync: sync,
                        json: try StatusJSON(chain: configuration.chain, sync: sync, stats: stats, currentEpoch: current, recentEpochs: recent))
                } catch {
                    throw APIError.internal
                }
            }
        }
        let recent = count == StatusSnapshot.defaultEpochCount ? nil : try database.read { try $0.epochs(limit: count) }
        let reason = unhealthyReason(snapshot.sync)
        do {
            return JSONOutput.response(json: try snapshot.json.body(health: HealthVerdict(healthy: reason == nil, reason: reason), recentEpochs: recent))
        } catch {
            throw APIError.internal
        }
    }

    // MARK: blocks

    func blocks(_ request: Request) throws -> Response {
        let query = QueryParameters(request)
        try query.rejectUnknown(allowing: ["limit", "before", "after", "author", "epoch", "finalized"])
        let max = PathParameters.maxNumber
        var blockQuery = BlockQuery(limit: try query.int("limit", default: 50, in: 1...1000))
        blockQuery.before = try query.uint64("before", in: 0...max)
        blockQuery.after = try query.uint64("after", in: 0...max)
        blockQuery.sidechainEpoch = try query.uint64("epoch", in: 0...max)
        blockQuery.finalized = try query.bool("finalized")
        if let author = try query.string("author") {
            blockQuery.author = try PathParameters.key(author, name: "author")
        }
        let body = try responses.body(key: request.uri.description, version: database.dataVersion()) {
            if blockQuery.after == nil || blockQuery.before != nil {
                return try database.read { try BlockJSON.encodeNewestFirst(blockQuery, from: $0) }
            }
            let page = try database.read { try $0.blocks(blockQuery) }
            return BlockJSON.encode(BlocksResponse(blocks: page.blocks, nextBefore: page.nextBefore, prevAfter: page.prevAfter))
        }
        return JSONOutput.response(json: body)
    }

    func block(_ request: Request, id: String?) throws -> Response {
        try QueryParameters(request).rejectUnknown(allowing: [])
        let blockID = try PathParameters.blockID(id)
        let body = try responses.body(key: request.uri.description, version: database.dataVersion()) {
            let found: StoredBlock? = try database.read { reader in
                switch blockID {
                case .number(let number): try reader.block(number: number)
                case .hash(let hash): try reader.block(hash: hash)
                }
            }
            guard let found else { throw APIError.notFound("no block \(id ?? "") in the database") }
            return BlockJSON.encode(found)
        }
        return JSONOutput.response(json: body)
    }

    // MARK: validators

    func validators(_ request: Request) throws -> Response {
        let query = QueryParameters(request)
        try query.rejectUnknown(allowing: ["ours", "registered", "producing", "epoch", "sort", "limit", "offset"])
        var validatorQuery = ValidatorQuery()
        validatorQuery.ours = try query.bool("ours")
        validatorQuery.registered = try query.bool("registered")
        validatorQuery.producingOnly = try query.bool("producing") ?? false
        validatorQuery.epoch = try query.uint64("epoch", in: 0...PathParameters.maxNumber)
        validatorQuery.sort = try query.value("sort", as: ValidatorSort.self) ?? .blocks
        validatorQuery.limit = try query.int("limit", default: 100, in: 1...1000)
        validatorQuery.offset = try query.int("offset", default: 0, in: 0...1_000_000)
        let page = try database.read { try $0.validators(validatorQuery) }
        return try JSONOutput.response(page)
    }

    func ourValidators(_ request: Request) throws -> Response {
        try QueryParameters(request).rejectUnknown(allowing: [])
        let ours = try database.read { try $0.ourValidators() }
        return try JSONOutput.response(OurValidatorsResponse(validators: ours))
    }

    func validator(_ request: Request, key: String?) throws -> Response {
        let query = QueryParameters(request)
        try query.rejectUnknown(allowing: ["history"])
        let history = try query.int("history", default: 100, in: 1...1000)
        let normalized = try PathParameters.key(key, name: "key")
        let detail = try database.read { try $0.validator(key: normalized, historyLimit: history) }
        guard let detail else { throw APIError.notFound("no validator with key \(normalized) in the database") }
        return try JSONOutput.response(detail)
    }

    // MARK: epochs

    func epochs(_ request: Request) throws -> Response {
        let query = QueryParameters(request)
        try query.rejectUnknown(allowing: ["limit", "before"])
        let limit = try query.int("limit", default: 20, in: 1...1000)
        let before = try query.uint64("before", in: 0...PathParameters.maxNumber)
        let list = try database.read { try $0.epochs(limit: limit, before: before) }
        return try JSONOutput.response(EpochsResponse(epochs: list))
    }

    func epoch(_ request: Request, id: String?) throws -> Response {
        try QueryParameters(request).rejectUnknown(allowing: [])
        let number = try PathParameters.number(id, name: "id")
        guard let summary = try database.read({ try $0.epochSummary(number) }) else {
            throw APIError.notFound("no data for sidechain epoch \(number) in the database")
        }
        return try JSONOutput.response(summary)
    }

    // MARK: metrics

    func metricsText() -> String {
        // Only a document computed from a readable database is shared; without one every scrape
        // tries again (and answers mvm_db_up 0 until the file appears).
        (try? snapshots.metrics.value {
            let reader = try database.read { $0 }
            return exposition(reader: reader, readError: nil)
        }) ?? unreadableMetricsText()
    }

    private func unreadableMetricsText() -> String {
        var readError: String?
        var reader: StoreReader?
        do {
            reader = try database.read { $0 }
        } catch {
            readError = "\(error)"
        }
        return exposition(reader: reader, readError: readError)
    }

    private func exposition(reader: StoreReader?, readError: String?) -> String {
        MVMMetrics.exposition(
            reader: reader, readError: readError, chain: configuration.chain, version: configuration.version,
            allValidators: configuration.metricsAllValidators, maxProgressAgeMs: configuration.maxProgressAgeMs, nowMs: nowMs(),
            instanceName: configuration.instanceName, mainchainTiming: configuration.mainchainTiming
        ).render()
    }
}

/// What `/status` shares between requests: the sync row (for the health verdict, recomputed per
/// request) and the body encoded around that verdict.
struct StatusSnapshot: Sendable {
    /// The number of recent epochs `/status` lists by default (the shared list).
    static let defaultEpochCount = 5
    var sync: SyncStatusEntity
    var json: StatusJSON
}

/// The short-lived shared values of one server: the data changes once per block (seconds), so
/// each is computed at most once per ``maxAge`` however many clients ask (see ``SharedSnapshot``).
final class APISnapshots: Sendable {
    /// How long a computed value is served.
    static let maxAge: Duration = .seconds(1)
    /// The sync daemon's status row, for `/health`.
    let sync = SharedSnapshot<SyncStatusEntity>(maxAge: APISnapshots.maxAge)
    /// Statistics, current epoch and recent epochs, for `/status`.
    let status = SharedSnapshot<StatusSnapshot>(maxAge: APISnapshots.maxAge)
    /// The rendered Prometheus document, for `/metrics`.
    let metrics = SharedSnapshot<String>(maxAge: APISnapshots.maxAge)
}
