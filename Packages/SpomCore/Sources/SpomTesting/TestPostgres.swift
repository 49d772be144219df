import Foundation
import SpomDaemon

#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server for tests, started by `Scripts/lib/postgres.sh` (Debian's `initdb` +
/// `pg_ctl` in a temporary directory, on a free 127.0.0.1 port).
///
/// The test script starts one server for the whole run and exports `SPOM_TEST_POSTGRES_URL`
/// (and the other `SPOM_TEST_POSTGRES_*` variables). Tests that need PostgreSQL are enabled only
/// when that variable is set, and are skipped with ``skipMessage`` otherwise:
///
/// ```swift
/// @Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
/// struct PushTests {
///     @Test func push() async throws {
///         let server = try TestPostgres.shared()   // the script's server
///         #expect(server.url.hasPrefix("postgres://"))
///         …
///     }
/// }
/// ```
///
/// ``privateServer()`` starts a separate server through the same script (for tests that stop and
/// restart it); ``stop()`` ends it.
public final class TestPostgres: Sendable {
    /// `postgres://USER:PASSWORD@127.0.0.1:PORT/DB`.
    public let url: String
    /// The process environment plus this server's `SPOM_TEST_POSTGRES_*` variables.
    public let environment: [String: String]
    private let process: Process?
    private let stdin: Pipe?

    private init(url: String, environment: [String: String], process: Process?, stdin: Pipe?) {
        self.url = url
        self.environment = environment
        self.process = process
        self.stdin = stdin
    }

    /// Why no server could be had.
    public struct Unavailable: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// The variable holding the URL of the test run's server.
    public static let urlVariable = "SPOM_TEST_POSTGRES_URL"

    /// Whether the test run provides a server (`SPOM_TEST_POSTGRES_URL` is set).
    public static var isConfigured: Bool {
        !(ProcessInfo.processInfo.environment[urlVariable] ?? "").isEmpty
    }

    /// The message a skipped PostgreSQL test shows.
    public static let skipMessage =
        "needs PostgreSQL: SPOM_TEST_POSTGRES_URL is not set (run Scripts/test, or `source Scripts/lib/postgres.sh; pg_start` first)"

    /// The server of the test run (from `SPOM_TEST_POSTGRES_URL`).
    public static func shared() throws -> TestPostgres {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment[urlVariable], !url.isEmpty else { throw Unavailable(description: skipMessage) }
        return TestPostgres(url: url, environment: environment, process: nil, stdin: nil)
    }

    /// A server of its own, started through `Scripts/lib/postgres.sh start-foreground` (stopped by
    /// ``stop()`` or when the test process ends). Reuses the PostgreSQL binaries the run found.
    public static func privateServer() throws -> TestPostgres { try start() }

    /// A fresh name per test (e.g. a PostgreSQL schema), so tests sharing a server don't see each
    /// other's rows.
    public static func freshName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Runs `pg_ctl_as stop|start` against this server (private servers only). `stop` uses
    /// PostgreSQL's fast shutdown: sessions are terminated, in-flight statements fail.
    ///
    /// The script runs through `posix_spawn` and is awaited with a non-blocking `waitpid` poll
    /// (bounded to 60 s): Foundation's `Process.waitUntilExit` was seen to miss the exit of a
    /// short-lived child here and block a cooperative thread for good.
    public func control(_ action: String) async throws {
        guard process != nil else { throw Unavailable(description: "only a private test server can be stopped") }
        let script = try Self.script()
        let arguments = ["/bin/bash", "-c", "source \"$1\" && pg_ctl_as \(action)", "bash", script]
        let environmentLines = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environmentLines.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let spawned = SpawnSignalMask.withEmptyMask { posix_spawn(&pid, "/bin/bash", nil, nil, argv, envp) }
        guard spawned == 0 else { throw Unavailable(description: "cannot run pg_ctl_as \(action): errno \(spawned)") }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                let exited = (status & 0x7f) == 0
                let code = (status >> 8) & 0xff
                guard exited && code == 0 else { throw Unavailable(description: "pg_ctl_as \(action) failed (wait status \(status))") }
                return
            }
            if result < 0 { return }  // already reaped elsewhere: it has finished
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(pid, SIGKILL)
        throw Unavailable(description: "pg_ctl_as \(action) did not finish within 60 s")
    }

    /// Stops a private server and removes its directory (nothing for the shared one).
    ///
    /// The script is sent SIGTERM (its trap stops the server and deletes the directory): closing
    /// its stdin alone is not enough once a restarted server has inherited the pipe. Waits at most
    /// 30 s, polling `waitpid` rather than blocking in `Process.waitUntilExit`.
    public func stop() {
        try? stdin?.fileHandleForWriting.close()
        guard let process else { return }
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || result < 0 { return }
            usleep(50_000)
        }
    }

    /// `Scripts/lib/postgres.sh`, looked up from `SPOM_ROOT`, this source file's folders and the
    /// current directory.
    public static func script() throws -> String {
        var candidates: [URL] = []
        if let root = ProcessInfo.processInfo.environment["SPOM_ROOT"] { candidates.append(URL(fileURLWithPath: root)) }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            candidates.append(dir)
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for base in candidates {
            let path = base.appendingPathComponent("Scripts/lib/postgres.sh").path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw Unavailable(description: "Scripts/lib/postgres.sh was not found to start a PostgreSQL server")
    }

    private static func start() throws -> TestPostgres {
        let script = try script()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "start-foreground"]
        let output = Pipe()
        let input = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = errors
        do {
            try SpawnSignalMask.withEmptyMask { try process.run() }
        } catch {
            throw Unavailable(description: "cannot run \(script): \(error)")
        }
        // "KEY=VALUE" lines until READY; EOF (the script failed) ends the loop, and the script
        // bounds its own waits (pg_ctl -t 30).
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("READY\n") {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard text.contains("READY\n") else {
            let stderr = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            process.terminate()
            throw Unavailable(description: "could not start PostgreSQL with \(script): \(stderr)")
        }
        var environment = ProcessInfo.processInfo.environment
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let url = environment[urlVariable] else { throw Unavailable(description: "the script printed no URL") }
        return TestPostgres(url: url, environment: environment, process: process, stdin: input)
    }
}
