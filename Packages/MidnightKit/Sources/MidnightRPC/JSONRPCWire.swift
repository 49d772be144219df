import Foundation

/// One call in a batch: a method and its positional params.
public struct RPCCall: Sendable, Hashable {
    /// The JSON-RPC method name.
    public var method: String
    /// Positional params (always sent as a JSON array).
    public var params: [JSONValue]

    /// Creates a call.
    public init(_ method: String, _ params: [JSONValue] = []) {
        self.method = method
        self.params = params
    }
}

/// The JSON-RPC 2.0 request object as sent on the wire.
struct WireRequest: Encodable {
    let jsonrpc = "2.0"
    let id: UInt64
    let method: String
    let params: [JSONValue]
}

/// A parsed JSON-RPC response object: either a result (possibly `null`) or an error.
struct WireResponse: Sendable {
    enum Outcome: Sendable {
        case result(JSONValue)
        case error(code: Int, message: String, data: JSONValue?)
    }

    /// The id as sent back (`nil` when the server answered with `null`, e.g. for a batch-level error).
    let id: UInt64?
    let outcome: Outcome

    /// Reads one response object; `nil` when `value` is not a JSON-RPC response.
    init?(_ value: JSONValue) {
        guard let object = value.objectValue else { return nil }
        switch object["id"] {
        case .int(let i) where i >= 0: id = UInt64(i)
        case .uint(let u): id = u
        case .string(let s): id = UInt64(s)
        default: id = nil
        }
        if let error = object["error"], let errorObject = error.objectValue {
            let code = errorObject["code"]?.int64Value.map { Int($0) } ?? JSONRPCErrorCode.internalError
            let message = errorObject["message"]?.stringValue ?? "(no message)"
            outcome = .error(code: code, message: message, data: errorObject["data"])
        } else if let result = object["result"] {
            outcome = .result(result)
        } else if object.keys.contains("result") {
            outcome = .result(.null)
        } else {
            return nil
        }
    }
}

/// Recognises the node's "this state is gone" errors (pruned state or an unknown block).
enum PrunedStateDetector {
    /// The texts Substrate uses when the state for a block has been pruned or is unknown.
    static let markers = ["State already discarded", "UnknownBlock", "Unknown block", "state already discarded"]

    static func isPruned(message: String, data: JSONValue?) -> Bool {
        let texts = [message, data?.stringValue ?? data?.jsonText ?? ""]
        return texts.contains { text in markers.contains { text.contains($0) } }
    }
}

extension DecodingError {
    /// The field path inside the result (`block.header.number`, `committee[3].sidechainPubKey`).
    var fieldPath: String {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
        @unknown default:
            path = []
        }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// A short explanation without the path.
    var shortDetail: String {
        switch self {
        case .typeMismatch(let type, let context): "expected \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context): "missing \(type): \(context.debugDescription)"
        case .keyNotFound(let key, _): "missing field `\(key.stringValue)`"
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "\(self)"
        }
    }
}

/// A short, single-line excerpt of a response body for error messages.
func bodyExcerpt(_ data: Data, limit: Int = 200) -> String {
    let text = String(decoding: data.prefix(limit * 4), as: UTF8.self)
        .replacingOccurrences(of: "\n", with: " ")
        .trimmingCharacters(in: .whitespaces)
    return text.count > limit ? String(text.prefix(limit)) + "…" : text
}
