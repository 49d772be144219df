/// Decodes `chain_getBlock` and `chain_getHeader` results straight from JSON bytes, without
/// Foundation's `JSONDecoder` (catch-up decodes every block of the chain, so this path is kept
/// to a few microseconds per block; `Scripts/bench-decode` measures it).
///
/// It accepts exactly what the `Codable` conformances of ``SignedBlock`` and ``BlockHeader``
/// accept: `number` as a hex string or an integer, `digest` or `digest.logs` null or absent,
/// `justifications` null, absent or any value, unknown members skipped. Errors name the field
/// and the byte offset, e.g. `block.header.number: expected a number or a hex string at byte offset 57`.
public enum BlockJSON {
    /// Decodes a `chain_getBlock` result (`{"block":{"header":…,"extrinsics":[…]},"justifications":…}`).
    public static func signedBlock(_ json: [UInt8]) throws(ChainDecodingError) -> SignedBlock {
        try json.withUnsafeBytes { buffer in Result { () throws(ChainDecodingError) in try signedBlock(buffer) } }.get()
    }

    /// Decodes a `chain_getBlock` result from the bytes in `json`.
    public static func signedBlock(_ json: UnsafeRawBufferPointer) throws(ChainDecodingError) -> SignedBlock {
        var cursor = JSONCursor(json)
        let block = try readSignedBlock(&cursor)
        try finish(&cursor, "block")
        return block
    }

    /// Decodes a header (`chain_getHeader`, head subscriptions).
    public static func header(_ json: [UInt8]) throws(ChainDecodingError) -> BlockHeader {
        try json.withUnsafeBytes { buffer in Result { () throws(ChainDecodingError) in try header(buffer) } }.get()
    }

    /// Decodes a header from the bytes in `json`.
    public static func header(_ json: UnsafeRawBufferPointer) throws(ChainDecodingError) -> BlockHeader {
        var cursor = JSONCursor(json)
        let header = try readHeader(&cursor, .header)
        try finish(&cursor, "header")
        return header
    }

    private static func finish(_ cursor: inout JSONCursor, _ field: String) throws(ChainDecodingError) {
        cursor.skipWhitespace()
        guard cursor.isAtEnd else { throw cursor.error(field, "unexpected text after the value") }
    }

    static func readSignedBlock(_ c: inout JSONCursor) throws(ChainDecodingError) -> SignedBlock {
        var block: Block?
        var hasJustifications = false
        try c.readObject("block") { (c: inout JSONCursor, key: JSONKey) throws(ChainDecodingError) in
            if key.matches("block") {
                block = try readBlock(&c)
            } else if key.matches("justifications") {
                if !c.consumeNull() {
                    try c.skipValue("justifications")
                    hasJustifications = true
                }
            } else {
                try c.skipValue("block")
            }
        }
        guard let block else { throw c.error("block", "missing member \"block\"") }
        return SignedBlock(block: block, hasJustifications: hasJustifications)
    }

    static func readBlock(_ c: inout JSONCursor) throws(ChainDecodingError) -> Block {
        var header: BlockHeader?
        var extrinsics: [String]?
        try c.readObject("block.block") { (c: inout JSONCursor, key: JSONKey) throws(ChainDecodingError) in
            if key.matches("header") {
                header = try readHeader(&c, .blockHeader)
            } else if key.matches("extrinsics") {
                if c.consumeNull() { throw c.error("block.extrinsics", "expected an array, found null") }
                extrinsics = try c.readStringArray("block.extrinsics")
            } else {
                try c.skipValue("block.block")
            }
        }
        guard let header else { throw c.error("block.header", "missing member \"header\"") }
        guard let extrinsics else { throw c.error("block.extrinsics", "missing member \"extrinsics\"") }
        return Block(header: header, extrinsics: extrinsics)
    }

    /// The field names a header's errors use, built once (not per block: each is a heap string).
    struct HeaderFields {
        let object, parentHash, number, stateRoot, extrinsicsRoot, digest, logs: String

        init(_ object: String) {
            self.object = object
            parentHash = object + ".parentHash"
            number = object + ".number"
            stateRoot = object + ".stateRoot"
            extrinsicsRoot = object + ".extrinsicsRoot"
            digest = object + ".digest"
            logs = object + ".digest.logs"
        }

        /// A header of its own (`chain_getHeader`, subscriptions).
        static let header = HeaderFields("header")
        /// The header inside `chain_getBlock`.
        static let blockHeader = HeaderFields("block.header")
    }

    static func readHeader(_ c: inout JSONCursor, _ names: HeaderFields) throws(ChainDecodingError) -> BlockHeader {
        let field = names.object
        var parentHash: String?
        var number: UInt64?
        var stateRoot: String?
        var extrinsicsRoot: String?
        var logs: [String] = []
        try c.readObject(field) { (c: inout JSONCursor, key: JSONKey) throws(ChainDecodingError) in
            if key.matches("parentHash") {
                parentHash = try c.readString(names.parentHash)
            } else if key.matches("number") {
                number = try readNumber(&c, names.number)
            } else if key.matches("stateRoot") {
                stateRoot = try c.readString(names.stateRoot)
            } else if key.matches("extrinsicsRoot") {
                extrinsicsRoot = try c.readString(names.extrinsicsRoot)
            } else if key.matches("digest") {
                if c.consumeNull() { return }
                try c.readObject(names.digest) { (c: inout JSONCursor, key: JSONKey) throws(ChainDecodingError) in
                    if key.matches("logs") {
                        logs = try c.readStringArray(names.logs)
                    } else {
                        try c.skipValue(names.digest)
                    }
                }
            } else {
                try c.skipValue(field)
            }
        }
        guard let parentHash else { throw c.error(names.parentHash, "missing") }
        guard let number else { throw c.error(names.number, "missing") }
        guard let stateRoot else { throw c.error(names.stateRoot, "missing") }
        guard let extrinsicsRoot else { throw c.error(names.extrinsicsRoot, "missing") }
        return BlockHeader(
            parentHash: parentHash, number: number, stateRoot: stateRoot, extrinsicsRoot: extrinsicsRoot,
            digestLogs: logs)
    }

    /// A block number: `"0x…"` hex text or a JSON integer.
    static func readNumber(_ c: inout JSONCursor, _ field: String) throws(ChainDecodingError) -> UInt64 {
        c.skipWhitespace()
        if c.peek == 0x22 {
            let text = try c.readString(field)
            guard let value = Hex.quantity(text) else {
                throw c.error(field, "\"\(text)\" is not a hex quantity")
            }
            return value
        }
        return try c.readUInt64(field)
    }
}
