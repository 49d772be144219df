/// A four-byte consensus engine identifier as it appears in digest items (`aura`, `BABE`, …).
public struct ConsensusEngine: Hashable, Sendable, CustomStringConvertible {
    /// The four identifier bytes.
    public let bytes: [UInt8]

    /// Creates an identifier from exactly four bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 else { return nil }
        self.bytes = bytes
    }

    /// Creates an identifier from its four ASCII characters.
    public init(_ ascii: StaticString) {
        let b = ascii.withUTF8Buffer { Array($0) }
        precondition(b.count == 4, "consensus engine ids have four bytes")
        bytes = b
    }

    /// AURA block authoring (`aura`).
    public static let aura = ConsensusEngine("aura")
    /// BABE block authoring (`BABE`).
    public static let babe = ConsensusEngine("BABE")
    /// Partner-chains main-chain (Cardano) block hash reference (`mcsh`).
    public static let mainchainHash = ConsensusEngine("mcsh")
    /// GRANDPA finality (`FRNK`).
    public static let grandpa = ConsensusEngine("FRNK")

    public var description: String {
        bytes.allSatisfy({ (0x20..<0x7f).contains($0) })
            ? String(decoding: bytes, as: UTF8.self) : Hex.encode(bytes)
    }
}

/// One item of a block header's digest, as Substrate SCALE-encodes it.
///
/// Discriminants: `Other = 0`, `Consensus = 4`, `Seal = 5`, `PreRuntime = 6`,
/// `RuntimeEnvironmentUpdated = 8`.
public enum DigestItem: Equatable, Sendable {
    case preRuntime(ConsensusEngine, [UInt8])
    case consensus(ConsensusEngine, [UInt8])
    case seal(ConsensusEngine, [UInt8])
    case other([UInt8])
    case runtimeEnvironmentUpdated

    /// Decodes one digest item from the hex text the node puts in `digest.logs`.
    public static func decode(hex: String) throws(ChainDecodingError) -> DigestItem {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(hex) } catch { throw .hex(field: "digest log", error) }
        var reader = ScaleReader(bytes)
        let item: DigestItem
        do { item = try decode(from: &reader) } catch { throw .scale(field: "digest log", error) }
        guard reader.isAtEnd else {
            throw .scale(
                field: "digest log",
                ScaleError(offset: reader.offset, reason: "\(reader.remaining) trailing bytes after the digest item"))
        }
        return item
    }

    /// Decodes one digest item from `reader`.
    public static func decode(from reader: inout ScaleReader) throws(ScaleError) -> DigestItem {
        let at = reader.offset
        let kind = try reader.readU8()
        func engineAndPayload() throws(ScaleError) -> (ConsensusEngine, [UInt8]) {
            let id = try reader.readBytes(4)
            let payload = try reader.readByteVector()
            return (ConsensusEngine(bytes: id)!, payload)
        }
        switch kind {
        case 0: return .other(try reader.readByteVector())
        case 4:
            let (e, p) = try engineAndPayload()
            return .consensus(e, p)
        case 5:
            let (e, p) = try engineAndPayload()
            return .seal(e, p)
        case 6:
            let (e, p) = try engineAndPayload()
            return .preRuntime(e, p)
        case 8: return .runtimeEnvironmentUpdated
        default: throw ScaleError(offset: at, reason: "unknown digest item kind \(kind)")
        }
    }

    /// The SCALE encoding of this item.
    public func encoded() -> [UInt8] {
        var w = ScaleWriter()
        encode(into: &w)
        return w.bytes
    }

    /// Appends the SCALE encoding of this item to `writer`.
    public func encode(into w: inout ScaleWriter) {
        switch self {
        case .other(let p):
            w.appendU8(0)
            w.appendByteVector(p)
        case .consensus(let e, let p):
            w.appendU8(4)
            w.appendBytes(e.bytes)
            w.appendByteVector(p)
        case .seal(let e, let p):
            w.appendU8(5)
            w.appendBytes(e.bytes)
            w.appendByteVector(p)
        case .preRuntime(let e, let p):
            w.appendU8(6)
            w.appendBytes(e.bytes)
            w.appendByteVector(p)
        case .runtimeEnvironmentUpdated:
            w.appendU8(8)
        }
    }

    /// The hex text of this item as the node shows it in `digest.logs`.
    public var hex: String { Hex.encode(encoded()) }
}

/// The BABE pre-runtime digest (`sp-consensus-babe`): who may author the block in which slot.
public enum BabePreDigest: Equatable, Sendable {
    /// A primary slot claim (VRF output and proof follow; kept raw).
    case primary(authorityIndex: UInt32, slot: UInt64, vrf: [UInt8])
    /// A secondary slot without VRF.
    case secondaryPlain(authorityIndex: UInt32, slot: UInt64)
    /// A secondary slot with VRF (kept raw).
    case secondaryVRF(authorityIndex: UInt32, slot: UInt64, vrf: [UInt8])

    /// The index of the authority in the epoch's authority list.
    public var authorityIndex: UInt32 {
        switch self {
        case .primary(let i, _, _), .secondaryPlain(let i, _), .secondaryVRF(let i, _, _): return i
        }
    }

    /// The slot the block claims.
    public var slot: UInt64 {
        switch self {
        case .primary(_, let s, _), .secondaryPlain(_, let s), .secondaryVRF(_, let s, _): return s
        }
    }

    /// Decodes the payload of a `PreRuntime(BABE, …)` digest item.
    public static func decode(_ payload: [UInt8]) throws(ScaleError) -> BabePreDigest {
        var r = ScaleReader(payload)
        let kind = try r.readU8()
        let index = try r.readU32()
        let slot = try r.readU64()
        switch kind {
        case 1: return .primary(authorityIndex: index, slot: slot, vrf: try r.readBytes(r.remaining))
        case 2: return .secondaryPlain(authorityIndex: index, slot: slot)
        case 3: return .secondaryVRF(authorityIndex: index, slot: slot, vrf: try r.readBytes(r.remaining))
        default: throw ScaleError(offset: 0, reason: "unknown BABE pre-digest kind \(kind)")
        }
    }

    /// The SCALE payload for a `PreRuntime(BABE, …)` digest item.
    public func encoded() -> [UInt8] {
        var w = ScaleWriter(capacity: 16)
        switch self {
        case .primary(let i, let s, let vrf):
            w.appendU8(1); w.appendU32(i); w.appendU64(s); w.appendBytes(vrf)
        case .secondaryPlain(let i, let s):
            w.appendU8(2); w.appendU32(i); w.appendU64(s)
        case .secondaryVRF(let i, let s, let vrf):
            w.appendU8(3); w.appendU32(i); w.appendU64(s); w.appendBytes(vrf)
        }
        return w.bytes
    }
}

/// What a header's digest says about who authored the block.
///
/// AURA blocks carry the slot (the author is `committee[slot mod size]`); BABE blocks carry the
/// authority index directly; during the AURA→BABE migration a block carries both.
public struct AuthorEvidence: Equatable, Sendable {
    /// Slot from the AURA pre-runtime digest.
    public var auraSlot: UInt64?
    /// BABE pre-runtime digest.
    public var babe: BabePreDigest?
    /// Cardano block hash the block references (`mcsh`).
    public var mainchainHash: [UInt8]?

    public init(auraSlot: UInt64? = nil, babe: BabePreDigest? = nil, mainchainHash: [UInt8]? = nil) {
        self.auraSlot = auraSlot
        self.babe = babe
        self.mainchainHash = mainchainHash
    }

    /// The block's slot: AURA's when present, else BABE's.
    public var slot: UInt64? { auraSlot ?? babe?.slot }

    /// Reads the evidence from a header's digest logs. Items that cannot be decoded are skipped
    /// (a node may add engines MVM does not know); a malformed AURA or BABE payload is an error.
    public static func from(logs: [String]) throws(ChainDecodingError) -> AuthorEvidence {
        var evidence = AuthorEvidence()
        for log in logs {
            // Seals and other engines' items are skipped without decoding them (most of a
            // digest's bytes are the 64-byte seal).
            guard mayCarryEvidence(log) else { continue }
            guard let item = try? DigestItem.decode(hex: log) else { continue }
            guard case .preRuntime(let engine, let payload) = item else { continue }
            switch engine {
            case .aura:
                var r = ScaleReader(payload)
                do { evidence.auraSlot = try r.readU64() } catch { throw .scale(field: "aura pre-digest", error) }
            case .babe:
                do { evidence.babe = try BabePreDigest.decode(payload) } catch {
                    throw .scale(field: "BABE pre-digest", error)
                }
            case .mainchainHash:
                evidence.mainchainHash = payload
            default:
                continue
            }
        }
        return evidence
    }

    /// False when the first five bytes of the hex digest item `log` show it is not an AURA, BABE
    /// or `mcsh` pre-runtime item (``from(logs:)`` would skip it after decoding); true when it
    /// may be one, or when those bytes are not plain hex (the full decode decides).
    static func mayCarryEvidence(_ log: String) -> Bool {
        var log = log
        return log.withUTF8 { utf8 -> Bool in
            var i = 0
            if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") {
                i = 2
            }
            guard utf8.count - i >= 10 else { return true }
            var head: UInt64 = 0
            for _ in 0..<5 {
                guard let high = Hex.nibble(utf8[i]), let low = Hex.nibble(utf8[i + 1]) else { return true }
                head = head << 8 | UInt64(high << 4 | low)
                i += 2
            }
            guard head >> 32 == 6 else { return false }
            switch UInt32(truncatingIfNeeded: head) {
            case 0x6175_7261, 0x4241_4245, 0x6D63_7368: return true  // "aura", "BABE", "mcsh"
            default: return false
            }
        }
    }

    /// The digest logs for a block with this evidence (pre-runtime items only, AURA first).
    public func preRuntimeItems() -> [DigestItem] {
        var items: [DigestItem] = []
        if let s = auraSlot {
            var w = ScaleWriter(capacity: 8)
            w.appendU64(s)
            items.append(.preRuntime(.aura, w.bytes))
        }
        if let babe { items.append(.preRuntime(.babe, babe.encoded())) }
        if let mainchainHash { items.append(.preRuntime(.mainchainHash, mainchainHash)) }
        return items
    }
}

/// Why chain data could not be decoded: the field and the underlying hex or SCALE problem.
public enum ChainDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    case hex(field: String, HexError)
    case scale(field: String, ScaleError)
    case invalid(field: String, reason: String)

    public var description: String {
        switch self {
        case .hex(let f, let e): return "\(f): \(e)"
        case .scale(let f, let e): return "\(f): \(e)"
        case .invalid(let f, let r): return "\(f): \(r)"
        }
    }
}
