import MidnightChain

/// Answers that do not change while the node runs, encoded once.
struct StaticResponses: Sendable {
    let localPeerId: String
    let peerIds: [String]
    let networkState: [UInt8]
    let runtimeVersion: [UInt8]
    let params: [UInt8]
    let ariadne: [UInt8]
    let ariadneZeroD: [UInt8]
    /// Registration entries (JSON objects) by normalised main-chain key.
    let registrationsByKey: [String: [String]]

    static let base58: [Character] = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")

    init(chain: ChainStore) {
        let c = chain.configuration
        var rng = SplitMix64(seed: c.seed, tag: .peers)
        func peerId() -> String { "12D3KooW" + String((0..<44).map { _ in Self.base58[Int(rng.next() % 58)] }) }
        func ss58() -> String { "5" + String((0..<47).map { _ in Self.base58[Int(rng.next() % 58)] }) }
        localPeerId = peerId()
        peerIds = (0..<max(0, c.peers)).map { _ in peerId() }

        var net = #"{"peerId":"\#(localPeerId)","listenedAddresses":["/ip4/127.0.0.1/tcp/30333"],"#
        net += #""externalAddresses":["/ip4/203.0.113.10/tcp/30333"],"connectedPeers":{"#
        for (i, p) in peerIds.enumerated() {
            if i > 0 { net += "," }
            let address = "/ip4/198.51.100.\(10 + i)/tcp/30333"
            let endpoint = i % 2 == 0 ? #"{"dialing":"\#(address)"}"# : #"{"listening":{"localAddr":"/ip4/127.0.0.1/tcp/30333","sendBackAddr":"\#(address)"}}"#
            net += #""\#(p)":{"endpoint":\#(endpoint),"knownAddresses":["\#(address)"],"latestPingTime":{"secs":0,"nanos":\#(20_000_000 + i * 1_000_000)},"versionString":"midnight-node/\#(c.flavour.systemVersion)"}"#
        }
        net += #"},"notConnectedPeers":{},"peerset":{"nodes":{},"reserved_only":false}}"#
        networkState = Array(net.utf8)

        let spec: Int
        switch c.flavour {
        case .v0_12: spec = 12_001
        case .v0_18: spec = 100_006_002
        case .v1_0: spec = 101_000_001
        case .auraBabeMigration: spec = 102_001_000
        }
        runtimeVersion = Array(
            (#"{"specName":"midnight","implName":"midnight","authoringVersion":1,"specVersion":\#(spec),"implVersion":0,"#
                + #""apis":[["0xdd718d5cc53262d4",1],["0xdf6acb689907609b",5],["0x37e397fc7c91f5e4",2],["0xbc9d89904f5b923f",1]],"#
                + #""transactionVersion":1,"stateVersion":1}"#).utf8)

        var utxoRng = SplitMix64(seed: c.seed, tag: .genesisUtxo)
        params = Array(#"{"genesis_utxo":"\#(Hex.encode(utxoRng.bytes(32), prefix: false))#\#(utxoRng.next() % 4)"}"#.utf8)

        func keys(_ m: DevnodeCandidate) -> String {
            var k = #""keys":{"aura":"\#(m.auraKey)","gran":"\#(m.grandpaKey)""#
            if c.flavour.hasBabe { k += #","babe":"\#(m.babeKey)""# }
            return k + "}"
        }
        let legacy = c.flavour.usesLegacyKeyFields
        var permissioned: [String] = []
        var byKey: [String: [String]] = [:]
        var order: [String] = []
        for m in chain.candidates.all {
            if m.permissioned {
                let keyPart = legacy ? #""auraPublicKey":"\#(m.auraKey)","grandpaPublicKey":"\#(m.grandpaKey)""# : keys(m)
                permissioned.append(#"{"sidechainPublicKey":"\#(m.sidechainKey)",\#(keyPart),"isValid":true}"#)
                continue
            }
            let keyPart = legacy ? #""auraPubKey":"\#(m.auraKey)","grandpaPubKey":"\#(m.grandpaKey)""# : keys(m)
            var e = #"{"sidechainPubKey":"\#(m.sidechainKey)","sidechainAccountId":"\#(ss58())","#
            e += #""mainchainPubKey":"\#(m.mainchainKey)","crossChainPubKey":"\#(m.sidechainKey)",\#(keyPart),"#
            e += #""sidechainSignature":"\#(Hex.encode(rng.bytes(64)))","mainchainSignature":"\#(Hex.encode(rng.bytes(64)))","#
            e += #""crossChainSignature":"\#(Hex.encode(rng.bytes(64)))","#
            e += #""utxo":{"utxoId":"\#(Hex.encode(rng.bytes(32), prefix: false))#0","epochNumber":\#(300 + rng.next() % 100),"#
            e += #""blockNumber":\#(1_000_000 + rng.next() % 1_000_000),"slotNumber":\#(20_000_000 + rng.next() % 10_000_000),"txIndexWithinBlock":0},"#
            if let stake = m.stake { e += #""stakeDelegation":\#(stake),"# }
            e += #""isValid":\#(m.isValid)"#
            if !m.isValid {
                e += #","invalidReasons":{"\#(m.invalidReasons.first ?? "Unknown")":null}"#
            }
            e += "}"
            let k = KeyFormat.normalize(m.mainchainKey)
            if byKey[k] == nil { order.append(k) }
            byKey[k, default: []].append(e)
        }
        registrationsByKey = byKey
        func ariadneJSON(_ d: (permissioned: Int, registered: Int)) -> [UInt8] {
            var s = #"{"dParameter":{"numPermissionedCandidates":\#(d.permissioned),"numRegisteredCandidates":\#(d.registered)},"#
            s += #""permissionedCandidates":[\#(permissioned.joined(separator: ","))],"candidateRegistrations":{"#
            s += order.map { #""\#($0)":[\#(byKey[$0]!.joined(separator: ","))]"# }.joined(separator: ",")
            s += "}}"
            return Array(s.utf8)
        }
        ariadne = ariadneJSON(chain.dParameter)
        ariadneZeroD = ariadneJSON((0, 0))
    }

    /// `system_peers`: peers at the best block or one or two behind it.
    func peers(chain: ChainStore) -> [UInt8] {
        let best = chain.best
        var out = Array("[".utf8)
        for (i, p) in peerIds.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            let behind = UInt64(i % 3)
            let block = best.number >= behind ? chain.block(number: best.number - behind) ?? best : best
            out += Array(#"{"peerId":"\#(p)","roles":"\#(i % 3 == 0 ? "AUTHORITY" : "FULL")","bestHash":"\#(block.hashHex)","bestNumber":\#(block.number)}"#.utf8)
        }
        out += Array("]".utf8)
        return out
    }

    /// `sidechain_getRegistrations`: the entries filed under `mainchainKey` (normalised).
    func registrations(mainchainKey: String) -> [UInt8] {
        Array(("[" + (registrationsByKey[mainchainKey] ?? []).joined(separator: ",") + "]").utf8)
    }
}
