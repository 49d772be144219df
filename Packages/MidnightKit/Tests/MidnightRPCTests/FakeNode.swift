import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import MidnightRPC
import NIOCore
import SpomTesting
import Synchronization

/// A small scripted JSON-RPC node on 127.0.0.1 (HTTP POST + WebSocket on one port) for failure
/// cases the simulated node cannot script precisely: exact status codes, Retry-After, batch
/// rejection shapes, out-of-order batch answers, closing sockets on cue.
final class FakeNode: Sendable {
    /// What the node answers to one call.
    enum Reply: Sendable {
        case result(JSONValue)
        case error(code: Int, message: String, data: JSONValue? = nil)
    }

    /// An answer to a whole POST that replaces normal JSON-RPC handling.
    struct HTTPOverride: Sendable {
        var status: Int
        var body: String
        var retryAfter: String? = nil
        var delay: Duration? = nil
    }

    /// How the node treats batches.
    enum BatchPolicy: Sendable {
        case unlimited
        /// Over `n` items: a single jsonrpsee error object (-32010) with id null.
        case limit(Int)
        /// Any batch: a single jsonrpsee error object (-32005).
        case disabled
        /// Over `n` items: HTTP 413.
        case http413Above(Int)
        /// Over `n` items: an array with a -32010 error per item.
        case perItemErrorsAbove(Int)
    }

    struct Script: Sendable {
        var methods: [String: @Sendable ([JSONValue]) -> Reply] = FakeNode.standardMethods
        /// Called for every POST (0-based index) before normal handling; non-nil replaces it.
        var override: @Sendable (_ post: Int, _ methods: [String]) -> HTTPOverride? = { _, _ in nil }
        var batch: BatchPolicy = .unlimited
        /// Answer batch items in reverse order (clients must match by id).
        var reverseBatchAnswers = true
        /// Delay before every answer.
        var latency: Duration? = nil
        /// Heads sent per WebSocket connection before the node closes it (nil = never closes).
        var closeWebSocketAfterHeads: Int? = nil
        /// Interval between heads on the WebSocket.
        var headInterval: Duration = .milliseconds(20)
    }

    let script: Script
    /// Every call received, by method (batch items counted one by one).
    let calls = Mutex<[String]>([])
    /// Number of POSTs received and the item count of each.
    let posts = Mutex<[Int]>([])
    /// WebSocket connections accepted.
    let webSocketConnections = Atomic<Int>(0)
    /// Next head number sent on the WebSocket (continues across connections).
    let nextHead = Atomic<UInt64>(1)
    private let boundPort = Atomic<Int>(0)

    init(script: Script) { self.script = script }

    var port: Int { boundPort.load(ordering: .acquiring) }
    var url: String { "http://127.0.0.1:\(port)" }

    func count(of method: String) -> Int { calls.withLock { $0.filter { $0 == method }.count } }
    var postCount: Int { posts.withLock { $0.count } }

    /// Runs `body` with a started node, then stops it.
    static func with<T: Sendable>(_ script: Script = Script(), _ body: @Sendable (FakeNode) async throws -> T) async throws -> T {
        let node = FakeNode(script: script)
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.post("/") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            return await node.handle(Data(body.readableBytesView))
        }
        router.ws("/") { inbound, outbound, _ in
            try await node.webSocket(inbound: inbound, outbound: outbound)
        }
        var logger = Logger(label: "fake-node")
        logger.logLevel = .critical  // cancellation at shutdown logs errors by design
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in node.boundPort.store(channel.localAddress?.port ?? 0, ordering: .releasing) },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            guard await eventually(timeout: .seconds(10), { node.port != 0 }) else {
                group.cancelAll()
                throw ChildProcessError("fake node did not start")
            }
            do {
                let result = try await body(node)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    // MARK: HTTP

    private func handle(_ data: Data) async -> Response {
        if let latency = script.latency { try? await Task.sleep(for: latency) }
        let parsed = try? JSONValue.parse(data)
        let items: [JSONValue]
        let isBatch: Bool
        switch parsed {
        case .array(let array): items = array; isBatch = true
        case .some(let single): items = [single]; isBatch = false
        case .none: return Self.json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
        }
        let methods = items.map { $0["method"]?.stringValue ?? "?" }
        let postIndex = posts.withLock { posts -> Int in
            posts.append(items.count)
            return posts.count - 1
        }
        calls.withLock { $0.append(contentsOf: methods) }
        if let override = script.override(postIndex, methods) {
            if let delay = override.delay { try? await Task.sleep(for: delay) }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            if let retryAfter = override.retryAfter { headers[.retryAfter] = retryAfter }
            return Response(
                status: .init(code: override.status), headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: override.body)))
        }
        if isBatch {
            switch script.batch {
            case .unlimited: break
            case .limit(let n) where items.count > n:
                return Self.json(
                    #"{"jsonrpc":"2.0","id":null,"error":{"code":-32010,"message":"The batch request was too large","data":"Exceeded max limit of \#(n)"}}"#)
            case .disabled:
                return Self.json(
                    #"{"jsonrpc":"2.0","id":null,"error":{"code":-32005,"message":"Batched requests are not supported by this server"}}"#)
            case .http413Above(let n) where items.count > n:
                return Response(status: .contentTooLarge)
            case .perItemErrorsAbove(let n) where items.count > n:
                let answers = items.map { item -> JSONValue in
                    ["jsonrpc": "2.0", "id": item["id"] ?? .null,
                     "error": ["code": .int(-32010), "message": "The batch request was too large"]]
                }
                return Self.json(JSONValue.array(answers).jsonText)
            default: break
            }
        }
        var answers = items.map { answer($0) }
        if isBatch {
            if script.reverseBatchAnswers { answers.reverse() }
            return Self.json(JSONValue.array(answers).jsonText)
        }
        return Self.json(answers[0].jsonText)
    }

    private func answer(_ request: JSONValue) -> JSONValue {
        let id = request["id"] ?? .null
        let method = request["method"]?.stringValue ?? ""
        let params = request["params"]?.arrayValue ?? []
        guard let handler = script.methods[method] else {
            return ["jsonrpc": "2.0", "id": id, "error": ["code": .int(-32601), "message": "Method not found"]]
        }
        switch handler(params) {
        case .result(let value):
            return ["jsonrpc": "2.0", "id": id, "result": value]
        case .error(let code, let message, let data):
            var error: [String: JSONValue] = ["code": .int(Int64(code)), "message": .string(message)]
            if let data { error["data"] = data }
            return ["jsonrpc": "2.0", "id": id, "error": .object(error)]
        }
    }

    static func json(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: WebSocket

    private func webSocket(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        webSocketConnections.add(1, ordering: .relaxed)
        var subscriptions: [String: String] = [:]  // notification method -> subscription id
        var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        // Wait for the subscribe requests (bounded), answering each.
        let wanted = 2
        while subscriptions.count < wanted {
            guard let message = try await iterator.next() else { return }
            guard case .text(let text) = message, let request = try? JSONValue.parse(Data(text.utf8)) else { continue }
            let id = request["id"] ?? .null
            let method = request["method"]?.stringValue ?? ""
            let notification: String
            switch method {
            case "chain_subscribeNewHeads": notification = "chain_newHead"
            case "chain_subscribeFinalizedHeads": notification = "chain_finalizedHead"
            default: continue
            }
            let subscription = "sub-\(notification)-\(UUID().uuidString.prefix(6))"
            subscriptions[notification] = subscription
            try await outbound.write(.text(JSONValue.object(["jsonrpc": "2.0", "id": id, "result": .string(subscription)]).jsonText))
        }
        var sent = 0
        while !Task.isCancelled {
            if let limit = script.closeWebSocketAfterHeads, sent >= limit { return }
            try await Task.sleep(for: script.headInterval)
            let number = nextHead.add(1, ordering: .relaxed).oldValue
            for (notification, subscription) in subscriptions.sorted(by: { $0.key > $1.key }) {
                let header = notification == "chain_newHead" ? Self.header(number: number) : Self.header(number: number > 2 ? number - 2 : 0)
                let text = JSONValue.object([
                    "jsonrpc": "2.0", "method": .string(notification),
                    "params": ["subscription": .string(subscription), "result": header],
                ]).jsonText
                try await outbound.write(.text(text))
            }
            sent += 1
        }
    }

    // MARK: Canned node answers

    static let zeroHash = "0x" + String(repeating: "00", count: 32)

    static func hash(_ n: UInt64) -> String {
        "0x" + String(repeating: "ab", count: 24) + String(format: "%016llx", n)
    }

    /// A header as the node sends it (number as hex string).
    static func header(number: UInt64) -> JSONValue {
        [
            "parentHash": .string(number == 0 ? zeroHash : hash(number - 1)),
            "number": .string("0x" + String(number, radix: 16)),
            "stateRoot": .string(zeroHash),
            "extrinsicsRoot": .string(zeroHash),
            "digest": ["logs": [.string("0x0661757261" + "20" + "778c911100000000")]],
        ]
    }

    static func block(number: UInt64) -> JSONValue {
        ["block": ["header": header(number: number), "extrinsics": [.string("0x280403000b" + "00000000000000")]], "justifications": nil]
    }

    static let tip: UInt64 = 100

    static let standardMethods: [String: @Sendable ([JSONValue]) -> Reply] = [
        "system_health": { _ in .result(["peers": 5, "isSyncing": false, "shouldHavePeers": true]) },
        "system_syncState": { _ in .result(["startingBlock": 0, "currentBlock": 100, "highestBlock": 100]) },
        "system_version": { _ in .result("1.0.1-5edf8ddd") },
        "system_chain": { _ in .result("Midnight Fake") },
        "system_peers": { _ in .result([["peerId": "12D3KooWA", "roles": "FULL", "bestHash": .string(hash(99)), "bestNumber": 99]]) },
        "system_unstable_networkState": { _ in
            .result([
                "peerId": "12D3KooWSelf", "externalAddresses": ["/ip4/1.2.3.4/tcp/30333"],
                "connectedPeers": [
                    "12D3KooWB": ["knownAddresses": ["/ip4/5.6.7.8/tcp/30333"], "endpoint": ["dialing": "/ip4/5.6.7.8/tcp/30333"]],
                    "12D3KooWA": ["knownAddresses": [], "endpoint": ["listening": ["local_addr": "/ip4/0.0.0.0/tcp/30333"]]],
                ],
            ])
        },
        "chain_getHeader": { params in
            if let h = params.first?.stringValue {
                guard h.hasPrefix("0x" + String(repeating: "ab", count: 24)), let n = UInt64(h.suffix(16), radix: 16) else { return .result(nil) }
                return .result(header(number: n))
            }
            return .result(header(number: tip))
        },
        "chain_getFinalizedHead": { _ in .result(.string(hash(tip - 2))) },
        "chain_getBlockHash": { params in
            let n = params.first?.uint64Value ?? params.first?.stringValue.flatMap { UInt64($0.dropFirst(2), radix: 16) } ?? tip
            return n <= tip ? .result(.string(hash(n))) : .result(nil)
        },
        "chain_getBlock": { params in
            guard let h = params.first?.stringValue, let n = UInt64(h.suffix(16), radix: 16) else { return .result(nil) }
            return .result(block(number: n))
        },
        "state_call": { params in
            let function = params.first?.stringValue ?? ""
            if let at = params.dropFirst(2).first?.stringValue, let n = UInt64(at.suffix(16), radix: 16), n < 10 {
                return .error(code: 4003, message: "Client error: UnknownBlock: State already discarded for \(at)")
            }
            switch function {
            case "AuraApi_authorities":
                // Two 32-byte keys: 0x01.. and 0x02..
                return .result(.string("0x08" + String(repeating: "01", count: 32) + String(repeating: "02", count: 32)))
            case "AuraApi_slot_duration":
                return .result("0x7017000000000000")  // 6000
            default:
                return .error(code: 4003, message: "Client error: Execution failed: Other: Exported method \(function) is not found")
            }
        },
        "state_getRuntimeVersion": { _ in
            .result(["specName": "midnight", "implName": "midnight", "specVersion": 100006002, "transactionVersion": 1])
        },
        "author_hasKey": { params in .result(.bool(params.first?.stringValue?.hasSuffix("01") ?? false)) },
        "sidechain_getStatus": { _ in
            .result([
                "sidechain": ["epoch": 245527, "nextEpochTimestamp": 1767801600000],
                "mainchain": ["epoch": 1170, "slot": 101144532, "nextEpochTimestamp": 1767830400000],
            ])
        },
        "sidechain_getParams": { _ in .result(["genesis_utxo": "623d4aa68a836a7572ff3886da4a273d35aa97fa78fce3b3ce63fd35ed4754b8#1"]) },
        "sidechain_getEpochCommittee": { params in
            .result(["sidechainEpoch": params.first ?? 0, "committee": [["sidechainPubKey": "0x02aa"], ["sidechainPubKey": "0x03bb"]]])
        },
        "sidechain_getRegistrations": { _ in .result([registration]) },
        "sidechain_getAriadneParameters": { _ in .result(ariadne(dParameter: (0, 0))) },
        "systemParameters_getAriadneParameters": { _ in .result(ariadne(dParameter: (7, 3))) },
        "systemParameters_getDParameter": { _ in .result(["numPermissionedCandidates": 7, "numRegisteredCandidates": 3]) },
        "rpc_methods": { _ in .result(["version": 1, "methods": .array(allMethodNames.map { .string($0) })]) },
    ]

    static let allMethodNames = [
        "system_health", "system_syncState", "system_version", "system_chain", "system_peers",
        "system_unstable_networkState", "chain_getHeader", "chain_getFinalizedHead", "chain_getBlockHash",
        "chain_getBlock", "state_call", "state_getRuntimeVersion", "author_hasKey", "sidechain_getStatus",
        "sidechain_getParams", "sidechain_getEpochCommittee", "sidechain_getRegistrations",
        "sidechain_getAriadneParameters", "systemParameters_getAriadneParameters", "systemParameters_getDParameter",
        "rpc_methods", "chain_subscribeNewHeads", "chain_subscribeFinalizedHeads",
    ]

    static let registration: JSONValue = [
        "sidechainPubKey": "0x0389411795514af1627765eceffcbd002719f031604fadd7d188e2dc585b4e1afb",
        "mainchainPubKey": "0x7521303029fc73ea2dd6a410c4c3cf570bf294a7e02942e049d50ba117acec22",
        "keys": ["aura": "0x90b5", "gran": "0x4396"],
        "stakeDelegation": 2380000000,
        "isValid": true,
    ]

    static func ariadne(dParameter: (Int64, Int64)) -> JSONValue {
        [
            "dParameter": ["numPermissionedCandidates": .int(dParameter.0), "numRegisteredCandidates": .int(dParameter.1)],
            "permissionedCandidates": nil,
            "candidateRegistrations": ["0x7521303029fc73ea2dd6a410c4c3cf570bf294a7e02942e049d50ba117acec22": [registration]],
        ]
    }
}
