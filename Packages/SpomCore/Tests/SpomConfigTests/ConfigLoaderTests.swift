import Foundation
import SpomConfig
import SpomTesting
import Testing

/// Writes `text` to `name` in `dir` and returns the path.
func write(_ text: String, _ name: String, in dir: TemporaryDirectory) throws -> String {
    let path = dir.path(name)
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("Config layering")
struct ConfigLoaderTests {
    @Test("no file anywhere: defaults are used")
    func defaultsOnly() throws {
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let sources = ConfigSources(
            searchPaths: [.path("./sample.toml")], environment: [:], currentDirectory: dir.url.path)
        let loaded = try ConfigLoader.load(SampleConfig.self, from: sources)
        #expect(loaded.value == SampleConfig.defaults)
        #expect(loaded.file == nil)
        #expect(loaded.warnings.isEmpty)
    }

    @Test("the first existing file in the search list wins, without merging")
    func firstFileWins() throws {
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let second = try write("[watch]\npath = \"/second\"\ninterval_ms = 7\n", "b/sample.toml", in: dir)
        _ = try write("[watch]\npath = \"/third\"\nratio = 0.9\n", "c/sample.toml", in: dir)
        let sources = ConfigSources(
            searchPaths: [.path("a/sample.toml"), .path("b/sample.toml"), .path("c/sample.toml")], environment: [:],
            currentDirectory: dir.url.path)
        let loaded = try ConfigLoader.load(SampleConfig.self, from: sources)
        #expect(loaded.file == second)
        #expect(loaded.value.watch.path == "/second")
        #expect(loaded.value.watch.intervalMs == 7)
        #expect(loaded.value.watch.ratio == 0.5)  // default, not the third file's value
        #expect(sources.searchEntries().map(\.exists) == [false, true, true])
    }

    @Test("an explicit file replaces the search and must exist")
    func explicitFile() throws {
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        _ = try write("[watch]\npath = \"/searched\"\n", "sample.toml", in: dir)
        let explicit = try write("[watch]\npath = \"/explicit\"\n", "other.toml", in: dir)
        var sources = ConfigSources(
            searchPaths: [.path("sample.toml")], explicitFile: explicit, environment: [:], currentDirectory: dir.url.path)
        #expect(try ConfigLoader.load(SampleConfig.self, from: sources).value.watch.path == "/explicit")

        sources.explicitFile = dir.path("missing.toml")
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(SampleConfig.self, from: sources) }
        #expect(error.code == .fileNotFound)
        #expect(error.description.contains("missing.toml"))
    }

    @Test("environment beats the file and overrides beat the environment")
    func precedence() throws {
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let file = try write(
            "[watch]\npath = \"/file\"\ninterval_ms = 5\nenabled = true\ntags = [\"x\"]\n", "s.toml", in: dir)
        let sources = ConfigSources(
            explicitFile: file,
            environment: [
                "SAMPLE_WATCH_PATH": "/env", "SAMPLE_WATCH_INTERVAL_MS": "9", "SAMPLE_WATCH_ENABLED": "no",
                "SAMPLE_WATCH_TAGS": "p, q", "SAMPLE_WATCH_RATIO": "0.25",
            ],
            overrides: [ConfigOverride("watch.interval_ms", "11", origin: "--interval-ms")],
            currentDirectory: dir.url.path)
        let loaded = try ConfigLoader.load(SampleConfig.self, from: sources)
        #expect(loaded.value.watch.path == "/env")
        #expect(loaded.value.watch.intervalMs == 11)
        #expect(loaded.value.watch.enabled == false)
        #expect(loaded.value.watch.tags == ["p", "q"])
        #expect(loaded.value.watch.ratio == 0.25)
        #expect(loaded.origins["watch.path"] == "environment variable SAMPLE_WATCH_PATH")
        #expect(loaded.origins["watch.interval_ms"] == "--interval-ms")
    }

    @Test("a legacy variable name works and the canonical name wins over it")
    func legacyEnvironmentName() throws {
        let sources = ConfigSources(environment: ["OLD_WATCH_PATH": "/old"], currentDirectory: "/")
        #expect(try ConfigLoader.load(SampleConfig.self, from: sources).value.watch.path == "/old")
        let both = ConfigSources(
            environment: ["OLD_WATCH_PATH": "/old", "SAMPLE_WATCH_PATH": "/new"], currentDirectory: "/")
        #expect(try ConfigLoader.load(SampleConfig.self, from: both).value.watch.path == "/new")
    }

    @Test("a bad environment value names the variable and the key")
    func badEnvironmentValue() throws {
        let sources = ConfigSources(environment: ["SAMPLE_WATCH_INTERVAL_MS": "soon"], currentDirectory: "/")
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(SampleConfig.self, from: sources) }
        #expect(error.code == .invalidValue)
        #expect(error.issues.first?.keyPath == "watch.interval_ms")
        #expect(error.description.contains("SAMPLE_WATCH_INTERVAL_MS"))
    }

    @Test("unknown keys are reported with their full path and line; strict mode refuses them")
    func unknownKeys() throws {
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let text = """
            [watch]
            path = "/x"
            pathh = "/typo"

            [store.remote]
            colour = "red"

            [[notify.targets]]
            url = "https://a"
            extra = 1

            [nope]
            a = 1
            """
        let file = try write(text, "s.toml", in: dir)
        var sources = ConfigSources(explicitFile: file, environment: ["SAMPLE_TYPO": "1"], currentDirectory: dir.url.path)
        let loaded = try ConfigLoader.load(SampleConfig.self, from: sources)
        let unknown = loaded.warnings.filter { $0.keyPath != nil }
        #expect(unknown.map(\.keyPath) == ["nope", "notify.targets[0].extra", "store.remote.colour", "watch.pathh"])
        #expect(unknown.first { $0.keyPath == "watch.pathh" }?.line == 3)
        #expect(unknown.first { $0.keyPath == "notify.targets[0].extra" }?.line == 10)
        #expect(unknown.first { $0.keyPath == "nope" }?.line == 12)
        #expect(loaded.warnings.contains { $0.message.contains("SAMPLE_TYPO") })
        #expect(loaded.value.notify.targets.first?.url == "https://a")

        sources.unknownKeys = .error
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(SampleConfig.self, from: sources) }
        #expect(error.code == .unknownKeys)
        #expect(error.issues.count == 4)
    }

    @Test("a wrong type names key, file and line")
    func wrongType() throws {
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let file = try write("# comment\n[watch]\npath = \"/x\"\ninterval_ms = \"fast\"\n", "s.toml", in: dir)
        let sources = ConfigSources(explicitFile: file, environment: [:], currentDirectory: dir.url.path)
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(SampleConfig.self, from: sources) }
        let issue = try #require(error.issues.first)
        #expect(error.code == .invalidValue)
        #expect(issue.keyPath == "watch.interval_ms")
        #expect(issue.file == file)
        #expect(issue.line == 4)
        #expect(error.description.contains("expected an integer"))
    }

    @Test("an out-of-range integer is an error, not a crash")
    func outOfRange() throws {
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let file = try write("[watch]\ninterval_ms = -1\n", "s.toml", in: dir)
        let sources = ConfigSources(explicitFile: file, environment: [:], currentDirectory: dir.url.path)
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(SampleConfig.self, from: sources) }
        #expect(error.issues.first?.keyPath == "watch.interval_ms")
        #expect(error.issues.first?.line == 2)
        #expect(error.description.contains("out of range"))
    }

    @Test("a syntax error carries line and column")
    func syntaxError() throws {
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let file = try write("[watch]\npath = \"/x\"\ninterval_ms = = 3\n", "s.toml", in: dir)
        let sources = ConfigSources(explicitFile: file, environment: [:], currentDirectory: dir.url.path)
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(SampleConfig.self, from: sources) }
        #expect(error.code == .syntax)
        #expect(error.issues.first?.line == 3)
        #expect(error.issues.first?.column != nil)
        #expect(error.description.contains(file))
    }

    @Test("search paths honour XDG_CONFIG_HOME, HOME and ~")
    func searchPathResolution() {
        let user = ConfigSearchPath.userConfig(directory: "app", file: "config.toml")
        #expect(user.resolve(environment: ["HOME": "/home/u"], currentDirectory: "/") == "/home/u/.config/app/config.toml")
        #expect(
            user.resolve(environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "/xdg"], currentDirectory: "/")
                == "/xdg/app/config.toml")
        #expect(user.resolve(environment: [:], currentDirectory: "/") == nil)
        #expect(ConfigSearchPath.path("~/a.toml").resolve(environment: ["HOME": "/h"], currentDirectory: "/") == "/h/a.toml")
        #expect(ConfigSearchPath.path("./a.toml").resolve(environment: [:], currentDirectory: "/w") == "/w/a.toml")
        #expect(ConfigSearchPath.path("/etc/a.toml").resolve(environment: [:], currentDirectory: "/w") == "/etc/a.toml")
    }
}
