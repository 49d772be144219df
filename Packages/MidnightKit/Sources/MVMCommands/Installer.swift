import Foundation
import MidnightConfig
import MVMCommandSupport
import SpomDaemon

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `mvm install` does, step by step (each step printed as `==> ...`).
struct Installer {
    static let binaries = ["mvm", "mvm-sync", "mvm-view", "mvm-api"]
    /// Units stopped before and restarted after an upgrade, when they were running.
    static let restartable = ["mvm-sync.service", "mvm-api.service", "mvm-status.timer"]

    let location: InstallLocation
    /// `--root` or "" (the real machine).
    let root: String
    let user: String
    let group: String
    /// nil when systemd is absent or `--root` is given without a test systemctl.
    let systemctl: String?

    init(location: InstallLocation) throws {
        self.location = location
        root = location.root.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
        if location.root == nil && geteuid() != 0 {
            throw CommandFailure("mvm install must run as root", hint: "run: sudo mvm install (or pass --root DIR to write the files elsewhere)")
        }
        let environment = ProcessInfo.processInfo.environment
        let chosen = location.user ?? environment["SUDO_USER"] ?? environment["USER"] ?? "root"
        user = chosen
        group = Installer.primaryGroup(of: chosen) ?? chosen
        if let fake = location.systemctl {
            systemctl = fake
        } else if location.root == nil, FileManager.default.fileExists(atPath: "/run/systemd/system") {
            systemctl = ["/usr/bin/systemctl", "/bin/systemctl"].first { FileManager.default.isExecutableFile(atPath: $0) }
        } else {
            systemctl = nil
        }
    }

    var prefix: String { location.prefix }
    func real(_ path: String) -> String { root + path }
    var unitDirectory: String { "/etc/systemd/system" }
    var symlinkPath: String { "/usr/local/bin/mvm" }

    func step(_ text: String) { StandardOutput.write("==> \(text)") }
    func detail(_ text: String) { StandardOutput.write("    \(text)") }

    // MARK: install

    func install() async throws {
        StandardOutput.write("Midnight Validator Monitor \(MVMVersion.number) - installation")
        detail("prefix: \(prefix)\(root.isEmpty ? "" : " (under --root \(root))")")
        detail("user:   \(user) (group \(group))")

        var wasActive: [String] = []
        if let systemctl {
            step("Stopping running services")
            for unit in Self.restartable where try run(systemctl, ["is-active", "--quiet", unit]) == 0 {
                wasActive.append(unit)
                _ = try run(systemctl, ["stop", unit])
                detail("stopped \(unit)")
            }
            if wasActive.isEmpty { detail("none running") }
        }

        step("Creating \(prefix)/{bin,data,config}")
        for sub in ["bin", "data", "config"] {
            try makeDirectory(real("\(prefix)/\(sub)"))
        }

        step("Copying binaries")
        let sourceDirectory = Self.executableDirectory()
        for name in Self.binaries {
            let source = sourceDirectory.appendingPathComponent(name).path
            let target = real("\(prefix)/bin/\(name)")
            guard FileManager.default.isExecutableFile(atPath: source) else {
                if name == "mvm" { throw CommandFailure("cannot find the mvm binary at \(source)") }
                detail("skipped \(name): not found beside mvm (\(source))")
                continue
            }
            if URL(fileURLWithPath: source).resolvingSymlinksInPath().path == URL(fileURLWithPath: target).resolvingSymlinksInPath().path {
                detail("\(name) is already the installed binary; run a freshly downloaded mvm to upgrade")
                continue
            }
            try copyAtomically(from: source, to: target, mode: 0o755)
            detail("\(target)")
        }
        try makeDirectory(real("/usr/local/bin"))
        try? FileManager.default.removeItem(atPath: real(symlinkPath))
        do {
            try FileManager.default.createSymbolicLink(atPath: real(symlinkPath), withDestinationPath: "\(prefix)/bin/mvm")
            detail("\(symlinkPath) -> \(prefix)/bin/mvm")
        } catch {
            throw CommandFailure("could not create the symlink \(real(symlinkPath)): \(error.localizedDescription)")
        }

        step("Writing the configuration")
        let configPath = real("\(prefix)/config/config.toml")
        if FileManager.default.fileExists(atPath: configPath) {
            detail("\(prefix)/config/config.toml exists, left unchanged")
        } else {
            try write(InstallConfig.text(prefix: prefix), to: configPath, mode: 0o640)
            detail("wrote \(prefix)/config/config.toml")
        }

        step("Writing systemd units")
        try makeDirectory(real(unitDirectory))
        let units = SystemdUnits(prefix: prefix, user: user, group: group)
        for (name, contents) in units.files {
            try write(contents, to: real("\(unitDirectory)/\(name)"), mode: 0o644)
            detail("\(unitDirectory)/\(name)")
        }

        if root.isEmpty {
            step("Setting ownership of \(prefix) to \(user):\(group)")
            try chownTree(prefix)
        }

        guard let systemctl else {
            step("Skipping systemctl (\(root.isEmpty ? "systemd not present" : "--root given"))")
            printNextSteps(restarted: [])
            return
        }
        step("Reloading systemd")
        guard try run(systemctl, ["daemon-reload"]) == 0 else {
            throw CommandFailure("systemctl daemon-reload failed", hint: "see `journalctl -xe`, then run `sudo systemctl daemon-reload`")
        }
        if apiEnabled(configPath: configPath) {
            step("Enabling mvm-api ([api] enabled = true)")
            guard try run(systemctl, ["enable", "mvm-api.service"]) == 0 else {
                throw CommandFailure("systemctl enable mvm-api.service failed", hint: "see `systemctl status mvm-api`")
            }
            if !wasActive.contains("mvm-api.service") && wasActive.contains("mvm-sync.service") { wasActive.append("mvm-api.service") }
        }
        if !wasActive.isEmpty {
            step("Restarting the services that were running")
            var failed: [String] = []
            for unit in wasActive {
                _ = try run(systemctl, ["start", unit])
                if try await verifyActive(unit, systemctl: systemctl) {
                    detail("\(unit) is active again")
                } else {
                    detail("\(unit) did NOT come back")
                    failed.append(unit)
                }
            }
            if !failed.isEmpty {
                throw CommandFailure(
                    "installed, but \(failed.joined(separator: ", ")) did not become active again after the restart",
                    hint: "check `systemctl status \(failed[0])` and `journalctl -u \(failed[0])`, then `sudo systemctl start \(failed[0])`")
            }
        }
        printNextSteps(restarted: wasActive)
    }

    /// Whether the installed config says `[api] enabled = true` (an unreadable config counts as no,
    /// with a note: `mvm config validate` explains it).
    func apiEnabled(configPath: String) -> Bool {
        do {
            return try MVMConfigCommands.load(MVMConfigCommands.sources(configPath: configPath, environment: [:])).value.api.enabled
        } catch {
            detail("could not read \(configPath) to check [api] enabled: \(error)")
            return false
        }
    }

    /// Polls `systemctl is-active` for up to `--verify-seconds` (10 s; v1 never checked, and a dead
    /// timer went unnoticed for a month, #35).
    func verifyActive(_ unit: String, systemctl: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(max(1, location.verifySeconds))
        while ContinuousClock.now < deadline {
            if try run(systemctl, ["is-active", "--quiet", unit]) == 0 { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return try run(systemctl, ["is-active", "--quiet", unit]) == 0
    }

    func printNextSteps(restarted: [String]) {
        StandardOutput.write("")
        StandardOutput.write("Installation complete.")
        if !restarted.isEmpty {
            StandardOutput.write("Services restarted and verified active: \(restarted.joined(separator: ", "))")
            return
        }
        StandardOutput.write("Next steps:")
        StandardOutput.write("  1. Edit \(prefix)/config/config.toml (rpc.url, validator.keystore_path, chain.network)")
        StandardOutput.write("  2. sudo systemctl enable --now mvm-sync")
        StandardOutput.write("  3. sudo systemctl enable --now mvm-status.timer")
        StandardOutput.write("  4. Optional REST API: set [api] enabled = true, then sudo systemctl enable --now mvm-api")
        StandardOutput.write("  5. Follow the logs: journalctl -u mvm-sync -f; dashboard: mvm view")
    }

    // MARK: uninstall

    func uninstall(removeData: Bool) async throws {
        StandardOutput.write("Midnight Validator Monitor - uninstall")
        if let systemctl {
            step("Stopping and disabling services")
            for unit in ["mvm-status.timer", "mvm-status.service", "mvm-api.service", "mvm-sync.service"] {
                if try run(systemctl, ["is-active", "--quiet", unit]) == 0 { _ = try run(systemctl, ["stop", unit]) }
                if try run(systemctl, ["is-enabled", "--quiet", unit]) == 0 { _ = try run(systemctl, ["disable", unit]) }
            }
        }
        step("Removing systemd units")
        for name in SystemdUnits.names {
            let path = real("\(unitDirectory)/\(name)")
            if FileManager.default.fileExists(atPath: path) {
                try remove(path)
                detail("removed \(unitDirectory)/\(name)")
            }
        }
        if let systemctl { _ = try run(systemctl, ["daemon-reload"]) }
        let link = real(symlinkPath)
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link), target == "\(prefix)/bin/mvm" {
            try remove(link)
            detail("removed \(symlinkPath)")
        }
        if removeData {
            step("Removing \(prefix) (binaries, config, database)")
            if FileManager.default.fileExists(atPath: real(prefix)) { try remove(real(prefix)) }
        } else {
            StandardOutput.write("Data preserved at: \(prefix) (pass --remove-data to delete it)")
        }
        StandardOutput.write("Uninstall complete.")
    }

    // MARK: helpers

    func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("could not create \(path): \(error.localizedDescription)", hint: "check permissions (run with sudo)")
        }
    }

    func write(_ text: String, to path: String, mode: Int) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        } catch {
            throw CommandFailure("could not write \(path): \(error.localizedDescription)", hint: "check permissions (run with sudo)")
        }
    }

    /// Copies to a temporary name, then renames over the target (never writes into a running binary).
    func copyAtomically(from source: String, to target: String, mode: Int) throws {
        let temporary = target + ".new-\(getpid())"
        do {
            try? FileManager.default.removeItem(atPath: temporary)
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temporary)
            guard rename(temporary, target) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CommandFailure("could not install \(target): \(error.localizedDescription)")
        }
    }

    func remove(_ path: String) throws {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw CommandFailure("could not remove \(path): \(error.localizedDescription)", hint: "check permissions (run with sudo)")
        }
    }

    func chownTree(_ path: String) throws {
        guard let account = getpwnam(user) else {
            throw CommandFailure("user \(user) does not exist", hint: "create it, or pass --user with an existing account")
        }
        let uid = account.pointee.pw_uid
        let gid = account.pointee.pw_gid
        var failures: [String] = []
        let paths = [path] + ((FileManager.default.subpaths(atPath: path) ?? []).map { "\(path)/\($0)" })
        for item in paths where lchown(item, uid, gid) != 0 {
            failures.append(item)
        }
        if !failures.isEmpty {
            throw CommandFailure("could not change the owner of \(failures.count) file(s) under \(path), e.g. \(failures[0])")
        }
    }

    /// Runs `executable` with `arguments`, output discarded; returns the exit status.
    func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            // systemctl and friends get the empty signal mask a shell would give them.
            try SpawnSignalMask.withEmptyMask { try process.run() }
        } catch {
            throw CommandFailure("could not run \(executable): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func primaryGroup(of user: String) -> String? {
        guard let account = getpwnam(user), let group = getgrgid(account.pointee.pw_gid) else { return nil }
        return String(cString: group.pointee.gr_name)
    }

    /// The folder holding the running executable (the thin binaries sit beside it).
    static func executableDirectory() -> URL {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: proc.path) {
            return proc.resolvingSymlinksInPath().deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }
}

/// The config `mvm install` writes when none exists: v1's keys with the install paths.
enum InstallConfig {
    static func text(prefix: String) -> String {
        """
        # MVM configuration written by `mvm install`. Every key: `mvm config example`.
        # Priority: command-line flags > MVM_* environment variables > this file > defaults.

        [rpc]
        url = "http://localhost:9944"
        metrics_url = "http://localhost:9615/metrics"
        # node_exporter_url = "http://localhost:9100/metrics"

        [database]
        path = "\(prefix)/data/mvm.db"

        [validator]
        # The node's keystore (chains/<chain>/keystore). Services cannot read under /home
        # (ProtectHome=yes): keep the keystore elsewhere or relax the unit with `systemctl edit`.
        # keystore_path = "/opt/midnight/data/chains/<chain>/keystore"

        [sync]
        batch_size = 100
        poll_interval_secs = 6

        [daemon]
        pid_file = "\(prefix)/data/mvm-sync.pid"

        [chain]
        network = "preview"

        [api]
        # true: `mvm install` enables mvm-api.service.
        enabled = false
        bind = "127.0.0.1:8080"

        """
    }
}
