import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends `sd_notify` messages to systemd over the `NOTIFY_SOCKET` datagram socket.
///
/// Supports filesystem sockets and abstract sockets (`@name`). Without `NOTIFY_SOCKET` there is
/// no notifier and nothing is sent.
public struct SystemdNotifier: Sendable {
    /// The socket address from `NOTIFY_SOCKET` (`/run/systemd/notify` or `@name`).
    public let socketPath: String

    /// A notifier for `environment`'s `NOTIFY_SOCKET`, or `nil` when it is unset or unusable.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment["NOTIFY_SOCKET"], path.hasPrefix("/") || path.hasPrefix("@"), path.utf8.count > 1
        else { return nil }
        self.socketPath = path
    }

    /// The watchdog ping interval: half of `WATCHDOG_USEC`, or `nil` when there is no watchdog
    /// for this process (`WATCHDOG_PID`, when set, must be our PID).
    public static func watchdogInterval(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Duration?
    {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], let pid = Int32(owner), pid != getpid() { return nil }
        return .microseconds(Int64(clamping: usec / 2))
    }

    /// Sends `READY=1`, with a status line when given.
    @discardableResult
    public func ready(status: String? = nil) -> Bool {
        send("READY=1" + (status.map { "\nSTATUS=\($0)" } ?? ""))
    }

    /// Sends `STATUS=<text>`.
    @discardableResult
    public func status(_ text: String) -> Bool { send("STATUS=\(text)") }

    /// Sends `WATCHDOG=1`.
    @discardableResult
    public func watchdog() -> Bool { send("WATCHDOG=1") }

    /// Sends `STOPPING=1`.
    @discardableResult
    public func stopping() -> Bool { send("STOPPING=1") }

    /// Sends one message (newline-separated `KEY=value` assignments).
    ///
    /// - Returns: whether the datagram was sent. Failures are not errors: a service must keep
    ///   running when systemd's socket is gone.
    @discardableResult
    public func send(_ message: String) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(socketPath.utf8)
        if name.first == UInt8(ascii: "@") { name[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard name.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in name.enumerated() { raw[index] = byte }
        }
        let length = socklen_t((MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2) + name.count + (name.first == 0 ? 0 : 1))
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
        return sent == bytes.count
    }
}
