// bench-devnode-start: how long the simulated node takes to build a long history and start
// serving (the cost is one blake2b-256 and one block JSON per block).
import Foundation
import Logging
import MidnightDevnode

let history = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 100_000
var configuration = DevnodeConfiguration()
configuration.historyBlocks = history
configuration.clockStartMs = 1_768_508_106_000
var logger = Logger(label: "bench-devnode-start")
logger.logLevel = .error

let start = ContinuousClock.now
let node = try Devnode(configuration: configuration, logger: logger)
let built = ContinuousClock.now
try await node.start()
let started = ContinuousClock.now
print("bench-devnode-start: \(history) blocks of history: built in \(built - start), serving after \(started - start) (best #\(node.bestNumber))")
print("BENCH devnode_start history=\(history) build_s=\((built - start).components.seconds) total=\"\(started - start)\"")
await node.stop()
