import SpomConfig

/// A small application configuration used by the tests: two sections, a nested section, an
/// array of tables, secrets, and a legacy environment name.
struct SampleConfig: SpomConfiguration, Equatable {
    struct Watch: Codable, Sendable, Equatable {
        var path = "/"
        var intervalMs: UInt32 = 1000
        var ratio = 0.5
        var enabled = true
        var tags: [String] = ["a"]
        var label: String?

        enum CodingKeys: String, CodingKey {
            case path, ratio, enabled, tags, label
            case intervalMs = "interval_ms"
        }
    }
    struct Store: Codable, Sendable, Equatable {
        struct Remote: Codable, Sendable, Equatable {
            var url = ""
            var token = ""
        }
        var path = "./sample.db"
        var remote = Remote()
    }
    struct Target: Codable, Sendable, Equatable {
        var url: String
        var secret: String?
    }
    struct Notify: Codable, Sendable, Equatable {
        var targets: [Target] = []
    }

    var watch = Watch()
    var store = Store()
    var notify = Notify()

    static var defaults: SampleConfig { SampleConfig() }

    static var schema: ConfigSchema {
        ConfigSchema(
            environmentPrefix: "SAMPLE",
            sections: [
                .init("watch", help: "What to watch."),
                .init("store", help: "Where to keep results."),
                .init("store.remote", help: "Optional copy elsewhere."),
                .init("notify", help: "Notifications."),
            ],
            keys: [
                .init("watch.path", .string, help: "Directory to measure.", environment: ["OLD_WATCH_PATH"]),
                .init("watch.interval_ms", .integer, help: "Milliseconds between samples."),
                .init("watch.ratio", .float, help: "A ratio.", deprecation: "ratios are no longer used"),
                .init("watch.enabled", .bool, help: "Whether sampling runs."),
                .init("watch.tags", .stringList, help: "Tags."),
                .init("watch.label", .string, help: "A label.", example: "\"home\""),
                .init("store.path", .string, help: "Database file."),
                .init("store.remote.url", .string, help: "Remote URL.", secret: .urlPassword),
                .init("store.remote.token", .string, help: "Remote token.", secret: .whole),
                .init("notify.targets", .tableList, help: "Where to send notifications."),
                .init("notify.targets[].url", .string, help: "Target URL.", example: "\"https://example.com/hook\""),
                .init("notify.targets[].secret", .string, help: "Signing secret.", secret: .whole, example: "\"s3cret\""),
            ],
            exampleHeader: ["Sample configuration"])
    }

    func validationIssues() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if watch.intervalMs == 0 {
            issues.append(ConfigIssue(.error, keyPath: "watch.interval_ms", message: "must be greater than 0"))
        }
        for (index, target) in notify.targets.enumerated() where !target.url.hasPrefix("https://") {
            issues.append(ConfigIssue(.error, keyPath: "notify.targets[\(index)].url", message: "must be https"))
        }
        return issues
    }
}
