import MidnightRPC

/// The node's best and finalized block numbers through an RPC client: what the sync daemon
/// hands ``SyncAlertService`` (it shares the daemon's own client).
public struct NodeHealthSource: SyncHealthSource {
    /// The client the observations go through.
    public let node: NodeClient

    /// Creates a source on `node`.
    public init(node: NodeClient) {
        self.node = node
    }

    /// Best and finalized headers; any failure is an unreachable observation with its message.
    public func observe() async -> SyncHealthObservation {
        do {
            let best = try await node.bestHeader()
            let finalized = try await node.finalizedHeader()
            return SyncHealthObservation(reachable: true, bestBlock: best.number, finalizedBlock: finalized.number)
        } catch {
            return SyncHealthObservation(reachable: false, error: String(describing: error))
        }
    }
}
