import Hummingbird
import Synchronization

/// Encoded response bodies of database-backed endpoints, reused while the database is unchanged.
///
/// A dashboard or a load balancer asks for the same page (`/blocks?limit=50`) many times between
/// two blocks; each answer cost a query plus encoding. Entries are keyed by the request target
/// (path and query) and tagged with the database's data version (``StoreChangeProbe``): any commit
/// by the sync daemon changes the version and empties the cache, so an answer is never older than
/// the last commit the probe could see. The cache holds one version at a time and at most
/// ``maxBytes`` of bodies (it starts over when full).
final class ResponseCache: Sendable {
    private struct State {
        var version: Int64?
        var bodies: [String: ByteBuffer] = [:]
        var bytes = 0
    }

    /// The most body bytes kept.
    let maxBytes: Int
    private let state = Mutex(State())

    /// An empty cache holding at most `maxBytes` of bodies.
    init(maxBytes: Int = 8 << 20) {
        self.maxBytes = maxBytes
    }

    /// The body cached for `key` at `version`, else `compute()`'s result, cached when it fits.
    /// With a nil `version` (the probe failed) nothing is read from or written to the cache.
    /// Bodies are kept as `ByteBuffer`s, so a hit shares the cached bytes instead of copying them.
    func body(key: String, version: Int64?, compute: () throws -> [UInt8]) throws -> ByteBuffer {
        guard let version else { return ByteBuffer(bytes: try compute()) }
        let cached: ByteBuffer? = state.withLock { state in
            guard state.version == version else { return nil }
            return state.bodies[key]
        }
        if let cached { return cached }
        let body = ByteBuffer(bytes: try compute())
        state.withLock { state in
            if state.version != version {
                // Only move forward: a slower request that read an older version must not evict newer entries.
                if let current = state.version, current > version { return }
                state = State(version: version)
            }
            if state.bytes + body.readableBytes > maxBytes { state = State(version: version) }
            guard body.readableBytes <= maxBytes else { return }
            state.bytes += body.readableBytes - (state.bodies[key]?.readableBytes ?? 0)
            state.bodies[key] = body
        }
        return body
    }
}
