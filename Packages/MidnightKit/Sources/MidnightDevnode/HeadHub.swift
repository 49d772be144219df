import Synchronization

/// What a WebSocket connection sends: answers, and notifications (which count towards the
/// disconnect-after-N fault).
enum OutboundMessage: Sendable {
    case answer([UInt8])
    case notification([UInt8])
}

/// Which heads a subscription follows.
enum HeadKind: Sendable {
    case newHeads, finalizedHeads, allHeads

    var notificationMethod: String {
        switch self {
        case .newHeads: return "chain_newHead"
        case .finalizedHeads: return "chain_finalizedHead"
        case .allHeads: return "chain_allHead"
        }
    }
}

/// The chain-head subscriptions of every WebSocket connection; fans out new heads.
final class HeadHub: Sendable {
    struct Subscription: Sendable {
        let kind: HeadKind
        let connection: Int
        let sink: AsyncStream<OutboundMessage>.Continuation
    }

    private let subscriptions = Mutex<[String: Subscription]>([:])
    private let counter = Atomic<UInt64>(0)
    private let seed: UInt64

    init(seed: UInt64) { self.seed = seed }

    /// Registers a subscription and returns its id (16 random alphanumerics, as jsonrpsee's
    /// `RandomStringIdProvider`).
    func subscribe(kind: HeadKind, connection: Int, sink: AsyncStream<OutboundMessage>.Continuation) -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        var rng = SplitMix64(seed: seed, tag: .peers, 0x5ab5, n)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let id = String((0..<16).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        subscriptions.withLock { $0[id] = Subscription(kind: kind, connection: connection, sink: sink) }
        return id
    }

    /// Removes subscription `id` of `connection`; false when it was not there.
    func unsubscribe(id: String, connection: Int) -> Bool {
        subscriptions.withLock { subs in
            guard let s = subs[id], s.connection == connection else { return false }
            subs[id] = nil
            return true
        }
    }

    /// Drops every subscription of `connection`.
    func dropConnection(_ connection: Int) {
        subscriptions.withLock { subs in subs = subs.filter { $0.value.connection != connection } }
    }

    /// Number of live subscriptions.
    var count: Int { subscriptions.withLock { $0.count } }

    /// The notification for subscription `id` carrying `header`.
    static func notification(kind: HeadKind, id: String, header: some Collection<UInt8>) -> [UInt8] {
        var out = Array(#"{"jsonrpc":"2.0","method":"\#(kind.notificationMethod)","params":{"subscription":"\#(id)","result":"#.utf8)
        out += header
        out += Array("}}".utf8)
        return out
    }

    /// Sends one chain update to every subscriber.
    func publish(_ update: ChainUpdate) {
        guard !update.isEmpty else { return }
        let subs = subscriptions.withLock { $0 }
        for (id, s) in subs {
            switch s.kind {
            case .newHeads, .allHeads:
                for b in update.newBest { s.sink.yield(.notification(Self.notification(kind: s.kind, id: id, header: b.headerJSON))) }
            case .finalizedHeads:
                if let f = update.newFinalized {
                    s.sink.yield(.notification(Self.notification(kind: s.kind, id: id, header: f.headerJSON)))
                }
            }
        }
    }
}
