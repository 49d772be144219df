import Logging
import MidnightChain
import MidnightRPC
import MidnightStore

/// What the engine knows about one sidechain epoch's committee.
enum EpochCommitteeState: Sendable {
    /// The committee and the authority-key → sidechain-key mapping.
    case known(Committee, [String: CommitteeCandidate])
    /// Not available: why, and whether asking again later can help.
    case unavailable(UnattributedReason, retryable: Bool)
}

/// Fetches each sidechain epoch's committee once for the life of the process (v1 re-fetched it
/// for every batch and every poll) and stores it once in the database.
///
/// The committee is read with `AuraApi_authorities` at a block inside the epoch, so it is fetched
/// as soon as the epoch's first block is seen: that keeps attribution at 100% on nodes that prune
/// state after 256 blocks. Authority keys are mapped to sidechain keys through the Ariadne
/// parameters' candidates and, for keys those do not name, `sidechain_getEpochCommittee` (same
/// seat order).
actor EpochCommittees {
    private let node: NodeClient
    private let store: StoreWriter
    private let logger: Logger
    private var epochs: [UInt64: (state: EpochCommitteeState, triedAt: UInt64)] = [:]
    private var ariadne: [UInt64: AriadneParameters] = [:]
    /// Epochs kept in memory. Catch-up walks forward, so its batches in flight span two or three
    /// epochs; gap fills and reorgs that reach further back fetch again. A 1200-seat committee
    /// with its candidate map is tens of KB: 64 epochs held about 10 MiB that nothing read.
    private let memoryLimit = 8

    init(node: NodeClient, store: StoreWriter, logger: Logger) {
        self.node = node
        self.store = store
        self.logger = logger
    }

    /// Blocks to move on before asking again for an epoch whose state was pruned at an earlier
    /// block: an epoch that straddles the node's pruning boundary has live state in its later
    /// blocks, and the committee read there attributes the whole epoch (v1 left such blocks
    /// unattributed).
    private let prunedRetryStride: UInt64 = 16

    /// The committee of `sidechainEpoch`, fetched at `blockHash` (block `blockNumber`, inside that
    /// epoch) when it is not known yet. Unavailable results that may resolve later are not cached.
    func state(sidechainEpoch: UInt64, mainchainEpoch: UInt64, blockHash: String, blockNumber: UInt64) async -> EpochCommitteeState {
        if let cached = epochs[sidechainEpoch] {
            guard case .unavailable(.statePruned, _) = cached.state, blockNumber >= cached.triedAt + prunedRetryStride else {
                return cached.state
            }
        }
        let state = await fetch(sidechainEpoch: sidechainEpoch, mainchainEpoch: mainchainEpoch, blockHash: blockHash)
        switch state {
        case .known, .unavailable(_, retryable: false):
            epochs[sidechainEpoch] = (state, blockNumber)
            if epochs.count > memoryLimit, let oldest = epochs.keys.min() { epochs[oldest] = nil }
        case .unavailable(_, retryable: true):
            break
        }
        return state
    }

    /// Keeps only the newest `count` committees and Ariadne parameter sets. At the tip, lookups are
    /// for the current epoch (and the one before, when a reorg crosses the boundary); the rest of
    /// what a catch-up cached is about 1.5 MiB of keys and candidates that nothing reads again.
    /// An epoch dropped here is fetched again if it is ever needed.
    func keepOnlyNewest(_ count: Int) {
        for key in epochs.keys.sorted().dropLast(count) { epochs[key] = nil }
        for key in ariadne.keys.sorted().dropLast(count) { ariadne[key] = nil }
    }

    /// The sidechain epochs whose committee state is held in memory, lowest first.
    var cachedEpochs: [UInt64] { epochs.keys.sorted() }

    /// Forgets a cached "unavailable" so that the next lookup asks the node again.
    func forget(sidechainEpoch: UInt64) {
        if case .unavailable = epochs[sidechainEpoch]?.state { epochs[sidechainEpoch] = nil }
    }

    private func fetch(sidechainEpoch: UInt64, mainchainEpoch: UInt64, blockHash: String) async -> EpochCommitteeState {
        let committee: Committee
        do {
            committee = Self.sharingKeys(try await node.authorities(at: blockHash))
        } catch let error as NodeRPCError {
            if case .stateUnavailable = error.kind {
                if epochs[sidechainEpoch] == nil {
                    logger.warning(
                        "state for sidechain epoch \(sidechainEpoch) is pruned on the node: its blocks are stored unattributed (use an archive node for history)"
                    )
                }
                return .unavailable(.statePruned, retryable: false)
            }
            logger.warning("could not fetch the committee of sidechain epoch \(sidechainEpoch): \(error)")
            return .unavailable(.committeeUnavailable, retryable: true)
        } catch {
            logger.warning("could not fetch the committee of sidechain epoch \(sidechainEpoch): \(error)")
            return .unavailable(.committeeUnavailable, retryable: true)
        }
        guard committee.size > 0 else { return .unavailable(.committeeUnavailable, retryable: true) }

        var candidates: [String: CommitteeCandidate] = [:]
        if let params = await ariadneParameters(mainchainEpoch: mainchainEpoch) {
            let directory = CandidateDirectory(ariadne: params)
            for key in Set(committee.authorities) {
                if let c = directory.candidate(authorityKey: key) {
                    candidates[key] = CommitteeCandidate(
                        sidechainKey: c.sidechainKey, auraKey: key, grandpaKey: c.keys.grandpa,
                        isPermissioned: c.isPermissioned, stake: c.stake)
                }
            }
        }
        if candidates.count < Set(committee.authorities).count,
            let byEpoch = try? await node.epochCommittee(sidechainEpoch: sidechainEpoch),
            byEpoch.committee.count == committee.size
        {
            for (seat, key) in committee.authorities.enumerated() where candidates[key] == nil {
                candidates[key] = CommitteeCandidate(
                    sidechainKey: byEpoch.committee[seat], auraKey: key, isPermissioned: false, stake: nil)
            }
        }
        let record = NewCommittee(
            sidechainEpoch: sidechainEpoch, mainchainEpoch: mainchainEpoch, authorities: committee.authorities,
            source: "rpc", candidates: Array(candidates.values).sorted { $0.auraKey < $1.auraKey })
        do {
            let result = try store.storeCommittee(record)
            if result.stored {
                logger.info(
                    "stored the committee of sidechain epoch \(sidechainEpoch): \(result.committeeSize) seats, \(result.candidates) candidates"
                )
            }
        } catch {
            logger.error("could not store the committee of sidechain epoch \(sidechainEpoch): \(error)")
        }
        return .known(committee, candidates)
    }

    /// The committee with every seat of the same key sharing one string: 1200 seats name about
    /// 200 keys, and decoding gives each seat its own heap copy.
    static func sharingKeys(_ committee: Committee) -> Committee {
        var unique: [String: String] = [:]
        unique.reserveCapacity(committee.size / 4)
        return Committee(
            authorities: committee.authorities.map { key in
                if let shared = unique[key] { return shared }
                unique[key] = key
                return key
            })
    }

    private func ariadneParameters(mainchainEpoch: UInt64) async -> AriadneParameters? {
        if let cached = ariadne[mainchainEpoch] { return cached }
        do {
            let params = try await node.ariadneParameters(mainchainEpoch: mainchainEpoch)
            ariadne[mainchainEpoch] = params
            if ariadne.count > 8, let oldest = ariadne.keys.min() { ariadne[oldest] = nil }
            return params
        } catch {
            logger.warning("could not fetch the Ariadne parameters of Cardano epoch \(mainchainEpoch): \(error)")
            return nil
        }
    }
}
