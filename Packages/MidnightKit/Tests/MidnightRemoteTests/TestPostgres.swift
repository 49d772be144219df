import Foundation
import SpomRemote
import Synchronization

/// A PostgreSQL server for the tests (the same helper as SpomRemoteTests'; test targets cannot share files).
///
/// `shared()` uses `MVM_TEST_POSTGRES_URL` when Scripts/test exported one (Scripts/lib/postgres.sh);
/// otherwise it starts one through `Scripts/lib/postgres.sh start-foreground` for this test
/// process. `privateServer()` always starts a separate one (for tests that stop and restart it).
/// When no server can be had the tests FAIL with the reason: they never pass without a server.
final class TestPostgres: Sendable {
    let url: String
    let environment: [String: String]
    private let process: Process?
    private let stdin: Pipe?

    private init(url: String, environment: [String: String], process: Process?, stdin: Pipe?) {
        self.url = url
        self.environment = environment
        self.process = process
        self.stdin = stdin
    }

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    private static let sharedServer = Mutex<TestPostgres?>(nil)

    /// The server shared by the tests of this process.
    static func shared() throws -> TestPostgres {
        try sharedServer.withLock { server in
            if let server { return server }
            let environment = ProcessInfo.processInfo.environment
            let made: TestPostgres
            if let url = environment["MVM_TEST_POSTGRES_URL"], !url.isEmpty {
                made = TestPostgres(url: url, environment: environment, process: nil, stdin: nil)
            } else {
                made = try start()
            }
            server = made
            return made
        }
    }

    /// A server of its own (stopped when the test process ends or `stop()` is called).
    static func privateServer() throws -> TestPostgres { try start() }

    var target: PostgresTarget {
        get throws { try PostgresTarget.parse(url: url) }
    }

    /// Runs `pg_ctl_as stop|start` against this server (private servers only).
    func control(_ action: String) throws {
        guard process != nil else { throw Unavailable(description: "only a private test server can be stopped") }
        let run = Process()
        run.executableURL = URL(fileURLWithPath: "/bin/bash")
        run.arguments = ["-c", "source \"$1\" && pg_ctl_as \(action)", "bash", try Self.script()]
        run.environment = environment
        try run.run()
        run.waitUntilExit()
        guard run.terminationStatus == 0 else { throw Unavailable(description: "pg_ctl_as \(action) exited \(run.terminationStatus)") }
    }

    /// Stops a private server and removes its directory.
    func stop() {
        try? stdin?.fileHandleForWriting.close()
        process?.waitUntilExit()
    }

    static func script() throws -> String {
        var candidates: [URL] = []
        if let root = ProcessInfo.processInfo.environment["MVM_ROOT"] { candidates.append(URL(fileURLWithPath: root)) }
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
        throw Unavailable(description: "MVM_TEST_POSTGRES_URL is not set and Scripts/lib/postgres.sh was not found to start a server")
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
            try process.run()
        } catch {
            throw Unavailable(description: "cannot run \(script): \(error)")
        }
        // Read "KEY=VALUE" lines until READY (bounded: the script itself times out pg_ctl at 30 s;
        // EOF ends the loop if the script fails).
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
            let ci = ProcessInfo.processInfo.environment["CI"] == "true" ? " (CI=true: a PostgreSQL server is required)" : ""
            throw Unavailable(description: "could not start PostgreSQL with \(script)\(ci): \(stderr)")
        }
        var environment = ProcessInfo.processInfo.environment
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let url = environment["MVM_TEST_POSTGRES_URL"] else { throw Unavailable(description: "the script printed no URL") }
        return TestPostgres(url: url, environment: environment, process: process, stdin: input)
    }
}

/// A fresh namespace name per test, so tests sharing a server don't see each other's rows.
func freshNamespace(_ prefix: String) -> String {
    "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
}
