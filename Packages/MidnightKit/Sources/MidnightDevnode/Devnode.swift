import Hummingbird
import Logging
import Synchronization

/// A simulated Midnight node: a deterministic chain served over HTTP JSON-RPC and WebSocket on
/// one loopback port, with an optional Prometheus endpoint, an operator keystore, a ground-truth
/// file and fault injection.
///
/// ```swift
/// var config = DevnodeConfiguration.fastTest(seed: 7)
/// let node = try Devnode(configuration: config, logger: logger)
/// try await node.start()
/// // … point the client at node.httpURL / node.webSocketURL …
/// await node.stop()
/// ```
public final class Devnode: Sendable {
    /// The configuration the node was created with (faults may since have changed, see ``faults``).
    public let configuration: DevnodeConfiguration
    let chain: ChainStore
    let clock: DevnodeClock
    let hub: HeadHub
    let faultInjector: FaultInjector
    let counters: NodeCounters
    let rpc: RPCServer
    let logger: Logger
    /// The servers' own logger: Hummingbird reports a routine stop as an error, so it only
    /// speaks when the node logs at debug level or below.
    let serverLogger: Logger

    struct Running {
        var rpcTask: Task<Void, Never>? = nil
        var rpcPort: Int = 0
        var metricsTask: Task<Void, Never>? = nil
        var metricsPort: Int? = nil
        var exporterTask: Task<Void, Never>? = nil
        var exporterPort: Int? = nil
        var producerTask: Task<Void, Never>? = nil
        var truthTask: Task<Void, Never>? = nil
        /// The RPC port to reuse on restart.
        var chosenPort: Int? = nil
    }

    private let running = Mutex(Running())
    private let metricsRegistry = ChannelRegistry()

    /// Builds the chain's history (this takes about a second per 50k blocks).
    ///
    /// - Throws: ``DevnodeError/invalidConfiguration(_:)`` when the configuration is out of range.
    public init(configuration: DevnodeConfiguration, logger: Logger = Logger(label: "mvm.devnode")) throws(DevnodeError) {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        var quiet = logger
        if quiet.logLevel > .debug { quiet.logLevel = .critical }
        serverLogger = quiet
        clock = DevnodeClock(startMs: configuration.clockStartMs)
        chain = ChainStore(configuration: configuration, nowSlot: clock.nowMs / configuration.slotDurationMs)
        hub = HeadHub(seed: configuration.seed)
        faultInjector = FaultInjector(seed: configuration.seed, faults: configuration.faults)
        counters = NodeCounters(startTimeSeconds: clock.nowMs / 1000)
        let dispatcher = RPCDispatcher(chain: chain, clock: clock)
        rpc = RPCServer(
            processor: RPCProcessor(dispatcher: dispatcher, hub: hub, faults: faultInjector), faults: faultInjector, hub: hub,
            logger: serverLogger)
    }

    // MARK: Lifecycle

    /// Writes the keystore and ground truth, starts block production and every server.
    ///
    /// - Throws: ``DevnodeError`` when a file cannot be written or a port cannot be bound.
    public func start() async throws(DevnodeError) {
        if let dir = configuration.keystoreDirectory {
            try OperatorKeystore.write(keys: operatorKeys, includeBabe: configuration.flavour.hasBabe, directory: dir)
        }
        if let path = configuration.keysFilePath {
            try OperatorKeystore.writeKeysFile(keys: operatorKeys, path: path)
        }
        if let path = configuration.groundTruthPath {
            try AtomicFile.write(chain.groundTruthJSON(), to: path)
        }
        startProducer()
        startGroundTruthWriter()
        try await startServer()
        let renderer = MetricsRenderer(chain: chain, counters: counters, clock: clock)
        if let p = configuration.prometheusPort {
            let (task, port) = try await Self.launch(what: "prometheus endpoint", logger: logger) { onRunning in
                MetricsRenderer.application(
                    host: self.configuration.host, port: p, logger: self.serverLogger, registry: self.metricsRegistry,
                    render: { renderer.substrate() }, onRunning: onRunning)
            }
            running.withLock { $0.metricsTask = task; $0.metricsPort = port }
        }
        if let p = configuration.nodeExporterPort {
            let (task, port) = try await Self.launch(what: "node_exporter endpoint", logger: logger) { onRunning in
                MetricsRenderer.application(
                    host: self.configuration.host, port: p, logger: self.serverLogger, registry: self.metricsRegistry,
                    render: { renderer.nodeExporter() }, onRunning: onRunning)
            }
            running.withLock { $0.exporterTask = task; $0.exporterPort = port }
        }
        logger.info(
            "devnode serving",
            metadata: [
                "rpc": "\(httpURL)", "flavour": "\(configuration.flavour.rawValue)", "best": "\(chain.best.number)",
                "seed": "\(configuration.seed)",
            ])
    }

    /// Stops every server and block production, and writes the ground truth a last time.
    public func stop() async {
        await stopServer()
        let tasks = running.withLock { r -> [Task<Void, Never>] in
            let list = [r.metricsTask, r.exporterTask, r.producerTask, r.truthTask].compactMap { $0 }
            r.metricsTask = nil; r.exporterTask = nil; r.producerTask = nil; r.truthTask = nil
            r.metricsPort = nil; r.exporterPort = nil
            return list
        }
        metricsRegistry.closeAll()
        for t in tasks { t.cancel() }
        for t in tasks { await t.value }
        if let path = configuration.groundTruthPath {
            do { try AtomicFile.write(chain.groundTruthJSON(), to: path) } catch { logger.error("\(error)") }
        }
    }

    /// Starts the node and serves until the surrounding task is cancelled, then stops.
    public func run() async throws(DevnodeError) {
        try await start()
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await stop()
    }

    // MARK: Controls for tests

    /// Stops the RPC server (HTTP and WebSocket) and closes its connections, as when the node
    /// process goes down. The chain keeps advancing (the network does not wait).
    public func stopServer() async {
        let task = running.withLock { r -> Task<Void, Never>? in
            let t = r.rpcTask
            r.rpcTask = nil
            r.rpcPort = 0
            return t
        }
        guard let task else { return }
        rpc.registry.closeAll()
        task.cancel()
        await task.value
        rpc.registry.closeAll()
    }

    /// Starts the RPC server again, on the same port as before (or the configured one).
    ///
    /// - Throws: ``DevnodeError/startFailed(what:reason:)`` when the port cannot be bound.
    public func startServer() async throws(DevnodeError) {
        if running.withLock({ $0.rpcTask != nil }) { return }
        let port = running.withLock { $0.chosenPort } ?? configuration.port
        var lastError: DevnodeError? = nil
        // A just-closed port can take a moment to become free again.
        for attempt in 0..<20 {
            do {
                let (task, bound) = try await Self.launch(what: "RPC server", logger: logger) { onRunning in
                    self.rpc.application(host: self.configuration.host, port: port, onRunning: onRunning)
                }
                running.withLock { $0.rpcTask = task; $0.rpcPort = bound; $0.chosenPort = bound }
                return
            } catch {
                lastError = error
                if port == 0 || attempt == 19 { break }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        throw lastError ?? .startFailed(what: "RPC server", reason: "unknown")
    }

    /// Stops block production: the best block stops advancing (finality too) until
    /// ``resumeProduction()``. Slots that pass meanwhile stay empty.
    public func stallProduction() { chain.setStalled(true) }

    /// Resumes block production after ``stallProduction()``.
    public func resumeProduction() { chain.setStalled(false) }

    /// Whether production is stalled.
    public var isStalled: Bool { chain.isStalled }

    /// Replaces the injected faults (effective for the next request / connection).
    public func setFaults(_ faults: DevnodeFaults) { faultInjector.set(faults) }

    /// The faults in force.
    public var faults: DevnodeFaults { faultInjector.current }

    // MARK: Addresses

    /// The bound RPC port (0 while the server is stopped).
    public var port: Int { running.withLock { $0.rpcPort } }
    /// `http://host:port` of the RPC server.
    public var httpURL: String { "http://\(urlHost):\(port)" }
    /// `ws://host:port` of the RPC server.
    public var webSocketURL: String { "ws://\(urlHost):\(port)" }
    /// The bound Prometheus port, when enabled and running.
    public var prometheusPort: Int? { running.withLock { $0.metricsPort } }
    /// The bound node_exporter-style port, when enabled and running.
    public var nodeExporterPort: Int? { running.withLock { $0.exporterPort } }

    private var urlHost: String { configuration.host == "::1" ? "[::1]" : configuration.host }

    // MARK: Chain facts

    /// The operator's ("ours") keys.
    public var operatorKeys: DevnodeOperatorKeys { chain.candidates.operatorKeys }
    /// Every candidate (permissioned, registered valid and invalid).
    public var candidates: [DevnodeCandidate] { chain.candidates.all }
    /// The committee of sidechain `epoch`, in slot order.
    public func committee(epoch: UInt64) -> [DevnodeCandidate] { chain.committee(epoch: epoch) }
    /// The best block number.
    public var bestNumber: UInt64 { chain.best.number }
    /// The finalized block number.
    public var finalizedNumber: UInt64 { chain.finalized.number }
    /// The current time by the node's clock, in Unix ms.
    public var nowMs: UInt64 { clock.nowMs }
    /// Everything the node knows, for comparison with what a monitor stored.
    public func groundTruth() -> DevnodeGroundTruth { chain.groundTruth() }

    // MARK: Internals

    private func startProducer() {
        let chain = self.chain
        let clock = self.clock
        let hub = self.hub
        let counters = self.counters
        let ours = operatorKeys.sidechainKey
        let slotMs = configuration.slotDurationMs
        let task = Task {
            while !Task.isCancelled {
                let now = clock.nowMs
                let update = chain.advance(to: now / slotMs)
                let mine = update.newBest.reduce(0) { $0 + ($1.authorSidechainKey == ours ? 1 : 0) }
                if mine > 0 { counters.operatorBlocks.add(mine, ordering: .relaxed) }
                hub.publish(update)
                let next = (now / slotMs + 1) * slotMs
                try? await Task.sleep(for: .milliseconds(Int64(next - now) + 1))
            }
        }
        running.withLock { $0.producerTask = task }
    }

    private func startGroundTruthWriter() {
        guard let path = configuration.groundTruthPath else { return }
        let chain = self.chain
        let logger = self.logger
        let interval = max(50, configuration.groundTruthIntervalMs)
        let task = Task {
            var written = chain.counters.version
            var pause = interval
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(pause))
                let version = chain.counters.version
                guard version != written else { continue }
                let started = ContinuousClock.now
                do {
                    try AtomicFile.write(chain.groundTruthJSON(), to: path)
                    written = version
                } catch {
                    logger.error("\(error)")
                }
                // Never spend more than ~10% of the time rewriting a big file.
                let took = ContinuousClock.now - started
                pause = max(interval, Int(took.components.seconds * 10_000 + took.components.attoseconds / 100_000_000_000_000))
            }
        }
        running.withLock { $0.truthTask = task }
    }

    /// Runs a Hummingbird application in a task and waits until it is bound.
    private static func launch<App: ApplicationProtocol>(
        what: String, logger: Logger, make: (@escaping @Sendable (Int) async -> Void) -> App
    ) async throws(DevnodeError) -> (Task<Void, Never>, Int) {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let failure = Mutex<String?>(nil)
        let app = make { port in
            continuation.yield(port)
            continuation.finish()
        }
        let task = Task {
            do {
                try await app.run()
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
            continuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            task.cancel()
            throw .startFailed(what: what, reason: failure.withLock { $0 } ?? "server stopped before binding")
        }
        return (task, port)
    }
}
