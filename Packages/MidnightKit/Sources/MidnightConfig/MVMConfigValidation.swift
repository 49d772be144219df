import Foundation
import SpomConfig

extension MVMConfig {
    /// MVM's rules; each issue names its key path (the loader adds file and line).
    public func validationIssues() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func error(_ key: String, _ message: String) { issues.append(ConfigIssue(.error, keyPath: key, message: message)) }
        func warning(_ key: String, _ message: String) { issues.append(ConfigIssue(.warning, keyPath: key, message: message)) }
        func httpURL(_ key: String, _ value: String?) {
            guard let value else { return }
            if !Self.isHTTPURL(value) { error(key, "must be an http:// or https:// URL with a host, got \"\(value)\"") }
        }

        httpURL("rpc.url", rpc.url)
        httpURL("rpc.metrics_url", rpc.metricsURL)
        httpURL("rpc.node_exporter_url", rpc.nodeExporterURL)
        if rpc.timeoutMs == 0 { error("rpc.timeout_ms", "must be greater than 0") }
        if rpc.retryInitialDelayMs > rpc.retryMaxDelayMs {
            error("rpc.retry_initial_delay_ms", "must not exceed rpc.retry_max_delay_ms (\(rpc.retryMaxDelayMs))")
        }

        if database.path.isEmpty { error("database.path", "must not be empty") }
        let remote = database.remote
        if remote.enabled {
            switch remote.type {
            case .postgresql:
                if remote.url.isEmpty {
                    error("database.remote.url", "is required when the remote type is postgresql")
                } else if !(remote.url.hasPrefix("postgresql://") || remote.url.hasPrefix("postgres://"))
                    || URL(string: remote.url)?.host == nil
                {
                    error("database.remote.url", "must be a postgresql:// URL with a host")
                }
            case .sqliteReplica:
                if (remote.path ?? "").isEmpty {
                    error("database.remote.path", "is required when the remote type is sqlite_replica")
                }
            }
            if remote.syncIntervalSecs == 0 { error("database.remote.sync_interval_secs", "must be greater than 0") }
        }
        if remote.passwordEnv != nil && remote.passwordFile != nil {
            warning("database.remote.password_file", "both password_env and password_file are set; password_env wins")
        }

        if sync.batchSize == 0 { error("sync.batch_size", "must be greater than 0") }
        if sync.pollIntervalSecs == 0 { error("sync.poll_interval_secs", "must be greater than 0") }
        if view.refreshIntervalMs == 0 { error("view.refresh_interval_ms", "must be greater than 0") }
        if !Self.knownThemes.contains(view.theme.lowercased()) {
            error("view.theme", "unknown theme \"\(view.theme)\" (known: \(Self.knownThemes.joined(separator: ", ")))")
        }

        if !Self.knownNetworks.contains(chain.network) {
            error("chain.network", "unknown network \"\(chain.network)\" (known: \(Self.knownNetworks.joined(separator: ", ")))")
        }
        if chain.slotDurationMs == 0 { error("chain.slot_duration_ms", "must be greater than 0") }
        if chain.slotsPerEpoch == 0 { error("chain.slots_per_epoch", "must be greater than 0") }
        if alerts.thresholdPercent > 100 { error("alerts.threshold_percent", "must be between 0 and 100") }

        if Self.parseBind(api.bind) == nil {
            error("api.bind", "must be host:port with a port 1-65535 (e.g. 127.0.0.1:8080 or [::1]:8080), got \"\(api.bind)\"")
        }
        if api.apiKey != nil && api.apiKeyFile != nil {
            warning("api.api_key_file", "both api_key and api_key_file are set; api_key wins")
        }
        if api.apiKey?.isEmpty == true { error("api.api_key", "must not be empty when set") }

        for (index, endpoint) in webhooks.endpoints.enumerated() {
            let key = "webhooks.endpoints[\(index)]"
            if !Self.isHTTPURL(endpoint.url) { error("\(key).url", "must be an http:// or https:// URL, got \"\(endpoint.url)\"") }
            if endpoint.events.isEmpty { error("\(key).events", "must list at least one event (or \"*\")") }
            if endpoint.format == .telegram && (endpoint.chatID ?? "").isEmpty {
                error("\(key).chat_id", "is required with format = \"telegram\"")
            }
        }
        if webhooks.stalledSecs == 0 { error("webhooks.stalled_secs", "must be at least 1") }
        if webhooks.alertCheckIntervalMs < 100 { error("webhooks.alert_check_interval_ms", "must be at least 100") }
        if webhooks.enabled && webhooks.endpoints.isEmpty {
            warning("webhooks.enabled", "webhooks are enabled but no [[webhooks.endpoints]] is configured")
        }
        if integration.chainID.isEmpty { error("integration.chain_id", "must not be empty") }
        if integration.instanceName.isEmpty { error("integration.instance_name", "must not be empty") }
        return issues
    }

    /// Whether `text` is an absolute http(s) URL with a host.
    public static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    /// Splits `host:port` (`[v6]:port` for IPv6); `nil` when malformed or the port is not 1-65535.
    public static func parseBind(_ text: String) -> (host: String, port: Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(" "), let port = Int(portText), (1...65_535).contains(port) else { return nil }
        return (String(host), port)
    }
}
