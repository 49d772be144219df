// swift-tools-version:6.2
//
// Whole-process benchmarks, built in release only by the scripts that run them
// (Scripts/bench-decode), in their own scratch folder (.build-bench), so CI's `swift build`
// of the root package never compiles them.
import PackageDescription

let kit = { (name: String) -> Target.Dependency in .product(name: name, package: "MidnightKit") }

let package = Package(
    name: "MVMBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../../Packages/MidnightKit"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Block decoding per node generation: the fast path, the Codable baseline, and the
        // node client's path (JSONValue).
        .executableTarget(
            name: "bench-decode",
            dependencies: [kit("MidnightChain"), kit("MidnightRPC")],
            path: "Sources/BenchDecode"
        ),
        // Simulated-node start-up with a long history (blake2b + block JSON per block).
        .executableTarget(
            name: "bench-devnode-start",
            dependencies: [kit("MidnightDevnode"), .product(name: "Logging", package: "swift-log")],
            path: "Sources/BenchDevnodeStart"
        ),
    ],
    swiftLanguageModes: [.v6]
)
