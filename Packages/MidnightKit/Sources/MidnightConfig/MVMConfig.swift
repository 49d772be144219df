import Foundation
import SpomConfig

#if canImport(Glibc)
import Glibc
#endif

/// MVM's configuration: every v1 section and key with v1's defaults, plus the v2 sections
/// (`[api]`, `[webhooks]`, `[database.remote]`, `[integration]`).
///
/// Load it with ``MVMConfigCommands/load(_:)``; keys missing from the file keep these defaults.
public struct MVMConfig: SpomConfiguration, Equatable {
    /// `[rpc]`: the node.
    public struct RPC: Codable, Sendable, Equatable {
        /// JSON-RPC endpoint (HTTP; WebSocket is derived from it).
        public var url = "http://localhost:9944"
        /// The node's Prometheus endpoint.
        public var metricsURL = "http://localhost:9615/metrics"
        /// node_exporter's endpoint (dashboard system panel), optional.
        public var nodeExporterURL: String?
        /// Request timeout in milliseconds.
        public var timeoutMs: UInt64 = 30_000
        /// Retries for a failed request.
        public var maxRetries: UInt32 = 3
        /// First retry delay in milliseconds.
        public var retryInitialDelayMs: UInt64 = 1_000
        /// Largest retry delay in milliseconds.
        public var retryMaxDelayMs: UInt64 = 30_000

        /// Defaults.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case url
            case metricsURL = "metrics_url"
            case nodeExporterURL = "node_exporter_url"
            case timeoutMs = "timeout_ms"
            case maxRetries = "max_retries"
            case retryInitialDelayMs = "retry_initial_delay_ms"
            case retryMaxDelayMs = "retry_max_delay_ms"
        }
    }

    /// `[database]`: the local SQLite file and an optional remote copy.
    public struct Database: Codable, Sendable, Equatable {
        /// SQLite file. Default: `/opt/midnight/mvm/data/mvm.db` when that directory exists, else `./mvm.db`.
        public var path = MVMConfig.defaultDatabasePath()
        /// `[database.remote]`.
        public var remote = Remote()

        /// Defaults.
        public init() {}
    }

    /// Kinds of remote database.
    public enum RemoteType: String, Codable, Sendable, Equatable, CaseIterable {
        /// Push to PostgreSQL.
        case postgresql
        /// Keep a SQLite replica file.
        case sqliteReplica = "sqlite_replica"
    }

    /// `[database.remote]`: push the data to PostgreSQL or a SQLite replica.
    public struct Remote: Codable, Sendable, Equatable {
        /// Whether pushing is on.
        public var enabled = false
        /// `postgresql` or `sqlite_replica`.
        public var type = RemoteType.postgresql
        /// PostgreSQL URL (`postgresql://user[:password]@host:port/db`).
        public var url = ""
        /// Environment variable holding the password.
        public var passwordEnv: String?
        /// File holding the password.
        public var passwordFile: String?
        /// Replica file for `sqlite_replica`.
        public var path: String?
        /// Seconds between pushes.
        public var syncIntervalSecs: UInt64 = 60

        /// Defaults.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case enabled, type, url, path
            case passwordEnv = "password_env"
            case passwordFile = "password_file"
            case syncIntervalSecs = "sync_interval_secs"
        }
    }

    /// `[validator]`: the operator's keys.
    public struct Validator: Codable, Sendable, Equatable {
        /// Substrate keystore directory.
        public var keystorePath: String?
        /// Free-form label (kept for compatibility).
        public var label: String?
        /// Node name shown by the dashboard (default: the hostname, see ``nodeName``).
        public var name: String?

        /// Defaults.
        public init() {}

        /// ``name`` or the hostname.
        public var nodeName: String { name ?? MVMConfig.hostname() }

        enum CodingKeys: String, CodingKey {
            case label, name
            case keystorePath = "keystore_path"
        }
    }

    /// `[sync]`: how blocks are followed.
    public struct Sync: Codable, Sendable, Equatable {
        /// Blocks per batch during catch-up.
        public var batchSize: UInt32 = 100
        /// Seconds between polls when caught up.
        public var pollIntervalSecs: UInt64 = 6
        /// Store only finalized blocks.
        public var finalizedOnly = false
        /// First block for a fresh database (0 = resume / use the window).
        public var startBlock: UInt64 = 0
        /// How far behind the tip a fresh database starts.
        public var windowBlocks: UInt64 = 14_400

        /// Defaults.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case batchSize = "batch_size"
            case pollIntervalSecs = "poll_interval_secs"
            case finalizedOnly = "finalized_only"
            case startBlock = "start_block"
            case windowBlocks = "window_blocks"
        }
    }

    /// `[view]`: the dashboard.
    public struct View: Codable, Sendable, Equatable {
        /// Refresh interval in milliseconds.
        public var refreshIntervalMs: UInt64 = 6_000
        /// Expected external IP prefix.
        public var expectedIP: String?
        /// Colour theme: `midnight` or `midday`.
        public var theme = "midnight"

        /// Defaults.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case theme
            case refreshIntervalMs = "refresh_interval_ms"
            case expectedIP = "expected_ip"
        }
    }

    /// `[daemon]`: process management.
    public struct Daemon: Codable, Sendable, Equatable {
        /// PID file for `mvm sync --daemon`.
        public var pidFile: String?
        /// Log file (logs go to stderr/journald when unset).
        public var logFile: String?
        /// Kept for compatibility.
        public var enableSyslog = false

        /// Defaults.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case pidFile = "pid_file"
            case logFile = "log_file"
            case enableSyslog = "enable_syslog"
        }
    }

    /// `[chain]`: network timing.
    public struct Chain: Codable, Sendable, Equatable {
        /// Network preset: see ``MVMConfig/knownNetworks``.
        public var network = "preview"
        /// Genesis timestamp override (ms).
        public var genesisTimestampMs: UInt64?
        /// Slot duration override (ms).
        public var slotDurationMs: UInt64?
        /// Slots per sidechain epoch override.
        public var slotsPerEpoch: UInt64?

        /// Defaults.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case network
            case genesisTimestampMs = "genesis_timestamp_ms"
            case slotDurationMs = "slot_duration_ms"
            case slotsPerEpoch = "slots_per_epoch"
        }
    }

    /// `[alerts]`: kept for compatibility with v1 files (superseded by `[webhooks]`).
    public struct Alerts: Codable, Sendable, Equatable {
        /// Unused in v2.
        public var enabled = false
        /// Unused in v2.
        public var thresholdPercent: UInt8 = 80
        /// Unused in v2.
        public var minExpectedBlocks: UInt32 = 5
        /// Unused in v2.
        public var webhookURL: String?
        /// Unused in v2.
        public var cooldownSecs: UInt64 = 300

        /// Defaults.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case enabled
            case thresholdPercent = "threshold_percent"
            case minExpectedBlocks = "min_expected_blocks"
            case webhookURL = "webhook_url"
            case cooldownSecs = "cooldown_secs"
        }
    }

    /// `[api]`: REST API and Prometheus metrics (`mvm-api`).
    public struct API: Codable, Sendable, Equatable {
        /// Whether the API server runs.
        public var enabled = false
        /// Listen address `host:port` (`[::1]:8080` for IPv6).
        public var bind = "127.0.0.1:8080"
        /// API key required on requests (secret).
        public var apiKey: String?
        /// File holding the API key.
        public var apiKeyFile: String?
        /// Allowed CORS origins.
        public var corsOrigins: [String] = []
        /// Serve `/metrics`.
        public var metricsEnabled = true
        /// Export per-validator metrics for every validator (not only ours).
        public var metricsAllValidators = false
        /// Proxies whose X-Forwarded-For is trusted.
        public var trustedProxies: [String] = []
        /// Requests per minute per client; 0 = no limit.
        public var rateLimitPerMinute: UInt32 = 0

        /// Defaults.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case enabled, bind
            case apiKey = "api_key"
            case apiKeyFile = "api_key_file"
            case corsOrigins = "cors_origins"
            case metricsEnabled = "metrics_enabled"
            case metricsAllValidators = "metrics_all_validators"
            case trustedProxies = "trusted_proxies"
            case rateLimitPerMinute = "rate_limit_per_minute"
        }
    }

    /// Payload formats of a webhook endpoint.
    public enum WebhookFormat: String, Codable, Sendable, Equatable, CaseIterable {
        /// MVM's JSON event.
        case json
        /// Slack incoming webhook.
        case slack
        /// Discord webhook.
        case discord
        /// Telegram bot API.
        case telegram
    }

    /// One `[[webhooks.endpoints]]` entry.
    public struct WebhookEndpoint: Codable, Sendable, Equatable {
        /// Where events are POSTed.
        public var url: String
        /// Event names, or `["*"]` for all.
        public var events: [String]
        /// `Authorization` header value (secret).
        public var auth: String?
        /// HMAC signing secret (secret).
        public var secret: String?
        /// Payload format.
        public var format: WebhookFormat
        /// A name for logs.
        public var name: String?
        /// Telegram chat id (required with `format = "telegram"`).
        public var chatID: String?

        /// Creates an endpoint.
        public init(
            url: String, events: [String] = ["*"], auth: String? = nil, secret: String? = nil,
            format: WebhookFormat = .json, name: String? = nil, chatID: String? = nil
        ) {
            self.url = url
            self.events = events
            self.auth = auth
            self.secret = secret
            self.format = format
            self.name = name
            self.chatID = chatID
        }

        enum CodingKeys: String, CodingKey {
            case url, events, auth, secret, format, name
            case chatID = "chat_id"
        }

        /// Decodes with defaults for the optional fields.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            url = try container.decode(String.self, forKey: .url)
            events = try container.decodeIfPresent([String].self, forKey: .events) ?? ["*"]
            auth = try container.decodeIfPresent(String.self, forKey: .auth)
            secret = try container.decodeIfPresent(String.self, forKey: .secret)
            format = try container.decodeIfPresent(WebhookFormat.self, forKey: .format) ?? .json
            name = try container.decodeIfPresent(String.self, forKey: .name)
            chatID = try container.decodeIfPresent(String.self, forKey: .chatID)
        }
    }

    /// `[webhooks]`: event notifications.
    public struct Webhooks: Codable, Sendable, Equatable {
        /// Whether webhooks are sent.
        public var enabled = false
        /// Attempts per delivery.
        public var retryAttempts: UInt32 = 5
        /// First retry delay in milliseconds (doubles each attempt).
        public var retryDelayMs: UInt64 = 2_000
        /// Seconds between reminders of a still-active problem (0 = none).
        public var reminderIntervalSecs: UInt64 = 3_600
        /// `sync_alert` `falling_behind` when the database is more than this many blocks behind
        /// the node's best block (0 = never).
        public var fallingBehindBlocks: UInt64 = 50
        /// `sync_alert` `stalled` when the node's best block has not advanced for this many seconds.
        public var stalledSecs: UInt64 = 120
        /// `sync_alert` `finality_lagging` when finality is more than this many blocks behind the
        /// best block (0 = never).
        public var finalityLagBlocks: UInt64 = 100
        /// Milliseconds between two looks at the node for sync alerts.
        public var alertCheckIntervalMs: UInt64 = 5_000
        /// Blocks, missed slots and epoch ends older than this many seconds are history, not
        /// news: no event for them (a first sync does not send the whole chain).
        public var maxEventAgeSecs: UInt64 = 3_600
        /// The endpoints.
        public var endpoints: [WebhookEndpoint] = []

        /// Defaults.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case enabled, endpoints
            case retryAttempts = "retry_attempts"
            case retryDelayMs = "retry_delay_ms"
            case reminderIntervalSecs = "reminder_interval_secs"
            case fallingBehindBlocks = "falling_behind_blocks"
            case stalledSecs = "stalled_secs"
            case finalityLagBlocks = "finality_lag_blocks"
            case alertCheckIntervalMs = "alert_check_interval_ms"
            case maxEventAgeSecs = "max_event_age_secs"
        }
    }

    /// `[integration]`: identity when several monitors share a remote database or webhook.
    public struct Integration: Codable, Sendable, Equatable {
        /// The chain's id in shared tables.
        public var chainID = "midnight"
        /// This monitor's name (default: the hostname).
        public var instanceName = MVMConfig.hostname()

        /// Defaults.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case chainID = "chain_id"
            case instanceName = "instance_name"
        }
    }

    /// `[rpc]`.
    public var rpc = RPC()
    /// `[database]`.
    public var database = Database()
    /// `[validator]`.
    public var validator = Validator()
    /// `[sync]`.
    public var sync = Sync()
    /// `[view]`.
    public var view = View()
    /// `[daemon]`.
    public var daemon = Daemon()
    /// `[chain]`.
    public var chain = Chain()
    /// `[alerts]`.
    public var alerts = Alerts()
    /// `[api]`.
    public var api = API()
    /// `[webhooks]`.
    public var webhooks = Webhooks()
    /// `[integration]`.
    public var integration = Integration()

    /// The defaults.
    public init() {}

    /// The defaults (database path and instance name are computed on this machine).
    public static var defaults: MVMConfig { MVMConfig() }

    /// The network presets `chain.network` accepts.
    public static let knownNetworks = ["testnet-02", "preview", "preprod", "mainnet"]

    /// The themes `view.theme` accepts.
    public static let knownThemes = ["midnight", "midday"]

    /// v1's rule: `/opt/midnight/mvm/data/mvm.db` if `/opt/midnight/mvm/data` is a directory,
    /// else `./mvm.db`.
    public static func defaultDatabasePath(installDirectory: String = "/opt/midnight/mvm/data") -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: installDirectory, isDirectory: &isDirectory), isDirectory.boolValue {
            return installDirectory + "/mvm.db"
        }
        return "./mvm.db"
    }

    /// This machine's host name (`gethostname`), or `localhost`.
    public static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
