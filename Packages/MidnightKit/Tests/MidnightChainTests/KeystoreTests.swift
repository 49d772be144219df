import Foundation
import MidnightChain
import SpomTesting
import Testing

@Suite struct KeystoreTests {
    let sidechain = "0x02" + String(repeating: "ab", count: 32)
    let aura = "0x" + String(repeating: "cd", count: 32)
    let grandpa = "0x" + String(repeating: "ef", count: 32)

    func write(_ dir: TemporaryDirectory, type: String, key: String) throws {
        let name = Hex.encode(Array(type.utf8), prefix: false) + key.dropFirst(2)
        try Data("\"secret phrase\"".utf8).write(to: URL(fileURLWithPath: dir.path(name)))
    }

    @Test func readsASubstrateKeystore() throws {
        let dir = try TemporaryDirectory(prefix: "keystore")
        defer { dir.remove() }
        try write(dir, type: "crch", key: sidechain)
        try write(dir, type: "aura", key: aura)
        try write(dir, type: "gran", key: grandpa)
        try Data().write(to: URL(fileURLWithPath: dir.path("README")))
        let keys = try Keystore.load(directory: dir.url.path)
        #expect(keys == ValidatorKeys(sidechain: sidechain, aura: aura, grandpa: grandpa))
        #expect(try Keystore.entries(directory: dir.url.path).count == 3)
    }

    @Test func missingSidechainKeyIsAClearError() throws {
        let dir = try TemporaryDirectory(prefix: "keystore")
        defer { dir.remove() }
        try write(dir, type: "aura", key: aura)
        do {
            _ = try Keystore.load(directory: dir.url.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("crch"))
            #expect(error.description.contains(dir.url.path))
        }
        #expect(throws: KeystoreError.self) { try Keystore.load(directory: dir.path("missing")) }
    }

    @Test func readsV1KeysFile() throws {
        let dir = try TemporaryDirectory(prefix: "keys")
        defer { dir.remove() }
        let path = dir.path("keys.json")
        try Data(#"{"sidechain_pub_key":"\#(sidechain.uppercased())","aura_pub_key":"\#(aura)","grandpa_pub_key":"\#(grandpa)","extra":1}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let keys = try Keystore.load(keysFile: path)
        #expect(keys.sidechain == KeyFormat.normalize(sidechain))
        #expect(keys.aura == aura)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: KeystoreError.self) { try Keystore.load(keysFile: path) }
    }
}
