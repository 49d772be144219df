import SpomHTTP

/// The `/api/v1/health` body written by hand: load balancers ask many times a second, and
/// `JSONEncoder` was most of the cost of answering. Byte-identical to ``JSONOutput/encode(_:)`` of
/// the same ``HealthResponse`` (keys in its sorted order; tests compare both).
public enum HealthJSON {
    /// `response` as JSON bytes.
    public static func encode(_ response: HealthResponse) -> [UInt8] {
        var json = JSONBytes(capacity: 192)
        json.beginObject()
        json.key("chain", first: true)
        json.append(response.chain)
        json.key("last_progress_ms")
        json.append(response.lastProgressMs)
        json.key("last_synced_block")
        json.append(response.lastSyncedBlock)
        json.key("max_progress_age_ms")
        json.append(response.maxProgressAgeMs)
        json.key("progress_age_ms")
        json.append(response.progressAgeMs)
        json.key("status")
        json.append(response.status)
        json.endObject()
        return json.bytes
    }
}
