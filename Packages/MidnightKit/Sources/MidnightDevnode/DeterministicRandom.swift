/// A small, fast, reproducible generator (SplitMix64). Every random choice of the simulated node
/// comes from one of these, seeded from the chain seed and a purpose tag, so the chain never
/// depends on the order in which things are computed.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for `(seed, tag, a, b)`: independent streams for independent purposes.
    init(seed: UInt64, tag: Purpose, _ a: UInt64 = 0, _ b: UInt64 = 0) {
        var s = seed ^ (tag.rawValue &* 0x9E37_79B9_7F4A_7C15)
        s = SplitMix64.mix(s &+ a &* 0xBF58_476D_1CE4_E5B9)
        s = SplitMix64.mix(s &+ b &* 0x94D0_49BB_1331_11EB)
        state = s
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count)
        while out.count < count {
            var v = next()
            for _ in 0..<8 where out.count < count {
                out.append(UInt8(truncatingIfNeeded: v))
                v >>= 8
            }
        }
        return out
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One value for `(seed, tag, a, b)` without keeping a generator.
    static func value(seed: UInt64, tag: Purpose, _ a: UInt64 = 0, _ b: UInt64 = 0) -> UInt64 {
        var g = SplitMix64(seed: seed, tag: tag, a, b)
        return g.next()
    }

    /// A uniform double in [0, 1) for `(seed, tag, a, b)`.
    static func unit(seed: UInt64, tag: Purpose, _ a: UInt64 = 0, _ b: UInt64 = 0) -> Double {
        var g = SplitMix64(seed: seed, tag: tag, a, b)
        return g.unit()
    }

    /// Purposes, each an independent random stream.
    enum Purpose: UInt64 {
        case candidates = 1, committee, missedSlot, finality, reorg, reorgDepth, block, mainchainHash, babeIndex
        case faults, peers, genesisUtxo
    }
}
