import Foundation
import MidnightChain
import MidnightDevnode
import SpomTesting
import Testing

@Suite("Blocks are real Substrate blocks")
struct ChainFidelityTests {
    /// Fetches every block by number in one batch, re-hashes its SCALE header with blake2b, decodes
    /// its digests, timestamp and authorities, and checks the author against the committee.
    @Test(arguments: DevnodeFlavour.allCases)
    func blocksVerify(flavour: DevnodeFlavour) async throws {
        var c = DevnodeConfiguration.fastTest(seed: 11, flavour: flavour)
        c.missedSlotRate = 0.1
        c.historyBlocks = 40
        if flavour == .auraBabeMigration {
            // History covers AURA-only, dual-digest and BABE-only epochs.
            let tipEpoch = (DevnodeClock_now() / c.slotDurationMs) / c.slotsPerEpoch
            c.babeDualFromEpoch = tipEpoch - 3
            c.babeOnlyFromEpoch = tipEpoch - 1
        }
        try await withDevnode(c) { node in
            let truth = node.groundTruth()
            let best = truth.bestNumber
            #expect(best >= 40)
            let batch = (1...best).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"chain_getBlockHash","params":[\#($0)]}"# }
            let (_, hashBody) = try await post(node.httpURL, body: "[" + batch.joined(separator: ",") + "]")
            let hashAnswers = try #require(try JSONSerialization.jsonObject(with: Data(hashBody)) as? [[String: Any]])
            #expect(hashAnswers.count == Int(best))
            var sawAura = false, sawBabe = false, sawBoth = false
            for answer in hashAnswers {
                let number = try #require(answer["id"] as? Int)
                let hash = try #require(answer["result"] as? String)
                let signed = try await decoded(SignedBlock.self, node, "chain_getBlock", [hash])
                let header = signed.block.header
                #expect(header.number == UInt64(number))
                #expect(try header.computeHash() == hash, "block \(number): blake2b of the SCALE header must be its hash")
                let gt = try #require(truth.block(number: UInt64(number)))
                #expect(gt.hash == hash)
                #expect(gt.parentHash == header.parentHash)
                let evidence = try header.authorEvidence()
                let slot = try #require(evidence.slot)
                #expect(slot == gt.slot)
                #expect(evidence.mainchainHash?.count == 32)
                #expect(signed.block.extrinsics.count == gt.extrinsicsCount)
                #expect(TimestampInherent.decode(extrinsic: signed.block.extrinsics[0]) == slot * c.slotDurationMs)
                #expect(gt.timestampMs == slot * c.slotDurationMs)
                #expect(gt.sidechainEpoch == slot / c.slotsPerEpoch)
                // Authorities at this block, SCALE-decoded.
                let scale = try #require(try await result(node, "state_call", ["AuraApi_authorities", "0x", hash]) as? String)
                let committee = Committee(authorities: try Committee.decodeAuthorities(scale: scale))
                #expect(committee.size == c.committeeSize)
                let authorKey: String?
                if let babe = evidence.babe {
                    sawBabe = true
                    if evidence.auraSlot != nil { sawBoth = true; #expect(babe.authorityIndex == UInt32(slot % UInt64(committee.size))) }
                    #expect(babe.slot == slot)
                    authorKey = committee.authority(at: Int(babe.authorityIndex))
                } else {
                    sawAura = true
                    authorKey = committee.authority(forSlot: slot)
                }
                #expect(authorKey == gt.authorAuraKey, "block \(number): author must be the committee seat the digest names")
                let seatHolder = node.candidates.first { $0.auraKey == authorKey }
                #expect(seatHolder?.sidechainKey == gt.author)
            }
            if flavour == .auraBabeMigration {
                #expect(sawAura && sawBabe && sawBoth, "migration history has AURA-only, dual and BABE-only blocks")
            } else {
                #expect(sawAura && !sawBabe)
            }
        }
    }

    @Test func sameSeedSameChainOtherSeedOtherChain() throws {
        var a = DevnodeConfiguration.fastTest(seed: 5)
        a.clockStartMs = fixedClockMs
        a.missedSlotRate = 0.2
        a.reorgRate = 0
        let first = try Devnode(configuration: a).groundTruth()
        let second = try Devnode(configuration: a).groundTruth()
        #expect(first == second)
        #expect(first.blocks.count == 61)
        var b = a
        b.seed = 6
        let other = try Devnode(configuration: b).groundTruth()
        #expect(other.blocks.last?.hash != first.blocks.last?.hash)
        #expect(other.candidates != first.candidates)
    }

    @Test func missedSlotsLeaveGapsAndCommitteesRepeatSeats() throws {
        var c = DevnodeConfiguration.fastTest(seed: 3)
        c.clockStartMs = fixedClockMs
        c.missedSlotRate = 0.3
        c.historyBlocks = 300
        c.committeeSize = 20
        let truth = try Devnode(configuration: c).groundTruth()
        let slots = truth.blocks.dropFirst().map(\.slot)
        let span = Int(slots.last! - slots.first!) + 1
        #expect(span > slots.count, "missed slots leave gaps")
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $0 < $1 })
        let committee = try #require(truth.committees.first)
        #expect(committee.auraKeys.count == 20)
        #expect(Set(committee.auraKeys).count < 20, "seats repeat")
        // Invalid registrations never get seats; the D-parameter splits the seats.
        let invalid = Set(truth.candidates.filter { !$0.valid }.map(\.auraKey))
        let permissioned = Set(truth.candidates.filter(\.permissioned).map(\.auraKey))
        for cm in truth.committees {
            #expect(invalid.isDisjoint(with: cm.auraKeys))
            #expect(cm.auraKeys.filter { permissioned.contains($0) }.count == 10)
        }
    }

    @Test func largeHistoryStartsQuickly() throws {
        var c = DevnodeConfiguration()
        c.historyBlocks = 20_000
        c.clockStartMs = fixedClockMs
        let started = ContinuousClock.now
        let node = try Devnode(configuration: c)
        #expect(node.bestNumber == 20_000)
        // Generous bound for a debug build on a busy 2-core machine; the benchmark measures properly.
        #expect(ContinuousClock.now - started < .seconds(20))
    }
}

/// The wall clock in ms (for epoch arithmetic in tests).
func DevnodeClock_now() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }
