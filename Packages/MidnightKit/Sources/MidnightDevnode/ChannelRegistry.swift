import NIOCore
import Synchronization

/// Open connections of a server, so that stopping it closes them all (a node going down).
final class ChannelRegistry: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Remembers `channel` until it closes.
    func track(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        let inserted = channels.withLock { c -> Bool in
            if c[key] != nil { return false }
            c[key] = channel
            return true
        }
        if inserted {
            channel.closeFuture.whenComplete { [weak self] _ in
                _ = self?.channels.withLock { $0.removeValue(forKey: key) }
            }
        }
    }

    /// Closes every tracked channel.
    func closeAll() {
        let all = channels.withLock { c -> [any Channel] in
            let list = Array(c.values)
            c.removeAll()
            return list
        }
        for ch in all { ch.close(promise: nil) }
    }

    var count: Int { channels.withLock { $0.count } }
}
