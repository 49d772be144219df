import Foundation
import MidnightChain
import MidnightDevnode
import MidnightEvents
import MidnightStore
import SpomTesting
import SpomWebhooks
import Testing

/// Events derived from what the sync engine stores, checked against the simulated node's truth
/// through a real dispatcher and a real HTTP receiver on loopback.
@Suite(.serialized) struct ChainEventTests {
    /// A small committee with one registered seat: our validator is in some epochs and out of
    /// others, holds slots, and misses some (half the slots are empty).
    static func configuration(seed: UInt64) -> DevnodeConfiguration {
        var c = DevnodeConfiguration.fastTest(seed: seed)
        c.committeeSize = 4
        c.registeredSeats = 1
        c.permissionedCandidates = 3
        c.registeredCandidates = 3
        c.invalidRegistrations = 1
        c.historyBlocks = 30
        c.missedSlotRate = 0.5
        return c
    }

    /// A seed whose committees put our validator in, then out, within the next few epochs.
    static func seedWithDropOut() throws -> (seed: UInt64, dropEpoch: UInt64) {
        for seed in UInt64(1)...200 {
            let node = try Devnode(configuration: configuration(seed: seed))
            let c = node.configuration
            let epoch = node.nowMs / (c.slotDurationMs * c.slotsPerEpoch)
            let ours = node.operatorKeys.sidechainKey
            // In the committee for the two epochs before the drop (slots to miss), the drop still ahead.
            let first = epoch - 1
            let inCommittee = (first...(epoch + 5)).map { e in node.committee(epoch: e).contains { $0.sidechainKey == ours } }
            if let drop = (3..<inCommittee.count).first(where: { inCommittee[$0 - 2] && inCommittee[$0 - 1] && !inCommittee[$0] }) {
                return (seed, first + UInt64(drop))
            }
        }
        throw ChildProcessError("no seed in 1...200 drops our validator from the committee")
    }

    @Test func producedMissedEpochSummaryAndCommitteeEventsMatchTheNode() async throws {
        let (seed, dropEpoch) = try Self.seedWithDropOut()
        let h = try await EventHarness(Self.configuration(seed: seed), failFirst: 1)
        defer { Task { await h.stop() } }
        let node = try h.client()
        let engine = h.engine(node)
        let sync = Task { try await engine.run() }
        let dispatch = Task { try await h.dispatcher.run() }
        defer {
            sync.cancel()
            dispatch.cancel()
        }
        let c = h.devnode.configuration
        let epochMs = c.slotDurationMs * c.slotsPerEpoch
        // Run until the epoch after the drop-out has begun, then freeze the chain.
        let reached = await eventually(timeout: .seconds(20), interval: .milliseconds(100)) {
            h.devnode.nowMs / epochMs > dropEpoch
        }
        #expect(reached)
        h.devnode.stallProduction()
        let best = h.devnode.bestNumber
        let drained = await eventually(timeout: .seconds(15), interval: .milliseconds(100)) {
            let stored = (try? h.writer.reader.lastBlock()?.number) ?? 0
            return stored == best && ((try? h.pending()) ?? 1) == 0
        }
        let left = try? h.pending()
        #expect(drained, "everything stored and delivered (pending \(String(describing: left)))")

        let truth = h.devnode.groundTruth()
        let ours = h.devnode.operatorKeys
        let blocks = truth.blocks.filter { $0.number >= 1 && $0.number <= best }
        let received = h.receiver

        // block_produced: exactly our blocks, with their hashes.
        let produced = Set(received.accepted("block_produced").map { $0.json["block_hash"] as? String ?? "" })
        let expectedProduced = Set(blocks.filter { $0.author == ours.sidechainKey }.map(\.hash))
        #expect(!expectedProduced.isEmpty)
        #expect(produced == expectedProduced)

        // block_missed: every empty slot between stored blocks that our AURA key held.
        let committees = Dictionary(truth.committees.map { ($0.epoch, $0.auraKeys) }, uniquingKeysWith: { a, _ in a })
        var expectedMissed = Set<UInt64>()
        for (before, after) in zip(blocks, blocks.dropFirst()) where after.slot > before.slot + 1 {
            for slot in (before.slot + 1)..<after.slot {
                guard let keys = committees[slot / c.slotsPerEpoch], !keys.isEmpty else { continue }
                if KeyFormat.normalize(keys[Int(slot % UInt64(keys.count))]) == KeyFormat.normalize(ours.auraKey) { expectedMissed.insert(slot) }
            }
        }
        let missed = Set(received.accepted("block_missed").compactMap { ($0.json["slot"] as? NSNumber)?.uint64Value })
        #expect(!expectedMissed.isEmpty, "the scenario has missed slots of ours")
        #expect(missed == expectedMissed)

        // epoch_summary: every epoch that ended while stored, with the node's figures.
        let summaries = received.accepted("epoch_summary")
        let epochs = Set(blocks.map(\.sidechainEpoch))
        let ended = epochs.filter { e in epochs.contains { $0 > e } }.sorted()
        #expect(summaries.count == ended.count, "\(summaries.map(\.json))")
        for summary in summaries {
            let e = (summary.json["sidechain_epoch"] as? NSNumber)?.uint64Value ?? .max
            let members = committees[e] ?? []
            let seats = members.filter { KeyFormat.normalize($0) == KeyFormat.normalize(ours.auraKey) }.count
            let inEpoch = blocks.filter { $0.sidechainEpoch == e }
            let mine = inEpoch.filter { $0.author == ours.sidechainKey }.count
            #expect(summary.json["seats"] as? Int == seats, "epoch \(e)")
            #expect(summary.json["committee_size"] as? Int == members.count, "epoch \(e)")
            #expect(summary.json["chain_blocks"] as? Int == inEpoch.count, "epoch \(e)")
            #expect(summary.json["produced"] as? Int == mine, "epoch \(e)")
            let expected = ExpectedBlocks.expected(seats: seats, committeeSize: members.count, chainBlocks: inEpoch.count)
            #expect(abs((summary.json["expected"] as? Double ?? -1) - expected) < 0.01, "epoch \(e)")
            #expect(summary.json["validator"] as? String == ours.sidechainKey)
        }

        // validator_status_change: out of the committee in the drop-out epoch.
        let changes = received.accepted("validator_status_change")
        let drop = changes.first { ($0.json["sidechain_epoch"] as? NSNumber)?.uint64Value == dropEpoch }
        #expect(drop?.json["old_status"] as? String == "in_committee", "\(changes.map(\.json))")
        #expect(drop?.json["new_status"] as? String == "not_in_committee")
        #expect(drop?.json["status_type"] as? String == "committee")

        // Every body names its event, chain, instance, time, and carries its webhook-id.
        for delivery in received.accepted {
            #expect(delivery.json["id"] as? String == delivery.id)
            #expect(delivery.json["chain"] as? String == "midnight")
            #expect(delivery.json["instance"] as? String == "test")
            #expect((delivery.json["timestamp"] as? String)?.hasSuffix("Z") == true)
        }
        // Signatures verify; each event was refused once, then re-sent with the same id and body.
        let signer = try WebhookSigner(secret: EventHarness.secret)
        for delivery in received.all {
            #expect(throws: Never.self) {
                try signer.verify(id: delivery.id, timestamp: delivery.timestamp, body: delivery.body, signatureHeader: delivery.signature ?? "")
            }
        }
        let copies = Dictionary(grouping: received.all, by: \.id)
        #expect(copies.values.allSatisfy { $0.count >= 2 && Set($0.map(\.body)).count == 1 })
    }

    /// A registration change of our validator is an event; one of another validator is not.
    @Test func registrationChangesOfOursAreEvents() async throws {
        let directory = try TemporaryDirectory(prefix: "events-registration")
        defer { directory.remove() }
        let writer = try MidnightDatabase.openWriter(path: directory.path("mvm.db"))
        try writer.markOurs(sidechainKey: "0x" + String(repeating: "ab", count: 33), label: "OURS")
        try MidnightEventsDatabase.prepare(writer)
        writer.addObserver(MidnightEventRecorder(context: MidnightEventContext(chain: "midnight", instance: "n1")))
        try writer.recordRegistrationStatus(sidechainKey: "0x" + String(repeating: "ab", count: 33), status: "registered", mainchainEpoch: 900)
        try writer.recordRegistrationStatus(
            sidechainKey: "0x" + String(repeating: "ab", count: 33), status: "registered_invalid", reason: "stake below minimum", mainchainEpoch: 901)
        try writer.recordRegistrationStatus(sidechainKey: "0x" + String(repeating: "cd", count: 33), status: "registered")
        let events = try writer.write("read") { db in
            try String.fetchAll(db, sql: "SELECT payload FROM webhook_event WHERE type = 'validator_status_change' ORDER BY seq")
        }
        #expect(events.count == 2)
        let last = try #require(try JSONSerialization.jsonObject(with: Data(events[1].utf8)) as? [String: Any])
        #expect(last["old_status"] as? String == "registered")
        #expect(last["new_status"] as? String == "registered_invalid")
        #expect(last["reason"] as? String == "stake below minimum")
        #expect(last["status_type"] as? String == "registration")
        #expect(last["mainchain_epoch"] as? Int == 901)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(events[0].utf8)) as? [String: Any])
        #expect(first["old_status"] is NSNull || first["old_status"] == nil)
    }

    /// An observer that throws rolls the write back: no block, no event.
    @Test func aFailingObserverRollsTheWriteAndItsEventsBack() throws {
        struct Refuse: StoreWriteObserver {
            struct Refused: Error {}
            func storeDidWrite(_ change: StoreWriteChange, in db: GRDB.Database) throws {
                if case .blocksInserted = change { throw Refused() }
            }
        }
        let directory = try TemporaryDirectory(prefix: "events-rollback")
        defer { directory.remove() }
        let writer = try MidnightDatabase.openWriter(path: directory.path("mvm.db"))
        let key = "0x" + String(repeating: "ab", count: 33)
        try writer.markOurs(sidechainKey: key, label: "OURS")
        try MidnightEventsDatabase.prepare(writer)
        writer.addObserver(MidnightEventRecorder(context: MidnightEventContext(chain: "midnight", instance: "n1")))
        writer.addObserver(Refuse())
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let block = NewBlock(
            number: 1, hash: "0x" + String(repeating: "11", count: 32), parentHash: "0x" + String(repeating: "00", count: 32),
            slot: now / 6000, sidechainEpoch: 1, mainchainEpoch: 1, timestampMs: now, extrinsicsCount: 1,
            author: .attributed(sidechainKey: key, auraKey: "0x" + String(repeating: "cc", count: 32)))
        #expect(throws: (any Error).self) { try writer.insertBlocks([block]) }
        let last = try writer.reader.lastBlock()
        #expect(last == nil)
        let events = try writer.write("read") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_event") ?? -1 }
        #expect(events == 0)
    }
}

import GRDB
