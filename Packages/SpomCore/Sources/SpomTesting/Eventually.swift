import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Polls `condition` every `interval` until it returns true or `timeout` passes.
///
/// - Returns: whether the condition became true in time. Every loop in a test is bounded this way.
@discardableResult
public func eventually(
    timeout: Duration = .seconds(10),
    interval: Duration = .milliseconds(25),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    repeat {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    } while ContinuousClock.now < deadline
    return try await condition()
}

/// Loopback ports for servers started by tests.
public enum LoopbackPort {
    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it).
    public static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ChildProcessError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ChildProcessError("bind() failed: errno \(errno)") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        guard named == 0 else { throw ChildProcessError("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
