import MidnightChain
import MidnightRPC
import MidnightStore

/// Turns blocks fetched from the node into the rows the store keeps: slot, epochs and timestamp
/// from the block itself, and the author from its epoch's committee.
struct BlockAssembler: Sendable {
    let timing: ChainTiming
    let committees: EpochCommittees

    func assemble(_ fetched: FetchedBlock) async -> NewBlock {
        let block = fetched.block.block
        let header = block.header
        let evidence = try? header.authorEvidence()
        let timestamp = block.timestampMs ?? evidence?.slot.map { timing.timestampMs(slot: $0) } ?? 0
        let slot = evidence?.slot ?? timing.slot(atMs: timestamp)
        let sidechainEpoch = timing.sidechainEpoch(slot: slot)
        let mainchainEpoch = timing.mainchainEpoch(timestampMs: timestamp)

        let author: MidnightStore.BlockAuthor
        if let evidence, evidence.slot != nil {
            let state = await committees.state(
                sidechainEpoch: sidechainEpoch, mainchainEpoch: mainchainEpoch, blockHash: fetched.hash,
                blockNumber: fetched.number)
            author = Self.author(evidence: evidence, state: state)
        } else {
            author = .unattributed(.noAuthorEvidence, auraKey: nil)
        }
        return NewBlock(
            number: fetched.number, hash: fetched.hash, parentHash: header.parentHash, slot: slot,
            sidechainEpoch: sidechainEpoch, mainchainEpoch: mainchainEpoch, timestampMs: timestamp,
            extrinsicsCount: block.extrinsics.count, author: author)
    }

    static func author(evidence: AuthorEvidence, state: EpochCommitteeState) -> MidnightStore.BlockAuthor {
        switch state {
        case .unavailable(let reason, _):
            return .unattributed(reason, auraKey: nil)
        case .known(let committee, let candidates):
            guard let seat = Attribution.author(evidence: evidence, committee: committee, directory: nil) else {
                return .unattributed(.noAuthorEvidence, auraKey: nil)
            }
            if let candidate = candidates[seat.authorityKey] {
                return .attributed(sidechainKey: candidate.sidechainKey, auraKey: seat.authorityKey)
            }
            return .unattributed(.authorNotCandidate, auraKey: seat.authorityKey)
        }
    }
}
