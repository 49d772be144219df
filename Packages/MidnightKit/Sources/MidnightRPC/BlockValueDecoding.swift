import Foundation
import MidnightChain

/// Reads blocks and headers straight out of a parsed ``JSONValue`` (no round trip through JSON
/// text and `JSONDecoder`: catch-up decodes every block of the chain). Accepts exactly what the
/// `Codable` models accept; a mismatch is a `DecodingError` whose coding path names the field
/// (`block.header.number`), like the `Codable` path.
extension JSONValue {
    /// A path element for the `DecodingError`s thrown here.
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init(intValue: Int) {
            self.stringValue = "\(intValue)"
            self.intValue = intValue
        }
        init(_ name: String) { self.stringValue = name }
    }

    private static func mismatch(_ path: [Key], _ detail: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: detail))
    }

    private static func missing(_ path: [Key], _ name: String) -> DecodingError {
        .keyNotFound(Key(name), DecodingError.Context(codingPath: path, debugDescription: "No value associated with key \"\(name)\""))
    }

    /// `chain_getBlock`'s result as a ``SignedBlock``.
    func signedBlock() throws(DecodingError) -> SignedBlock {
        guard case .object(let members) = self else { throw Self.mismatch([], "expected an object") }
        guard let blockValue = members["block"] else { throw Self.missing([], "block") }
        guard case .object(let block) = blockValue else { throw Self.mismatch([Key("block")], "expected an object") }
        guard let headerValue = block["header"] else { throw Self.missing([Key("block")], "header") }
        let header = try headerValue.blockHeader(path: [Key("block"), Key("header")])
        guard let extrinsicsValue = block["extrinsics"] else { throw Self.missing([Key("block")], "extrinsics") }
        let extrinsics = try extrinsicsValue.strings(path: [Key("block"), Key("extrinsics")], nullIsEmpty: false)
        let justified: Bool
        switch members["justifications"] {
        case nil, .null?: justified = false
        default: justified = true
        }
        return SignedBlock(block: Block(header: header, extrinsics: extrinsics), hasJustifications: justified)
    }

    /// A header (`chain_getHeader`, head notifications).
    func blockHeader() throws(DecodingError) -> BlockHeader {
        try blockHeader(path: [])
    }

    private func blockHeader(path: [Key]) throws(DecodingError) -> BlockHeader {
        guard case .object(let m) = self else { throw Self.mismatch(path, "expected an object") }
        func text(_ name: String) throws(DecodingError) -> String {
            guard let value = m[name] else { throw Self.missing(path, name) }
            guard case .string(let s) = value else { throw Self.mismatch(path + [Key(name)], "expected a string") }
            return s
        }
        let parentHash = try text("parentHash")
        guard let numberValue = m["number"] else { throw Self.missing(path, "number") }
        let number: UInt64
        switch numberValue {
        case .int(let v) where v >= 0: number = UInt64(v)
        case .uint(let v): number = v
        case .string(let s):
            guard let v = Hex.quantity(s) else { throw Self.mismatch(path + [Key("number")], "\"\(s)\" is not a hex quantity") }
            number = v
        default: throw Self.mismatch(path + [Key("number")], "expected a number or a hex string")
        }
        let stateRoot = try text("stateRoot")
        let extrinsicsRoot = try text("extrinsicsRoot")
        var logs: [String] = []
        switch m["digest"] {
        case nil, .null?: break
        case .object(let digest)?:
            if let value = digest["logs"] {
                logs = try value.strings(path: path + [Key("digest"), Key("logs")], nullIsEmpty: true)
            }
        default: throw Self.mismatch(path + [Key("digest")], "expected an object")
        }
        return BlockHeader(parentHash: parentHash, number: number, stateRoot: stateRoot, extrinsicsRoot: extrinsicsRoot, digestLogs: logs)
    }

    private func strings(path: [Key], nullIsEmpty: Bool) throws(DecodingError) -> [String] {
        if nullIsEmpty, case .null = self { return [] }
        guard case .array(let items) = self else { throw Self.mismatch(path, "expected an array") }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else { throw Self.mismatch(path + [Key(intValue: i)], "expected a string") }
            result.append(s)
        }
        return result
    }
}
