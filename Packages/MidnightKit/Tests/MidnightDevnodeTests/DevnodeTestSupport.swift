import AsyncHTTPClient
import Foundation
import Logging
import MidnightDevnode
import NIOCore
import SpomTesting
import Testing

/// A started devnode for one test; stops it afterwards.
func withDevnode<T>(
    _ configuration: DevnodeConfiguration, _ body: (Devnode) async throws -> T
) async throws -> T {
    var logger = Logger(label: "devnode-test")
    logger.logLevel = .warning
    let node = try Devnode(configuration: configuration, logger: logger)
    try await node.start()
    do {
        let result = try await body(node)
        await node.stop()
        return result
    } catch {
        await node.stop()
        throw error
    }
}

/// The raw HTTP answer to a POST of `body` to `url`.
func post(_ url: String, body: String, timeout: TimeAmount = .seconds(10)) async throws -> (status: Int, body: [UInt8]) {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(string: body))
    let response = try await HTTPClient.shared.execute(request, timeout: timeout)
    let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
    return (Int(response.status.code), Array(buffer.readableBytesView))
}

/// A GET of `url` as text.
func get(_ url: String) async throws -> (status: Int, text: String) {
    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
    let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
    return (Int(response.status.code), String(buffer: buffer))
}

/// Errors of the test helpers.
struct RPCTestError: Error, CustomStringConvertible {
    let description: String
}

/// One JSON-RPC call over HTTP; returns the whole response object.
func rpc(_ node: Devnode, _ method: String, _ params: [Any] = []) async throws -> [String: Any] {
    let payload: [String: Any] = ["jsonrpc": "2.0", "id": 1, "method": method, "params": params]
    let data = try JSONSerialization.data(withJSONObject: payload)
    let (status, body) = try await post(node.httpURL, body: String(decoding: data, as: UTF8.self))
    guard status == 200 else { throw RPCTestError(description: "\(method): HTTP \(status)") }
    guard let object = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) as? [String: Any] else {
        throw RPCTestError(description: "\(method): answer is not an object: \(String(decoding: body, as: UTF8.self))")
    }
    return object
}

/// The `result` of a call (throws on a JSON-RPC error).
func result(_ node: Devnode, _ method: String, _ params: [Any] = []) async throws -> Any {
    let answer = try await rpc(node, method, params)
    if let error = answer["error"] { throw RPCTestError(description: "\(method): \(error)") }
    guard let r = answer["result"] else { throw RPCTestError(description: "\(method): no result") }
    return r
}

/// The `result` of a call, re-encoded as JSON and decoded as `T`.
func decoded<T: Decodable>(_ type: T.Type, _ node: Devnode, _ method: String, _ params: [Any] = []) async throws -> T {
    let r = try await result(node, method, params)
    let data = try JSONSerialization.data(withJSONObject: r, options: [.fragmentsAllowed])
    return try JSONDecoder().decode(T.self, from: data)
}

/// The JSON-RPC error (code, message) of a call, or nil.
func rpcError(_ node: Devnode, _ method: String, _ params: [Any] = []) async throws -> (code: Int, message: String)? {
    let answer = try await rpc(node, method, params)
    guard let e = answer["error"] as? [String: Any] else { return nil }
    return ((e["code"] as? Int) ?? 0, (e["message"] as? String) ?? "")
}

/// A fixed clock so two nodes build the same history.
let fixedClockMs: UInt64 = 1_767_801_600_000
