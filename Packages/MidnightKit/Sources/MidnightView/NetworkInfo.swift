import MidnightChain
import MidnightStatus

/// The node's network as the dashboard shows it: the details gathered with the status report
/// (Prometheus figures, `system_peers`) plus bandwidth rates computed from two successive scrapes.
public struct NetworkInfo: Sendable, Equatable {
    /// What the node reported.
    public var details: NodeNetworkDetails
    /// Bytes received per second since the previous scrape; nil after the first one or a counter reset.
    public var receivedPerSecond: Double?
    /// Bytes sent per second since the previous scrape; nil after the first one or a counter reset.
    public var sentPerSecond: Double?
    /// Unix ms of this sample.
    public var sampledAtMs: UInt64
    /// The sample the rates are measured from (bytes in, bytes out, Unix ms); it moves on once
    /// ``rateWindowMs`` has passed, so rates are not computed over a fast refresh's few ms.
    public var rateBase: RateBase?

    /// Counters and time of the sample rates are measured from.
    public struct RateBase: Sendable, Equatable {
        /// Bytes received at the time.
        public var received: Double
        /// Bytes sent at the time.
        public var sent: Double
        /// Unix ms.
        public var atMs: UInt64
    }

    /// The shortest window a rate is measured over.
    public static let rateWindowMs: UInt64 = 5000

    /// Creates the info.
    public init(details: NodeNetworkDetails, receivedPerSecond: Double? = nil, sentPerSecond: Double? = nil, sampledAtMs: UInt64,
                rateBase: RateBase? = nil) {
        self.rateBase = rateBase
        self.details = details
        self.receivedPerSecond = receivedPerSecond
        self.sentPerSecond = sentPerSecond
        self.sampledAtMs = sampledAtMs
    }

    /// The info after a new sample. Rates are measured from the rate base once at least
    /// ``rateWindowMs`` has passed (until then the previous rates stay); a counter that went down
    /// means the node restarted: no rate, and the new sample becomes the base.
    public static func next(after previous: NetworkInfo?, details: NodeNetworkDetails, atMs: UInt64) -> NetworkInfo {
        var info = NetworkInfo(details: details, sampledAtMs: atMs)
        info.receivedPerSecond = previous?.receivedPerSecond
        info.sentPerSecond = previous?.sentPerSecond
        info.rateBase = previous?.rateBase
        guard let received = details.metrics?.bytesReceived, let sent = details.metrics?.bytesSent else {
            return info  // this scrape failed: keep the last known rates
        }
        let current = RateBase(received: received, sent: sent, atMs: atMs)
        guard let base = info.rateBase, atMs > base.atMs, received >= base.received, sent >= base.sent else {
            info.rateBase = current
            info.receivedPerSecond = nil
            info.sentPerSecond = nil
            return info
        }
        guard atMs - base.atMs >= rateWindowMs else { return info }
        let seconds = Double(atMs - base.atMs) / 1000
        info.receivedPerSecond = (received - base.received) / seconds
        info.sentPerSecond = (sent - base.sent) / seconds
        info.rateBase = current
        return info
    }

    /// Peers sorted best block first (then by id), the order of the Peers table.
    public var sortedPeers: [PeerInfo] {
        (details.peers ?? []).sorted { $0.bestNumber != $1.bestNumber ? $0.bestNumber > $1.bestNumber : $0.peerId < $1.peerId }
    }
}
