// swift-tools-version:6.2
//
// MidnightKit: everything Midnight-specific in MVM, built on SpomCore.
import PackageDescription

let spom = { (name: String) -> Target.Dependency in .product(name: name, package: "SpomCore") }

/// Library modules, each with one job; every module is also a product.
let modules: [(name: String, dependencies: [Target.Dependency])] = [
    // Pure chain knowledge: models, hex, SCALE, digests, hashing, keys, epochs, attribution.
    ("MidnightChain", []),
    // The node's JSON-RPC over HTTP (batches, retries) and WebSocket subscriptions.
    ("MidnightRPC", [
        "MidnightChain",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "WSClient", package: "swift-websocket"),
        .product(name: "Logging", package: "swift-log"),
    ]),
    // MVM's typed configuration (v1 keys, `MVM_*` variables) on SpomConfig.
    ("MidnightConfig", [spom("SpomConfig")]),
    // Schema v2, v1 migration, and every read query; the JSON entity shapes.
    ("MidnightStore", [
        "MidnightChain", spom("SpomStore"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
    ]),
    // The sync engine and daemon service.
    ("MidnightSync", [
        "MidnightRPC", "MidnightStore", "MidnightConfig", spom("SpomDaemon"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]),
    // Node status, keys and registration checks shared by `mvm status`, the API and the view.
    ("MidnightStatus", [
        "MidnightRPC", "MidnightStore", "MidnightConfig", spom("SpomMetrics"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
    ]),
    // REST routes and Prometheus metrics for mvm-api.
    ("MidnightAPI", [
        "MidnightStore", "MidnightStatus", "MidnightConfig", spom("SpomHTTP"), spom("SpomMetrics"),
        .product(name: "Hummingbird", package: "hummingbird"),
    ]),
    // Midnight events for the webhook outbox.
    ("MidnightEvents", [
        "MidnightChain", "MidnightRPC", "MidnightStore", "MidnightConfig", spom("SpomWebhooks"), spom("SpomLog"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]),
    // Push of the Midnight schema to a remote PostgreSQL / SQLite replica.
    ("MidnightRemote", [
        "MidnightStore", "MidnightConfig", spom("SpomRemote"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]),
    // ncurses dashboard views.
    ("MidnightView", ["MidnightStore", "MidnightStatus", "MidnightConfig", spom("SpomTUI"), spom("SpomTheme")]),
    // The simulated node used by tests, benchmarks and `mvm demo`.
    ("MidnightDevnode", [
        "MidnightChain",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        .product(name: "Logging", package: "swift-log"),
    ]),
    // Test support: what a sync stored compared with the simulated node's ground truth.
    ("MidnightTesting", ["MidnightDevnode", "MidnightStore"]),
    // What every command and executable shares: global options, settings (flag > env > file),
    // exit codes, the `main` driver, v1 argument spellings, the status checker set-up.
    ("MVMCommandSupport", [
        "MidnightChain", "MidnightRPC", "MidnightConfig", "MidnightStatus",
        spom("SpomConfig"), spom("SpomLog"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
    ]),
    // `mvm sync` / `mvm-sync`: the sync engine wired with webhooks and remote push. Its own
    // module so that the `mvm-sync` daemon links only what it runs (no API server, dashboard or
    // simulated node): a smaller binary and less resident memory.
    ("MVMSyncCommand", [
        "MVMCommandSupport", "MidnightSync", "MidnightStore", "MidnightEvents", "MidnightRemote",
        spom("SpomDaemon"), spom("SpomWebhooks"), spom("SpomRemote"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]),
    // `mvm view` / `mvm-view`: the dashboard (no sync engine, API server or PostgreSQL client).
    ("MVMViewCommand", [
        "MVMCommandSupport", "MidnightView", spom("SpomTUI"), spom("SpomDaemon"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
    // `mvm api` / `mvm-api`: the REST API and /metrics server.
    ("MVMAPICommand", [
        "MVMCommandSupport", "MidnightAPI", spom("SpomHTTP"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
    // `mvm-devnode`: the simulated node's command line.
    ("MVMDevnodeCommand", [
        "MVMCommandSupport", "MidnightDevnode",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
    ]),
    // `mvm`: every v1 subcommand (and the newer ones), built on the modules above.
    ("MVMCommands", [
        "MVMCommandSupport", "MVMSyncCommand", "MVMViewCommand", "MVMAPICommand", "MVMDevnodeCommand",
        "MidnightChain", "MidnightRPC", "MidnightConfig", "MidnightStore", "MidnightSync",
        "MidnightStatus", "MidnightAPI", "MidnightEvents", "MidnightRemote", "MidnightView",
        "MidnightDevnode",
        spom("SpomDaemon"), spom("SpomLog"), spom("SpomConfig"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]),
]

let testTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("MidnightChainTests", ["MidnightChain"]),
    ("MidnightRPCTests", [
        "MidnightRPC", "MidnightDevnode",
        // A small fake node (HTTP + WebSocket) to script failures the simulated node cannot.
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
    ]),
    ("MidnightConfigTests", ["MidnightConfig"]),
    ("MidnightStoreTests", ["MidnightStore", .product(name: "GRDB", package: "GRDB.swift")]),
    ("MidnightSyncTests", ["MidnightSync", "MidnightDevnode", "MidnightTesting"]),
    ("MidnightStatusTests", ["MidnightStatus", "MidnightSync", "MidnightDevnode"]),
    ("MidnightAPITests", ["MidnightAPI", "MidnightSync", "MidnightDevnode"]),
    ("MidnightEventsTests", [
        "MidnightEvents", "MidnightSync", "MidnightDevnode", spom("SpomWebhooks"), spom("SpomTestingHTTP"),
        .product(name: "GRDB", package: "GRDB.swift"),
    ]),
    ("MidnightRemoteTests", ["MidnightRemote", "MidnightStore", spom("SpomRemote")]),
    ("MidnightViewTests", ["MidnightView"]),
    // AsyncHTTPClient and WSClient: the real clients the devnode tests talk through.
    ("MidnightDevnodeTests", [
        "MidnightDevnode", "MidnightRPC",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "WSClient", package: "swift-websocket"),
    ]),
]

let package = Package(
    name: "MidnightKit",
    platforms: [.macOS(.v15)],
    products: modules.map { .library(name: $0.name, targets: [$0.name]) },
    dependencies: [
        .package(path: "../SpomCore"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
    ],
    targets: modules.map { .target(name: $0.name, dependencies: $0.dependencies) }
        + testTargets.map { .testTarget(name: $0.name, dependencies: $0.dependencies + [spom("SpomTesting")]) },
    swiftLanguageModes: [.v6]
)
