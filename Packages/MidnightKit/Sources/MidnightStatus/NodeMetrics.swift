import AsyncHTTPClient
import Foundation
import NIOCore
import SpomMetrics

/// What the node's Prometheus endpoint (`--prometheus-port`, default 9615) says about it.
///
/// Peers are counted here rather than over RPC: `system_peers` needs unsafe RPC, and v1's
/// inbound count from `system_unstable_networkState` was wrong.
public struct NodeMetricsSummary: Codable, Sendable, Equatable {
    public var peers: Int?
    public var inboundConnections: Int?
    public var outboundConnections: Int?
    public var bestBlock: UInt64?
    public var finalizedBlock: UInt64?
    public var isMajorSyncing: Bool?
    public var blocksConstructed: UInt64?
    public var readyTransactions: Int?
    public var startTimeSeconds: Double?
    public var version: String?
    /// Bytes received since the node started (`substrate_sub_libp2p_network_bytes_total{direction="in"}`).
    public var bytesReceived: Double?
    /// Bytes sent since the node started (`substrate_sub_libp2p_network_bytes_total{direction="out"}`).
    public var bytesSent: Double?
    /// Nodes the peerset manager knows of (`substrate_sub_libp2p_peerset_num_discovered`).
    public var discoveredPeers: Int?
    /// Connections being established (`substrate_sub_libp2p_pending_connections`).
    public var pendingConnections: Int?

    public init() {}

    /// Reads the summary from a parsed exposition.
    public init(document d: PrometheusDocument) {
        peers = d.value("substrate_sub_libp2p_peers_count").map { Int($0) }
        inboundConnections = d.sum("substrate_sub_libp2p_connections_opened_total", ["direction": "in"]).flatMap { opened in
            d.sum("substrate_sub_libp2p_connections_closed_total", ["direction": "in"]).map { Int(opened - $0) } ?? Int(opened)
        }
        outboundConnections = d.sum("substrate_sub_libp2p_connections_opened_total", ["direction": "out"]).flatMap { opened in
            d.sum("substrate_sub_libp2p_connections_closed_total", ["direction": "out"]).map { Int(opened - $0) } ?? Int(opened)
        }
        bestBlock = d.value("substrate_block_height", ["status": "best"]).map { UInt64($0) }
        finalizedBlock = d.value("substrate_block_height", ["status": "finalized"]).map { UInt64($0) }
        isMajorSyncing = d.value("substrate_sub_libp2p_is_major_syncing").map { $0 != 0 }
        blocksConstructed = d.value("substrate_proposer_block_constructed_count").map { UInt64($0) }
        readyTransactions = d.value("substrate_ready_transactions_number").map { Int($0) }
        startTimeSeconds = d.value("substrate_process_start_time_seconds")
        version = d.find("substrate_build_info")?.labels["version"]
        bytesReceived = d.sum("substrate_sub_libp2p_network_bytes_total", ["direction": "in"])
        bytesSent = d.sum("substrate_sub_libp2p_network_bytes_total", ["direction": "out"])
        discoveredPeers = d.value("substrate_sub_libp2p_peerset_num_discovered").map { Int($0) }
        pendingConnections = d.value("substrate_sub_libp2p_pending_connections").map { Int($0) }
    }

    /// Seconds the node has been running at `nowMs` (from `substrate_process_start_time_seconds`).
    public func uptimeSeconds(nowMs: UInt64) -> Double? {
        guard let start = startTimeSeconds, start > 0 else { return nil }
        return max(0, Double(nowMs) / 1000 - start)
    }
}

/// Machine figures from node_exporter (optional `rpc.node_exporter_url`).
public struct SystemMetricsSummary: Codable, Sendable, Equatable {
    public var load1: Double?
    public var memoryTotalBytes: Double?
    public var memoryAvailableBytes: Double?
    public var diskSizeBytes: Double?
    public var diskAvailableBytes: Double?

    public init() {}

    public init(document d: PrometheusDocument) {
        load1 = d.value("node_load1")
        memoryTotalBytes = d.value("node_memory_MemTotal_bytes")
        memoryAvailableBytes = d.value("node_memory_MemAvailable_bytes")
        diskSizeBytes = d.value("node_filesystem_size_bytes", ["mountpoint": "/"])
        diskAvailableBytes = d.value("node_filesystem_avail_bytes", ["mountpoint": "/"])
    }

    /// Memory in use as a fraction of the total.
    public var memoryUsedFraction: Double? {
        guard let t = memoryTotalBytes, let a = memoryAvailableBytes, t > 0 else { return nil }
        return (t - a) / t
    }

    /// Root file system in use as a fraction of its size.
    public var diskUsedFraction: Double? {
        guard let t = diskSizeBytes, let a = diskAvailableBytes, t > 0 else { return nil }
        return (t - a) / t
    }
}

/// Fetches Prometheus text endpoints (the node's and node_exporter's) with a short timeout.
public enum MetricsScraper {
    /// Fetches and parses `url`.
    ///
    /// - Throws: ``StatusProblem`` naming the URL when it cannot be fetched.
    public static func scrape(_ url: String, timeout: Duration = .seconds(5)) async throws -> PrometheusDocument {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout.components.seconds * 1000)))
            guard (200..<300).contains(response.status.code) else {
                throw StatusProblem("metrics endpoint \(url) answered HTTP \(response.status.code)")
            }
            let body = try await response.body.collect(upTo: 16 << 20)
            return PrometheusTextParser.parse(String(buffer: body))
        } catch let problem as StatusProblem {
            throw problem
        } catch {
            throw StatusProblem("metrics endpoint \(url) is unreachable (\(error))")
        }
    }
}

/// A problem found while checking status, in words an operator can act on.
public struct StatusProblem: Error, CustomStringConvertible, Sendable, Codable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
