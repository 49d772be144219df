import Foundation
import GRDB
import Logging
import MidnightStore
import ServiceLifecycle
import SpomWebhooks

/// One look at the node (what ``SyncAlertService`` judges).
public struct SyncHealthObservation: Sendable, Hashable {
    /// Whether the node answered.
    public var reachable: Bool
    /// The node's error when it did not.
    public var error: String?
    /// The node's best block.
    public var bestBlock: UInt64?
    /// The node's finalized block.
    public var finalizedBlock: UInt64?

    /// Creates an observation.
    public init(reachable: Bool, error: String? = nil, bestBlock: UInt64? = nil, finalizedBlock: UInt64? = nil) {
        self.reachable = reachable
        self.error = error
        self.bestBlock = bestBlock
        self.finalizedBlock = finalizedBlock
    }
}

/// Where ``SyncAlertService`` looks at the node (the sync daemon passes one backed by its RPC
/// client; tests pass their own).
public protocol SyncHealthSource: Sendable {
    /// Looks at the node once; never throws (an unreachable node is an observation).
    func observe() async -> SyncHealthObservation
}

/// Thresholds and timing of the sync alerts.
public struct SyncAlertSettings: Sendable, Hashable {
    /// `falling_behind` when the node's best block is more than this many blocks above the
    /// highest stored block (0 turns the alert off).
    public var fallingBehindBlocks: UInt64
    /// `stalled` when the node's best block has not changed for this long.
    public var stalledAfter: Duration
    /// `finality_lagging` when best minus finalized exceeds this (0 turns the alert off).
    public var finalityLagBlocks: UInt64
    /// Reminder of a condition still on; `nil` sends none.
    public var reminderInterval: Duration?
    /// Time between two looks at the node.
    public var checkInterval: Duration

    /// Creates settings.
    public init(
        fallingBehindBlocks: UInt64 = 50, stalledAfter: Duration = .seconds(120), finalityLagBlocks: UInt64 = 100,
        reminderInterval: Duration? = .seconds(3600), checkInterval: Duration = .seconds(5)
    ) {
        self.fallingBehindBlocks = fallingBehindBlocks
        self.stalledAfter = stalledAfter
        self.finalityLagBlocks = finalityLagBlocks
        self.reminderInterval = reminderInterval
        self.checkInterval = checkInterval
    }
}

/// Watches the node and the stored chain and sends `sync_alert` events with alert hygiene: a
/// condition alerts once when it starts (`state: firing`), reminds every
/// ``SyncAlertSettings/reminderInterval`` while it lasts (`state: reminder`), and sends
/// `alert: recovered` when it clears. Its state (which conditions are on, since when, when the
/// best block last moved) is kept in the database, so a restart neither repeats an alert nor
/// forgets one; each check's state and events are written in one transaction.
///
/// While the node is unreachable only `node_unreachable` is judged (the others keep their state).
public final class SyncAlertService: Service, Sendable {
    private let store: StoreWriter
    private let source: any SyncHealthSource
    private let settings: SyncAlertSettings
    private let context: MidnightEventContext
    private let logger: Logger

    /// Creates the service; call ``MidnightEventsDatabase/prepare(_:)`` on `store` first.
    public init(store: StoreWriter, source: any SyncHealthSource, settings: SyncAlertSettings, context: MidnightEventContext, logger: Logger) {
        self.store = store
        self.source = source
        self.settings = settings
        self.context = context
        self.logger = logger
    }

    /// Checks every ``SyncAlertSettings/checkInterval`` until cancelled or graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let observation = await self.source.observe()
                if Task.isCancelled { break }
                do {
                    let ids = try self.evaluate(observation)
                    if !ids.isEmpty { self.logger.info("sync alert events enqueued", metadata: ["ids": "\(ids.joined(separator: ","))"]) }
                } catch {
                    self.logger.error("sync alert check failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.settings.checkInterval)
            }
        }
    }

    /// Judges one observation, updates the persisted state and enqueues the events due, in one
    /// transaction. Returns the ids of the events enqueued.
    @discardableResult
    public func evaluate(_ observation: SyncHealthObservation) throws -> [String] {
        let now = context.now()
        let nowMs = EventTime.nowMs(now)
        return try store.write("checking sync alerts") { db in
            let synced = try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM blocks").map { UInt64(clamping: $0) }
            var states = try AlertStates.load(db, chain: context.chain)
            var judged: [SyncAlertCondition: Bool] = [:]
            judged[.nodeUnreachable] = !observation.reachable
            var figures = Figures(observation: observation, synced: synced)
            if observation.reachable {
                if let best = observation.bestBlock {
                    let stalledSince = try Self.trackBest(db, chain: context.chain, best: best, nowMs: nowMs)
                    figures.stalledSinceMs = stalledSince
                    judged[.stalled] = Self.elapsed(from: stalledSince, to: nowMs) >= Self.milliseconds(settings.stalledAfter)
                    if settings.fallingBehindBlocks > 0, let synced {
                        judged[.fallingBehind] = best > synced && best - synced > settings.fallingBehindBlocks
                    }
                    if settings.finalityLagBlocks > 0, let finalized = observation.finalizedBlock {
                        judged[.finalityLagging] = best > finalized && best - finalized > settings.finalityLagBlocks
                    }
                }
            }
            var ids: [String] = []
            for condition in SyncAlertCondition.allCases {
                guard let on = judged[condition] else { continue }
                var state = states[condition]
                if on && !state.active {
                    state = AlertState(active: true, sinceMs: condition == .stalled ? (figures.stalledSinceMs ?? nowMs) : nowMs, lastNotifiedMs: nowMs, notifications: 1)
                    ids.append(try enqueue(db, condition: condition, state: state, kind: .firing, figures: figures, nowMs: nowMs))
                } else if on, let reminder = settings.reminderInterval, reminder > .zero,
                    Self.elapsed(from: state.lastNotifiedMs ?? 0, to: nowMs) >= Self.milliseconds(reminder)
                {
                    state.lastNotifiedMs = nowMs
                    state.notifications += 1
                    ids.append(try enqueue(db, condition: condition, state: state, kind: .reminder, figures: figures, nowMs: nowMs))
                } else if !on && state.active {
                    ids.append(try enqueue(db, condition: condition, state: state, kind: .resolved, figures: figures, nowMs: nowMs))
                    state = AlertState(active: false, sinceMs: nil, lastNotifiedMs: nowMs, notifications: 0)
                } else {
                    continue
                }
                states[condition] = state
                try states.save(db, chain: context.chain, condition: condition)
            }
            return ids
        }
    }

    /// Which conditions are on now, as persisted.
    public func activeConditions() throws -> Set<SyncAlertCondition> {
        try store.write("reading the sync alert state") { db in
            let states = try AlertStates.load(db, chain: context.chain)
            return Set(SyncAlertCondition.allCases.filter { states[$0].active })
        }
    }

    // MARK: Internals

    struct Figures {
        var observation: SyncHealthObservation
        var synced: UInt64?
        var stalledSinceMs: UInt64?
    }

    static func elapsed(from start: UInt64, to end: UInt64) -> UInt64 { end > start ? end - start : 0 }

    static func milliseconds(_ duration: Duration) -> UInt64 {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return UInt64(max(0, ms))
    }

    enum Kind: String {
        case firing, reminder, resolved
    }

    /// Remembers when the best block last changed; returns that time.
    static func trackBest(_ db: Database, chain: String, best: UInt64, nowMs: UInt64) throws -> UInt64 {
        let row = try Row.fetchOne(db, sql: "SELECT best_block, best_changed_ms FROM mvm_alert_watch WHERE chain = ?", arguments: [chain])
        if let row, let stored = row["best_block"] as Int64?, UInt64(clamping: stored) == best, let since = row["best_changed_ms"] as Int64? {
            return UInt64(clamping: since)
        }
        try db.execute(
            sql: """
                INSERT INTO mvm_alert_watch (chain, best_block, best_changed_ms) VALUES (?, ?, ?)
                ON CONFLICT(chain) DO UPDATE SET best_block = excluded.best_block, best_changed_ms = excluded.best_changed_ms
                """,
            arguments: [chain, Int64(clamping: best), Int64(clamping: nowMs)])
        return nowMs
    }

    private func enqueue(
        _ db: Database, condition: SyncAlertCondition, state: AlertState, kind: Kind, figures: Figures, nowMs: UInt64
    ) throws -> String {
        let since = state.sinceMs ?? nowMs
        let o = figures.observation
        let behind = o.bestBlock.flatMap { best in figures.synced.map { best > $0 ? best - $0 : 0 } }
        let lag = o.bestBlock.flatMap { best in o.finalizedBlock.map { best > $0 ? best - $0 : 0 } }
        let duration = Self.elapsed(from: since, to: nowMs) / 1000
        let message: String
        switch (condition, kind) {
        case (_, .resolved): message = "\(condition.rawValue) cleared after \(duration) s"
        case (.fallingBehind, _): message = "the monitor is \(behind ?? 0) blocks behind the node's best block"
        case (.stalled, _): message = "the node's best block (#\(o.bestBlock ?? 0)) has not advanced for \(duration) s"
        case (.finalityLagging, _): message = "finality is \(lag ?? 0) blocks behind the best block"
        case (.nodeUnreachable, _): message = "the node does not answer: \(o.error ?? "no answer")"
        }
        let suffix: String
        switch kind {
        case .firing: suffix = "0"
        case .reminder: suffix = String(state.notifications - 1)
        case .resolved: suffix = "r"
        }
        let id = "sa-\(context.chain)-\(condition.rawValue)-\(since)-\(suffix)"
        let payload = SyncAlertEvent(
            timestamp: EventTime.rfc3339(milliseconds: nowMs), chain: context.chain, instance: context.instance,
            alert: kind == .resolved ? "recovered" : condition.rawValue, condition: condition.rawValue, state: kind.rawValue,
            since: EventTime.rfc3339(milliseconds: since), durationSecs: duration, message: message, bestBlock: o.bestBlock,
            syncedBlock: figures.synced, finalizedBlock: o.finalizedBlock, blocksBehind: behind, finalityLag: lag,
            error: condition == .nodeUnreachable && kind != .resolved ? o.error : nil)
        let label = kind == .resolved ? "RECOVERED" : (kind == .reminder ? "STILL" : "ALERT")
        if try !MidnightEventsDatabase.hasEvent(db, id: id) {
            try WebhookOutbox.enqueue(
                db, type: MidnightEventType.syncAlert.rawValue, payload: payload,
                summary: "[\(context.instance)] \(context.chain) \(label) \(condition.rawValue): \(message)", id: id, now: context.now())
        }
        return id
    }
}

/// One condition's persisted state.
struct AlertState {
    var active = false
    var sinceMs: UInt64?
    var lastNotifiedMs: UInt64?
    var notifications = 0
}

/// The persisted state of every condition of one chain.
struct AlertStates {
    var values: [SyncAlertCondition: AlertState] = [:]

    subscript(_ condition: SyncAlertCondition) -> AlertState {
        get { values[condition] ?? AlertState() }
        set { values[condition] = newValue }
    }

    static func load(_ db: Database, chain: String) throws -> AlertStates {
        var states = AlertStates()
        for row in try Row.fetchAll(
            db, sql: "SELECT condition, active, since_ms, last_notified_ms, notifications FROM mvm_alert_state WHERE chain = ?", arguments: [chain])
        {
            guard let condition = SyncAlertCondition(rawValue: row["condition"]) else { continue }
            states[condition] = AlertState(
                active: (row["active"] as Int64) != 0, sinceMs: (row["since_ms"] as Int64?).map { UInt64(clamping: $0) },
                lastNotifiedMs: (row["last_notified_ms"] as Int64?).map { UInt64(clamping: $0) }, notifications: row["notifications"])
        }
        return states
    }

    func save(_ db: Database, chain: String, condition: SyncAlertCondition) throws {
        let state = self[condition]
        try db.execute(
            sql: """
                INSERT INTO mvm_alert_state (chain, condition, active, since_ms, last_notified_ms, notifications) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(chain, condition) DO UPDATE SET active = excluded.active, since_ms = excluded.since_ms,
                    last_notified_ms = excluded.last_notified_ms, notifications = excluded.notifications
                """,
            arguments: [
                chain, condition.rawValue, state.active ? 1 : 0, state.sinceMs.map { Int64(clamping: $0) },
                state.lastNotifiedMs.map { Int64(clamping: $0) }, state.notifications,
            ])
    }
}
