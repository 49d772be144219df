import Foundation
import MidnightStore
import SpomTesting

/// Deterministic synthetic chain data for the store tests.
enum Fixture {
    /// 32 pseudo-random bytes for (n, salt), as `0x` hex (splitmix64).
    static func hash(_ n: UInt64, salt: UInt64 = 0) -> String {
        var state = n &* 0x9E37_79B9_7F4A_7C15 &+ salt &* 0xD1B5_4A32_D192_ED03 &+ 1
        var text = "0x"
        for _ in 0..<4 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            text += String(z, radix: 16).leftPadded(to: 16)
        }
        return text
    }

    /// A 33-byte sidechain key for validator `i`.
    static func sidechainKey(_ i: Int) -> String { "0x02" + String(i, radix: 16).leftPadded(to: 64) }
    /// A 32-byte AURA key for validator `i`.
    static func auraKey(_ i: Int) -> String { "0x" + String(i + 0xA000, radix: 16).leftPadded(to: 64) }

    /// Block `n` in slot `n + slotOffset`, with `slotsPerEpoch`-slot epochs and 6 s slots.
    static func block(
        _ n: UInt64, author: Int?, salt: UInt64 = 0, slotsPerEpoch: UInt64 = 100, slotOffset: UInt64 = 0,
        reason: UnattributedReason = .committeeUnavailable
    ) -> NewBlock {
        let slot = n + slotOffset
        return NewBlock(
            number: n, hash: hash(n, salt: salt), parentHash: hash(n &- 1, salt: salt), slot: slot,
            sidechainEpoch: slot / slotsPerEpoch, mainchainEpoch: slot / (slotsPerEpoch * 12), timestampMs: slot * 6000,
            extrinsicsCount: Int(n % 3) + 1,
            author: author.map { .attributed(sidechainKey: sidechainKey($0), auraKey: auraKey($0)) }
                ?? .unattributed(reason, auraKey: nil))
    }

    /// A committee for `epoch`: `seats[i]` seats for validator i, round-robin.
    static func committee(epoch: UInt64, seats: [Int], source: String = "test") -> NewCommittee {
        var authorities: [String] = []
        var remaining = seats
        while remaining.contains(where: { $0 > 0 }) {
            for i in remaining.indices where remaining[i] > 0 {
                authorities.append(auraKey(i))
                remaining[i] -= 1
            }
        }
        let candidates = seats.indices.map {
            CommitteeCandidate(sidechainKey: sidechainKey($0), auraKey: auraKey($0), isPermissioned: $0 == 0, stake: $0 == 0 ? nil : UInt64(1_000_000 * ($0 + 1)))
        }
        return NewCommittee(sidechainEpoch: epoch, mainchainEpoch: epoch / 12, authorities: authorities, source: source, candidates: candidates)
    }

    /// A fresh writer on a new file in `dir`.
    static func writer(_ dir: TemporaryDirectory, _ name: String = "mvm.db", slotsPerEpoch: UInt64? = 100) throws -> StoreWriter {
        try MidnightDatabase.openWriter(path: dir.path(name), options: WriterOptions(slotsPerEpoch: slotsPerEpoch, slotDurationMs: 6000))
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
