import Foundation
import SpomConfig
import SpomTesting
import Testing

@Suite("Config show, example and validate")
struct ConfigReportTests {
    @Test("show masks secrets but keeps the rest, and the output is loadable TOML")
    func showMasksSecrets() throws {
        var config = SampleConfig.defaults
        config.store.remote.url = "postgres://ops:hunter2@db.example:5432/app"
        config.store.remote.token = "tok-123"
        config.notify.targets = [.init(url: "https://a", secret: "shh")]
        config.watch.label = "say \"hi\"\n"
        let text = try ConfigReport.render(config)
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("tok-123"))
        #expect(!text.contains("shh"))
        #expect(text.contains("postgres://ops:********@db.example:5432/app"))
        #expect(text.contains("[[notify.targets]]"))
        // Rendered TOML loads back (secrets masked, everything else equal).
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let file = try write(text, "shown.toml", in: dir)
        let back = try ConfigLoader.load(
            SampleConfig.self, from: ConfigSources(explicitFile: file, environment: [:], currentDirectory: dir.url.path))
        #expect(back.warnings.isEmpty)
        #expect(back.value.watch == config.watch)
        #expect(back.value.store.remote.token == ConfigSecrets.mask)
        // Sections come in schema order.
        let watch = try #require(text.range(of: "[watch]"))
        let store = try #require(text.range(of: "[store]"))
        #expect(watch.lowerBound < store.lowerBound)
    }

    @Test("the example documents every key and loads back to the defaults")
    func exampleRoundTrip() throws {
        let example = try ConfigReport.example(SampleConfig.self)
        for key in SampleConfig.schema.keys {
            let name = String(key.path.split(separator: ".").last ?? "").replacingOccurrences(of: "[]", with: "")
            #expect(example.contains(name), "example lacks \(key.path)")
        }
        #expect(example.contains("# Environment: OLD_WATCH_PATH, SAMPLE_WATCH_PATH"))
        #expect(example.contains("# [[notify.targets]]"))
        #expect(example.contains("# label = \"home\""))
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let file = try write(example, "example.toml", in: dir)
        let loaded = try ConfigLoader.load(
            SampleConfig.self,
            from: ConfigSources(explicitFile: file, environment: [:], unknownKeys: .error, currentDirectory: dir.url.path))
        #expect(loaded.value == SampleConfig.defaults)
    }

    @Test("validate reports rule failures at their file line, plus unknown keys")
    func validateLocatesIssues() throws {
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let text = "[watch]\ninterval_ms = 0\nextra = 1\n\n[[notify.targets]]\nurl = \"https://ok\"\n\n[[notify.targets]]\nurl = \"http://bad\"\n"
        let file = try write(text, "s.toml", in: dir)
        let sources = ConfigSources(explicitFile: file, environment: [:], currentDirectory: dir.url.path)
        let result = ConfigReport.validate(SampleConfig.self, sources: sources)
        #expect(!result.isValid)
        #expect(result.file == file)
        let interval = try #require(result.errors.first { $0.keyPath == "watch.interval_ms" })
        #expect(interval.line == 2)
        let target = try #require(result.errors.first { $0.keyPath == "notify.targets[1].url" })
        #expect(target.line == 9)
        #expect(result.warnings.map(\.keyPath) == ["watch.extra"])
        #expect(throws: ConfigError.self) { try ConfigReport.loadValidated(SampleConfig.self, sources: sources) }

        let fine = ConfigReport.validate(SampleConfig.self, sources: ConfigSources(environment: [:], currentDirectory: "/"))
        #expect(fine.isValid)
        #expect(fine.issues.isEmpty)
    }

    @Test("a deprecated key set in the file is a located warning")
    func deprecatedKey() throws {
        let dir = try TemporaryDirectory(prefix: "cfg")
        defer { dir.remove() }
        let file = try write("[watch]\npath = \"/\"\nratio = 0.7\n", "s.toml", in: dir)
        let loaded = try ConfigLoader.load(
            SampleConfig.self, from: ConfigSources(explicitFile: file, environment: [:], currentDirectory: dir.url.path))
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first?.keyPath == "watch.ratio")
        #expect(loaded.warnings.first?.line == 3)
        #expect(loaded.warnings.first?.message == "has no effect: ratios are no longer used")
        #expect(loaded.value.watch.ratio == 0.7)
        // Deprecated keys are left out of the rendered configuration.
        #expect(!(try ConfigReport.render(loaded.value)).contains("ratio"))
    }

    @Test("a rule failure caused by the environment names the variable")
    func validateNamesVariable() {
        let sources = ConfigSources(environment: ["SAMPLE_WATCH_INTERVAL_MS": "0"], currentDirectory: "/")
        let result = ConfigReport.validate(SampleConfig.self, sources: sources)
        #expect(result.errors.first?.origin == "environment variable SAMPLE_WATCH_INTERVAL_MS")
    }

    @Test("URL passwords are masked; URLs without one are unchanged")
    func urlMasking() {
        #expect(ConfigSecrets.maskURLPassword("postgres://u:p@h/db") == "postgres://u:********@h/db")
        #expect(ConfigSecrets.maskURLPassword("postgres://u@h/db") == "postgres://u@h/db")
        #expect(ConfigSecrets.maskURLPassword("https://h/p?x=a@b") == "https://h/p?x=a@b")
    }
}
