import Foundation
import MidnightChain
import Testing

private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(json.utf8))
}

@Suite struct StatusModelTests {
    @Test func legacyStatusWithSlot() throws {
        let s = try decode(
            SidechainStatus.self,
            """
            {"sidechain":{"epoch":245527,"slot":294633422,"nextEpochTimestamp":1767801600000},
             "mainchain":{"epoch":1170,"slot":101144532,"nextEpochTimestamp":1767830400000}}
            """)
        #expect(s.sidechain.epoch == 245_527)
        #expect(s.sidechain.slot == 294_633_422)
        #expect(s.mainchain.nextEpochTimestamp == 1_767_830_400_000)
    }

    /// Node 1.x removed `sidechain.slot`; v1 stamped every block with epoch 0 because of it.
    @Test func newStatusWithoutSlot() throws {
        let s = try decode(
            SidechainStatus.self,
            """
            {"sidechain":{"epoch":99,"nextEpochTimestamp":1},"mainchain":{"epoch":5,"slot":7,"nextEpochTimestamp":2}}
            """)
        #expect(s.sidechain.slot == nil)
        #expect(s.sidechain.epoch == 99)
    }

    @Test func healthSyncPeers() throws {
        let h = try decode(SystemHealth.self, #"{"peers":1,"isSyncing":false,"shouldHavePeers":true}"#)
        #expect(h.peers == 1 && !h.isSyncing)
        let s = try decode(SyncState.self, #"{"startingBlock":12,"currentBlock":50,"highestBlock":128}"#)
        #expect(s.highestBlock == 128)
        let p = try decode([PeerInfo].self, #"[{"peerId":"2","roles":"a","bestHash":"0x01","bestNumber":6}]"#)
        #expect(p.first?.bestNumber == 6)
        let params = try decode(SidechainParams.self, #"{"genesis_utxo":"623d#1"}"#)
        #expect(params.genesisUtxo == "623d#1")
    }
}

@Suite struct AriadneModelTests {
    /// The partner-chains registration entry (node 0.18+ `keys` map).
    let modernRegistration = """
        {"sidechainPubKey":"0x0389411795514af1627765eceffcbd002719f031604fadd7d188e2dc585b4e1afb",
         "sidechainAccountId":"5EP2cMaCxLzhfD3aFAqqgu3kfXH7GcwweEv6JXZRP6ysRHkQ",
         "mainchainPubKey":"0x7521303029fc73ea2dd6a410c4c3cf570bf294a7e02942e049d50ba117acec22",
         "crossChainPubKey":"0x0389",
         "keys":{"aura":"0x90B5AB","gran":"0x4396"},
         "sidechainSignature":"0x3da1","mainchainSignature":"0x37a4","crossChainSignature":"0x3da1",
         "utxo":{"utxoId":"a40c#0","epochNumber":303,"blockNumber":1147672,"slotNumber":26223403,"txIndexWithinBlock":0},
         "stakeDelegation":2380000000,"isValid":true}
        """

    @Test func modernShape() throws {
        let json = """
            {"dParameter":{"numPermissionedCandidates":3,"numRegisteredCandidates":2},
             "permissionedCandidates":[{"sidechainPublicKey":"0xAA","keys":{"aura":"0x01","gran":"0x02"},"isValid":true}],
             "candidateRegistrations":{"0x7521":[\(modernRegistration)]}}
            """
        let a = try decode(AriadneParameters.self, json)
        #expect(a.dParameter?.numPermissionedCandidates == 3)
        #expect(a.permissionedCandidates?.first?.keys.aura == "0x01")
        let r = try #require(a.allRegistrations.first)
        #expect(r.keys.aura == "0x90b5ab")
        #expect(r.stake == 2_380_000_000)
        #expect(r.isValid)
        #expect(r.sidechainPubKey == "0x0389411795514af1627765eceffcbd002719f031604fadd7d188e2dc585b4e1afb")
    }

    /// Node 0.12 shape: legacy key fields, `stake` alias, invalid with reasons.
    @Test func legacyShape() throws {
        let json = """
            {"permissionedCandidates":[{"sidechainPublicKey":"0xaa","auraPublicKey":"0x11","grandpaPublicKey":"0x12","isValid":true}],
             "candidateRegistrations":{"k":[{"sidechainPubKey":"0xbb","auraPubKey":"0x21","grandpaPubKey":"0x22","isValid":false,
               "invalidReasons":{"StakeError":"InsufficientStake"},"stake":5}]}}
            """
        let a = try decode(AriadneParameters.self, json)
        #expect(a.permissionedCandidates?.first?.keys.grandpa == "0x12")
        let r = try #require(a.allRegistrations.first)
        #expect(r.keys.aura == "0x21")
        #expect(r.stake == 5)
        #expect(r.invalidReasons == #"{"StakeError":"InsufficientStake"}"#)
    }

    @Test func nullPermissionedAndStakeAmount() throws {
        let json = """
            {"dParameter":{"numPermissionedCandidates":0,"numRegisteredCandidates":0},"permissionedCandidates":null,
             "candidateRegistrations":{"k":[{"sidechainPubKey":"0xcc","keys":{"aura":"0x31","babe":"0x33"},"isValid":true,"stakeAmount":9}]}}
            """
        let a = try decode(AriadneParameters.self, json)
        #expect(a.permissionedCandidates == nil)
        #expect(a.allRegistrations.first?.stake == 9)
        #expect(a.allRegistrations.first?.keys.babe == "0x33")
    }

    @Test func registrationWithoutKeyIsAnErrorNamingTheField() {
        #expect(throws: DecodingError.self) {
            try decode(CandidateRegistration.self, #"{"isValid":true}"#)
        }
    }

    @Test func epochCommittee() throws {
        let c = try decode(
            EpochCommittee.self,
            #"{"sidechainEpoch":4703884,"committee":[{"sidechainPubKey":"0x00"},{"sidechainPubKey":"0xFF"}]}"#)
        #expect(c.sidechainEpoch == 4_703_884)
        #expect(c.committee == ["0x00", "0xff"])
    }
}

@Suite struct RegistrationTests {
    func params(permissioned: [PermissionedCandidate]?, registrations: [CandidateRegistration]) -> AriadneParameters {
        AriadneParameters(
            dParameter: nil, permissionedCandidates: permissioned,
            candidateRegistrations: ["spo": registrations])
    }

    @Test func statuses() {
        let keys = SessionKeys(["aura": "0x01"])
        let a = params(
            permissioned: [PermissionedCandidate(sidechainPublicKey: "0xAA", keys: keys)],
            registrations: [
                CandidateRegistration(sidechainPubKey: "0xbb", keys: keys, isValid: false, invalidReasons: "old"),
                CandidateRegistration(sidechainPubKey: "0xbb", keys: keys, isValid: true),
                CandidateRegistration(sidechainPubKey: "0xcc", keys: keys, isValid: false, invalidReasons: "bad stake"),
            ])
        #expect(RegistrationStatus.evaluate(sidechainKey: "0xaa", in: a) == .permissioned)
        #expect(RegistrationStatus.evaluate(sidechainKey: " 0XBB", in: a) == .registeredValid)
        #expect(RegistrationStatus.evaluate(sidechainKey: "0xcc", in: a) == .registeredInvalid(reasons: "bad stake"))
        #expect(RegistrationStatus.evaluate(sidechainKey: "0xdd", in: a) == .notRegistered)
        #expect(RegistrationStatus.registeredInvalid(reasons: "x").label == "Registered but INVALID: x")
        #expect(RegistrationStatus.notRegistered.code == "not_registered")
    }

    /// v1 ignored the permissioned entry's own validity.
    @Test func invalidPermissionedEntry() {
        let a = params(
            permissioned: [PermissionedCandidate(sidechainPublicKey: "0xaa", keys: SessionKeys([:]), isValid: false, invalidReasons: "r")],
            registrations: [])
        #expect(RegistrationStatus.evaluate(sidechainKey: "0xaa", in: a) == .registeredInvalid(reasons: "r"))
    }
}

@Suite struct TimingTests {
    /// Epochs come from the block's own slot (v1 used the wall-clock epoch for every block).
    @Test func testnet02Vectors() {
        let t = ChainTiming.testnet02
        #expect(t.sidechainEpoch(slot: 294_749_055) == 245_624)
        #expect(t.sidechainEpoch(slot: 294_751_400) == 245_626)
        #expect(t.sidechainEpoch(slot: 294_751_351) == 245_626)
        #expect(t.timestampMs(slot: 294_751_351) == 1_768_508_106_000)
        #expect(t.epochStartSlot(245_527) == 294_632_400)
        #expect(t.slotInEpoch(slot: 294_633_599) == 1199)
        // Cardano preview: mainchain slot 101838307 s after 1666656000 → epoch 1178.
        #expect(t.mainchainEpoch(timestampMs: (1_666_656_000 + 101_838_307) * 1000) == 1178)
    }

    @Test func presets() {
        #expect(NetworkPreset(name: "PREVIEW") == .preview)
        #expect(NetworkPreset(name: "testnet-02") == .testnet02)
        #expect(NetworkPreset(name: "pre-prod") == .preprod)
        #expect(NetworkPreset(name: "main") == .mainnet)
        #expect(NetworkPreset(name: "unknown") == nil)
        #expect(ChainTiming.preview.slotsPerEpoch == 300)
        #expect(ChainTiming.mainnet.epochDurationMs == 1_800_000)
        #expect(ChainTiming.testnet02.epochDurationMs == 7_200_000)
        #expect(ChainTiming.mainnet.mainchainEpoch(timestampMs: 1_596_059_091_000 + 432_000_000 * 2 + 5) == 210)
    }

    @Test func progress() {
        let t = ChainTiming(slotDurationMs: 1000, slotsPerEpoch: 10, mainchain: .cardanoPreview)
        #expect(t.epochProgress(nowMs: 12_500) == 0.25)
        #expect(t.msUntilNextEpoch(nowMs: 12_500) == 7_500)
    }
}

@Suite struct AttributionTests {
    /// v1's `test_author_calculation` vector.
    @Test func roundRobin() {
        let directory = CandidateDirectory(candidates: [
            Candidate(sidechainKey: "0xa1", keys: SessionKeys(["aura": "0x111"]), isPermissioned: true, isValid: true),
            Candidate(sidechainKey: "0xa2", keys: SessionKeys(["aura": "0x222"]), isPermissioned: true, isValid: true),
            Candidate(sidechainKey: "0xa3", keys: SessionKeys(["aura": "0x333"]), isPermissioned: false, isValid: true, stake: 1_000_000_000),
        ])
        let committee = Committee(authorities: ["0x111", "0x222", "0x333", "0x111"])
        #expect(committee.authority(forSlot: 0) == "0x111")
        #expect(committee.authority(forSlot: 1) == "0x222")
        #expect(committee.authority(forSlot: 2) == "0x333")
        #expect(committee.authority(forSlot: 3) == "0x111")
        #expect(committee.authority(forSlot: 4) == "0x111")
        #expect(committee.authority(forSlot: 100) == "0x111")
        #expect(committee.seats(of: "0x111") == 2)
        #expect(committee.seats(of: "0x222") == 1)
        #expect(committee.seats(of: "0x999") == 0)
        #expect(committee.size == 4)
        let author = Attribution.author(evidence: AuthorEvidence(auraSlot: 2), committee: committee, directory: directory)
        #expect(author == BlockAuthor(seat: 2, authorityKey: "0x333", sidechainKey: "0xa3"))
        #expect(Attribution.author(evidence: AuthorEvidence(), committee: committee, directory: directory) == nil)
        #expect(Attribution.author(evidence: AuthorEvidence(auraSlot: 1), committee: Committee(authorities: []), directory: nil) == nil)
    }

    @Test func unknownAuthorityKeyHasNoSidechainKey() {
        let committee = Committee(authorities: ["0x01"])
        let a = Attribution.author(evidence: AuthorEvidence(auraSlot: 5), committee: committee, directory: CandidateDirectory(candidates: []))
        #expect(a?.authorityKey == "0x01")
        #expect(a?.sidechainKey == nil)
    }

    @Test func validEntryWinsForTheSameKey() {
        let d = CandidateDirectory(candidates: [
            Candidate(sidechainKey: "0xbad", keys: SessionKeys(["aura": "0x01"]), isPermissioned: false, isValid: false),
            Candidate(sidechainKey: "0x900d", keys: SessionKeys(["aura": "0x01"]), isPermissioned: false, isValid: true),
        ])
        #expect(d.candidate(authorityKey: "0x01")?.sidechainKey == "0x900d")
    }

    /// v1's `test_expected_blocks` vectors, restated with the one formula.
    @Test func expectedBlocks() {
        #expect(ExpectedBlocks.projected(seats: 10, committeeSize: 1200, slotsPerEpoch: 1200) == 10)
        #expect(ExpectedBlocks.expected(seats: 10, committeeSize: 1200, chainBlocks: 600) == 5)
        #expect(ExpectedBlocks.expected(seats: 0, committeeSize: 1200, chainBlocks: 600) == 0)
        #expect(ExpectedBlocks.expected(seats: 3, committeeSize: 0, chainBlocks: 600) == 0)
        #expect(ExpectedBlocks.ratio(produced: 9, expected: 10) == 0.9)
        #expect(ExpectedBlocks.ratio(produced: 9, expected: 0) == nil)
    }
}
