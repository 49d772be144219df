import MidnightChain
import Synchronization

/// What one production step changed, for subscribers and metrics.
struct ChainUpdate: Sendable {
    /// New best blocks in import order (after a reorg: the whole new branch).
    var newBest: [StoredBlock] = []
    /// The new finalized head when finality moved.
    var newFinalized: StoredBlock? = nil
    /// Blocks constructed (including replacements).
    var constructed: Int = 0
    /// Whether a reorg happened.
    var reorged: Bool = false

    var isEmpty: Bool { newBest.isEmpty && newFinalized == nil }
}

/// The simulated chain: its canonical blocks, orphans, finality and committees, behind one lock.
///
/// Blocks are generated slot by slot; every choice (missed slot, reorg, finality pause, author,
/// extrinsics) is a pure function of the seed and the slot, so the chain does not depend on when
/// the producer happens to run.
final class ChainStore: Sendable {
    let configuration: DevnodeConfiguration
    let candidates: CandidateSet
    let builder: BlockBuilder
    let dParameter: (permissioned: Int, registered: Int)
    /// Epoch bounds of the AURA→BABE migration (only in the migration flavour).
    let babeDualFromEpoch: UInt64
    let babeOnlyFromEpoch: UInt64
    /// Slot of the tip when the node started.
    let startSlot: UInt64

    struct State {
        var canonical: [StoredBlock] = []
        var byHash: [Hash32: StoredBlock] = [:]
        var finalized: UInt64 = 0
        var lastSlot: UInt64 = 0
        var stalled = false
        var fork: UInt64 = 0
        var reorgCount = 0
        var constructedCount = 0
        var orphans = 0
        var committees: [UInt64: [DevnodeCandidate]] = [:]
        var authoritiesHex: [UInt64: String] = [:]
        var version: UInt64 = 0
    }

    let state: Mutex<State>

    /// Generates the history up to `nowSlot`.
    init(configuration c: DevnodeConfiguration, nowSlot: UInt64) {
        configuration = c
        candidates = CandidateSet(configuration: c)
        builder = BlockBuilder(seed: c.seed, slotDurationMs: c.slotDurationMs)
        dParameter = c.dParameter
        startSlot = nowSlot
        let tipEpoch = nowSlot / c.slotsPerEpoch
        if c.flavour == .auraBabeMigration {
            babeDualFromEpoch = c.babeDualFromEpoch ?? (tipEpoch > 0 ? tipEpoch - 1 : 0)
            babeOnlyFromEpoch = max(c.babeOnlyFromEpoch ?? tipEpoch + 1, babeDualFromEpoch)
        } else {
            babeDualFromEpoch = .max
            babeOnlyFromEpoch = .max
        }
        var s = State()
        let genesis = builder.genesis()
        s.canonical.append(genesis)
        s.byHash[genesis.hash] = genesis
        // Walk back from the current slot to find the slots of the history blocks.
        var slots: [UInt64] = []
        slots.reserveCapacity(c.historyBlocks)
        var slot = nowSlot
        while slots.count < c.historyBlocks && slot > 0 {
            if !Self.isMissed(slot: slot, c) { slots.append(slot) }
            slot -= 1
        }
        state = Mutex(s)
        state.withLock { s in
            s.canonical.reserveCapacity(slots.count + 1024)
            s.byHash.reserveCapacity(slots.count + 1024)
            for slot in slots.reversed() {
                _ = self.produce(slot: slot, fork: 0, state: &s)
            }
            s.lastSlot = nowSlot
            let best = UInt64(s.canonical.count - 1)
            s.finalized = best >= UInt64(c.finalityLag) ? best - UInt64(c.finalityLag) : 0
            s.constructedCount = 0
        }
    }

    static func isMissed(slot: UInt64, _ c: DevnodeConfiguration) -> Bool {
        c.missedSlotRate > 0 && SplitMix64.unit(seed: c.seed, tag: .missedSlot, slot) < c.missedSlotRate
    }

    func phase(epoch: UInt64) -> DigestPhase {
        if epoch >= babeOnlyFromEpoch { return .babeOnly }
        if epoch >= babeDualFromEpoch { return .auraAndBabe }
        return .auraOnly
    }

    /// The committee of `epoch`, cached.
    func committee(epoch: UInt64, state s: inout State) -> [DevnodeCandidate] {
        if let c = s.committees[epoch] { return c }
        let c = candidates.committee(epoch: epoch, seed: configuration.seed, dParameter: dParameter)
        s.committees[epoch] = c
        return c
    }

    /// The committee of `epoch`.
    func committee(epoch: UInt64) -> [DevnodeCandidate] {
        state.withLock { committee(epoch: epoch, state: &$0) }
    }

    /// `AuraApi_authorities` for `epoch`: SCALE `Vec<[u8; 32]>` hex.
    func authoritiesHex(epoch: UInt64) -> String {
        state.withLock { s in
            if let h = s.authoritiesHex[epoch] { return h }
            let members = committee(epoch: epoch, state: &s)
            var w = ScaleWriter(capacity: members.count * 32 + 4)
            w.appendCompact(UInt64(members.count))
            for m in members { w.appendBytes(m.auraBytes) }
            let h = Hex.encode(w.bytes)
            s.authoritiesHex[epoch] = h
            return h
        }
    }

    /// Builds and appends the block for `slot` on the current best block.
    private func produce(slot: UInt64, fork: UInt64, state s: inout State) -> StoredBlock {
        let c = configuration
        let parent = s.canonical[s.canonical.count - 1]
        let epoch = slot / c.slotsPerEpoch
        let members = committee(epoch: epoch, state: &s)
        let phase = phase(epoch: epoch)
        let n = UInt64(members.count)
        let index: Int
        if phase == .babeOnly {
            // BABE secondary-plain slot assignment: a hash of the slot, not slot mod size.
            index = Int(SplitMix64.value(seed: c.seed, tag: .babeIndex, slot) % n)
        } else {
            index = Int(slot % n)
        }
        let block = builder.block(
            number: parent.number + 1, parent: parent.hash, slot: slot, fork: fork, phase: phase,
            authorIndex: index, author: members[index])
        s.canonical.append(block)
        s.byHash[block.hash] = block
        s.constructedCount += 1
        return block
    }

    /// Processes every slot up to `nowSlot`: produces blocks, reorgs, moves finality.
    func advance(to nowSlot: UInt64) -> ChainUpdate {
        let c = configuration
        return state.withLock { s in
            var update = ChainUpdate()
            guard nowSlot > s.lastSlot else { return update }
            let finalizedBefore = s.finalized
            var slot = s.lastSlot + 1
            while slot <= nowSlot {
                defer { slot += 1 }
                if s.stalled || Self.isMissed(slot: slot, c) { continue }
                let best = UInt64(s.canonical.count - 1)
                // A reorg replaces the last 1–2 unfinalized blocks with a new branch.
                if c.reorgRate > 0, best > s.finalized,
                    SplitMix64.unit(seed: c.seed, tag: .reorg, slot) < c.reorgRate
                {
                    let wanted = 1 + Int(SplitMix64.value(seed: c.seed, tag: .reorgDepth, slot) % 2)
                    let depth = min(wanted, Int(best - s.finalized))
                    let dropped = s.canonical.suffix(depth)
                    s.canonical.removeLast(depth)
                    s.fork += 1
                    s.reorgCount += 1
                    s.orphans += depth
                    update.reorged = true
                    update.newBest.removeAll { $0.number > best - UInt64(depth) }
                    for old in dropped {
                        update.newBest.append(produce(slot: old.slot, fork: s.fork, state: &s))
                    }
                }
                update.newBest.append(produce(slot: slot, fork: s.fork, state: &s))
                // Finality follows best − lag, except in slots where it pauses (then it jumps).
                if c.finalityStallRate == 0 || SplitMix64.unit(seed: c.seed, tag: .finality, slot) >= c.finalityStallRate {
                    let best = UInt64(s.canonical.count - 1)
                    let target = best >= UInt64(c.finalityLag) ? best - UInt64(c.finalityLag) : 0
                    if target > s.finalized { s.finalized = target }
                }
            }
            s.lastSlot = nowSlot
            update.constructed = update.newBest.count
            if s.finalized != finalizedBefore { update.newFinalized = s.canonical[Int(s.finalized)] }
            if !update.isEmpty { s.version &+= 1 }
            return update
        }
    }

    // MARK: Queries

    /// The best block.
    var best: StoredBlock { state.withLock { $0.canonical[$0.canonical.count - 1] } }

    /// The finalized block.
    var finalized: StoredBlock { state.withLock { $0.canonical[Int($0.finalized)] } }

    /// The canonical block at `number`, honouring ``DevnodeConfiguration/firstAvailableBlock``.
    func block(number: UInt64) -> StoredBlock? {
        state.withLock { s in
            guard number < UInt64(s.canonical.count), number >= configuration.firstAvailableBlock || number == 0 else { return nil }
            return s.canonical[Int(number)]
        }
    }

    /// Any known block (canonical or orphaned) by hash.
    func block(hash: Hash32) -> StoredBlock? {
        state.withLock { s in
            guard let b = s.byHash[hash] else { return nil }
            if b.number != 0 && b.number < configuration.firstAvailableBlock { return nil }
            return b
        }
    }

    /// Whether the state of `block` has been pruned away.
    func isStatePruned(_ block: StoredBlock) -> Bool {
        guard let depth = configuration.pruningDepth else { return false }
        let bestNumber = best.number
        return bestNumber > UInt64(depth) && block.number < bestNumber - UInt64(depth)
    }

    /// Stops or resumes block production.
    func setStalled(_ stalled: Bool) { state.withLock { $0.stalled = stalled } }

    var isStalled: Bool { state.withLock { $0.stalled } }

    /// Counters for metrics.
    var counters: (constructed: Int, reorgs: Int, orphans: Int, version: UInt64) {
        state.withLock { ($0.constructedCount, $0.reorgCount, $0.orphans, $0.version) }
    }

    /// A consistent copy of the canonical chain and finality.
    func snapshot() -> (canonical: [StoredBlock], finalized: UInt64) {
        state.withLock { ($0.canonical, $0.finalized) }
    }
}
