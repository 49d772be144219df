import Foundation
import SpomTesting
import Testing

/// Every `import` of one of the workspace's own modules must follow a declared dependency.
///
/// A full `swift build` compiles every module first, so an undeclared import still compiles there;
/// building one product on its own (`swift build --product mvm-view`, as an operator or a packager
/// does) then fails with "no such module". This reads each manifest as SwiftPM evaluates it
/// (`swift package dump-package`) and the sources beside it.
@Suite struct ManifestImportTests {
    private struct Target {
        var package: String
        var name: String
        var directory: URL
        var dependencies: [String]
    }

    private static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Packages/SpomCore/Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    private static func swiftExecutable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/swift" } + ["/opt/swift/usr/bin/swift"]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }, "swift is not on PATH")
    }

    /// The targets of the package at `folder` (relative to the repository root), from its evaluated manifest.
    private static func targets(of folder: String) async throws -> [Target] {
        let root = repositoryRoot
        let packageDirectory = folder.isEmpty ? root : root.appendingPathComponent(folder)
        // A scratch folder of its own: the repository's .build is locked by the `swift test` running this.
        let scratch = try TemporaryDirectory(prefix: "dump-package")
        defer { scratch.remove() }
        let result = try await ChildProcess.run(
            try swiftExecutable(),
            ["package", "dump-package", "--package-path", packageDirectory.path, "--scratch-path", scratch.url.path],
            timeout: .seconds(120))
        try #require(result.status == 0, "swift package dump-package \(folder) failed: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let targets = try #require(json["targets"] as? [[String: Any]])
        return try targets.compactMap { target -> Target? in
            let name = try #require(target["name"] as? String)
            let type = target["type"] as? String ?? "regular"
            guard ["regular", "executable", "test"].contains(type) else { return nil }
            let path = (target["path"] as? String) ?? "\(type == "test" ? "Tests" : "Sources")/\(name)"
            let dependencies = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency -> String? in
                for key in ["byName", "target", "product"] {
                    if let parts = dependency[key] as? [Any], let first = parts.first as? String { return first }
                }
                return nil
            }
            return Target(package: folder, name: name, directory: packageDirectory.appendingPathComponent(path), dependencies: dependencies)
        }
    }

    /// Module names imported by the Swift files under `directory`.
    private static func imports(in directory: URL) -> [(file: String, module: String)] {
        guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        var found: [(String, String)] = []
        for case let file as URL in files where file.pathExtension == "swift" {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").filter { !$0.hasPrefix("@") && !["public", "internal", "package", "private", "fileprivate"].contains($0) }
                if words.count >= 2, words[0] == "import" { found.append((file.lastPathComponent, String(words[1]))) }
            }
        }
        return found
    }

    @Test func everyImportOfAWorkspaceModuleIsADeclaredDependency() async throws {
        var all: [Target] = []
        for folder in ["Packages/SpomCore", "Packages/MidnightKit", ""] { all += try await Self.targets(of: folder) }
        // Modules are also products of the same name, so a dependency name is a module name.
        let ownModules = Set(all.filter { $0.package != "" }.map(\.name))
        var declared: [String: Set<String>] = [:]
        for target in all where target.package != "" { declared[target.name] = Set(target.dependencies) }
        func closure(_ names: [String]) -> Set<String> {
            var seen = Set<String>()
            var queue = names
            while let next = queue.popLast() {
                guard seen.insert(next).inserted else { continue }
                queue.append(contentsOf: declared[next] ?? [])
            }
            return seen
        }
        #expect(ownModules.contains("MidnightAPI") && ownModules.contains("SpomTesting"))
        #expect(all.count > 40, "found \(all.count) targets")

        var problems: [String] = []
        for target in all {
            let reachable = closure(target.dependencies)
            for (file, module) in Self.imports(in: target.directory)
            where ownModules.contains(module) && module != target.name && !reachable.contains(module) {
                problems.append("\(target.package.isEmpty ? "root" : target.package) \(target.name): \(file) imports \(module), which it does not depend on")
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
