import MidnightChain

/// Which consensus digests blocks of an epoch carry.
enum DigestPhase: Sendable, Equatable {
    case auraOnly, auraAndBabe, babeOnly
}

/// Builds real Substrate blocks: SCALE header hashed with blake2b-256, SCALE digest items, the
/// timestamp inherent first.
struct BlockBuilder: Sendable {
    let seed: UInt64
    let slotDurationMs: UInt64

    /// Builds the genesis block (number 0, no digest, no extrinsics).
    func genesis() -> StoredBlock {
        var rng = SplitMix64(seed: seed, tag: .block, 0, 0)
        let stateRoot = rng.bytes(32)
        let extrinsicsRoot = rng.bytes(32)
        return assemble(
            number: 0, parent: .zero, stateRoot: stateRoot, extrinsicsRoot: extrinsicsRoot, logs: [], extrinsics: [],
            slot: 0, timestampMs: 0, authorIndex: nil, author: nil)
    }

    /// Builds the block at `slot` on top of `parent`.
    ///
    /// - Parameters:
    ///   - fork: distinguishes a replacement block (after a reorg) from the original of the same slot.
    ///   - authorIndex: the author's position in the committee (slot mod size for AURA).
    func block(
        number: UInt64, parent: Hash32, slot: UInt64, fork: UInt64, phase: DigestPhase, authorIndex: Int,
        author: DevnodeCandidate
    ) -> StoredBlock {
        var rng = SplitMix64(seed: seed, tag: .block, slot, fork)
        let timestampMs = slot * slotDurationMs
        var extrinsics: [[UInt8]] = []
        extrinsics.append((try? Hex.decode(TimestampInherent.encode(milliseconds: timestampMs))) ?? [])
        let extra = Int(rng.next() % 4)
        for _ in 0..<extra {
            // An opaque unsigned extrinsic: compact length, version 4, pallet, call, payload.
            let payloadLength = 8 + Int(rng.next() % 40)
            var body = ScaleWriter(capacity: payloadLength + 3)
            body.appendU8(0x04)
            body.appendU8(UInt8(5 + rng.next() % 20))
            body.appendU8(UInt8(rng.next() % 8))
            body.appendBytes(rng.bytes(payloadLength))
            var w = ScaleWriter(capacity: payloadLength + 6)
            w.appendByteVector(body.bytes)
            extrinsics.append(w.bytes)
        }
        var logs: [DigestItem] = []
        var slotBytes = ScaleWriter(capacity: 8)
        slotBytes.appendU64(slot)
        if phase != .babeOnly { logs.append(.preRuntime(.aura, slotBytes.bytes)) }
        if phase != .auraOnly {
            logs.append(.preRuntime(.babe, BabePreDigest.secondaryPlain(authorityIndex: UInt32(authorIndex), slot: slot).encoded()))
        }
        // The Cardano block this block references changes every ~20 s of main-chain time.
        var mc = SplitMix64(seed: seed, tag: .mainchainHash, timestampMs / 20_000)
        logs.append(.preRuntime(.mainchainHash, mc.bytes(32)))
        logs.append(.seal(phase == .babeOnly ? .babe : .aura, rng.bytes(64)))
        let stateRoot = rng.bytes(32)
        // Not a trie root (nothing checks it); random keeps block building to one blake2b.
        let extrinsicsRoot = rng.bytes(32)
        return assemble(
            number: number, parent: parent, stateRoot: stateRoot, extrinsicsRoot: extrinsicsRoot,
            logs: logs.map { $0.encoded() }, extrinsics: extrinsics, slot: slot, timestampMs: timestampMs,
            authorIndex: authorIndex, author: author)
    }

    private func assemble(
        number: UInt64, parent: Hash32, stateRoot: [UInt8], extrinsicsRoot: [UInt8], logs: [[UInt8]],
        extrinsics: [[UInt8]], slot: UInt64, timestampMs: UInt64, authorIndex: Int?, author: DevnodeCandidate?
    ) -> StoredBlock {
        var scale = ScaleWriter(capacity: 320)
        scale.appendBytes(parent.bytes)
        scale.appendCompact(number)
        scale.appendBytes(stateRoot)
        scale.appendBytes(extrinsicsRoot)
        scale.appendCompact(UInt64(logs.count))
        for log in logs { scale.appendBytes(log) }
        let hash = Hash32(Blake2b.hash256(scale.bytes))

        var json = [UInt8]()
        json.reserveCapacity(600 + extrinsics.reduce(0) { $0 + $1.count * 2 + 4 } + logs.reduce(0) { $0 + $1.count * 2 + 4 })
        json += Array(#"{"block":{"header":"#.utf8)
        let headerStart = json.count
        json += Array(#"{"parentHash":"#.utf8)
        JSONText.appendHexString(parent.bytes, to: &json)
        json += Array(#","number":"#.utf8)
        JSONText.appendHexNumber(number, to: &json)
        json += Array(#","stateRoot":"#.utf8)
        JSONText.appendHexString(stateRoot, to: &json)
        json += Array(#","extrinsicsRoot":"#.utf8)
        JSONText.appendHexString(extrinsicsRoot, to: &json)
        json += Array(#","digest":{"logs":["#.utf8)
        for (i, log) in logs.enumerated() {
            if i > 0 { json.append(UInt8(ascii: ",")) }
            JSONText.appendHexString(log, to: &json)
        }
        json += Array("]}}".utf8)
        let headerEnd = json.count
        json += Array(#","extrinsics":["#.utf8)
        for (i, x) in extrinsics.enumerated() {
            if i > 0 { json.append(UInt8(ascii: ",")) }
            JSONText.appendHexString(x, to: &json)
        }
        json += Array(#"]},"justifications":null}"#.utf8)
        return StoredBlock(
            number: number, hash: hash, parentHash: parent, slot: slot, timestampMs: timestampMs,
            extrinsicsCount: extrinsics.count, authorIndex: authorIndex, authorSidechainKey: author?.sidechainKey,
            authorAuraKey: author?.auraKey, blockJSON: json, headerRange: headerStart..<headerEnd)
    }
}
