import SpomConfig

/// The example monitor's configuration: what to watch, where to store samples, the PID file.
struct DiskMonitorConfig: SpomConfiguration, Equatable {
    /// `[watch]`: the filesystem to sample.
    struct Watch: Codable, Sendable, Equatable {
        var path = "/"
        var intervalMs: UInt32 = 1000

        enum CodingKeys: String, CodingKey {
            case path
            case intervalMs = "interval_ms"
        }
    }

    /// `[storage]`: the SQLite file.
    struct Storage: Codable, Sendable, Equatable {
        var database = "./disk-monitor.db"
    }

    /// `[daemon]`: process management.
    struct Daemon: Codable, Sendable, Equatable {
        var pidFile = ""

        enum CodingKeys: String, CodingKey {
            case pidFile = "pid_file"
        }
    }

    var watch = Watch()
    var storage = Storage()
    var daemon = Daemon()

    static var defaults: DiskMonitorConfig { DiskMonitorConfig() }

    static var schema: ConfigSchema {
        ConfigSchema(
            environmentPrefix: "DISKMON",
            sections: [
                .init("watch", help: "The filesystem to sample."),
                .init("storage", help: "Where samples are kept."),
                .init("daemon", help: "Process management."),
            ],
            keys: [
                .init("watch.path", .string, help: "A path on the filesystem to measure."),
                .init("watch.interval_ms", .integer, help: "Milliseconds between samples."),
                .init("storage.database", .string, help: "SQLite database file."),
                .init("daemon.pid_file", .string, help: "PID file; empty for none."),
            ],
            exampleHeader: ["Disk free-space monitor (a SpomCore example)."])
    }

    func validationIssues() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if watch.path.isEmpty { issues.append(.init(.error, keyPath: "watch.path", message: "must not be empty")) }
        if watch.intervalMs == 0 {
            issues.append(.init(.error, keyPath: "watch.interval_ms", message: "must be greater than 0"))
        }
        if storage.database.isEmpty {
            issues.append(.init(.error, keyPath: "storage.database", message: "must not be empty"))
        }
        return issues
    }

    /// Where the monitor looks for its file when `--config` is not given.
    static let searchPaths: [ConfigSearchPath] = [
        .path("./disk-monitor.toml"), .userConfig(directory: "disk-monitor", file: "config.toml"),
    ]
}
