// bench-decode: what decoding one block costs, per node generation, in an optimised build.
//
// "Decoding a block" is everything catch-up does with a `chain_getBlock` answer before it stores
// the block: JSON → SignedBlock, the author evidence from the digest (AURA slot, BABE authority
// index and slot, mcsh), the timestamp inherent, and the header hash (blake2b-256 of the SCALE
// header). Three JSON paths are measured on the same bytes in the same run:
//   fast      MidnightChain's BlockJSON (what the node client uses for blocks and headers)
//   codable   Foundation JSONDecoder into the Codable models (the baseline)
//   jsonvalue JSONValue.parse then JSONValue.decode(as:) (the node client's generic path)
import Foundation
import MidnightChain
import MidnightRPC

enum Generation: String, CaseIterable {
    case v0_12 = "0.12 (AURA)"
    case v0_18 = "0.18 (AURA)"
    case v1_aura = "1.x AURA"
    case v1_migration = "1.x AURA+BABE"
    case v1_babe = "1.x BABE"
}

/// A realistic block of `generation`: the digest items the node writes and three extrinsics.
func blockJSON(_ generation: Generation, number: UInt64, slot: UInt64) -> [UInt8] {
    var w = ScaleWriter(capacity: 8)
    w.appendU64(slot)
    let aura = DigestItem.preRuntime(.aura, w.bytes).hex
    let babePlain = DigestItem.preRuntime(.babe, BabePreDigest.secondaryPlain(authorityIndex: 7, slot: slot).encoded()).hex
    let babeVRF = DigestItem.preRuntime(
        .babe, BabePreDigest.secondaryVRF(authorityIndex: 3, slot: slot, vrf: [UInt8](repeating: 5, count: 96)).encoded()
    ).hex
    let mcsh = DigestItem.preRuntime(.mainchainHash, (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(number)) }).hex
    let seal = { (engine: ConsensusEngine) in DigestItem.seal(engine, [UInt8](repeating: 0x11, count: 64)).hex }
    let logs: [String]
    switch generation {
    case .v0_12, .v0_18, .v1_aura: logs = [aura, mcsh, seal(.aura)]
    case .v1_migration: logs = [aura, babePlain, mcsh, seal(.aura)]
    case .v1_babe: logs = [babeVRF, mcsh, seal(.babe)]
    }
    let extrinsics = [
        TimestampInherent.encode(milliseconds: slot * 6000),
        Hex.encode([0x20, 0x04, 0x0c, 0x00] + [UInt8](repeating: 0x42, count: 4)),
        Hex.encode([0x90, 0x04, 0x12, 0x03] + [UInt8](repeating: 0x17, count: 32)),
    ]
    let parent = Hex.encode((0..<32).map { UInt8(truncatingIfNeeded: $0 &+ Int(number)) })
    let root = Hex.encode((0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(number)) })
    let quoted = { (items: [String]) in items.map { "\"\($0)\"" }.joined(separator: ",") }
    let n = "0x" + String(number, radix: 16)
    let text: String
    if generation == .v0_12 {
        // Older serializer: other member order, whitespace.
        text = """
            {"justifications": null, "block": {"extrinsics": [\(quoted(extrinsics))], "header": {"number": "\(n)", \
            "parentHash": "\(parent)", "extrinsicsRoot": "\(root)", "stateRoot": "\(root)", "digest": {"logs": [\(quoted(logs))]}}}}
            """
    } else {
        text = #"{"block":{"header":{"parentHash":"\#(parent)","number":"\#(n)","stateRoot":"\#(root)","extrinsicsRoot":"\#(root)","digest":{"logs":[\#(quoted(logs))]}},"extrinsics":[\#(quoted(extrinsics))]},"justifications":null}"#
    }
    return Array(text.utf8)
}

struct Decoded {
    var number: UInt64
    var slot: UInt64
    var timestampMs: UInt64
    var hash: String
}

/// The work after parsing, shared by every path.
@inline(never)
func finish(_ block: SignedBlock) throws -> Decoded {
    let evidence = try block.block.header.authorEvidence()
    guard let slot = evidence.slot, let ts = block.block.timestampMs else { throw BenchError("no slot or timestamp") }
    return Decoded(number: block.block.header.number, slot: slot, timestampMs: ts, hash: try block.block.header.computeHash())
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// This thread's CPU time in nanoseconds: unlike the wall clock, it does not count the time
/// other processes hold the (shared, 2-core) machine.
func threadCPUNanoseconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1e9 + Double(ts.tv_nsec)
}

/// Median over `rounds` of the per-block thread CPU time in nanoseconds.
func measure(rounds: Int = 7, blocks: [[UInt8]], _ body: ([UInt8]) throws -> UInt64) rethrows -> Double {
    var samples: [Double] = []
    var sink: UInt64 = 0
    for _ in 0..<rounds {
        let start = threadCPUNanoseconds()
        for b in blocks { sink &+= try body(b) }
        samples.append((threadCPUNanoseconds() - start) / Double(blocks.count))
    }
    if sink == 42 { print("") }  // keeps the work observable
    return samples.sorted()[samples.count / 2]
}

let count = Int(ProcessInfo.processInfo.environment["MVM_BENCH_DECODE_BLOCKS"] ?? "") ?? 5_000
let decoder = JSONDecoder()
func us(_ ns: Double) -> String { String(format: "%7.2f", ns / 1000) }

print("bench-decode: \(count) distinct blocks per generation, median of 7 rounds, µs of thread CPU time per block")
print("generation      | fast total | parse | evidence | timestamp | hash | codable total | jsonvalue total")
for generation in Generation.allCases {
    let blocks = (0..<count).map { blockJSON(generation, number: 3_000_000 + UInt64($0), slot: 294_751_351 + UInt64($0)) }
    // Every path must agree before anything is timed.
    for b in blocks.prefix(50) {
        let fast = try finish(try BlockJSON.signedBlock(b))
        let codable = try finish(try decoder.decode(SignedBlock.self, from: Data(b)))
        let viaValue = try finish(try JSONValue.parse(Data(b)).decode(as: SignedBlock.self))
        guard fast.hash == codable.hash, fast.hash == viaValue.hash, fast.slot == codable.slot,
            fast.timestampMs == codable.timestampMs, fast.number == viaValue.number
        else { throw BenchError("paths disagree for \(generation)") }
    }
    let parsed = try blocks.map { try BlockJSON.signedBlock($0) }
    let fastTotal = try measure(blocks: blocks) { try finish(try BlockJSON.signedBlock($0)).slot }
    let parse = try measure(blocks: blocks) { try BlockJSON.signedBlock($0).block.header.number }
    var i = 0
    let evidence = try measure(blocks: blocks) { _ in
        defer { i = (i + 1) % parsed.count }
        return try parsed[i].block.header.authorEvidence().slot ?? 0
    }
    let timestamp = measure(blocks: blocks) { _ in
        defer { i = (i + 1) % parsed.count }
        return parsed[i].block.timestampMs ?? 0
    }
    let hash = try measure(blocks: blocks) { _ in
        defer { i = (i + 1) % parsed.count }
        return UInt64(try parsed[i].block.header.computeHash().utf8.count)
    }
    let codable = try measure(rounds: 3, blocks: blocks) { try finish(try decoder.decode(SignedBlock.self, from: Data($0))).slot }
    let viaValue = try measure(rounds: 3, blocks: blocks) { try finish(try JSONValue.parse(Data($0)).decode(as: SignedBlock.self)).slot }
    print(
        "\(generation.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) | \(us(fastTotal))    |\(us(parse))|\(us(evidence))   |\(us(timestamp))    |\(us(hash))|\(us(codable))       |\(us(viaValue))"
    )
    print("BENCH decode generation=\"\(generation.rawValue)\" fast_us=\(us(fastTotal)) codable_us=\(us(codable)) jsonvalue_us=\(us(viaValue))")
}
