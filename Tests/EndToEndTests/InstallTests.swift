import Foundation
import SpomTesting
import Testing

/// `mvm install --root DIR` writes the tree, binaries, config and hardened units; a fake
/// systemctl checks the restart-and-verify step (v1 issue #35).
@Suite("mvm install")
struct InstallTests {
    static let prefix = "/opt/midnight/mvm"

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func installWritesTreeUnitsAndConfig() async throws {
        let directory = try TemporaryDirectory(prefix: "install")
        defer { directory.remove() }
        let root = directory.path("root")
        let result = try await CLI.run("mvm", ["install", "--root", root, "--user", "nobody"])
        #expect(result.status == 0, "\(result)")
        let base = root + Self.prefix
        for binary in ["mvm", "mvm-sync", "mvm-view", "mvm-api"] {
            #expect(FileManager.default.isExecutableFile(atPath: "\(base)/bin/\(binary)"), "\(binary) installed")
        }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: "\(base)/data", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/usr/local/bin/mvm") == "\(Self.prefix)/bin/mvm")

        let config = try read("\(base)/config/config.toml")
        #expect(config.contains("path = \"\(Self.prefix)/data/mvm.db\""))
        let validated = try await CLI.run("mvm", ["config", "validate", "--config", "\(base)/config/config.toml"])
        #expect(validated.status == 0, "the installed config is valid: \(validated)")

        let units = root + "/etc/systemd/system"
        for name in ["mvm-sync.service", "mvm-api.service", "mvm-status.service"] {
            let unit = try read("\(units)/\(name)")
            for directive in [
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                "ReadWritePaths=\(Self.prefix)/data", "User=nobody",
            ] {
                #expect(unit.contains(directive), "\(name) has \(directive)")
            }
        }
        let sync = try read("\(units)/mvm-sync.service")
        #expect(sync.contains("ExecStart=\(Self.prefix)/bin/mvm-sync --config \(Self.prefix)/config/config.toml --daemon --pid-file \(Self.prefix)/data/mvm-sync.pid"))
        #expect(sync.contains("Restart=on-failure"))
        #expect(try read("\(units)/mvm-api.service").contains("ExecStart=\(Self.prefix)/bin/mvm-api"))
        let status = try read("\(units)/mvm-status.service")
        #expect(status.contains("Type=oneshot") && status.contains("status --once"))
        let timer = try read("\(units)/mvm-status.timer")
        #expect(timer.contains("OnBootSec=1min") && timer.contains("OnUnitActiveSec=5min") && timer.contains("Persistent=true"))
        #expect(timer.contains("WantedBy=timers.target"))
        #expect(result.stdout.contains("Skipping systemctl"))
    }

    @Test func reinstallKeepsConfigAndUninstallKeepsDataUnlessAsked() async throws {
        let directory = try TemporaryDirectory(prefix: "reinstall")
        defer { directory.remove() }
        let root = directory.path("root")
        let custom = directory.path("custom-prefix")
        let prefixPath = custom  // absolute path used as --prefix
        let base = root + prefixPath
        #expect(try await CLI.run("mvm", ["install", "--root", root, "--prefix", prefixPath]).status == 0)
        let configPath = "\(base)/config/config.toml"
        try Data("# edited by the operator\n".utf8).write(to: URL(fileURLWithPath: configPath))
        try Data("db".utf8).write(to: URL(fileURLWithPath: "\(base)/data/mvm.db"))
        let again = try await CLI.run("mvm", ["install", "--root", root, "--prefix", prefixPath])
        #expect(again.status == 0, "\(again)")
        #expect(try read(configPath) == "# edited by the operator\n", "existing config untouched")
        #expect(try read(root + "/etc/systemd/system/mvm-sync.service").contains("\(prefixPath)/bin/mvm-sync"))

        let keep = try await CLI.run("mvm", ["install", "uninstall", "--root", root, "--prefix", prefixPath])
        #expect(keep.status == 0, "\(keep)")
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/systemd/system/mvm-sync.service"))
        #expect(!FileManager.default.fileExists(atPath: root + "/usr/local/bin/mvm"))
        #expect(FileManager.default.fileExists(atPath: "\(base)/data/mvm.db"), "data kept")
        #expect(keep.stdout.contains("Data preserved at: \(prefixPath)"))

        let remove = try await CLI.run("mvm", ["install", "uninstall", "--remove-data", "--root", root, "--prefix", prefixPath])
        #expect(remove.status == 0, "\(remove)")
        #expect(!FileManager.default.fileExists(atPath: base), "install tree removed")
    }

    /// A fake systemctl: records calls; `is-active` answers from marker files; `start` fails to
    /// bring back units listed as broken.
    func fakeSystemctl(in directory: TemporaryDirectory, active: [String], broken: [String]) throws -> (path: String, calls: String) {
        let state = directory.path("systemd-state")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        for unit in active { _ = FileManager.default.createFile(atPath: "\(state)/active-\(unit)", contents: nil) }
        for unit in broken { _ = FileManager.default.createFile(atPath: "\(state)/broken-\(unit)", contents: nil) }
        let script = """
            #!/bin/sh
            S='\(state)'
            echo "$*" >> "$S/calls"
            case "$1" in
              is-active) [ -f "$S/active-$3" ] && exit 0 || exit 3 ;;
              is-enabled) exit 1 ;;
              stop) rm -f "$S/active-$2" ;;
              start) [ -f "$S/broken-$2" ] || touch "$S/active-$2" ;;
            esac
            exit 0

            """
        let path = directory.path("systemctl")
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return (path, "\(state)/calls")
    }

    @Test func upgradeRestartsRunningServicesAndVerifiesThem() async throws {
        let directory = try TemporaryDirectory(prefix: "upgrade")
        defer { directory.remove() }
        let fake = try fakeSystemctl(in: directory, active: ["mvm-sync.service", "mvm-status.timer"], broken: [])
        let result = try await CLI.run("mvm", ["install", "--root", directory.path("root"), "--systemctl", fake.path, "--verify-seconds", "1"])
        #expect(result.status == 0, "\(result)")
        let calls = try read(fake.calls).split(separator: "\n").map(String.init)
        #expect(calls.contains("stop mvm-sync.service"))
        #expect(calls.contains("stop mvm-status.timer"))
        #expect(!calls.contains("stop mvm-api.service"), "only running services are stopped")
        let reload = try #require(calls.firstIndex(of: "daemon-reload"))
        let start = try #require(calls.firstIndex(of: "start mvm-status.timer"))
        #expect(reload < start, "units reloaded before the restart")
        #expect(calls[(start + 1)...].contains("is-active --quiet mvm-status.timer"), "restart verified")
        #expect(!calls.contains("start mvm-api.service"))
        #expect(result.stdout.contains("mvm-status.timer is active again"))
    }

    @Test func upgradeFailsWhenAServiceDoesNotComeBack() async throws {
        let directory = try TemporaryDirectory(prefix: "upgrade-broken")
        defer { directory.remove() }
        let fake = try fakeSystemctl(in: directory, active: ["mvm-sync.service", "mvm-status.timer"], broken: ["mvm-status.timer"])
        let result = try await CLI.run("mvm", ["install", "--root", directory.path("root"), "--systemctl", fake.path, "--verify-seconds", "1"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("mvm-status.timer did not become active again"), "\(result)")
        #expect(result.stderr.contains("journalctl -u mvm-status.timer"))
        #expect(result.stdout.contains("mvm-sync.service is active again"))
    }
}

extension InstallTests {
    @Test func apiServiceIsEnabledOnlyWhenConfigured() async throws {
        let directory = try TemporaryDirectory(prefix: "install-api")
        defer { directory.remove() }
        let root = directory.path("root")
        let fake = try fakeSystemctl(in: directory, active: [], broken: [])
        let first = try await CLI.run("mvm", ["install", "--root", root, "--systemctl", fake.path, "--verify-seconds", "1"])
        #expect(first.status == 0, "\(first)")
        #expect(!(try read(fake.calls)).contains("enable mvm-api.service"), "disabled by default")
        let config = root + Self.prefix + "/config/config.toml"
        let text = try read(config).replacingOccurrences(of: "enabled = false", with: "enabled = true")
        try Data(text.utf8).write(to: URL(fileURLWithPath: config))
        let second = try await CLI.run("mvm", ["install", "--root", root, "--systemctl", fake.path, "--verify-seconds", "1"])
        #expect(second.status == 0, "\(second)")
        #expect(try read(fake.calls).contains("enable mvm-api.service"), "enabled with [api] enabled = true")
    }
}
