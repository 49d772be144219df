import Foundation

/// A validator's public keys: its identity (sidechain / cross-chain ECDSA key) and session keys.
public struct ValidatorKeys: Codable, Equatable, Sendable {
    /// `crch`: 33-byte compressed ECDSA key, the validator's identity.
    public var sidechain: String
    /// `aura`: 32-byte sr25519 block-authoring key.
    public var aura: String?
    /// `gran`: 32-byte ed25519 finality key.
    public var grandpa: String?
    /// `babe`: block-authoring key after the AURA→BABE migration.
    public var babe: String?

    public init(sidechain: String, aura: String? = nil, grandpa: String? = nil, babe: String? = nil) {
        self.sidechain = KeyFormat.normalize(sidechain)
        self.aura = aura.map { KeyFormat.normalize($0) }
        self.grandpa = grandpa.map { KeyFormat.normalize($0) }
        self.babe = babe.map { KeyFormat.normalize($0) }
    }
}

/// Why keys could not be loaded.
public struct KeystoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot read validator keys from \(path): \(reason)" }
}

/// Reads public keys from a Substrate keystore directory or from v1's keys JSON file. Secret
/// material (file contents in a keystore) is never read.
public enum Keystore {
    /// The key types MVM reads, by their four-character id.
    public static let keyTypes = ["crch", "aura", "gran", "babe"]

    /// One key file found in a keystore directory.
    public struct Entry: Equatable, Sendable {
        public var keyType: String
        public var publicKey: String
        public var fileName: String
        public var modified: Date?
    }

    /// Every recognised key file in `directory` (a node keeps one file per key: its name is the
    /// hex of the key type followed by the hex public key).
    public static func entries(directory: String) throws(KeystoreError) -> [Entry] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw KeystoreError(path: directory, reason: "not a readable directory (\(error.localizedDescription))")
        }
        var result: [Entry] = []
        for name in names.sorted() {
            let lower = name.lowercased()
            guard lower.count > 8, let typeBytes = try? Hex.decode(String(lower.prefix(8))),
                let type = String(bytes: typeBytes, encoding: .ascii), keyTypes.contains(type),
                (try? Hex.decode(String(lower.dropFirst(8)))) != nil
            else { continue }
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            result.append(
                Entry(
                    keyType: type, publicKey: KeyFormat.normalize(String(lower.dropFirst(8))), fileName: name,
                    modified: attributes?[.modificationDate] as? Date))
        }
        return result
    }

    /// The validator keys in a keystore directory. When a type has several files (keys were
    /// rotated), the most recently modified one is used.
    ///
    /// - Throws: ``KeystoreError`` when the directory is unreadable or has no `crch` key.
    public static func load(directory: String) throws(KeystoreError) -> ValidatorKeys {
        let all = try entries(directory: directory)
        func newest(_ type: String) -> String? {
            all.filter { $0.keyType == type }
                .max { ($0.modified ?? .distantPast, $0.fileName) < ($1.modified ?? .distantPast, $1.fileName) }?
                .publicKey
        }
        guard let sidechain = newest("crch") else {
            throw KeystoreError(
                path: directory, reason: "no sidechain key (a file named 63726368… for key type crch) in the keystore")
        }
        return ValidatorKeys(sidechain: sidechain, aura: newest("aura"), grandpa: newest("gran"), babe: newest("babe"))
    }

    /// The keys in v1's keys JSON file:
    /// `{"sidechain_pub_key": "0x…", "aura_pub_key": "0x…", "grandpa_pub_key": "0x…"}`.
    public static func load(keysFile path: String) throws(KeystoreError) -> ValidatorKeys {
        struct File: Decodable {
            var sidechain_pub_key: String
            var aura_pub_key: String?
            var grandpa_pub_key: String?
            var babe_pub_key: String?
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw KeystoreError(path: path, reason: "cannot read the file (\(error.localizedDescription))")
        }
        do {
            let f = try JSONDecoder().decode(File.self, from: data)
            return ValidatorKeys(
                sidechain: f.sidechain_pub_key, aura: f.aura_pub_key, grandpa: f.grandpa_pub_key, babe: f.babe_pub_key)
        } catch {
            throw KeystoreError(path: path, reason: "not a keys JSON file with sidechain_pub_key (\(error))")
        }
    }
}
