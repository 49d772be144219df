import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a PID file could not be taken.
public struct PIDFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: Sendable, Equatable {
        /// Another live process holds the file; its PID is given when readable.
        case alreadyRunning(pid: Int32?)
        /// A system call failed (`errno` and the call's name).
        case system(call: String, errno: Int32)
    }

    /// The PID file concerned.
    public let path: String
    /// What went wrong.
    public let code: Code

    /// A message naming the file and the PID or system error.
    public var description: String {
        switch code {
        case .alreadyRunning(let pid?):
            return "another instance is already running (PID \(pid), PID file \(path))"
        case .alreadyRunning(nil):
            return "another instance is already running (PID file \(path) is locked)"
        case .system(let call, let number):
            return "PID file \(path): \(call) failed: \(String(cString: strerror(number)))"
        }
    }
}

/// An exclusive, locked PID file.
///
/// The file is created with `O_CREAT|O_EXCL` and held under `flock(LOCK_EX)` for the life of the
/// process, so a second instance fails at once with the running PID. A file left by a dead
/// process (its lock died with it) is taken over in place. A file without a lock whose PID is a
/// live process (written by an older version that did not lock) is also respected. ``remove()``
/// deletes the file on clean exit.
public final class PIDFile: Sendable {
    /// The file's path.
    public let path: String
    private let descriptor: Mutex<Int32?>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        descriptor.withLock { fd in
            if let open = fd { close(open) }
            fd = nil
        }
    }

    /// Creates and locks the PID file at `path`, writing this process's PID.
    ///
    /// - Throws: ``PIDFileError`` `.alreadyRunning` when another live instance holds it, or
    ///   `.system` when the file cannot be created, locked or written.
    public static func acquire(at path: String, logger: Logger) throws -> PIDFile {
        let me = getpid()
        for _ in 0..<5 {
            let created = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if created >= 0 {
                guard flock(created, LOCK_EX | LOCK_NB) == 0 else {
                    // Someone opened our brand-new file and locked it first; treat as running.
                    let pid = readPID(created)
                    close(created)
                    throw PIDFileError(path: path, code: .alreadyRunning(pid: pid))
                }
                try write(pid: me, to: created, path: path)
                return PIDFile(path: path, descriptor: created)
            }
            guard errno == EEXIST else { throw PIDFileError(path: path, code: .system(call: "open", errno: errno)) }

            let existing = open(path, O_RDWR | O_CLOEXEC)
            if existing < 0 {
                if errno == ENOENT { continue }  // removed meanwhile: try creating again
                throw PIDFileError(path: path, code: .system(call: "open", errno: errno))
            }
            if flock(existing, LOCK_EX | LOCK_NB) != 0 {
                let pid = readPID(existing)
                close(existing)
                throw PIDFileError(path: path, code: .alreadyRunning(pid: pid))
            }
            // We hold the lock. Make sure the path still names the file we locked.
            guard sameFile(existing, path) else {
                close(existing)
                continue
            }
            let previous = readPID(existing)
            if let previous, previous != me, isAlive(previous) {
                close(existing)
                throw PIDFileError(path: path, code: .alreadyRunning(pid: previous))
            }
            logger.info(
                "replacing stale PID file",
                metadata: ["path": "\(path)", "stale_pid": "\(previous.map(String.init) ?? "unreadable")"])
            try write(pid: me, to: existing, path: path)
            return PIDFile(path: path, descriptor: existing)
        }
        throw PIDFileError(path: path, code: .system(call: "open", errno: EAGAIN))
    }

    /// Deletes the file (if it is still ours) and releases the lock. Safe to call twice.
    public func remove() {
        descriptor.withLock { fd in
            guard let open = fd else { return }
            if PIDFile.sameFile(open, path) { unlink(path) }
            close(open)
            fd = nil
        }
    }

    /// The PID written in the file at `path`, if it is readable.
    public static func readPID(at path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Whether a process with `pid` exists (`kill(pid, 0)`; `EPERM` means it exists).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func write(pid: Int32, to fd: Int32, path: String) throws {
        let bytes = Array("\(pid)\n".utf8)
        guard ftruncate(fd, 0) == 0 else { throw PIDFileError(path: path, code: .system(call: "ftruncate", errno: errno)) }
        let written = pwrite(fd, bytes, bytes.count, 0)
        guard written == bytes.count else {
            throw PIDFileError(path: path, code: .system(call: "write", errno: written < 0 ? errno : EIO))
        }
        _ = fsync(fd)
    }

    private static func sameFile(_ fd: Int32, _ path: String) -> Bool {
        var open = stat()
        var named = stat()
        guard fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }
}
