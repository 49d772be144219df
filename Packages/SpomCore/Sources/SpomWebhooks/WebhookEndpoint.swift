import Crypto
import Foundation

/// What an endpoint receives: the raw JSON event, or a chat service's native message built from
/// the event's summary text.
public enum WebhookFormat: String, Sendable, Codable, CaseIterable {
    /// The event JSON as enqueued (Standard Webhooks style).
    case json
    /// Slack incoming webhook: `{"text": summary}`.
    case slack
    /// Discord webhook: `{"content": summary}` (cut to Discord's 2000 characters).
    case discord
    /// Telegram Bot API `sendMessage`: `{"chat_id": chatID, "text": summary}`.
    case telegram
}

/// One configured receiver.
public struct WebhookEndpoint: Sendable, Equatable, Codable {
    /// A stable name used in the database, logs and status output. When not configured it is
    /// derived from a hash of the URL (URLs of chat webhooks contain secrets and are never logged).
    public var name: String
    /// Where to POST.
    public var url: String
    /// Event types to deliver; `["*"]` for all.
    public var events: [String]
    /// `Authorization` header value sent as is (for example `Bearer abc`), or `nil`.
    public var auth: String?
    /// Standard Webhooks signing secret (`whsec_<base64>` or raw text), or `nil` for no signature.
    public var secret: String?
    /// The body format.
    public var format: WebhookFormat
    /// Telegram chat id (required for ``WebhookFormat/telegram``).
    public var chatID: String?

    /// Creates an endpoint.
    public init(
        name: String? = nil,
        url: String,
        events: [String] = ["*"],
        auth: String? = nil,
        secret: String? = nil,
        format: WebhookFormat = .json,
        chatID: String? = nil
    ) {
        self.name = name.flatMap { $0.isEmpty ? nil : $0 } ?? Self.derivedName(url: url)
        self.url = url
        self.events = events.isEmpty ? ["*"] : events
        self.auth = auth
        self.secret = secret
        self.format = format
        self.chatID = chatID
    }

    /// Whether events of `type` go to this endpoint.
    public func subscribes(to type: String) -> Bool {
        events.contains("*") || events.contains(type)
    }

    /// `ep-` plus 12 hex digits of the URL's SHA-256.
    public static func derivedName(url: String) -> String {
        "ep-" + SHA256.hash(data: Data(url.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    /// The URL without path, query or credentials, safe to log (`https://hooks.slack.com`).
    public var loggableURL: String {
        guard let components = URLComponents(string: url), let host = components.host else { return name }
        let port = components.port.map { ":\($0)" } ?? ""
        return "\(components.scheme ?? "http")://\(host)\(port)"
    }

    /// Problems that make the endpoint unusable (empty when valid).
    public func validate() -> [String] {
        var problems: [String] = []
        if let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false
        {
        } else {
            problems.append("endpoint \(name): url must be an http(s) URL")
        }
        if format == .telegram && (chatID ?? "").isEmpty {
            problems.append("endpoint \(name): format telegram needs chat_id")
        }
        if let secret, (try? WebhookSigner(secret: secret)) == nil {
            problems.append("endpoint \(name): secret is not usable (whsec_ prefix needs base64 after it)")
        }
        return problems
    }
}

/// How the dispatcher retries.
public struct WebhookDispatchSettings: Sendable, Equatable {
    /// Retries after the first attempt; after them the delivery is parked as failed.
    public var retryAttempts: Int
    /// The first retry delay; each further retry doubles it (with jitter), up to ``maxDelay``.
    public var retryDelay: Duration
    /// The longest wait between two attempts (backoff and `Retry-After` are capped to it).
    public var maxDelay: Duration
    /// Per-attempt request timeout.
    public var requestTimeout: Duration
    /// How often idle workers look for new events (``WebhookDispatcher/wake()`` is immediate).
    public var pollInterval: Duration
    /// Events enqueued at most this long before an endpoint first appears are delivered to it;
    /// older ones are not (a new endpoint does not get the whole history).
    public var newEndpointBackfill: Duration
    /// Delivered rows older than this are pruned hourly (failed and pending ones are kept);
    /// `nil` keeps everything.
    public var retention: Duration?

    /// Creates settings; `retryAttempts` and `retryDelayMs` are the `[webhooks]` config keys.
    public init(
        retryAttempts: Int = 5,
        retryDelayMs: Int = 1000,
        maxDelay: Duration = .seconds(3600),
        requestTimeout: Duration = .seconds(15),
        pollInterval: Duration = .milliseconds(500),
        newEndpointBackfill: Duration = .seconds(600),
        retention: Duration? = .seconds(7 * 86400)
    ) {
        self.retryAttempts = max(0, retryAttempts)
        self.retryDelay = .milliseconds(max(1, retryDelayMs))
        self.maxDelay = maxDelay
        self.requestTimeout = requestTimeout
        self.pollInterval = pollInterval
        self.newEndpointBackfill = newEndpointBackfill
        self.retention = retention
    }
}
