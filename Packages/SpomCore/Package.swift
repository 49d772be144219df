// swift-tools-version:6.2
//
// SpomCore: the chain-agnostic core shared by node monitors built on it (the first one for a
// partner chain, later a Cardano Node Monitor). Nothing chain-specific belongs in this package;
// `SpomCorePurityTests` fails the build's tests if something does.
import PackageDescription

/// Library modules, each with one job. Every module is also a product so that apps and the
/// root package's test targets can depend on it by name.
let modules: [(name: String, dependencies: [Target.Dependency])] = [
    ("SpomConfig", [.product(name: "TOMLKit", package: "TOMLKit")]),
    ("SpomLog", [.product(name: "Logging", package: "swift-log")]),
    ("SpomDaemon", [
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]),
    ("SpomStore", [.product(name: "GRDB", package: "GRDB.swift")]),
    ("SpomTheme", []),
    ("SpomTUI", ["CNcursesw", "SpomTheme"]),
    ("SpomMetrics", []),
    ("SpomHTTP", [
        "SpomMetrics",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
    ]),
    ("SpomWebhooks", [
        "SpomStore",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]),
    ("SpomRemote", [
        "SpomStore",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]),
    // Test support shared by every test target in the workspace: temporary directories, child
    // processes with deadlines, free loopback ports, bounded polling.
    ("SpomTesting", ["SpomDaemon"]),
    // Test support that needs an HTTP server: a loopback webhook receiver with scripted answers.
    ("SpomTestingHTTP", [
        "SpomTesting",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
    ]),
]

/// Test targets: one per module, plus the reuse proof (a tiny unrelated monitor built from
/// SpomCore alone) and the purity check.
let testTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("SpomConfigTests", ["SpomConfig"]),
    ("SpomLogTests", ["SpomLog"]),
    ("SpomDaemonTests", ["SpomDaemon"]),
    ("SpomStoreTests", ["SpomStore"]),
    ("SpomThemeTests", ["SpomTheme"]),
    ("SpomTUITests", ["SpomTUI"]),
    ("SpomMetricsTests", ["SpomMetrics"]),
    ("SpomHTTPTests", ["SpomHTTP", "SpomMetrics", .product(name: "AsyncHTTPClient", package: "async-http-client")]),
    ("SpomWebhooksTests", [
        "SpomWebhooks", "SpomHTTP", "SpomTestingHTTP",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
    ]),
    ("SpomRemoteTests", ["SpomRemote", .product(name: "GRDB", package: "GRDB.swift")]),
    ("SpomCoreReuseTests", ["SpomConfig", "SpomDaemon", "SpomStore", "SpomLog"]),
    ("SpomCorePurityTests", []),
]

let package = Package(
    name: "SpomCore",
    platforms: [.macOS(.v15)],
    products: modules.map { .library(name: $0.name, targets: [$0.name]) } + [
        .executable(name: "spom-mini-monitor", targets: ["SpomMiniMonitor"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // traits: [] avoids SwiftPM 6.3.1 recompiling Hummingbird on every other build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        )
    ]
        + modules.map { .target(name: $0.name, dependencies: $0.dependencies) }
        + [
            // A tiny unrelated monitor built from SpomCore alone: the proof that the core is
            // reusable, and the child process that the daemon and reuse tests signal.
            .executableTarget(
                name: "SpomMiniMonitor",
                dependencies: ["SpomConfig", "SpomDaemon", "SpomStore", "SpomLog"],
                path: "Examples/MiniMonitor"
            )
        ]
        + testTargets.map { .testTarget(name: $0.name, dependencies: $0.dependencies + ["SpomTesting"]) },
    swiftLanguageModes: [.v6]
)
