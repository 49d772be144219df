import Foundation
import MidnightConfig
import SpomConfig
import SpomTesting
import Testing

@Suite("MVM configuration rules and commands")
struct MVMConfigValidationTests {
    /// Validates `text` as the config file and returns the output.
    func validate(_ text: String, env: [String: String] = [:]) throws -> (CommandOutput, String) {
        let dir = try TemporaryDirectory(prefix: "mvmval")
        defer { dir.remove() }
        let file = try write(text, "mvm.toml", in: dir)
        return (MVMConfigCommands.validate(isolated(dir, env: env, config: file)), file)
    }

    @Test(
        "each rule reports its key and line",
        arguments: [
            ("[rpc]\nurl = \"ws://localhost:9944\"\n", "rpc.url", 2),
            ("[rpc]\ntimeout_ms = 0\n", "rpc.timeout_ms", 2),
            ("[sync]\nbatch_size = 0\n", "sync.batch_size", 2),
            ("[sync]\npoll_interval_secs = 0\n", "sync.poll_interval_secs", 2),
            ("[chain]\nnetwork = \"moonnet\"\n", "chain.network", 2),
            ("[api]\nbind = \"127.0.0.1\"\n", "api.bind", 2),
            ("[api]\nbind = \"[::1]:99999\"\n", "api.bind", 2),
            ("[view]\ntheme = \"neon\"\n", "view.theme", 2),
            ("[webhooks]\nenabled = true\n\n[[webhooks.endpoints]]\nurl = \"ftp://x\"\n", "webhooks.endpoints[0].url", 5),
            ("[database.remote]\nenabled = true\ntype = \"postgresql\"\n", "database.remote.url", nil),
            ("[database.remote]\nenabled = true\ntype = \"sqlite_replica\"\n", "database.remote.path", nil),
            ("[database.remote]\ntype = \"mysql\"\n", "database.remote.type", 2),
            ("[[webhooks.endpoints]]\nurl = \"https://x\"\nformat = \"xml\"\n", "webhooks.endpoints[0].format", 3),
        ] as [(String, String, Int?)])
    func rule(_ example: (String, String, Int?)) throws {
        let (text, key, line) = example
        let (output, file) = try validate(text)
        #expect(output.exitCode == 1, "\(output.stdout)")
        let expected = "\(key): "
        #expect(output.stdout.contains(expected), "\(output.stdout)")
        if let line { #expect(output.stdout.contains("\(file):\(line)"), "\(output.stdout)") }
        #expect(output.stdout.contains("✗ Configuration is invalid"))
    }

    @Test("the bind parser accepts IPv4, IPv6 and names")
    func bindParser() {
        #expect(MVMConfig.parseBind("127.0.0.1:8080")! == ("127.0.0.1", 8080))
        #expect(MVMConfig.parseBind("[::1]:9000")! == ("::1", 9000))
        #expect(MVMConfig.parseBind("localhost:1")! == ("localhost", 1))
        #expect(MVMConfig.parseBind(":8080") == nil)
        #expect(MVMConfig.parseBind("::1:8080") == nil)
        #expect(MVMConfig.parseBind("host:0") == nil)
    }

    @Test("a valid file passes; unknown keys are warnings with their line")
    func validWithWarnings() throws {
        let (output, file) = try validate("[rpc]\nurl = \"https://node:9944\"\nurll = \"typo\"\n")
        #expect(output.exitCode == 0)
        #expect(output.stdout.contains("warning: rpc.urll: unknown key (\(file):3"))
        #expect(output.stdout.contains("✓ Configuration is valid (1 warning(s))"))
    }

    @Test("v1 keys that never did anything are accepted with a warning")
    func deprecatedKeys() throws {
        let (output, file) = try validate("[alerts]\nenabled = true\n\n[daemon]\nlog_file = \"/var/log/x\"\n")
        #expect(output.exitCode == 0)
        #expect(output.stdout.contains("warning: alerts.enabled: has no effect: [alerts] was never used; configure [webhooks] instead (\(file):2"))
        #expect(output.stdout.contains("warning: daemon.log_file: has no effect"))
        #expect(output.stdout.contains("(2 warning(s))"))
    }

    @Test("a bad environment value names the variable")
    func badVariable() throws {
        let (output, _) = try validate("", env: ["MVM_BATCH_SIZE": "lots"])
        #expect(output.exitCode == 1)
        #expect(output.stdout.contains("MVM_BATCH_SIZE"))
        #expect(output.stdout.contains("sync.batch_size"))
    }

    @Test("show masks the API key, webhook auth and secret, and the remote password")
    func showMasksSecrets() throws {
        let dir = try TemporaryDirectory(prefix: "mvmshow")
        defer { dir.remove() }
        let text = """
            [api]
            api_key = "topsecret-key"

            [database.remote]
            enabled = true
            url = "postgresql://mvm:pg-pass@db.example:5432/mvm"

            [[webhooks.endpoints]]
            url = "https://hooks.example/x"
            auth = "Bearer tok-abc"
            secret = "hmac-xyz"
            format = "slack"
            """
        let file = try write(text, "mvm.toml", in: dir)
        let output = MVMConfigCommands.show(isolated(dir, config: file))
        #expect(output.exitCode == 0, "\(output.stderr)")
        for secret in ["topsecret-key", "pg-pass", "tok-abc", "hmac-xyz"] { #expect(!output.stdout.contains(secret)) }
        #expect(output.stdout.contains("postgresql://mvm:********@db.example:5432/mvm"))
        #expect(output.stdout.contains("format = \"slack\""))
        #expect(output.stdout.contains("Source: \(file)"))
        // Everything after the comment header is loadable TOML.
        let shown = try write(output.stdout, "shown.toml", in: dir)
        let back = try MVMConfigCommands.load(isolated(dir, config: shown))
        #expect(back.value.webhooks.endpoints.first?.format == .slack)
        #expect(back.warnings.isEmpty)
    }

    @Test("show fails with a located message on a broken file")
    func showFails() throws {
        let dir = try TemporaryDirectory(prefix: "mvmshow")
        defer { dir.remove() }
        let file = try write("[sync]\nbatch_size = \"many\"\n", "mvm.toml", in: dir)
        let output = MVMConfigCommands.show(isolated(dir, config: file))
        #expect(output.exitCode == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("sync.batch_size"))
        #expect(output.stderr.contains("\(file):2"))
    }

    @Test("validate without any file checks the defaults")
    func validateDefaults() throws {
        let dir = try TemporaryDirectory(prefix: "mvmval")
        defer { dir.remove() }
        let output = MVMConfigCommands.validate(isolated(dir))
        #expect(output.exitCode == 0)
        #expect(output.stdout.contains("No configuration file found"))
        #expect(output.stdout.contains("✓ Configuration is valid"))
    }
}
