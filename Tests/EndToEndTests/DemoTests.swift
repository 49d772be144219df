import Foundation
import SpomTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `mvm demo --no-view`: a simulated node synced into a temporary database, queryable while it runs.
@Suite("mvm demo")
struct DemoTests {
    @Test func demoSyncsAQueryableDatabase() async throws {
        let directory = try TemporaryDirectory(prefix: "demo")
        defer { directory.remove() }
        let demo = try ChildProcess(try CLI.path("mvm"), ["demo", "--no-view"], environment: ["NO_COLOR": "1"], logDirectory: directory)
        var database: String?
        await eventually(timeout: .seconds(20)) {
            database = demo.stdout.split(separator: "\n").first { $0.contains("database:") }
                .map { $0.replacingOccurrences(of: "database:", with: "").trimmingCharacters(in: .whitespaces) }
            return database != nil
        }
        let path = try #require(database, "demo printed its database: \(demo.stdout)\n\(demo.stderr)")
        let synced = await eventually(timeout: .seconds(30), interval: .milliseconds(250)) {
            guard let stats = try? await CLI.run("mvm", ["query", "-d", path, "stats", "--json"]), stats.status == 0,
                let object = try? JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
            else { return false }
            return (object["total_blocks"] as? Int ?? 0) >= 3
        }
        #expect(synced, "demo database fills: \(demo.stderr)")
        demo.send(SIGTERM)
        let status = await demo.wait(timeout: .seconds(20))
        if status == nil { await demo.kill9() }
        #expect(status == 0, "graceful stop: \(demo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path), "temporary database removed")
    }
}
