import SpomConfig

extension MVMConfig {
    /// Every section and key, with help, v1 environment names and secrets.
    ///
    /// Each scalar key also has a canonical variable `MVM_<SECTION>_<KEY>` (for example
    /// `MVM_SYNC_FINALIZED_ONLY`); v1's names (`MVM_DB_PATH`, `MVM_POLL_INTERVAL`, ...) still work.
    public static var schema: ConfigSchema {
        ConfigSchema(
            environmentPrefix: "MVM",
            sections: [
                .init("rpc", help: "The Midnight node MVM follows."),
                .init("database", help: "Local SQLite database."),
                .init(
                    "database.remote",
                    help: "Optional push of the data to PostgreSQL or a SQLite replica.\nThe password comes from password_env, password_file or the URL."),
                .init("validator", help: "Your validator's keys."),
                .init("sync", help: "Block synchronisation."),
                .init("view", help: "The terminal dashboard (mvm view)."),
                .init("daemon", help: "Daemon mode (mvm sync --daemon)."),
                .init("chain", help: "Network timing. Overrides are for networks whose timing differs from the preset."),
                .init("alerts", help: "Kept so v1 files still load; superseded by [webhooks]."),
                .init("api", help: "REST API and Prometheus metrics (mvm-api)."),
                .init(
                    "webhooks",
                    help: "Event notifications. Add one [[webhooks.endpoints]] table per receiver."),
                .init("integration", help: "Identity when several monitors share a database or receiver."),
            ],
            keys: keys,
            exampleHeader: [
                "MVM (Midnight Validator Monitor) configuration.",
                "",
                "Searched in order, first found wins: ./mvm.toml, $XDG_CONFIG_HOME/mvm/config.toml",
                "(~/.config/mvm/config.toml), /opt/midnight/mvm/config/config.toml, /etc/mvm/config.toml;",
                "or give one with --config PATH (or MVM_CONFIG).",
                "Priority: command-line flags > environment variables > this file > defaults.",
                "Every value below is the default; commented keys have no default or one computed at run time.",
            ],
            ignoredEnvironment: ["MVM_CONFIG", "MVM_LOG_LEVEL", "SPOM_BIN_DIR"])
    }

    private static let alertsNote = "[alerts] was never used; configure [webhooks] instead"

    private static var keys: [ConfigKey] {
        [
            .init("rpc.url", .string, help: "Node JSON-RPC endpoint (http:// or https://).", environment: ["MVM_RPC_URL"]),
            .init("rpc.metrics_url", .string, help: "Node Prometheus endpoint.", environment: ["MVM_METRICS_URL"]),
            .init(
                "rpc.node_exporter_url", .string, help: "node_exporter endpoint for the dashboard's system panel.",
                environment: ["MVM_NODE_EXPORTER_URL"], example: "\"http://localhost:9100/metrics\""),
            .init("rpc.timeout_ms", .integer, help: "Request timeout in milliseconds."),
            .init("rpc.max_retries", .integer, help: "Retries for a failed request."),
            .init("rpc.retry_initial_delay_ms", .integer, help: "First retry delay in milliseconds."),
            .init("rpc.retry_max_delay_ms", .integer, help: "Largest retry delay in milliseconds."),

            .init(
                "database.path", .string,
                help: "SQLite file. Default: /opt/midnight/mvm/data/mvm.db if that directory exists, else ./mvm.db.",
                environment: ["MVM_DB_PATH"], example: "\"./mvm.db\"", commentedInExample: true),
            .init("database.remote.enabled", .bool, help: "Push data to the remote database."),
            .init("database.remote.type", .string, help: "\"postgresql\" or \"sqlite_replica\"."),
            .init(
                "database.remote.url", .string, help: "PostgreSQL URL, e.g. postgresql://mvm@db.example:5432/mvm.",
                secret: .urlPassword),
            .init(
                "database.remote.password_env", .string, help: "Environment variable holding the password.",
                example: "\"MVM_PG_PASSWORD\""),
            .init(
                "database.remote.password_file", .string, help: "File holding the password.",
                example: "\"/etc/mvm/pg-password\""),
            .init(
                "database.remote.path", .string, help: "Replica file for type = \"sqlite_replica\".",
                example: "\"/srv/mvm/replica.db\""),
            .init("database.remote.sync_interval_secs", .integer, help: "Seconds between pushes."),

            .init(
                "validator.keystore_path", .string, help: "Substrate keystore directory of your node.",
                environment: ["MVM_KEYSTORE_PATH"], example: "\"/data/chains/partner_chains_template/keystore\""),
            .init(
                "validator.label", .string, help: "Free-form label for your validator.",
                environment: ["MVM_VALIDATOR_LABEL"], example: "\"my-validator\""),
            .init("validator.name", .string, help: "Node name shown by the dashboard (default: hostname).", example: "\"node-1\""),

            .init("sync.batch_size", .integer, help: "Blocks per batch while catching up.", environment: ["MVM_BATCH_SIZE"]),
            .init(
                "sync.poll_interval_secs", .integer, help: "Seconds between polls once caught up.",
                environment: ["MVM_POLL_INTERVAL"]),
            .init("sync.finalized_only", .bool, help: "Store only finalized blocks."),
            .init("sync.start_block", .integer, help: "First block for a fresh database (0 = use window_blocks)."),
            .init("sync.window_blocks", .integer, help: "How many blocks behind the tip a fresh database starts."),

            .init("view.refresh_interval_ms", .integer, help: "Dashboard refresh interval in milliseconds."),
            .init(
                "view.expected_ip", .string, help: "Expected external IP (prefix) of your node.",
                environment: ["MVM_EXPECTED_IP"], example: "\"203.0.113.\""),
            .init("view.theme", .string, help: "\"midnight\" or \"midday\"."),

            .init(
                "daemon.pid_file", .string, help: "PID file for mvm sync --daemon.", environment: ["MVM_PID_FILE"],
                example: "\"/opt/midnight/mvm/data/mvm-sync.pid\""),
            .init(
                "daemon.log_file", .string, help: "Kept for compatibility; logs go to stderr / the journal.",
                example: "\"/var/log/mvm.log\"", deprecation: "logs go to standard error (the journal under systemd)"),
            .init(
                "daemon.enable_syslog", .bool, help: "Kept for compatibility.",
                deprecation: "under systemd, logs reach the journal (and syslog) through standard error"),

            .init(
                "chain.network", .string, help: "Network preset: testnet-02, preview, preprod or mainnet.",
                environment: ["MVM_NETWORK"]),
            .init(
                "chain.genesis_timestamp_ms", .integer, help: "Genesis timestamp override (Unix ms).",
                example: "1700000000000"),
            .init("chain.slot_duration_ms", .integer, help: "Slot duration override (ms).", example: "6000"),
            .init("chain.slots_per_epoch", .integer, help: "Slots per sidechain epoch override.", example: "1200"),

            .init("alerts.enabled", .bool, help: "Unused (v1 compatibility).", deprecation: alertsNote),
            .init("alerts.threshold_percent", .integer, help: "Unused (v1 compatibility).", deprecation: alertsNote),
            .init("alerts.min_expected_blocks", .integer, help: "Unused (v1 compatibility).", deprecation: alertsNote),
            .init(
                "alerts.webhook_url", .string, help: "Unused (v1 compatibility).", example: "\"https://example.com/hook\"",
                deprecation: alertsNote),
            .init("alerts.cooldown_secs", .integer, help: "Unused (v1 compatibility).", deprecation: alertsNote),

            .init("api.enabled", .bool, help: "Run the API server.", environment: ["MVM_API_ENABLED"]),
            .init("api.bind", .string, help: "Listen address host:port ([::1]:8080 for IPv6).", environment: ["MVM_API_BIND"]),
            .init(
                "api.api_key", .string, help: "API key clients must send (X-API-Key or Bearer).",
                environment: ["MVM_API_KEY"], secret: .whole, example: "\"change-me\""),
            .init(
                "api.api_key_file", .string, help: "File holding the API key.", environment: ["MVM_API_KEY_FILE"],
                example: "\"/etc/mvm/api-key\""),
            .init("api.cors_origins", .stringList, help: "Allowed CORS origins."),
            .init("api.metrics_enabled", .bool, help: "Serve /metrics."),
            .init("api.metrics_all_validators", .bool, help: "Export metrics for every validator, not only yours."),
            .init("api.trusted_proxies", .stringList, help: "Proxies whose X-Forwarded-For is trusted."),
            .init("api.rate_limit_per_minute", .integer, help: "Requests per minute per client (0 = no limit)."),

            .init("webhooks.enabled", .bool, help: "Send webhooks."),
            .init("webhooks.retry_attempts", .integer, help: "Attempts per delivery."),
            .init("webhooks.retry_delay_ms", .integer, help: "First retry delay in ms (doubles per attempt)."),
            .init("webhooks.reminder_interval_secs", .integer, help: "Seconds between reminders of an ongoing problem (0 = none)."),
            .init("webhooks.falling_behind_blocks", .integer, help: "sync_alert falling_behind above this many blocks behind the node (0 = off)."),
            .init("webhooks.stalled_secs", .integer, help: "sync_alert stalled when the node's best block stands still this long."),
            .init("webhooks.finality_lag_blocks", .integer, help: "sync_alert finality_lagging above this many unfinalized blocks (0 = off)."),
            .init("webhooks.alert_check_interval_ms", .integer, help: "How often the node is checked for sync alerts."),
            .init("webhooks.max_event_age_secs", .integer, help: "Blocks and epochs older than this send no event (history is not news)."),
            .init("webhooks.endpoints", .tableList, help: "Receivers, one table each:"),
            .init("webhooks.endpoints[].url", .string, help: "where events are POSTed", example: "\"https://hooks.example.com/mvm\""),
            .init("webhooks.endpoints[].events", .stringList, help: "event names, or [\"*\"] for all", example: "[\"*\"]"),
            .init("webhooks.endpoints[].auth", .string, help: "Authorization header", secret: .whole, example: "\"Bearer abc\""),
            .init("webhooks.endpoints[].secret", .string, help: "HMAC signing secret", secret: .whole, example: "\"s3cret\""),
            .init("webhooks.endpoints[].format", .string, help: "json, slack, discord or telegram", example: "\"json\""),
            .init("webhooks.endpoints[].name", .string, help: "a name for logs", example: "\"ops\""),
            .init("webhooks.endpoints[].chat_id", .string, help: "Telegram chat id (format telegram)", example: "\"-100123\""),

            .init("integration.chain_id", .string, help: "This chain's id in shared tables."),
            .init(
                "integration.instance_name", .string, help: "This monitor's name (default: hostname).",
                example: "\"node-1\"", commentedInExample: true),
        ]
    }
}
