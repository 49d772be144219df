import Foundation

/// A directory under the system temporary folder that is removed when ``remove()`` is called.
///
/// Tests create one per test so that databases, PID files and config files never collide:
///
/// ```swift
/// let dir = try TemporaryDirectory(prefix: "store")
/// defer { dir.remove() }
/// let db = dir.path("store.sqlite")
/// ```
public struct TemporaryDirectory: Sendable {
    /// The absolute path of the directory.
    public let url: URL

    /// Creates a fresh, empty directory.
    public init(prefix: String = "spom") throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
        let name = "\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        url = base.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory (not created).
    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Deletes the directory and everything in it; errors are ignored.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
