import Foundation

/// Writes the operator's keys the way a Substrate node keeps them.
enum OperatorKeystore {
    /// Files named hex(key type) + public key hex (without `0x`), each holding a JSON string
    /// secret placeholder: `63726368…` (crch), `61757261…` (aura), `6772616e…` (gran), and
    /// `62616265…` (babe) in the migration flavour.
    static func write(keys: DevnodeOperatorKeys, includeBabe: Bool, directory: String) throws(DevnodeError) {
        var entries: [(type: String, key: String)] = [
            ("crch", keys.sidechainKey), ("aura", keys.auraKey), ("gran", keys.grandpaKey),
        ]
        if includeBabe { entries.append(("babe", keys.babeKey)) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: directory, reason: "\(error)")
        }
        for e in entries {
            let typeHex = e.type.utf8.map { String(format: "%02x", $0) }.joined()
            let name = typeHex + e.key.dropFirst(2)
            let secret = "\"//devnode-\(e.type)-secret-placeholder\""
            try AtomicFile.write(Array(secret.utf8), to: (directory as NSString).appendingPathComponent(name))
        }
    }

    /// Writes v1's keys JSON file: `{"sidechain_pub_key","aura_pub_key","grandpa_pub_key"}`.
    static func writeKeysFile(keys: DevnodeOperatorKeys, path: String) throws(DevnodeError) {
        let json = """
            {"sidechain_pub_key":"\(keys.sidechainKey)","aura_pub_key":"\(keys.auraKey)","grandpa_pub_key":"\(keys.grandpaKey)"}

            """
        try AtomicFile.write(Array(json.utf8), to: path)
    }
}
