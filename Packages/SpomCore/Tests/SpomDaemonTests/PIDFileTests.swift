import Foundation
import Logging
import SpomDaemon
import SpomTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The PID of a process that has exited.
func deadPID() async throws -> Int32 {
    let logs = try TemporaryDirectory(prefix: "dead")
    defer { logs.remove() }
    let child = try ChildProcess("/bin/true", logDirectory: logs)
    let pid = child.pid
    _ = await child.wait(timeout: .seconds(10))
    return pid
}

@Suite("PID file")
struct PIDFileTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test("acquire writes our PID, a second acquire is refused naming it, remove deletes the file")
    func exclusive() throws {
        let dir = try TemporaryDirectory(prefix: "pid")
        defer { dir.remove() }
        let path = dir.path("app.pid")
        let first = try PIDFile.acquire(at: path, logger: logger)
        #expect(PIDFile.readPID(at: path) == getpid())
        let error = try #require(throws: PIDFileError.self) { try PIDFile.acquire(at: path, logger: logger) }
        #expect(error.code == .alreadyRunning(pid: getpid()))
        #expect(error.description.contains("PID \(getpid())"))
        #expect(error.description.contains(path))
        first.remove()
        #expect(!FileManager.default.fileExists(atPath: path))
        first.remove()  // twice is harmless
        let again = try PIDFile.acquire(at: path, logger: logger)
        again.remove()
    }

    @Test("a stale file from a dead process is taken over")
    func staleFile() async throws {
        let dir = try TemporaryDirectory(prefix: "pid")
        defer { dir.remove() }
        let path = dir.path("app.pid")
        let dead = try await deadPID()
        try "\(dead)\n".write(toFile: path, atomically: true, encoding: .utf8)
        let file = try PIDFile.acquire(at: path, logger: logger)
        #expect(PIDFile.readPID(at: path) == getpid())
        file.remove()
    }

    @Test("garbage content is replaced")
    func garbage() throws {
        let dir = try TemporaryDirectory(prefix: "pid")
        defer { dir.remove() }
        let path = dir.path("app.pid")
        try "not a pid".write(toFile: path, atomically: true, encoding: .utf8)
        let file = try PIDFile.acquire(at: path, logger: logger)
        #expect(PIDFile.readPID(at: path) == getpid())
        file.remove()
    }

    @Test("an unlocked file naming a live process (an older version's) is respected")
    func unlockedLiveProcess() async throws {
        let dir = try TemporaryDirectory(prefix: "pid")
        defer { dir.remove() }
        let path = dir.path("app.pid")
        let sleeper = try ChildProcess("/bin/sleep", ["30"], logDirectory: dir)
        defer { sleeper.send(SIGKILL) }
        try "\(sleeper.pid)".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: PIDFileError.self) { try PIDFile.acquire(at: path, logger: logger) }
        #expect(error.code == .alreadyRunning(pid: sleeper.pid))
        await sleeper.kill9()
    }

    @Test("a PID file in a missing directory is a system error naming the path")
    func missingDirectory() throws {
        let error = try #require(throws: PIDFileError.self) {
            try PIDFile.acquire(at: "/nonexistent-dir-\(getpid())/app.pid", logger: logger)
        }
        #expect(error.description.contains("/nonexistent-dir-"))
    }
}
