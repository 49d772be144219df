/// `system_unstable_networkState` (unsafe RPC), read tolerantly: only what the dashboard shows.
public struct NetworkState: Decodable, Equatable, Sendable {
    /// One connected peer.
    public struct ConnectedPeer: Equatable, Sendable {
        /// The peer's id.
        public var peerId: String
        /// Multiaddresses the node knows for it.
        public var knownAddresses: [String]
        /// Whether we dialled it (outbound); `false` when it dialled us.
        public var isOutbound: Bool
    }

    /// Our own peer id.
    public var peerId: String
    /// Our external multiaddresses.
    public var externalAddresses: [String]
    /// Connected peers, sorted by peer id.
    public var connectedPeers: [ConnectedPeer]

    private enum Keys: String, CodingKey { case peerId, externalAddresses, connectedPeers, knownAddresses, endpoint, dialing }

    /// Decodes the node's shape; missing fields become empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        peerId = try c.decodeIfPresent(String.self, forKey: .peerId) ?? ""
        externalAddresses = (try? c.decodeIfPresent([String].self, forKey: .externalAddresses)) ?? []
        var peers: [ConnectedPeer] = []
        if let map = try? c.nestedContainer(keyedBy: AnyKey.self, forKey: .connectedPeers) {
            for key in map.allKeys {
                let peer = try map.nestedContainer(keyedBy: Keys.self, forKey: key)
                let addresses = (try? peer.decodeIfPresent([String].self, forKey: .knownAddresses)) ?? []
                var outbound = true
                if let endpoint = try? peer.nestedContainer(keyedBy: Keys.self, forKey: .endpoint) {
                    outbound = endpoint.contains(.dialing)
                }
                peers.append(ConnectedPeer(peerId: key.stringValue, knownAddresses: addresses, isOutbound: outbound))
            }
        }
        connectedPeers = peers.sorted { $0.peerId < $1.peerId }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
