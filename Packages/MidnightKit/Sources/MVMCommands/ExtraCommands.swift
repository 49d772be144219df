import ArgumentParser
import Foundation
import MidnightAPI
import MidnightChain
import MidnightDevnode
import MidnightStatus
import MidnightView
import SpomHTTP
import MidnightRPC
import MidnightStore
import MidnightSync
import SpomDaemon
import MVMCommandSupport

#if canImport(Glibc)
import Glibc
#endif

/// `mvm demo [--no-view]`: a simulated node on loopback, synced into a temporary database.
public struct DemoCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run a simulated node and sync it into a temporary database (then open the dashboard).")
    @OptionGroup public var global: GlobalOptions
    @Flag(name: .customLong("no-view"), help: "Do not open the dashboard; print the URLs and keep running until Ctrl-C.")
    public var noView = false
    public init() {}

    public func run() async throws {
        let logger = global.logger("mvm.demo")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mvm-demo-\(getpid())").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("cannot create the demo folder \(directory): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = DevnodeConfiguration()
        configuration.slotDurationMs = 1000
        configuration.slotsPerEpoch = 60
        configuration.historyBlocks = 600
        configuration.keystoreDirectory = directory + "/keystore"
        configuration.prometheusPort = 0
        configuration.nodeExporterPort = 0
        let node: Devnode
        do {
            node = try Devnode(configuration: configuration, logger: logger)
            try await node.start()
        } catch {
            throw CommandFailure("the simulated node did not start: \(error)")
        }
        let database = directory + "/mvm.db"
        let metrics = node.prometheusPort.map { "http://127.0.0.1:\($0)/metrics" } ?? "-"
        let nodeExporter = node.nodeExporterPort.map { "http://127.0.0.1:\($0)/metrics" }
        StandardOutput.write("""
            MVM demo: a simulated Midnight node, synced into a temporary database (removed on exit).
              node:      \(node.httpURL)   metrics: \(metrics)
              database:  \(database)
              keystore:  \(directory)/keystore
            Try, in another terminal:
              mvm status --once -r \(node.httpURL) -K \(directory)/keystore -M \(metrics)
              mvm query -d \(database) stats
              mvm query -d \(database) validators
            Ctrl-C stops the demo.
            """)
        // Under the dashboard nothing may write to the terminal but the dashboard.
        var quiet = logger
        if !noView { quiet.logLevel = .critical }
        let client: NodeClient
        let writer: StoreWriter
        do {
            client = try NodeClient(configuration: NodeClientConfiguration(url: node.httpURL), logger: quiet)
            writer = try MidnightDatabase.openWriter(path: database)
            // The simulated operator's validator is ours, as `mvm keys verify` would mark it.
            let ours = node.operatorKeys
            try writer.markOurs(sidechainKey: ours.sidechainKey, auraKey: ours.auraKey, grandpaKey: ours.grandpaKey, label: "DEMO")
        } catch {
            await node.stop()
            throw CommandFailure("the demo could not start syncing: \(error)")
        }
        var syncConfiguration = SyncConfiguration(
            batchSize: 50, pollInterval: .seconds(1), slotDurationMsOverride: 1000, slotsPerEpochOverride: 60)
        syncConfiguration.progressLineOnTerminal = noView
        let engine = SyncEngine(node: client, store: writer, configuration: syncConfiguration, logger: quiet)
        let api = MVMAPIServer(
            configuration: MVMAPIConfiguration(
                databasePath: database, bind: HTTPBindAddress(host: "127.0.0.1", port: 0), version: MVMVersion.text),
            logger: quiet)
        let runner = Task {
            try await DaemonRunner(services: [engine, api], readyStatus: "demo", logger: quiet).run()
        }
        var failure: (any Error)? = nil
        do {
            let port = try await api.boundPort.wait()
            StandardOutput.write("  api:       http://127.0.0.1:\(port)/api/v1/status   metrics: http://127.0.0.1:\(port)/metrics\n")
            if noView {
                try await runner.value
            } else {
                let keys = try? Keystore.load(directory: directory + "/keystore")
                let checker = StatusChecker(
                    node: client,
                    inputs: StatusChecker.Inputs(
                        network: .preview, metricsURL: metrics == "-" ? nil : metrics, keys: keys, databasePath: database),
                    logger: quiet)
                let dashboard = MidnightDashboard(
                    databasePath: database, statusChecker: checker, refreshIntervalMs: 1000, themeName: "midnight",
                    nodeExporterURL: nodeExporter, logger: quiet)
                do {
                    try await dashboard.run()
                } catch {
                    failure = CommandFailure(
                        "the dashboard could not open: \(error)", hint: "run `mvm demo --no-view` when there is no interactive terminal")
                }
                runner.cancel()
                _ = try? await runner.value
            }
        } catch {
            failure = CommandFailure("the demo stopped: \(error)")
        }
        runner.cancel()
        await client.shutdown()
        await node.stop()
        if let failure { throw failure }
    }
}
