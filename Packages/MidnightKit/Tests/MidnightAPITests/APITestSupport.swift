import AsyncHTTPClient
import Foundation
import Logging
import MidnightAPI
import MidnightStore
import NIOCore
import NIOHTTP1
import SpomHTTP
import SpomTesting
import Testing

/// A small synthetic chain: 30 blocks in sidechain epochs 10 (1-15) and 11 (16-30), three
/// validators A, B, C authoring round-robin, A marked ours, blocks 1-20 finalized.
enum Fixture {
    static let chain = "midnight"
    static let keyA = key(0xa1), keyB = key(0xb2), keyC = key(0xc3)
    static let auraA = key(0x1a), auraB = key(0x2b), auraC = key(0x3c)
    static let keys = [keyA, keyB, keyC]
    static let auras = [auraA, auraB, auraC]
    static let progressMs: UInt64 = 1_800_000_000_000

    static func key(_ byte: UInt8) -> String { "0x" + String(repeating: String(format: "%02x", byte), count: 32) }
    static func hash(_ number: UInt64) -> String { "0x" + String(format: "%064x", 0xabc0_0000 + number) }

    /// Writes the chain into a new database at `path` and closes the writer.
    static func write(to path: String) throws {
        let writer = try MidnightDatabase.openWriter(path: path, options: WriterOptions(slotsPerEpoch: 20, slotDurationMs: 6000))
        for epoch: UInt64 in [10, 11] {
            _ = try writer.storeCommittee(NewCommittee(
                sidechainEpoch: epoch, mainchainEpoch: 500, authorities: auras, source: "test",
                candidates: (0..<3).map { CommitteeCandidate(sidechainKey: keys[$0], auraKey: auras[$0], isPermissioned: false, stake: 1000) }))
        }
        let blocks: [NewBlock] = (1...30).map { (number: UInt64) in
            let epoch: UInt64 = number <= 15 ? 10 : 11
            let slot = epoch * 20 + (number <= 15 ? number : number - 15)
            let index = Int(number % 3)
            return NewBlock(
                number: number, hash: hash(number), parentHash: hash(number - 1), slot: slot, sidechainEpoch: epoch,
                mainchainEpoch: 500, timestampMs: slot * 6000, extrinsicsCount: 2,
                author: .attributed(sidechainKey: keys[index], auraKey: auras[index]))
        }
        _ = try writer.insertBlocks(blocks)
        _ = try writer.markFinalized(upTo: 20)
        try writer.markOurs(sidechainKey: keyA, auraKey: auraA, label: "ours")
        try writer.updateSyncStatus(SyncStatusUpdate(
            startBlock: 1, lastSyncedBlock: 30, lastFinalizedBlock: 20, chainTipBlock: 32, currentSidechainEpoch: 11,
            currentMainchainEpoch: 500, isSyncing: false, blocksPerSecond: 2.5, rpcRequestsTotal: 123, rpcFailuresTotal: 4,
            lastProgressMs: progressMs))
        try writer.close()
    }
}

/// A response read fully.
struct TestResponse {
    let status: Int
    let headers: [String: String]
    let body: String

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8))
        return try #require(object as? [String: Any], "body is not a JSON object: \(body)")
    }

    /// The error envelope's (code, message).
    func envelope() throws -> (code: String, message: String) {
        let decoded = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(body.utf8))
        return (decoded.error.code, decoded.error.message)
    }
}

/// A loopback client for the server under test.
struct TestClient {
    let port: Int

    func get(_ path: String, method: HTTPMethod = .GET, headers: [(String, String)] = []) async throws -> TestResponse {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        var fields: [String: String] = [:]
        for header in response.headers {
            let key = header.name.lowercased()
            fields[key] = fields[key].map { "\($0), \(header.value)" } ?? header.value
        }
        return TestResponse(status: Int(response.status.code), headers: fields, body: String(buffer: bytes))
    }
}

/// Writes the fixture (unless `writeDatabase` is false), runs an API server on 127.0.0.1:0 over
/// it for the duration of `body`, then stops it.
func withAPIServer(
    writeDatabase: Bool = true,
    nowMs: UInt64 = Fixture.progressMs + 5_000,
    configure: (inout MVMAPIConfiguration) throws -> Void = { _ in },
    _ body: (TestClient, String) async throws -> Void
) async throws {
    let directory = try TemporaryDirectory(prefix: "mvm-api")
    defer { directory.remove() }
    let path = directory.path("mvm.db")
    if writeDatabase { try Fixture.write(to: path) }
    var configuration = MVMAPIConfiguration(databasePath: path, bind: HTTPBindAddress(host: "127.0.0.1", port: 0), version: "1.2.3-test")
    try configure(&configuration)
    var logger = Logger(label: "mvm-api-test")
    logger.logLevel = .critical
    let server = MVMAPIServer(configuration: configuration, logger: logger, nowMs: { nowMs })
    let task = Task { try await server.runUntilSignalled(handleSignals: false) }
    defer { task.cancel() }
    let port = try await server.boundPort.wait(timeout: .seconds(10))
    try await body(TestClient(port: port), path)
    task.cancel()
    _ = await task.result
}
