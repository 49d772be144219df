/// A Substrate block header in the node's JSON shape (`chain_getHeader`, inside `chain_getBlock`,
/// and in head subscriptions).
///
/// `number` is a hex string on the wire (`"0x332534"`) but some clients send integers; both are
/// accepted. Hashes and roots are kept as the node's `0x` hex text.
public struct BlockHeader: Codable, Equatable, Sendable {
    public var parentHash: String
    public var number: UInt64
    public var stateRoot: String
    public var extrinsicsRoot: String
    /// The hex-encoded SCALE digest items (`digest.logs`).
    public var digestLogs: [String]

    public init(parentHash: String, number: UInt64, stateRoot: String, extrinsicsRoot: String, digestLogs: [String]) {
        self.parentHash = parentHash
        self.number = number
        self.stateRoot = stateRoot
        self.extrinsicsRoot = extrinsicsRoot
        self.digestLogs = digestLogs
    }

    private enum CodingKeys: String, CodingKey { case parentHash, number, stateRoot, extrinsicsRoot, digest }
    private enum DigestKeys: String, CodingKey { case logs }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        parentHash = try c.decode(String.self, forKey: .parentHash)
        number = try c.decode(FlexibleUInt64.self, forKey: .number).value
        stateRoot = try c.decode(String.self, forKey: .stateRoot)
        extrinsicsRoot = try c.decode(String.self, forKey: .extrinsicsRoot)
        if c.contains(.digest), try !c.decodeNil(forKey: .digest) {
            let d = try c.nestedContainer(keyedBy: DigestKeys.self, forKey: .digest)
            digestLogs = try d.decodeIfPresent([String].self, forKey: .logs) ?? []
        } else {
            digestLogs = []
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parentHash, forKey: .parentHash)
        try c.encode("0x" + String(number, radix: 16), forKey: .number)
        try c.encode(stateRoot, forKey: .stateRoot)
        try c.encode(extrinsicsRoot, forKey: .extrinsicsRoot)
        var d = c.nestedContainer(keyedBy: DigestKeys.self, forKey: .digest)
        try d.encode(digestLogs, forKey: .logs)
    }

    /// The SCALE encoding of the header: parent hash, compact number, state root, extrinsics
    /// root, then the digest as a vector of items.
    public func scaleEncoded() throws(ChainDecodingError) -> [UInt8] {
        // Exact size up front (hashes, the two compacts, the logs' bytes): one allocation, and
        // the hex is decoded straight into it.
        var capacity = 3 * 32 + 9 + 9
        for log in digestLogs { capacity += log.utf8.count / 2 }
        var w = ScaleWriter(capacity: capacity)
        try w.appendHash(parentHash, field: "parentHash")
        w.appendCompact(number)
        try w.appendHash(stateRoot, field: "stateRoot")
        try w.appendHash(extrinsicsRoot, field: "extrinsicsRoot")
        w.appendCompact(UInt64(digestLogs.count))
        for log in digestLogs where w.appendHex(log) == nil {
            do { _ = try Hex.decode(log) } catch { throw .hex(field: "digest log", error) }
            // Unreachable: appendHex and Hex.decode accept the same text.
            throw .invalid(field: "digest log", reason: "invalid hex")
        }
        return w.bytes
    }

    /// The block hash: `0x` + hex of blake2b-256 over ``scaleEncoded()``.
    public func computeHash() throws(ChainDecodingError) -> String {
        Hex.encode(Blake2b.hash256(try scaleEncoded()))
    }

    /// Who authored the block, as far as the digest says.
    public func authorEvidence() throws(ChainDecodingError) -> AuthorEvidence {
        try AuthorEvidence.from(logs: digestLogs)
    }
}

extension ScaleWriter {
    mutating func appendHash(_ hex: String, field: String) throws(ChainDecodingError) {
        // Fast path: 32 bytes of valid hex decoded straight into the buffer.
        if let n = appendHex(hex) {
            if n == 32 { return }
            removeLast(n)
        }
        let bytes: [UInt8]
        do { bytes = try Hex.decode(hex) } catch { throw .hex(field: field, error) }
        guard bytes.count == 32 else { throw .invalid(field: field, reason: "expected 32 bytes, got \(bytes.count)") }
        appendBytes(bytes)
    }
}

/// A block body with its header (`chain_getBlock` → `block`).
public struct Block: Codable, Equatable, Sendable {
    public var header: BlockHeader
    /// The hex-encoded extrinsics, in block order.
    public var extrinsics: [String]

    public init(header: BlockHeader, extrinsics: [String]) {
        self.header = header
        self.extrinsics = extrinsics
    }

    /// The block time from the timestamp inherent (the first extrinsic), in Unix milliseconds.
    public var timestampMs: UInt64? {
        for extrinsic in extrinsics.prefix(2) {
            if let ms = TimestampInherent.decode(extrinsic: extrinsic) { return ms }
        }
        return nil
    }
}

/// `chain_getBlock`'s result: the block and its finality justifications, if any.
public struct SignedBlock: Codable, Equatable, Sendable {
    public var block: Block
    /// Justifications are kept only as present or absent.
    public var hasJustifications: Bool

    public init(block: Block, hasJustifications: Bool = false) {
        self.block = block
        self.hasJustifications = hasJustifications
    }

    private enum CodingKeys: String, CodingKey { case block, justifications }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        block = try c.decode(Block.self, forKey: .block)
        hasJustifications = c.contains(.justifications) && (try? c.decodeNil(forKey: .justifications)) == false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(block, forKey: .block)
        try c.encodeNil(forKey: .justifications)
    }
}

/// An unsigned integer that the node may send as a JSON number or as `0x` hex text.
public struct FlexibleUInt64: Codable, Equatable, Sendable {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(UInt64.self) {
            value = n
        } else if let s = try? c.decode(String.self) {
            if let v = Hex.quantity(s) {
                value = v
            } else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(s)\" is not a hex quantity")
            }
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a number or a hex string")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
