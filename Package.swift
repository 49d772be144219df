// swift-tools-version:6.2
//
// The MVM workspace. The libraries live in two local packages:
//   Packages/SpomCore     chain-agnostic core (config, daemon, store, TUI, HTTP, metrics, webhooks, push)
//   Packages/MidnightKit  everything Midnight (RPC, decoding, schema, sync, API, views, simulated node)
// and the executables in Apps/ only parse arguments and wire those libraries together.
//
// The root package also declares the local packages' test targets (their sources stay beside
// each module, under Packages/*/Tests) so that one `swift build --build-tests` in one build
// folder compiles and one `swift test` runs every test; each local package's own manifest
// declares the same targets for working on it alone. SpomCore's example executable
// (`spom-mini-monitor`, used by its reuse tests) is built with `swift build --product spom-mini-monitor`.
import PackageDescription

let spom = { (name: String) -> Target.Dependency in .product(name: name, package: "SpomCore") }
let midnight = { (name: String) -> Target.Dependency in .product(name: name, package: "MidnightKit") }

/// Executables: (product name, target name, folder under Apps/, the command module it runs).
/// Each single-purpose executable links only its own command module, so `mvm-sync` carries no
/// API server, dashboard or simulated node (a smaller binary, less resident memory); `mvm` has all.
let apps: [(product: String, target: String, path: String, commands: String)] = [
    ("mvm", "MVMApp", "Apps/mvm", "MVMCommands"),
    ("mvm-sync", "MVMSyncApp", "Apps/mvm-sync", "MVMSyncCommand"),
    ("mvm-view", "MVMViewApp", "Apps/mvm-view", "MVMViewCommand"),
    ("mvm-api", "MVMAPIApp", "Apps/mvm-api", "MVMAPICommand"),
    ("mvm-devnode", "MVMDevnodeApp", "Apps/mvm-devnode", "MVMDevnodeCommand"),
]

/// The local packages' test targets, mirrored from their manifests.
let spomTests: [(name: String, dependencies: [String])] = [
    ("SpomConfigTests", ["SpomConfig"]),
    ("SpomLogTests", ["SpomLog"]),
    ("SpomDaemonTests", ["SpomDaemon"]),
    ("SpomStoreTests", ["SpomStore"]),
    ("SpomThemeTests", ["SpomTheme"]),
    ("SpomTUITests", ["SpomTUI"]),
    ("SpomMetricsTests", ["SpomMetrics"]),
    ("SpomHTTPTests", ["SpomHTTP", "SpomMetrics"]),
    ("SpomWebhooksTests", ["SpomWebhooks", "SpomHTTP"]),
    ("SpomRemoteTests", ["SpomRemote"]),
    ("SpomCoreReuseTests", ["SpomConfig", "SpomDaemon", "SpomStore", "SpomLog"]),
    ("SpomCorePurityTests", []),
]
let midnightTests: [(name: String, dependencies: [String])] = [
    ("MidnightChainTests", ["MidnightChain"]),
    ("MidnightRPCTests", ["MidnightRPC", "MidnightDevnode"]),
    ("MidnightConfigTests", ["MidnightConfig"]),
    ("MidnightStoreTests", ["MidnightStore"]),
    ("MidnightSyncTests", ["MidnightSync", "MidnightDevnode", "MidnightTesting"]),
    ("MidnightStatusTests", ["MidnightStatus", "MidnightSync", "MidnightDevnode"]),
    ("MidnightAPITests", ["MidnightAPI", "MidnightSync", "MidnightDevnode"]),
    ("MidnightEventsTests", ["MidnightEvents", "MidnightSync", "MidnightDevnode"]),
    ("MidnightRemoteTests", ["MidnightRemote", "MidnightStore"]),
    ("MidnightViewTests", ["MidnightView"]),
    // MidnightRPC brings AsyncHTTPClient and WSClient, the real clients the devnode tests use.
    ("MidnightDevnodeTests", ["MidnightDevnode", "MidnightRPC"]),
]

/// Extra (non-local) dependencies of some MidnightKit test targets, mirrored from its manifest.
let midnightTestExtras: [String: [Target.Dependency]] = [
    "MidnightRPCTests": [
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
    ],
    "MidnightRemoteTests": [spom("SpomRemote")],
    // A loopback webhook receiver and signature checks.
    "MidnightEventsTests": [
        spom("SpomWebhooks"), spom("SpomTestingHTTP"),
        .product(name: "GRDB", package: "GRDB.swift"),
    ],
]

/// Extra (non-local) dependencies of some SpomCore test targets, mirrored from its manifest.
let spomTestExtras: [String: [Target.Dependency]] = [
    "SpomHTTPTests": [.product(name: "AsyncHTTPClient", package: "async-http-client")],
    "SpomRemoteTests": [.product(name: "GRDB", package: "GRDB.swift")],
    "SpomWebhooksTests": [
        spom("SpomTestingHTTP"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
    ],
]

let package = Package(
    name: "mvm",
    platforms: [.macOS(.v15)],
    products: apps.map { .executable(name: $0.product, targets: [$0.target]) },
    dependencies: [
        .package(path: "Packages/SpomCore"),
        .package(path: "Packages/MidnightKit"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Only for test targets that run a small fake server (see midnightTestExtras).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // Only for SpomCore test targets that talk HTTP or open SQLite directly (see spomTestExtras).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: apps.map {
        .executableTarget(
            name: $0.target,
            dependencies: [
                midnight("MVMCommandSupport"), midnight($0.commands),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: $0.path
        )
    }
        + spomTests.map {
            .testTarget(
                name: $0.name,
                dependencies: ($0.dependencies + ["SpomTesting"]).map(spom) + (spomTestExtras[$0.name] ?? []),
                path: "Packages/SpomCore/Tests/\($0.name)"
            )
        }
        + midnightTests.map {
            .testTarget(
                name: $0.name,
                dependencies: $0.dependencies.map(midnight) + [spom("SpomTesting")] + (midnightTestExtras[$0.name] ?? []),
                path: "Packages/MidnightKit/Tests/\($0.name)"
            )
        }
        + [
            // End-to-end tests: run the built executables against the simulated node.
            .testTarget(
                name: "EndToEndTests",
                dependencies: [
                    midnight("MidnightChain"), midnight("MidnightDevnode"), midnight("MidnightStore"), midnight("MidnightTesting"),
                    spom("SpomTesting"),
                    // The webhook tests' loopback receiver and signature checks.
                    spom("SpomWebhooks"), spom("SpomTestingHTTP"),
                ],
                path: "Tests/EndToEndTests"
            )
        ],
    swiftLanguageModes: [.v6]
)
