/// A stored block: THE block representation shared by `mvm query --json` and the REST API.
///
/// JSON keys, exactly: `chain, number, hash, parent_hash, slot, sidechain_epoch, mainchain_epoch,
/// timestamp_ms, extrinsics_count, author, author_aura_key, finalized`; `author` (the sidechain key)
/// and `author_aura_key` are `null` when unknown. ``unattributedReason`` is not part of the JSON.
public struct StoredBlock: Codable, Sendable, Hashable {
    /// Chain label.
    public var chain: String
    /// Block number.
    public var number: UInt64
    /// Block hash, `0x` hex.
    public var hash: String
    /// Parent hash, `0x` hex.
    public var parentHash: String
    /// Consensus slot.
    public var slot: UInt64
    /// Sidechain epoch.
    public var sidechainEpoch: UInt64
    /// Mainchain (Cardano) epoch.
    public var mainchainEpoch: UInt64
    /// Timestamp, Unix ms.
    public var timestampMs: UInt64
    /// Extrinsics in the body.
    public var extrinsicsCount: Int
    /// The author's sidechain key, or nil when unattributed.
    public var author: String?
    /// The authority key that sealed the block, when known.
    public var authorAuraKey: String?
    /// Whether the block is finalized.
    public var finalized: Bool
    /// Why it is unattributed (nil when attributed). Not encoded.
    public var unattributedReason: UnattributedReason?

    enum CodingKeys: String, CodingKey {
        case chain, number, hash, slot, author, finalized
        case parentHash = "parent_hash"
        case sidechainEpoch = "sidechain_epoch"
        case mainchainEpoch = "mainchain_epoch"
        case timestampMs = "timestamp_ms"
        case extrinsicsCount = "extrinsics_count"
        case authorAuraKey = "author_aura_key"
    }

    /// Creates a block value.
    public init(
        chain: String, number: UInt64, hash: String, parentHash: String, slot: UInt64, sidechainEpoch: UInt64,
        mainchainEpoch: UInt64, timestampMs: UInt64, extrinsicsCount: Int, author: String?, authorAuraKey: String?,
        finalized: Bool, unattributedReason: UnattributedReason? = nil
    ) {
        self.chain = chain
        self.number = number
        self.hash = hash
        self.parentHash = parentHash
        self.slot = slot
        self.sidechainEpoch = sidechainEpoch
        self.mainchainEpoch = mainchainEpoch
        self.timestampMs = timestampMs
        self.extrinsicsCount = extrinsicsCount
        self.author = author
        self.authorAuraKey = authorAuraKey
        self.finalized = finalized
        self.unattributedReason = unattributedReason
    }

    /// Decodes the shared JSON shape.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        chain = try c.decode(String.self, forKey: .chain)
        number = try c.decode(UInt64.self, forKey: .number)
        hash = try c.decode(String.self, forKey: .hash)
        parentHash = try c.decode(String.self, forKey: .parentHash)
        slot = try c.decode(UInt64.self, forKey: .slot)
        sidechainEpoch = try c.decode(UInt64.self, forKey: .sidechainEpoch)
        mainchainEpoch = try c.decode(UInt64.self, forKey: .mainchainEpoch)
        timestampMs = try c.decode(UInt64.self, forKey: .timestampMs)
        extrinsicsCount = try c.decode(Int.self, forKey: .extrinsicsCount)
        author = try c.decodeIfPresent(String.self, forKey: .author)
        authorAuraKey = try c.decodeIfPresent(String.self, forKey: .authorAuraKey)
        finalized = try c.decode(Bool.self, forKey: .finalized)
        unattributedReason = nil
    }

    /// Encodes the shared JSON shape, writing `null` for a missing author.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(chain, forKey: .chain)
        try c.encode(number, forKey: .number)
        try c.encode(hash, forKey: .hash)
        try c.encode(parentHash, forKey: .parentHash)
        try c.encode(slot, forKey: .slot)
        try c.encode(sidechainEpoch, forKey: .sidechainEpoch)
        try c.encode(mainchainEpoch, forKey: .mainchainEpoch)
        try c.encode(timestampMs, forKey: .timestampMs)
        try c.encode(extrinsicsCount, forKey: .extrinsicsCount)
        try c.encode(author, forKey: .author)
        try c.encode(authorAuraKey, forKey: .authorAuraKey)
        try c.encode(finalized, forKey: .finalized)
    }
}

/// Filters and keyset cursor for ``StoreReader/blocks(_:)``; results are newest first.
public struct BlockQuery: Sendable, Hashable {
    /// Only blocks numbered below this (the next page of older blocks).
    public var before: UInt64?
    /// Only blocks numbered above this (the page of newer blocks right above it).
    public var after: UInt64?
    /// Page size, 1...1000.
    public var limit: Int
    /// Only blocks by this sidechain key.
    public var author: String?
    /// Only blocks of this sidechain epoch.
    public var sidechainEpoch: UInt64?
    /// Only finalized (true) or unfinalized (false) blocks.
    public var finalized: Bool?

    /// Creates a query.
    public init(before: UInt64? = nil, after: UInt64? = nil, limit: Int = 50, author: String? = nil, sidechainEpoch: UInt64? = nil, finalized: Bool? = nil) {
        self.before = before
        self.after = after
        self.limit = limit
        self.author = author
        self.sidechainEpoch = sidechainEpoch
        self.finalized = finalized
    }
}

/// One page of blocks, newest first, with the cursors for the neighbouring pages.
public struct BlockPage: Codable, Sendable, Hashable {
    /// The blocks, newest first.
    public var blocks: [StoredBlock]
    /// Pass as `before` for the next (older) page; nil when there is none.
    public var nextBefore: UInt64?
    /// Pass as `after` for the previous (newer) page; nil when there is none.
    public var prevAfter: UInt64?

    enum CodingKeys: String, CodingKey {
        case blocks
        case nextBefore = "next_before"
        case prevAfter = "prev_after"
    }
}

/// A run of missing block numbers, both ends included.
public struct BlockGap: Codable, Sendable, Hashable {
    /// First missing number.
    public var start: UInt64
    /// Last missing number.
    public var end: UInt64
    /// Missing blocks: `end - start + 1`.
    public var missing: UInt64
    /// True for the range between the configured start block and the first stored block.
    public var leading: Bool

    /// Creates a gap.
    public init(start: UInt64, end: UInt64, leading: Bool = false) {
        self.start = start
        self.end = end
        self.missing = end >= start ? end - start + 1 : 0
        self.leading = leading
    }
}
