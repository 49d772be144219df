import Foundation
import MidnightStore
import SpomHTTP

/// The `/api/v1/status` body, pre-encoded once per shared snapshot.
///
/// The body (statistics, the current epoch with its per-validator breakdown, recent epochs) is
/// several kilobytes that change once per block, yet `JSONEncoder` re-encoded it for every request.
/// Only the health verdict depends on the request's clock, so the snapshot keeps the bytes around
/// it (``head``, ``recentEpochs``, ``tail``) and each request splices in the verdict (and, when it
/// asks for another number of recent epochs, that list). The keys are in `JSONOutput`'s sorted
/// order, so the result is byte-identical to encoding a ``StatusResponse``.
public struct StatusJSON: Sendable {
    /// `{"chain":…,"current_epoch":…,"health":`
    let head: [UInt8]
    /// The default recent-epochs list, encoded.
    let recentEpochs: [UInt8]
    /// `,"stats":…,"sync":…}`
    let tail: [UInt8]

    /// Encodes every part of `response` but the health verdict and the recent epochs list, which
    /// ``body(health:recentEpochs:)`` adds.
    public init(chain: String, sync: SyncStatusEntity, stats: StoreStats, currentEpoch: EpochSummary?, recentEpochs: [EpochOverview]) throws {
        var head = JSONBytes(capacity: 4096)
        head.beginObject()
        head.key("chain", first: true)
        head.append(chain)
        head.key("current_epoch")
        if let currentEpoch { head.appendRaw(try JSONOutput.encode(currentEpoch)) } else { head.appendNull() }
        head.key("health")
        self.head = head.bytes
        self.recentEpochs = Array(try JSONOutput.encode(recentEpochs))
        var tail = JSONBytes(capacity: 2048)
        tail.key("stats")
        tail.appendRaw(try JSONOutput.encode(stats))
        tail.key("sync")
        tail.appendRaw(try JSONOutput.encode(sync))
        tail.endObject()
        self.tail = tail.bytes
    }

    /// The whole body with `health` and either the snapshot's recent epochs (`nil`) or `recentEpochs`.
    public func body(health: HealthVerdict, recentEpochs override: [EpochOverview]? = nil) throws -> [UInt8] {
        let recent = try override.map { Array(try JSONOutput.encode($0)) } ?? recentEpochs
        var json = JSONBytes(capacity: head.count + recent.count + tail.count + 128)
        json.appendRaw(head)
        json.beginObject()
        json.key("healthy", first: true)
        json.append(health.healthy)
        json.key("reason")
        json.append(health.reason)
        json.endObject()
        json.key("recent_epochs")
        json.appendRaw(recent)
        json.appendRaw(tail)
        return json.bytes
    }
}
