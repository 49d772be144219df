/// A sidechain epoch's committee: the block-authoring keys (AURA, or BABE after the migration)
/// in seat order. A candidate appears once per seat.
public struct Committee: Equatable, Sendable {
    /// Normalised authority keys in seat order.
    public let authorities: [String]

    public init(authorities: [String]) {
        self.authorities = authorities.map { KeyFormat.normalize($0) }
    }

    /// Number of seats.
    public var size: Int { authorities.count }

    /// The authority that owns `slot` under AURA's round robin: `authorities[slot mod size]`.
    public func authority(forSlot slot: UInt64) -> String? {
        guard !authorities.isEmpty else { return nil }
        return authorities[Int(slot % UInt64(authorities.count))]
    }

    /// The authority at a BABE authority index.
    public func authority(at index: Int) -> String? {
        authorities.indices.contains(index) ? authorities[index] : nil
    }

    /// How many seats `key` holds.
    public func seats(of key: String) -> Int {
        let k = KeyFormat.normalize(key)
        return authorities.reduce(0) { $0 + ($1 == k ? 1 : 0) }
    }

    /// Seats per authority key.
    public var seatsByKey: [String: Int] {
        authorities.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// Decodes `AuraApi_authorities` (SCALE `Vec<[u8; 32]>`, any compact mode).
    public static func decodeAuthorities(scale hex: String) throws(ChainDecodingError) -> [String] {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(hex) } catch { throw .hex(field: "AuraApi_authorities", error) }
        if bytes.isEmpty { return [] }
        var r = ScaleReader(bytes)
        let count: UInt64
        do { count = try r.readCompact() } catch { throw .scale(field: "AuraApi_authorities", error) }
        guard count <= UInt64(r.remaining / 32), r.remaining == Int(count) * 32 else {
            throw .invalid(
                field: "AuraApi_authorities",
                reason: "expected \(count) keys (\(count * 32) bytes) after the length, got \(r.remaining) bytes")
        }
        var keys: [String] = []
        keys.reserveCapacity(Int(count))
        var i = r.offset
        for _ in 0..<count {
            keys.append(Hex.encode(bytes[i..<i + 32]))
            i += 32
        }
        return keys
    }

    /// Encodes authority keys as `AuraApi_authorities` returns them.
    public static func encodeAuthorities(_ keys: [String]) throws(ChainDecodingError) -> String {
        var w = ScaleWriter(capacity: 4 + keys.count * 32)
        w.appendCompact(UInt64(keys.count))
        for k in keys { try w.appendHash(k, field: "authority key") }
        return Hex.encode(w.bytes)
    }
}

/// A candidate for committee seats, whichever list it came from.
public struct Candidate: Equatable, Sendable, Codable {
    public var sidechainKey: String
    public var keys: SessionKeys
    public var isPermissioned: Bool
    public var isValid: Bool
    public var invalidReasons: String?
    public var stake: UInt64?
    public var mainchainKey: String?

    public init(
        sidechainKey: String, keys: SessionKeys, isPermissioned: Bool, isValid: Bool,
        invalidReasons: String? = nil, stake: UInt64? = nil, mainchainKey: String? = nil
    ) {
        self.sidechainKey = KeyFormat.normalize(sidechainKey)
        self.keys = keys
        self.isPermissioned = isPermissioned
        self.isValid = isValid
        self.invalidReasons = invalidReasons
        self.stake = stake
        self.mainchainKey = mainchainKey
    }
}

/// Maps block-authoring keys (AURA, BABE) to candidates, so a block's author can be named by
/// its sidechain key.
public struct CandidateDirectory: Sendable {
    /// Every candidate, permissioned first, each list in the node's order.
    public let candidates: [Candidate]
    private let byAuthorityKey: [String: Int]
    private let bySidechainKey: [String: Int]

    public init(candidates: [Candidate]) {
        self.candidates = candidates
        var byAuthority: [String: Int] = [:]
        var bySidechain: [String: Int] = [:]
        // Valid entries win over invalid ones for the same key; earlier entries win ties.
        for (i, c) in candidates.enumerated() {
            for key in [c.keys.aura, c.keys.babe].compactMap({ $0 }) {
                if let j = byAuthority[key], candidates[j].isValid || !c.isValid { continue }
                byAuthority[key] = i
            }
            if let j = bySidechain[c.sidechainKey], candidates[j].isValid || !c.isValid { continue }
            bySidechain[c.sidechainKey] = i
        }
        byAuthorityKey = byAuthority
        bySidechainKey = bySidechain
    }

    /// The candidates named by Ariadne parameters (permissioned, then registrations).
    public init(ariadne: AriadneParameters) {
        var list: [Candidate] = []
        for p in ariadne.permissionedCandidates ?? [] {
            list.append(
                Candidate(
                    sidechainKey: p.sidechainPublicKey, keys: p.keys, isPermissioned: true, isValid: p.isValid,
                    invalidReasons: p.invalidReasons))
        }
        for r in ariadne.allRegistrations {
            list.append(
                Candidate(
                    sidechainKey: r.sidechainPubKey, keys: r.keys, isPermissioned: false, isValid: r.isValid,
                    invalidReasons: r.invalidReasons, stake: r.stake, mainchainKey: r.mainchainPubKey))
        }
        self.init(candidates: list)
    }

    /// The candidate owning an AURA or BABE key.
    public func candidate(authorityKey: String) -> Candidate? {
        byAuthorityKey[KeyFormat.normalize(authorityKey)].map { candidates[$0] }
    }

    /// The candidate with a sidechain key.
    public func candidate(sidechainKey: String) -> Candidate? {
        bySidechainKey[KeyFormat.normalize(sidechainKey)].map { candidates[$0] }
    }
}

/// Who authored a block.
public struct BlockAuthor: Equatable, Sendable {
    /// The seat in the committee.
    public var seat: Int
    /// The authority (AURA or BABE) key holding that seat.
    public var authorityKey: String
    /// The candidate's sidechain key, when the authority key belongs to a known candidate.
    public var sidechainKey: String?

    public init(seat: Int, authorityKey: String, sidechainKey: String?) {
        self.seat = seat
        self.authorityKey = authorityKey
        self.sidechainKey = sidechainKey
    }
}

/// Block author attribution.
///
/// AURA: `committee[slot mod size]`. BABE (no AURA pre-digest): `committee[authority_index]`.
/// During the AURA→BABE migration a block carries both; AURA decides while it is present.
public enum Attribution {
    public static func author(
        evidence: AuthorEvidence, committee: Committee, directory: CandidateDirectory?
    ) -> BlockAuthor? {
        guard committee.size > 0 else { return nil }
        let seat: Int
        if let slot = evidence.auraSlot {
            seat = Int(slot % UInt64(committee.size))
        } else if let babe = evidence.babe, Int(babe.authorityIndex) < committee.size {
            seat = Int(babe.authorityIndex)
        } else {
            return nil
        }
        let key = committee.authorities[seat]
        return BlockAuthor(seat: seat, authorityKey: key, sidechainKey: directory?.candidate(authorityKey: key)?.sidechainKey)
    }
}

/// The one expected-blocks formula used everywhere (CLI, API, metrics, dashboard, alerts).
///
/// A validator holding `seats` of a committee of `committeeSize` seats is expected to author
/// `seats / committeeSize × blocks` of the blocks the chain produced in that epoch. For the epoch
/// in progress, `blocks` is what was produced so far; ``projected(seats:committeeSize:slotsPerEpoch:)``
/// is the full-epoch figure if every slot produced a block.
public enum ExpectedBlocks {
    /// Expected blocks given the blocks the chain actually produced.
    public static func expected(seats: Int, committeeSize: Int, chainBlocks: Int) -> Double {
        guard committeeSize > 0, seats > 0 else { return 0 }
        return Double(seats) / Double(committeeSize) * Double(chainBlocks)
    }

    /// Expected blocks for a whole epoch in which every slot produced a block.
    public static func projected(seats: Int, committeeSize: Int, slotsPerEpoch: UInt64) -> Double {
        expected(seats: seats, committeeSize: committeeSize, chainBlocks: Int(slotsPerEpoch))
    }

    /// Produced / expected, or `nil` when nothing was expected.
    public static func ratio(produced: Int, expected: Double) -> Double? {
        expected > 0 ? Double(produced) / expected : nil
    }
}
