import Foundation

/// Where the workspace's built executables are, for tests that run them as child processes.
public enum BuildProducts {
    /// The build folder holding the executables: `SPOM_BIN_DIR` when set, else the folder of the
    /// running test binary (SwiftPM puts the test bundle beside the executables).
    public static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["SPOM_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent()
    }

    /// The path of the executable `name`, or `nil` when it has not been built.
    public static func executable(_ name: String) -> String? {
        let path = directory.appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}
