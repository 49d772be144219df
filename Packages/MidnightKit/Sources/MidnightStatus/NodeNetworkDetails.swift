import MidnightChain

/// What the dashboard shows about the node's network besides the ``StatusReport``: the node's
/// Prometheus figures (uptime, bandwidth, transaction pool, connections) and the per-peer list
/// from `system_peers`. Each half is nil with the reason when it could not be read.
public struct NodeNetworkDetails: Sendable, Equatable {
    /// The node's Prometheus figures; nil when not configured or unreachable (see ``metricsProblem``).
    public var metrics: NodeMetricsSummary?
    /// Why ``metrics`` is nil (not configured, or the scrape failed with its reason).
    public var metricsProblem: String?
    /// Connected peers from `system_peers` (unsafe RPC); nil when refused (see ``peersProblem``).
    public var peers: [PeerInfo]?
    /// Why ``peers`` is nil, with the remedy.
    public var peersProblem: String?

    /// Creates the details.
    public init(metrics: NodeMetricsSummary? = nil, metricsProblem: String? = nil, peers: [PeerInfo]? = nil, peersProblem: String? = nil) {
        self.metrics = metrics
        self.metricsProblem = metricsProblem
        self.peers = peers
        self.peersProblem = peersProblem
    }
}

/// A status report together with the network details gathered in the same pass (one scrape of the
/// node's Prometheus endpoint serves both).
public struct DetailedStatus: Sendable, Equatable {
    /// What `mvm status` reports.
    public var report: StatusReport
    /// Uptime, bandwidth, transaction pool and the peer list.
    public var network: NodeNetworkDetails

    /// Creates the pair.
    public init(report: StatusReport, network: NodeNetworkDetails) {
        self.report = report
        self.network = network
    }
}
