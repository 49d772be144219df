import Foundation
import SpomDaemon
import SpomTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("signal mask of spawned children")
struct SpawnSignalMaskTests {
    /// The `SigBlk` mask of a running process, from `/proc/<pid>/status`.
    static func blockedMask(_ pid: pid_t) throws -> UInt64 {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") })
        return try #require(UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16))
    }

    static func spawnSleep() -> pid_t {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("5"), nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/sleep", nil, nil, argv, environ) == 0)
        return pid
    }

    static func reap(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    @Test func childrenOfAsyncCodeStartWithNoSignalBlocked() async throws {
        // Test bodies run on Swift concurrency threads, which block nearly every signal; a child
        // spawned plainly inherits that (the control case), one spawned in the helper does not.
        var current = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &current)
        let threadBlocksTerm = sigismember(&current, SIGTERM) == 1
        let plain = Self.spawnSleep()
        defer { Self.reap(plain) }
        if threadBlocksTerm {
            #expect(try Self.blockedMask(plain) != 0, "control: the thread's mask is inherited")
        }
        let clean = SpawnSignalMask.withEmptyMask { Self.spawnSleep() }
        defer { Self.reap(clean) }
        #expect(try Self.blockedMask(clean) == 0)

        // The calling thread gets its own mask back.
        var after = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &after)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGUSR1] {
            #expect(sigismember(&after, signal) == sigismember(&current, signal), "signal \(signal) restored")
        }
    }

    @Test func childProcessStartsChildrenThatSeeSignals() async throws {
        // A ChildProcess (Foundation's Process underneath) must be stoppable with SIGTERM even when
        // started from async code.
        let logs = try TemporaryDirectory(prefix: "spawn-mask")
        defer { logs.remove() }
        let child = try ChildProcess("/bin/sleep", ["30"], logDirectory: logs)
        #expect(try Self.blockedMask(child.pid) == 0)
        child.send(SIGTERM)
        let status = await child.wait(timeout: .seconds(10))
        #expect(status != nil, "sleep ended on SIGTERM")
        await child.kill9()
    }
}
