import Foundation

/// What one attempt's outcome means for the delivery.
public enum WebhookAttemptOutcome: Sendable, Equatable {
    /// 2xx: done.
    case delivered
    /// 410 Gone: stop, and disable the endpoint.
    case gone
    /// Anything else: retry, no earlier than `notBefore` when the receiver said so.
    case retry(reason: String, status: Int?, retryAfter: Duration?)
}

/// Backoff and response classification for webhook deliveries.
public enum WebhookRetryPolicy {
    /// Classifies a response: 2xx delivered, 410 gone, everything else (3xx included, redirects
    /// are not followed) a retry. `Retry-After` (seconds or HTTP date) is honoured, and for a 429
    /// also a `retry_after` in a JSON body (Discord seconds, Telegram `parameters.retry_after`).
    public static func classify(status: Int, headers: [(String, String)], body: Data, now: Date = Date()) -> WebhookAttemptOutcome {
        switch status {
        case 200..<300:
            return .delivered
        case 410:
            return .gone
        default:
            var retryAfter = headers.first { $0.0.lowercased() == "retry-after" }.flatMap { parseRetryAfter($0.1, now: now) }
            if status == 429, retryAfter == nil { retryAfter = bodyRetryAfter(body) }
            return .retry(reason: "HTTP \(status)", status: status, retryAfter: retryAfter)
        }
    }

    /// Parses a `Retry-After` value: delta seconds or an HTTP date.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64(seconds * 1000))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: trimmed) {
            return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
        }
        return nil
    }

    /// `retry_after` (seconds) at the top of a JSON body or under `parameters`.
    static func bodyRetryAfter(_ body: Data) -> Duration? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        let value = object["retry_after"] ?? (object["parameters"] as? [String: Any])?["retry_after"]
        guard let seconds = (value as? NSNumber)?.doubleValue, seconds.isFinite, seconds >= 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// The wait before retry number `attempt` (1 = first retry): `base * 2^(attempt-1)`, capped at
    /// `cap`, with "equal jitter" (a random point in the upper half), and never shorter than the
    /// receiver's `retryAfter` (itself capped at `cap`).
    public static func delay(
        attempt: Int,
        base: Duration,
        cap: Duration,
        retryAfter: Duration?,
        using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let baseMs = max(1, base.milliseconds)
        let capMs = max(baseMs, cap.milliseconds)
        let exponent = min(max(attempt - 1, 0), 40)
        let raw = baseMs > capMs >> exponent ? capMs : min(capMs, baseMs << exponent)
        let half = raw / 2
        let jittered = half + Int64.random(in: 0...max(0, raw - half), using: &generator)
        let floor = min(retryAfter?.milliseconds ?? 0, capMs)
        return .milliseconds(max(jittered, floor))
    }
}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
