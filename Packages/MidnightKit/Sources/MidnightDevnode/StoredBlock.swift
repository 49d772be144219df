import MidnightChain

/// A 32-byte hash as four words: cheap to hash and compare as a dictionary key.
struct Hash32: Hashable, Sendable {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    init(_ bytes: [UInt8]) {
        precondition(bytes.count == 32, "Hash32 needs 32 bytes")
        func word(_ i: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<8 { v = v << 8 | UInt64(bytes[i * 8 + k]) }
            return v
        }
        a = word(0); b = word(1); c = word(2); d = word(3)
    }

    /// Parses `0x` + 64 hex digits; `nil` for anything else.
    init?(hex: String) {
        guard let bytes = try? Hex.decode(hex), bytes.count == 32 else { return nil }
        self.init(bytes)
    }

    var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for w in [a, b, c, d] {
            for k in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: w >> (UInt64(k) * 8))) }
        }
        return out
    }

    var hex: String { Hex.encode(bytes) }

    static let zero = Hash32([UInt8](repeating: 0, count: 32))
}

/// One block of the simulated chain, with its JSON encoded once.
final class StoredBlock: Sendable {
    let number: UInt64
    let hash: Hash32
    let hashHex: String
    let parentHash: Hash32
    /// Slot claimed in the digest (0 for genesis).
    let slot: UInt64
    let timestampMs: UInt64
    let extrinsicsCount: Int
    /// Index into the epoch's committee of the author (nil for genesis).
    let authorIndex: Int?
    let authorSidechainKey: String?
    let authorAuraKey: String?
    /// `{"block":{"header":{…},"extrinsics":[…]},"justifications":null}`.
    let blockJSON: [UInt8]
    /// Where the header object sits inside ``blockJSON``.
    let headerRange: Range<Int>

    init(
        number: UInt64, hash: Hash32, parentHash: Hash32, slot: UInt64, timestampMs: UInt64, extrinsicsCount: Int,
        authorIndex: Int?, authorSidechainKey: String?, authorAuraKey: String?, blockJSON: [UInt8], headerRange: Range<Int>
    ) {
        self.number = number
        self.hash = hash
        self.hashHex = hash.hex
        self.parentHash = parentHash
        self.slot = slot
        self.timestampMs = timestampMs
        self.extrinsicsCount = extrinsicsCount
        self.authorIndex = authorIndex
        self.authorSidechainKey = authorSidechainKey
        self.authorAuraKey = authorAuraKey
        self.blockJSON = blockJSON
        self.headerRange = headerRange
    }

    /// The header object's JSON.
    var headerJSON: ArraySlice<UInt8> { blockJSON[headerRange] }
}
