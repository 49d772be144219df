import Foundation
import SpomStore
import SpomTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `spom-mini-monitor` (a disk monitor made from SpomCore alone) as a child
/// process: real config file, real SQLite file, real PID file, real signals.
@Suite("Mini monitor built from SpomCore alone")
struct MiniMonitorTests {
    static func binary() throws -> String {
        try #require(
            BuildProducts.executable("spom-mini-monitor"),
            "build it first: swift build --product spom-mini-monitor (looked in \(BuildProducts.directory.path))")
    }

    /// A temp directory with a config sampling every 50 ms into `disk.db`, PID file `disk.pid`.
    struct Setup {
        let dir: TemporaryDirectory
        var config: String { dir.path("disk.toml") }
        var database: String { dir.path("disk.db") }
        var pidFile: String { dir.path("disk.pid") }

        init(watch: String = "/") throws {
            dir = try TemporaryDirectory(prefix: "mini")
            let text = """
                [watch]
                path = "\(watch)"
                interval_ms = 50

                [storage]
                database = "\(dir.path("disk.db"))"

                [daemon]
                pid_file = "\(dir.path("disk.pid"))"
                """
            try text.write(toFile: config, atomically: true, encoding: .utf8)
        }

        func start(environment: [String: String] = [:]) throws -> ChildProcess {
            try ChildProcess(
                try MiniMonitorTests.binary(), ["run", "--config", config], environment: environment,
                currentDirectory: dir.url.path, logDirectory: dir)
        }

        func sampleCount() -> Int {
            guard let reader = try? SQLiteStore.openReader(path: database) else { return 0 }
            return (try? reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM samples") }) ?? 0
        }
    }

    /// Starts the monitor, waits for rows and the PID file, sends `signal`, expects a clean exit.
    func stops(on signal: Int32) async throws {
        let setup = try Setup()
        defer { setup.dir.remove() }
        let child = try setup.start()
        defer { child.send(SIGKILL) }
        #expect(await eventually { setup.sampleCount() >= 3 }, "no samples; stderr: \(child.stderr)")
        #expect(PIDFile.read(setup.pidFile) == child.pid)
        child.send(signal)
        let status = await child.wait(timeout: .seconds(15))
        #expect(status == 0, "stderr: \(child.stderr)")
        #expect(!FileManager.default.fileExists(atPath: setup.pidFile))
        #expect(child.stderr.contains("stopped"))
        #expect(child.stdout.isEmpty)  // logs never go to stdout
    }

    @Test("writes samples and stops cleanly on SIGTERM, removing its PID file")
    func sigterm() async throws { try await stops(on: SIGTERM) }

    @Test("stops cleanly on SIGINT")
    func sigint() async throws { try await stops(on: SIGINT) }

    @Test("stops cleanly on SIGQUIT")
    func sigquit() async throws { try await stops(on: SIGQUIT) }

    @Test("a second instance is refused while the first runs, naming its PID and the file")
    func secondInstance() async throws {
        let setup = try Setup()
        defer { setup.dir.remove() }
        let first = try setup.start()
        defer { first.send(SIGKILL) }
        #expect(await eventually { PIDFile.read(setup.pidFile) == first.pid })
        let second = try await ChildProcess.run(
            try Self.binary(), ["run", "--config", setup.config], currentDirectory: setup.dir.url.path,
            timeout: .seconds(30))
        #expect(second.status == 2)
        #expect(second.stderr.contains("PID \(first.pid)"))
        #expect(second.stderr.contains(setup.pidFile))
        #expect(first.isRunning)
        #expect(PIDFile.read(setup.pidFile) == first.pid)
        first.send(SIGTERM)
        #expect(await first.wait(timeout: .seconds(15)) == 0)
    }

    @Test("a stale PID file left by a dead process is replaced")
    func stalePIDFile() async throws {
        let setup = try Setup()
        defer { setup.dir.remove() }
        let dead = try ChildProcess("/bin/true", logDirectory: setup.dir)
        _ = await dead.wait(timeout: .seconds(10))
        try "\(dead.pid)\n".write(toFile: setup.pidFile, atomically: true, encoding: .utf8)
        let child = try setup.start()
        defer { child.send(SIGKILL) }
        #expect(await eventually { PIDFile.read(setup.pidFile) == child.pid }, "stderr: \(child.stderr)")
        #expect(child.stderr.contains("stale"))
        child.send(SIGTERM)
        #expect(await child.wait(timeout: .seconds(15)) == 0)
        #expect(!FileManager.default.fileExists(atPath: setup.pidFile))
    }

    @Test("tells systemd READY=1 on NOTIFY_SOCKET and STOPPING=1 on the way out")
    func systemdNotify() async throws {
        let setup = try Setup()
        defer { setup.dir.remove() }
        let listener = try DatagramListener(setup.dir.path("notify.sock"))
        let child = try setup.start(environment: ["NOTIFY_SOCKET": listener.address])
        defer { child.send(SIGKILL) }
        var messages: [String] = []
        #expect(await eventually { messages += listener.drain(); return messages.contains { $0.hasPrefix("READY=1") } })
        child.send(SIGTERM)
        #expect(await child.wait(timeout: .seconds(15)) == 0)
        messages += listener.drain()
        #expect(messages.last == "STOPPING=1")
    }

    @Test("a signal during startup retries ends the wait promptly")
    func signalDuringStartupRetry() async throws {
        let setup = try Setup(watch: "/nonexistent-\(getpid())/disk")
        defer { setup.dir.remove() }
        let child = try setup.start()
        defer { child.send(SIGKILL) }
        #expect(await eventually { child.stderr.contains("retrying") }, "stderr: \(child.stderr)")
        let sent = ContinuousClock.now
        child.send(SIGTERM)
        #expect(await child.wait(timeout: .seconds(10)) == 0, "stderr: \(child.stderr)")
        #expect(ContinuousClock.now - sent < .seconds(5))
        #expect(!FileManager.default.fileExists(atPath: setup.pidFile))
        #expect(setup.sampleCount() == 0)
    }

    @Test("under systemd (JOURNAL_STREAM naming its stderr) log lines carry <N> priorities, no timestamps or colour")
    func journaldLines() async throws {
        let setup = try Setup()
        defer { setup.dir.remove() }
        let errFile = setup.dir.path("journal.err")
        // The shell points stderr at a file and sets JOURNAL_STREAM to that file's device:inode, as
        // systemd does for a service's stream, then becomes the monitor (exec keeps the PID).
        let script = "exec 2>\"$ERR\"; JOURNAL_STREAM=$(stat -c %d:%i \"$ERR\"); export JOURNAL_STREAM; exec \"$BIN\" run --config \"$CFG\""
        let child = try ChildProcess(
            "/bin/sh", ["-c", script], environment: ["ERR": errFile, "BIN": try Self.binary(), "CFG": setup.config],
            currentDirectory: setup.dir.url.path, logDirectory: setup.dir)
        defer { child.send(SIGKILL) }
        func lines() -> [String] {
            ((try? String(contentsOfFile: errFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        #expect(await eventually { lines().contains { $0.hasPrefix("<6>disk-monitor: started") } }, "\(lines())")
        child.send(SIGTERM)
        #expect(await child.wait(timeout: .seconds(15)) == 0)
        let all = lines()
        #expect(all.allSatisfy { $0.hasPrefix("<") }, "\(all)")
        #expect(!all.contains { $0.contains("\u{1B}") })
        #expect(all.contains("<6>disk-monitor: stopped"))

        // Without JOURNAL_STREAM, the same run logs human lines (no colour: stderr is a file).
        let plain = try setup.start()
        defer { plain.send(SIGKILL) }
        #expect(await eventually { plain.stderr.contains("INFO  disk-monitor: started") })
        plain.send(SIGTERM)
        #expect(await plain.wait(timeout: .seconds(15)) == 0)
        #expect(!plain.stderr.contains("<6>"))
        #expect(!plain.stderr.contains("\u{1B}"))
    }

    @Test("example output is pure TOML on stdout, and validates")
    func exampleOnStdout() async throws {
        let dir = try TemporaryDirectory(prefix: "mini")
        defer { dir.remove() }
        let example = try await ChildProcess.run(try Self.binary(), ["example"], environment: ["DISKMON_LOG_LEVEL": "trace"])
        #expect(example.status == 0)
        #expect(example.stderr.isEmpty)
        #expect(example.stdout.hasPrefix("# Disk free-space monitor"))
        let file = dir.path("example.toml")
        try example.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try await ChildProcess.run(try Self.binary(), ["validate", "--config", file])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("configuration is valid"))
    }

    @Test("a bad value stops start-up with a message naming key, file and line")
    func badConfig() async throws {
        let dir = try TemporaryDirectory(prefix: "mini")
        defer { dir.remove() }
        let file = dir.path("bad.toml")
        try "[watch]\npath = \"/\"\ninterval_ms = -5\n".write(toFile: file, atomically: true, encoding: .utf8)
        let run = try await ChildProcess.run(try Self.binary(), ["run", "--config", file], currentDirectory: dir.url.path)
        #expect(run.status == 1)
        #expect(run.stderr.contains("watch.interval_ms"))
        #expect(run.stderr.contains("\(file):3"))
    }
}

/// Reads a PID file (the test's own small reader: the file's format is the contract).
enum PIDFile {
    static func read(_ path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
