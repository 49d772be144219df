import Foundation
import MidnightConfig
import SpomConfig
import SpomTesting
import Testing

func write(_ text: String, _ name: String, in dir: TemporaryDirectory) throws -> String {
    let path = dir.path(name)
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Sources rooted in `dir` with no HOME, so no real user file is picked up.
func isolated(_ dir: TemporaryDirectory, env: [String: String] = [:], config: String? = nil) -> ConfigSources {
    MVMConfigCommands.sources(configPath: config, environment: env, currentDirectory: dir.url.path)
}

@Suite("MVM configuration")
struct MVMConfigTests {
    @Test("defaults are v1's")
    func defaults() {
        let config = MVMConfig.defaults
        #expect(config.rpc.url == "http://localhost:9944")
        #expect(config.rpc.metricsURL == "http://localhost:9615/metrics")
        #expect(config.rpc.nodeExporterURL == nil)
        #expect(config.rpc.timeoutMs == 30_000)
        #expect(config.rpc.maxRetries == 3)
        #expect(config.rpc.retryInitialDelayMs == 1_000)
        #expect(config.rpc.retryMaxDelayMs == 30_000)
        #expect(config.database.path == MVMConfig.defaultDatabasePath())
        #expect(config.sync.batchSize == 100)
        #expect(config.sync.pollIntervalSecs == 6)
        #expect(config.sync.finalizedOnly == false)
        #expect(config.sync.startBlock == 0)
        #expect(config.view.refreshIntervalMs == 6_000)
        #expect(config.chain.network == "preview")
        #expect(config.alerts.thresholdPercent == 80)
        #expect(config.alerts.minExpectedBlocks == 5)
        #expect(config.alerts.cooldownSecs == 300)
        #expect(config.api.enabled == false)
        #expect(config.api.bind == "127.0.0.1:8080")
        #expect(config.api.metricsEnabled == true)
        #expect(config.webhooks.enabled == false)
        #expect(config.database.remote.enabled == false)
        #expect(config.database.remote.type == .postgresql)
        #expect(config.integration.chainID == "midnight")
        #expect(config.integration.instanceName == MVMConfig.hostname())
        #expect(config.validationIssues().isEmpty)
    }

    @Test("v1's database path rule")
    func databasePathRule() throws {
        let dir = try TemporaryDirectory(prefix: "mvmcfg")
        defer { dir.remove() }
        #expect(MVMConfig.defaultDatabasePath(installDirectory: dir.path("absent")) == "./mvm.db")
        #expect(MVMConfig.defaultDatabasePath(installDirectory: dir.url.path) == dir.url.path + "/mvm.db")
    }

    @Test("the example has every section and key, and loads back to the defaults with no unknown keys")
    func example() throws {
        let example = MVMConfigCommands.exampleTOML
        for section in MVMConfig.schema.sections { #expect(example.contains("[\(section.path)]"), "missing [\(section.path)]") }
        #expect(example.contains("[[webhooks.endpoints]]"))
        for key in MVMConfig.schema.keys where key.kind != .tableList {
            let name = String(key.path.split(separator: ".").last ?? "").replacingOccurrences(of: "[]", with: "")
            #expect(example.contains("\(name) ="), "example lacks \(key.path)")
        }
        for variable in [
            "MVM_RPC_URL", "MVM_METRICS_URL", "MVM_NODE_EXPORTER_URL", "MVM_DB_PATH", "MVM_KEYSTORE_PATH",
            "MVM_VALIDATOR_LABEL", "MVM_BATCH_SIZE", "MVM_POLL_INTERVAL", "MVM_PID_FILE", "MVM_EXPECTED_IP", "MVM_NETWORK",
            "MVM_API_KEY",
        ] {
            #expect(example.contains(variable), "example lacks \(variable)")
        }
        let dir = try TemporaryDirectory(prefix: "mvmcfg")
        defer { dir.remove() }
        let file = try write(example, "mvm.toml", in: dir)
        var sources = isolated(dir, config: file)
        sources.unknownKeys = .error
        let loaded = try MVMConfigCommands.load(sources)
        #expect(loaded.value == MVMConfig.defaults)
        #expect(loaded.warnings.isEmpty)
        #expect(MVMConfigCommands.example().exitCode == 0)
    }

    @Test("v1's environment variables still work")
    func v1Environment() throws {
        let dir = try TemporaryDirectory(prefix: "mvmcfg")
        defer { dir.remove() }
        let env = [
            "MVM_RPC_URL": "https://rpc.example:443", "MVM_METRICS_URL": "http://m:9615/metrics",
            "MVM_NODE_EXPORTER_URL": "http://n:9100/metrics", "MVM_DB_PATH": "/data/x.db", "MVM_KEYSTORE_PATH": "/ks",
            "MVM_VALIDATOR_LABEL": "mine", "MVM_BATCH_SIZE": "250", "MVM_POLL_INTERVAL": "12", "MVM_PID_FILE": "/run/m.pid",
            "MVM_EXPECTED_IP": "10.0.", "MVM_NETWORK": "mainnet", "MVM_API_KEY": "k", "MVM_SYNC_FINALIZED_ONLY": "true",
        ]
        let loaded = try MVMConfigCommands.load(isolated(dir, env: env))
        let config = loaded.value
        #expect(config.rpc.url == "https://rpc.example:443")
        #expect(config.rpc.metricsURL == "http://m:9615/metrics")
        #expect(config.rpc.nodeExporterURL == "http://n:9100/metrics")
        #expect(config.database.path == "/data/x.db")
        #expect(config.validator.keystorePath == "/ks")
        #expect(config.validator.label == "mine")
        #expect(config.sync.batchSize == 250)
        #expect(config.sync.pollIntervalSecs == 12)
        #expect(config.daemon.pidFile == "/run/m.pid")
        #expect(config.view.expectedIP == "10.0.")
        #expect(config.chain.network == "mainnet")
        #expect(config.api.apiKey == "k")
        #expect(config.sync.finalizedOnly == true)
        #expect(loaded.warnings.isEmpty)
    }

    @Test("search order: ./mvm.toml, then XDG/home, then /opt, then /etc; MVM_CONFIG and --config override")
    func search() throws {
        let dir = try TemporaryDirectory(prefix: "mvmcfg")
        defer { dir.remove() }
        let home = dir.path("home")
        let xdgFile = try write("[sync]\nbatch_size = 2\n", "xdg/mvm/config.toml", in: dir)
        let env = ["HOME": home, "XDG_CONFIG_HOME": dir.path("xdg")]
        let entries = isolated(dir, env: env).searchEntries()
        #expect(
            entries.map(\.path) == [
                dir.url.path + "/mvm.toml", xdgFile, "/opt/midnight/mvm/config/config.toml", "/etc/mvm/config.toml",
            ])
        #expect(try MVMConfigCommands.load(isolated(dir, env: env)).file == xdgFile)
        let local = try write("[sync]\nbatch_size = 1\n", "mvm.toml", in: dir)
        #expect(try MVMConfigCommands.load(isolated(dir, env: env)).value.sync.batchSize == 1)
        #expect(isolated(dir, env: ["HOME": home]).searchEntries()[1].path == home + "/.config/mvm/config.toml")

        let named = try write("[sync]\nbatch_size = 3\n", "named.toml", in: dir)
        #expect(try MVMConfigCommands.load(isolated(dir, env: env.merging(["MVM_CONFIG": named]) { $1 })).file == named)
        #expect(try MVMConfigCommands.load(isolated(dir, env: env, config: named)).value.sync.batchSize == 3)
        #expect(throws: ConfigError.self) { try MVMConfigCommands.load(isolated(dir, env: env, config: dir.path("no.toml"))) }

        let paths = MVMConfigCommands.paths(isolated(dir, env: env))
        #expect(paths.stdout.contains("1. \(local)  ✓ exists (used)"))
        #expect(paths.stdout.contains("2. \(xdgFile)  ✓ exists\n"))
    }

    @Test("a v1 install config loads without warnings")
    func v1InstallFile() throws {
        let dir = try TemporaryDirectory(prefix: "mvmcfg")
        defer { dir.remove() }
        let text = """
            [rpc]
            url = "http://localhost:9944"
            metrics_url = "http://localhost:9615/metrics"
            # node_exporter_url = "http://localhost:9100/metrics"

            [database]
            path = "/opt/midnight/mvm/data/mvm.db"

            [validator]
            # keystore_path = "/path/to/keystore"

            [sync]
            batch_size = 100
            poll_interval_secs = 6

            [daemon]
            pid_file = "/opt/midnight/mvm/data/mvm-sync.pid"
            """
        let file = try write(text, "config.toml", in: dir)
        let loaded = try MVMConfigCommands.load(isolated(dir, config: file))
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.value.database.path == "/opt/midnight/mvm/data/mvm.db")
        #expect(loaded.value.daemon.pidFile == "/opt/midnight/mvm/data/mvm-sync.pid")
    }
}
