import Foundation

/// One canonical block as the simulated node knows it: what a monitor should have stored.
public struct DevnodeGroundTruthBlock: Codable, Sendable, Equatable {
    public let number: UInt64
    public let hash: String
    public let parentHash: String
    public let slot: UInt64
    public let sidechainEpoch: UInt64
    public let mainchainEpoch: UInt64
    public let timestampMs: UInt64
    public let extrinsicsCount: Int
    /// Sidechain key of the author (`nil` for genesis).
    public let author: String?
    /// AURA key of the author (`nil` for genesis).
    public let authorAuraKey: String?
    public let finalized: Bool

    enum CodingKeys: String, CodingKey {
        case number, hash, slot, finalized, author
        case parentHash = "parent_hash", sidechainEpoch = "sidechain_epoch", mainchainEpoch = "mainchain_epoch"
        case timestampMs = "timestamp_ms", extrinsicsCount = "extrinsics_count", authorAuraKey = "author_aura_key"
    }
}

/// The committee of one sidechain epoch, in slot order (seats repeat).
public struct DevnodeGroundTruthCommittee: Codable, Sendable, Equatable {
    public let epoch: UInt64
    public let sidechainKeys: [String]
    public let auraKeys: [String]

    enum CodingKeys: String, CodingKey {
        case epoch, sidechainKeys = "sidechain_keys", auraKeys = "aura_keys"
    }
}

/// One candidate as the node's Ariadne parameters list it.
public struct DevnodeGroundTruthCandidate: Codable, Sendable, Equatable {
    public let sidechainKey: String
    public let auraKey: String
    public let grandpaKey: String
    public let babeKey: String
    public let mainchainKey: String
    public let permissioned: Bool
    public let valid: Bool
    public let invalidReasons: [String]
    public let stake: UInt64?
    public let isOperator: Bool

    enum CodingKeys: String, CodingKey {
        case permissioned, valid, stake
        case sidechainKey = "sidechain_key", auraKey = "aura_key", grandpaKey = "grandpa_key", babeKey = "babe_key"
        case mainchainKey = "mainchain_key", invalidReasons = "invalid_reasons", isOperator = "is_operator"
    }
}

/// Everything the simulated node knows, for tests to compare against what the monitor stored.
public struct DevnodeGroundTruth: Codable, Sendable, Equatable {
    public let flavour: DevnodeFlavour
    public let seed: UInt64
    public let slotDurationMs: UInt64
    public let slotsPerEpoch: UInt64
    public let mainchainEpochLengthMs: UInt64
    public let mainchainOriginMs: UInt64
    public let bestNumber: UInt64
    public let finalizedNumber: UInt64
    public let firstAvailableBlock: UInt64
    /// Blocks that were replaced by reorgs so far.
    public let orphanedBlocks: Int
    /// Every canonical block from genesis to best.
    public let blocks: [DevnodeGroundTruthBlock]
    /// Committees of every epoch from the first block's to the one after the best block's.
    public let committees: [DevnodeGroundTruthCommittee]
    public let candidates: [DevnodeGroundTruthCandidate]
    public let operatorKeys: DevnodeOperatorKeys

    enum CodingKeys: String, CodingKey {
        case flavour, seed, blocks, committees, candidates
        case slotDurationMs = "slot_duration_ms", slotsPerEpoch = "slots_per_epoch"
        case mainchainEpochLengthMs = "mainchain_epoch_length_ms", mainchainOriginMs = "mainchain_origin_ms"
        case bestNumber = "best_number", finalizedNumber = "finalized_number", firstAvailableBlock = "first_available_block"
        case orphanedBlocks = "orphaned_blocks", operatorKeys = "operator"
    }

    /// Reads a ground-truth file written by the node.
    public static func load(path: String) throws -> DevnodeGroundTruth {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(DevnodeGroundTruth.self, from: data)
    }

    /// The block at `number`, if canonical.
    public func block(number: UInt64) -> DevnodeGroundTruthBlock? {
        number < UInt64(blocks.count) ? blocks[Int(number)] : nil
    }
}

extension ChainStore {
    /// Sidechain and main-chain epochs of a block.
    func epochs(of b: StoredBlock) -> (sidechain: UInt64, mainchain: UInt64) {
        let c = configuration
        let mc = b.timestampMs > c.mainchainOriginMs ? (b.timestampMs - c.mainchainOriginMs) / c.mainchainEpochLengthMs : 0
        return (b.slot / c.slotsPerEpoch, mc)
    }

    /// The ground truth now.
    func groundTruth() -> DevnodeGroundTruth {
        let c = configuration
        let (canonical, finalized) = snapshot()
        let blocks = canonical.map { b -> DevnodeGroundTruthBlock in
            let e = epochs(of: b)
            return DevnodeGroundTruthBlock(
                number: b.number, hash: b.hashHex, parentHash: b.parentHash.hex, slot: b.slot, sidechainEpoch: e.sidechain,
                mainchainEpoch: e.mainchain, timestampMs: b.timestampMs, extrinsicsCount: b.extrinsicsCount,
                author: b.authorSidechainKey, authorAuraKey: b.authorAuraKey, finalized: b.number <= finalized)
        }
        let firstEpoch = canonical.count > 1 ? canonical[1].slot / c.slotsPerEpoch : 0
        let lastEpoch = (canonical.last?.slot ?? 0) / c.slotsPerEpoch + 1
        let committees = (firstEpoch...lastEpoch).map { e -> DevnodeGroundTruthCommittee in
            let m = committee(epoch: e)
            return DevnodeGroundTruthCommittee(epoch: e, sidechainKeys: m.map(\.sidechainKey), auraKeys: m.map(\.auraKey))
        }
        let cands = candidates.all.map {
            DevnodeGroundTruthCandidate(
                sidechainKey: $0.sidechainKey, auraKey: $0.auraKey, grandpaKey: $0.grandpaKey, babeKey: $0.babeKey,
                mainchainKey: $0.mainchainKey, permissioned: $0.permissioned, valid: $0.isValid,
                invalidReasons: $0.invalidReasons, stake: $0.stake, isOperator: $0.isOperator)
        }
        return DevnodeGroundTruth(
            flavour: c.flavour, seed: c.seed, slotDurationMs: c.slotDurationMs, slotsPerEpoch: c.slotsPerEpoch,
            mainchainEpochLengthMs: c.mainchainEpochLengthMs, mainchainOriginMs: c.mainchainOriginMs,
            bestNumber: canonical.last?.number ?? 0, finalizedNumber: finalized, firstAvailableBlock: c.firstAvailableBlock,
            orphanedBlocks: counters.orphans, blocks: blocks, committees: committees, candidates: cands,
            operatorKeys: candidates.operatorKeys)
    }

    /// The ground truth as JSON bytes, written by hand (fast for 100k blocks).
    func groundTruthJSON() -> [UInt8] {
        let truth = groundTruth()
        var out = [UInt8]()
        out.reserveCapacity(truth.blocks.count * 420 + 4096)
        func str(_ s: String?) {
            if let s { JSONText.appendString(s, to: &out) } else { out += Array("null".utf8) }
        }
        out += Array(#"{"flavour":"\#(truth.flavour.rawValue)","seed":\#(truth.seed),"slot_duration_ms":\#(truth.slotDurationMs),"#.utf8)
        out += Array(#""slots_per_epoch":\#(truth.slotsPerEpoch),"mainchain_epoch_length_ms":\#(truth.mainchainEpochLengthMs),"#.utf8)
        out += Array(#""mainchain_origin_ms":\#(truth.mainchainOriginMs),"best_number":\#(truth.bestNumber),"#.utf8)
        out += Array(#""finalized_number":\#(truth.finalizedNumber),"first_available_block":\#(truth.firstAvailableBlock),"#.utf8)
        out += Array(#""orphaned_blocks":\#(truth.orphanedBlocks),"operator":"#.utf8)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        out += (try? enc.encode(truth.operatorKeys)).map(Array.init) ?? Array("null".utf8)
        out += Array(#","candidates":"#.utf8)
        out += (try? enc.encode(truth.candidates)).map(Array.init) ?? Array("[]".utf8)
        out += Array(#","committees":"#.utf8)
        out += (try? enc.encode(truth.committees)).map(Array.init) ?? Array("[]".utf8)
        out += Array(#","blocks":["#.utf8)
        for (i, b) in truth.blocks.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(#"{"number":\#(b.number),"hash":"\#(b.hash)","parent_hash":"\#(b.parentHash)","slot":\#(b.slot),"#.utf8)
            out += Array(#""sidechain_epoch":\#(b.sidechainEpoch),"mainchain_epoch":\#(b.mainchainEpoch),"timestamp_ms":\#(b.timestampMs),"#.utf8)
            out += Array(#""extrinsics_count":\#(b.extrinsicsCount),"author":"#.utf8)
            str(b.author)
            out += Array(#","author_aura_key":"#.utf8)
            str(b.authorAuraKey)
            out += Array(#","finalized":\#(b.finalized)}"#.utf8)
        }
        out += Array("]}\n".utf8)
        return out
    }
}

/// Writes files atomically: a temporary file in the same folder, then a rename.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws(DevnodeError) {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(bytes).write(to: tmp)
            if rename(tmp.path, url.path) != 0 {
                throw DevnodeError.writeFailed(path: path, reason: "rename failed (errno \(errno))")
            }
        } catch let e as DevnodeError {
            throw e
        } catch {
            throw .writeFailed(path: path, reason: "\(error)")
        }
    }
}
