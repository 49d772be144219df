import Foundation
import SpomDaemon

#if canImport(Glibc)
import Glibc
#endif

/// Errors raised by ``ChildProcess``.
public struct ChildProcessError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A child process whose standard output and error are captured to files, so that a test can
/// read them at any time without pipes filling up.
public final class ChildProcess: @unchecked Sendable {
    // `Process` is not Sendable; every access goes through `lock`.
    private let process = Process()
    private let lock = NSLock()
    /// Files that receive the child's standard output and standard error.
    public let stdoutPath: String
    public let stderrPath: String

    /// Starts `executable` with `arguments` and `environment` (added to the current one).
    public init(
        _ executable: String,
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        currentDirectory: String? = nil,
        logDirectory: TemporaryDirectory
    ) throws {
        let tag = "\(URL(fileURLWithPath: executable).lastPathComponent)-\(UUID().uuidString.prefix(6))"
        stdoutPath = logDirectory.path("\(tag).out")
        stderrPath = logDirectory.path("\(tag).err")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        // From async code the child would inherit a mask that blocks nearly every signal.
        try SpawnSignalMask.withEmptyMask { try process.run() }
    }

    /// The child's process id.
    public var pid: Int32 { lock.withLock { process.processIdentifier } }

    /// Whether the child is still running.
    public var isRunning: Bool { lock.withLock { process.isRunning } }

    /// Everything the child wrote to standard output so far.
    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// Everything the child wrote to standard error so far.
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` (for example `SIGTERM`) to the child.
    public func send(_ signal: Int32) {
        _ = kill(pid, signal)
    }

    /// Waits until the child exits or `timeout` passes; returns its exit status, or `nil` on
    /// timeout (the child is left running).
    public func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !isRunning { return lock.withLock { process.terminationStatus } }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Kills the child with `SIGKILL` if it is still running and reaps it.
    public func kill9() async {
        if isRunning {
            send(SIGKILL)
            _ = await wait(timeout: .seconds(10))
        }
    }

    /// Runs `executable` to completion (bounded by `timeout`) and returns its exit status and output.
    public static func run(
        _ executable: String,
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        currentDirectory: String? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let logs = try TemporaryDirectory(prefix: "child")
        defer { logs.remove() }
        let child = try ChildProcess(
            executable, arguments, environment: environment, currentDirectory: currentDirectory, logDirectory: logs)
        guard let status = await child.wait(timeout: timeout) else {
            await child.kill9()
            throw ChildProcessError("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        return (status, child.stdout, child.stderr)
    }
}
