import MidnightChain

/// One committee candidate of the simulated chain, with every key it registers.
public struct DevnodeCandidate: Sendable, Equatable {
    /// 33-byte compressed ECDSA sidechain (cross-chain, `crch`) key, `0x` hex.
    public let sidechainKey: String
    /// 32-byte AURA key, `0x` hex.
    public let auraKey: String
    /// 32-byte GRANDPA key, `0x` hex.
    public let grandpaKey: String
    /// 32-byte BABE key, `0x` hex.
    public let babeKey: String
    /// 32-byte Cardano (mainchain) key the registration is filed under, `0x` hex.
    public let mainchainKey: String
    /// Permissioned (true) or registered (false).
    public let permissioned: Bool
    /// Whether the registration is valid (permissioned candidates always are).
    public let isValid: Bool
    /// Why the registration is invalid (empty when valid).
    public let invalidReasons: [String]
    /// Delegated stake in lovelace (registered candidates only).
    public let stake: UInt64?
    /// Whether this is the operator's ("ours") candidate.
    public let isOperator: Bool

    var auraBytes: [UInt8] { (try? Hex.decode(auraKey)) ?? [] }
}

/// The operator's keys, as written to the keystore.
public struct DevnodeOperatorKeys: Sendable, Equatable, Codable {
    /// Sidechain (`crch`) key, 33 bytes.
    public let sidechainKey: String
    /// AURA key.
    public let auraKey: String
    /// GRANDPA key.
    public let grandpaKey: String
    /// BABE key.
    public let babeKey: String
    /// What the operator is on chain.
    public let role: DevnodeOperatorRole

    enum CodingKeys: String, CodingKey {
        case sidechainKey = "sidechain_key", auraKey = "aura_key", grandpaKey = "grandpa_key", babeKey = "babe_key", role
    }
}

/// The candidate set derived from the seed.
struct CandidateSet: Sendable {
    let all: [DevnodeCandidate]
    let operatorKeys: DevnodeOperatorKeys

    var permissioned: [DevnodeCandidate] { all.filter { $0.permissioned } }
    var validRegistered: [DevnodeCandidate] { all.filter { !$0.permissioned && $0.isValid } }
    var registered: [DevnodeCandidate] { all.filter { !$0.permissioned } }

    static let invalidReasonPool = [
        "InvalidMainchainSignature", "InvalidSidechainSignature", "InvalidTxInput", "StakeDelegationNotFound",
    ]

    init(configuration c: DevnodeConfiguration) {
        var rng = SplitMix64(seed: c.seed, tag: .candidates)
        func key(_ n: Int) -> String { Hex.encode(rng.bytes(n)) }
        func sidechainKey() -> String {
            var b = rng.bytes(33)
            b[0] = (b[0] & 1) == 0 ? 0x02 : 0x03
            return Hex.encode(b)
        }
        func make(permissioned: Bool, valid: Bool, stake: UInt64?, isOperator: Bool) -> DevnodeCandidate {
            let reasons = valid ? [] : [CandidateSet.invalidReasonPool[Int(rng.next() % UInt64(CandidateSet.invalidReasonPool.count))]]
            return DevnodeCandidate(
                sidechainKey: sidechainKey(), auraKey: key(32), grandpaKey: key(32), babeKey: key(32),
                mainchainKey: key(32), permissioned: permissioned, isValid: valid, invalidReasons: reasons,
                stake: stake, isOperator: isOperator)
        }
        var list: [DevnodeCandidate] = []
        for i in 0..<max(0, c.permissionedCandidates) {
            list.append(make(permissioned: true, valid: true, stake: nil, isOperator: c.operatorRole == .permissioned && i == 0))
        }
        for i in 0..<max(0, c.registeredCandidates) {
            // Stakes between 1k and 5M ADA; the operator (first registered) gets the most.
            let ada = c.operatorRole == .registered && i == 0 ? 6_000_000 : 1_000 + rng.next() % 5_000_000
            list.append(make(permissioned: false, valid: true, stake: ada * 1_000_000, isOperator: c.operatorRole == .registered && i == 0))
        }
        for i in 0..<max(0, c.invalidRegistrations) {
            let ada = 1_000 + rng.next() % 1_000_000
            list.append(make(permissioned: false, valid: false, stake: ada * 1_000_000, isOperator: c.operatorRole == .registeredInvalid && i == 0))
        }
        var op = list.first(where: { $0.isOperator })
        if op == nil {
            // Not registered (or the chosen list is empty): keys that appear nowhere on chain.
            op = make(permissioned: false, valid: false, stake: nil, isOperator: true)
        }
        all = list
        operatorKeys = DevnodeOperatorKeys(
            sidechainKey: op!.sidechainKey, auraKey: op!.auraKey, grandpaKey: op!.grandpaKey, babeKey: op!.babeKey,
            role: list.contains(where: { $0.isOperator }) ? c.operatorRole : .notRegistered)
    }

    /// The committee of `epoch`: P seats drawn uniformly from the permissioned candidates and R
    /// seats drawn stake-weighted from the valid registered ones, then shuffled into slot order.
    /// Seats repeat.
    func committee(epoch: UInt64, seed: UInt64, dParameter: (permissioned: Int, registered: Int)) -> [DevnodeCandidate] {
        var rng = SplitMix64(seed: seed, tag: .committee, epoch)
        let perm = permissioned
        let reg = validRegistered
        var seats: [DevnodeCandidate] = []
        seats.reserveCapacity(dParameter.permissioned + dParameter.registered)
        if !perm.isEmpty {
            for _ in 0..<dParameter.permissioned { seats.append(perm[Int(rng.next() % UInt64(perm.count))]) }
        }
        if !reg.isEmpty {
            let total = reg.reduce(0.0) { $0 + Double($1.stake ?? 0) }
            for _ in 0..<dParameter.registered {
                var pick = rng.unit() * total
                var chosen = reg[reg.count - 1]
                for c in reg {
                    pick -= Double(c.stake ?? 0)
                    if pick < 0 { chosen = c; break }
                }
                seats.append(chosen)
            }
        }
        seats.shuffle(using: &rng)
        return seats
    }
}
