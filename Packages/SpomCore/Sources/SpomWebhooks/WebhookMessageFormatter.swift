import Foundation

/// Builds the request body for an endpoint's ``WebhookFormat``.
public enum WebhookMessageFormatter {
    /// The body for `format`: the event JSON itself, or the chat service's native message with
    /// `summary` (or, when the app gave none, `type` and the JSON) as text.
    public static func body(format: WebhookFormat, type: String, payload: Data, summary: String?, chatID: String?) -> Data {
        let text = summary ?? "\(type): \(String(decoding: payload, as: UTF8.self))"
        switch format {
        case .json:
            return payload
        case .slack:
            return encode(["text": text])
        case .discord:
            return encode(["content": String(text.prefix(2000))])
        case .telegram:
            return encode(["chat_id": chatID ?? "", "text": String(text.prefix(4096))])
        }
    }

    private static func encode(_ object: [String: String]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(object)) ?? Data("{}".utf8)
    }
}
