import Hummingbird
import Logging
import Synchronization

/// Numbers the Prometheus endpoint reports besides the chain's own.
final class NodeCounters: Sendable {
    /// Blocks the operator's validator authored since the node started.
    let operatorBlocks = Atomic<Int>(0)
    let startTimeSeconds: UInt64

    init(startTimeSeconds: UInt64) { self.startTimeSeconds = startTimeSeconds }
}

/// Renders the node's Prometheus text (`substrate_*` series) and node_exporter-style series.
struct MetricsRenderer: Sendable {
    let chain: ChainStore
    let counters: NodeCounters
    let clock: DevnodeClock

    var chainLabel: String { chain.configuration.chainName ?? chain.configuration.flavour.defaultChainName }

    func substrate() -> String {
        let c = chain.configuration
        let chainName = chainLabel
        let best = chain.best.number
        let finalized = chain.finalized.number
        let up = clock.nowMs / 1000 - counters.startTimeSeconds
        let produced = counters.operatorBlocks.load(ordering: .relaxed)
        let l = #"chain="\#(chainName)""#
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples {
                lines.append(labels.isEmpty ? "\(name) \(value)" : "\(name){\(labels)} \(value)")
            }
        }
        metric("substrate_block_height", "gauge", "Block height info of the chain", [
            (#"status="best",\#(l)"#, "\(best)"), (#"status="finalized",\#(l)"#, "\(finalized)"),
            (#"status="sync_target",\#(l)"#, "\(best)"),
        ])
        metric("substrate_sub_libp2p_peers_count", "gauge", "Number of connected peers", [(l, "\(c.peers)")])
        metric("substrate_sub_libp2p_is_major_syncing", "gauge", "Whether the node is performing a major sync or not.", [(l, "0")])
        lines.append("# HELP substrate_proposer_block_constructed Histogram of time taken to construct new block")
        lines.append("# TYPE substrate_proposer_block_constructed histogram")
        for le in ["0.005", "0.25", "1.0", "+Inf"] {
            lines.append(#"substrate_proposer_block_constructed_bucket{\#(l),le="\#(le)"} \#(le == "0.005" ? 0 : produced)"#)
        }
        lines.append("substrate_proposer_block_constructed_sum{\(l)} \(Double(produced) * 0.012)")
        lines.append("substrate_proposer_block_constructed_count{\(l)} \(produced)")
        metric("substrate_proposer_number_of_transactions", "gauge", "Number of transactions included in block", [(l, "\(max(0, chain.best.extrinsicsCount - 1))")])
        metric("substrate_build_info", "gauge", "A metric with a constant '1' value labeled by name, version", [
            (#"name="\#(c.nodeName)",version="\#(c.flavour.systemVersion)",\#(l)"#, "1"),
        ])
        metric("substrate_sub_libp2p_connections_opened_total", "counter", "Total number of connections opened by direction", [
            (#"direction="in",\#(l)"#, "\(c.peers * 3 + Int(up / 60))"), (#"direction="out",\#(l)"#, "\(c.peers * 2 + Int(up / 90))"),
        ])
        // Open connections (opened - closed) add up to the peer count, 3 in 8 of them inbound,
        // as on a node whose p2p port is reachable.
        let inbound = c.peers * 3 / 8, outbound = c.peers - inbound
        metric("substrate_sub_libp2p_connections_closed_total", "counter", "Total number of connections closed, by direction and reason", [
            (#"direction="in",reason="remote-closed",\#(l)"#, "\(c.peers * 3 - inbound + Int(up / 60))"),
            (#"direction="out",reason="keep-alive-timeout",\#(l)"#, "\(c.peers * 2 - outbound + Int(up / 90))"),
        ])
        metric("substrate_sub_libp2p_network_bytes_total", "counter", "Total bandwidth usage", [
            (#"direction="in",\#(l)"#, "\(1_000_000 + up * 52_000)"), (#"direction="out",\#(l)"#, "\(800_000 + up * 47_000)"),
        ])
        metric("substrate_sub_libp2p_peerset_num_discovered", "gauge", "Number of nodes stored in the peerset manager", [(l, "\(c.peers * 12)")])
        metric("substrate_sub_libp2p_pending_connections", "gauge", "Number of connections in the process of being established", [(l, "\(best % 3)")])
        metric("substrate_process_start_time_seconds", "gauge", "Number of seconds between the UNIX epoch and the moment the process started", [(l, "\(counters.startTimeSeconds)")])
        metric("substrate_ready_transactions_number", "gauge", "Number of transactions in the ready queue", [(l, "\(best % 5)")])
        metric("substrate_sub_txpool_validations_scheduled", "counter", "Total number of transactions scheduled for validation", [(l, "\(best * 2)")])
        metric("substrate_sub_txpool_validations_finished", "counter", "Total number of transactions that finished validation", [(l, "\(best * 2)")])
        metric("substrate_finality_grandpa_prevotes_total", "counter", "Total number of GRANDPA prevotes cast locally.", [(l, "\(finalized)")])
        if c.flavour.hasBabe {
            let registered = chain.candidates.operatorKeys.role != .notRegistered && chain.candidates.operatorKeys.role != .registeredInvalid
            metric("midnight_babe_key_registered", "gauge", "Whether the local BABE key is registered on chain", [(l, registered ? "1" : "0")])
        }
        metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", [("", "\(900_000_000 + Int(best % 1000) * 4096)")])
        return lines.joined(separator: "\n") + "\n"
    }

    func nodeExporter() -> String {
        let s = clock.nowMs / 1000
        let wave = Double(s % 600) / 600
        let load1 = 0.4 + wave * 1.2
        let total: UInt64 = 16 * 1024 * 1024 * 1024
        let available = total - UInt64(Double(total) * (0.35 + wave * 0.2))
        let disk: UInt64 = 500 * 1024 * 1024 * 1024
        let avail = disk - 120 * 1024 * 1024 * 1024 - UInt64(chain.best.number) * 4096
        let fs = #"device="/dev/nvme0n1p1",fstype="ext4",mountpoint="/""#
        return """
            # HELP node_load1 1m load average.
            # TYPE node_load1 gauge
            node_load1 \(load1)
            # HELP node_load5 5m load average.
            # TYPE node_load5 gauge
            node_load5 \(load1 * 0.9)
            # HELP node_memory_MemTotal_bytes Memory information field MemTotal_bytes.
            # TYPE node_memory_MemTotal_bytes gauge
            node_memory_MemTotal_bytes \(total)
            # HELP node_memory_MemAvailable_bytes Memory information field MemAvailable_bytes.
            # TYPE node_memory_MemAvailable_bytes gauge
            node_memory_MemAvailable_bytes \(available)
            # HELP node_filesystem_size_bytes Filesystem size in bytes.
            # TYPE node_filesystem_size_bytes gauge
            node_filesystem_size_bytes{\(fs)} \(disk)
            # HELP node_filesystem_avail_bytes Filesystem space available to non-root users in bytes.
            # TYPE node_filesystem_avail_bytes gauge
            node_filesystem_avail_bytes{\(fs)} \(avail)

            """
    }

    /// A Hummingbird application serving `render()` at `/metrics`.
    static func application(
        host: String, port: Int, logger: Logger, registry: ChannelRegistry, render: @escaping @Sendable () -> String,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router(context: DevnodeRequestContext.self)
        router.get("/metrics") { _, context in
            registry.track(context.channel)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: render())))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                registry.track(channel)
                await onRunning(channel.localAddress?.port ?? port)
            }, logger: logger)
    }
}
