import Foundation

// Tolerant models of the node's JSON-RPC results. Every generation's shape decodes (node 0.12,
// 0.18, 1.x); unknown fields are ignored; fields that newer nodes dropped are optional.

/// `system_health`.
public struct SystemHealth: Codable, Equatable, Sendable {
    public var peers: UInt64
    public var isSyncing: Bool
    public var shouldHavePeers: Bool

    public init(peers: UInt64, isSyncing: Bool, shouldHavePeers: Bool = true) {
        self.peers = peers
        self.isSyncing = isSyncing
        self.shouldHavePeers = shouldHavePeers
    }

    private enum CodingKeys: String, CodingKey { case peers, isSyncing, shouldHavePeers }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        peers = try c.decodeIfPresent(FlexibleUInt64.self, forKey: .peers)?.value ?? 0
        isSyncing = try c.decodeIfPresent(Bool.self, forKey: .isSyncing) ?? false
        shouldHavePeers = try c.decodeIfPresent(Bool.self, forKey: .shouldHavePeers) ?? true
    }
}

/// `system_syncState`.
public struct SyncState: Codable, Equatable, Sendable {
    public var startingBlock: UInt64
    public var currentBlock: UInt64
    public var highestBlock: UInt64?

    public init(startingBlock: UInt64, currentBlock: UInt64, highestBlock: UInt64?) {
        self.startingBlock = startingBlock
        self.currentBlock = currentBlock
        self.highestBlock = highestBlock
    }

    private enum CodingKeys: String, CodingKey { case startingBlock, currentBlock, highestBlock }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        startingBlock = try c.decodeIfPresent(FlexibleUInt64.self, forKey: .startingBlock)?.value ?? 0
        currentBlock = try c.decode(FlexibleUInt64.self, forKey: .currentBlock).value
        highestBlock = try c.decodeIfPresent(FlexibleUInt64.self, forKey: .highestBlock)?.value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(startingBlock, forKey: .startingBlock)
        try c.encode(currentBlock, forKey: .currentBlock)
        try c.encodeIfPresent(highestBlock, forKey: .highestBlock)
    }
}

/// One entry of `system_peers` (unsafe RPC).
public struct PeerInfo: Codable, Equatable, Sendable {
    public var peerId: String
    public var roles: String?
    public var bestHash: String?
    public var bestNumber: UInt64

    public init(peerId: String, roles: String? = nil, bestHash: String? = nil, bestNumber: UInt64) {
        self.peerId = peerId
        self.roles = roles
        self.bestHash = bestHash
        self.bestNumber = bestNumber
    }

    private enum CodingKeys: String, CodingKey { case peerId, roles, bestHash, bestNumber }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        peerId = try c.decode(String.self, forKey: .peerId)
        roles = try c.decodeIfPresent(String.self, forKey: .roles)
        bestHash = try c.decodeIfPresent(String.self, forKey: .bestHash)
        bestNumber = try c.decodeIfPresent(FlexibleUInt64.self, forKey: .bestNumber)?.value ?? 0
    }
}

/// `state_getRuntimeVersion` (only the fields MVM uses).
public struct RuntimeVersion: Codable, Equatable, Sendable {
    public var specName: String
    public var implName: String?
    public var specVersion: UInt64
    public var transactionVersion: UInt64?

    public init(specName: String, implName: String? = nil, specVersion: UInt64, transactionVersion: UInt64? = nil) {
        self.specName = specName
        self.implName = implName
        self.specVersion = specVersion
        self.transactionVersion = transactionVersion
    }
}

/// `sidechain_getStatus`: the node's wall-clock view of the sidechain and Cardano epochs.
///
/// Never use it to label historical blocks: the sidechain epoch is computed from the wall clock,
/// not from chain state. `slot` is absent on node 1.x.
public struct SidechainStatus: Codable, Equatable, Sendable {
    /// One half of the status.
    public struct Position: Codable, Equatable, Sendable {
        public var epoch: UInt64
        public var slot: UInt64?
        /// Unix milliseconds at which the next epoch starts.
        public var nextEpochTimestamp: UInt64?

        public init(epoch: UInt64, slot: UInt64? = nil, nextEpochTimestamp: UInt64? = nil) {
            self.epoch = epoch
            self.slot = slot
            self.nextEpochTimestamp = nextEpochTimestamp
        }

        private enum CodingKeys: String, CodingKey { case epoch, slot, nextEpochTimestamp }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            epoch = try c.decode(FlexibleUInt64.self, forKey: .epoch).value
            slot = try c.decodeIfPresent(FlexibleUInt64.self, forKey: .slot)?.value
            nextEpochTimestamp = try c.decodeIfPresent(FlexibleUInt64.self, forKey: .nextEpochTimestamp)?.value
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(epoch, forKey: .epoch)
            try c.encodeIfPresent(slot, forKey: .slot)
            try c.encodeIfPresent(nextEpochTimestamp, forKey: .nextEpochTimestamp)
        }
    }

    public var sidechain: Position
    public var mainchain: Position

    public init(sidechain: Position, mainchain: Position) {
        self.sidechain = sidechain
        self.mainchain = mainchain
    }
}

/// `sidechain_getParams` (snake_case on the wire, unlike every other partner-chains result).
public struct SidechainParams: Codable, Equatable, Sendable {
    /// `"<64 hex tx hash>#<index>"`.
    public var genesisUtxo: String

    public init(genesisUtxo: String) { self.genesisUtxo = genesisUtxo }

    private enum CodingKeys: String, CodingKey { case genesisUtxo = "genesis_utxo" }
}

/// The D-parameter: how many committee seats go to permissioned and to registered candidates.
public struct DParameter: Codable, Equatable, Sendable {
    public var numPermissionedCandidates: UInt64
    public var numRegisteredCandidates: UInt64

    public init(numPermissionedCandidates: UInt64, numRegisteredCandidates: UInt64) {
        self.numPermissionedCandidates = numPermissionedCandidates
        self.numRegisteredCandidates = numRegisteredCandidates
    }

    private enum CodingKeys: String, CodingKey { case numPermissionedCandidates, numRegisteredCandidates }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        numPermissionedCandidates = try c.decodeIfPresent(FlexibleUInt64.self, forKey: .numPermissionedCandidates)?.value ?? 0
        numRegisteredCandidates = try c.decodeIfPresent(FlexibleUInt64.self, forKey: .numRegisteredCandidates)?.value ?? 0
    }
}

/// A candidate's session keys by four-character key type (`aura`, `gran`, `babe`, …).
///
/// Decoded from the `keys` map of node 0.18+ or from the legacy fields of node 0.12
/// (`auraPubKey`/`grandpaPubKey` in registrations, `auraPublicKey`/`grandpaPublicKey` for
/// permissioned candidates). Keys are normalised with ``KeyFormat/normalize(_:)``.
public struct SessionKeys: Codable, Equatable, Sendable {
    public var byType: [String: String]

    public init(_ byType: [String: String]) {
        self.byType = byType.mapValues { KeyFormat.normalize($0) }
    }

    public var aura: String? { byType["aura"] }
    public var grandpa: String? { byType["gran"] }
    public var babe: String? { byType["babe"] }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(byType)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        self.init(try c.decode([String: String].self))
    }
}

/// Keys of any of the candidate shapes, used to read both generations.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where K == AnyKey {
    fileprivate func string(_ names: String...) throws -> String? {
        for n in names {
            if let v = try decodeIfPresent(String.self, forKey: AnyKey(n)) { return v }
        }
        return nil
    }

    fileprivate func sessionKeys(legacyAura: String, legacyGrandpa: String) throws -> SessionKeys {
        if let map = try decodeIfPresent([String: String].self, forKey: AnyKey("keys")) {
            return SessionKeys(map)
        }
        var map: [String: String] = [:]
        if let a = try string(legacyAura) { map["aura"] = a }
        if let g = try string(legacyGrandpa) { map["gran"] = g }
        return SessionKeys(map)
    }

    /// `invalidReasons` may be any JSON; it is kept as compact text.
    fileprivate func reasons() -> String? {
        guard contains(AnyKey("invalidReasons")) else { return nil }
        if (try? decodeNil(forKey: AnyKey("invalidReasons"))) == true { return nil }
        if let v = try? decode(JSONText.self, forKey: AnyKey("invalidReasons")) { return v.string ?? v.text }
        return "unknown"
    }
}

/// Permissioned candidate from the Ariadne parameters.
public struct PermissionedCandidate: Codable, Equatable, Sendable {
    public var sidechainPublicKey: String
    public var keys: SessionKeys
    public var isValid: Bool
    public var invalidReasons: String?

    public init(sidechainPublicKey: String, keys: SessionKeys, isValid: Bool = true, invalidReasons: String? = nil) {
        self.sidechainPublicKey = KeyFormat.normalize(sidechainPublicKey)
        self.keys = keys
        self.isValid = isValid
        self.invalidReasons = invalidReasons
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let key = try c.string("sidechainPublicKey", "sidechainPubKey") else {
            throw DecodingError.keyNotFound(
                AnyKey("sidechainPublicKey"),
                .init(codingPath: decoder.codingPath, debugDescription: "permissioned candidate without sidechainPublicKey"))
        }
        sidechainPublicKey = KeyFormat.normalize(key)
        keys = try c.sessionKeys(legacyAura: "auraPublicKey", legacyGrandpa: "grandpaPublicKey")
        isValid = try c.decodeIfPresent(Bool.self, forKey: AnyKey("isValid")) ?? true
        invalidReasons = c.reasons()
    }
}

/// One registration of a candidate (an SPO) from the Ariadne parameters or `sidechain_getRegistrations`.
public struct CandidateRegistration: Codable, Equatable, Sendable {
    public var sidechainPubKey: String
    public var mainchainPubKey: String?
    public var keys: SessionKeys
    public var isValid: Bool
    public var invalidReasons: String?
    /// Delegated stake in lovelace (`stakeDelegation`, `stake` or `stakeAmount`); absent until stable.
    public var stake: UInt64?

    public init(
        sidechainPubKey: String, mainchainPubKey: String? = nil, keys: SessionKeys, isValid: Bool,
        invalidReasons: String? = nil, stake: UInt64? = nil
    ) {
        self.sidechainPubKey = KeyFormat.normalize(sidechainPubKey)
        self.mainchainPubKey = mainchainPubKey
        self.keys = keys
        self.isValid = isValid
        self.invalidReasons = invalidReasons
        self.stake = stake
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let key = try c.string("sidechainPubKey", "sidechainPublicKey") else {
            throw DecodingError.keyNotFound(
                AnyKey("sidechainPubKey"),
                .init(codingPath: decoder.codingPath, debugDescription: "registration without sidechainPubKey"))
        }
        sidechainPubKey = KeyFormat.normalize(key)
        mainchainPubKey = try c.string("mainchainPubKey")
        keys = try c.sessionKeys(legacyAura: "auraPubKey", legacyGrandpa: "grandpaPubKey")
        isValid = try c.decodeIfPresent(Bool.self, forKey: AnyKey("isValid")) ?? false
        invalidReasons = c.reasons()
        var stake: UInt64? = nil
        for name in ["stakeDelegation", "stake", "stakeAmount"] where stake == nil {
            stake = try c.decodeIfPresent(FlexibleUInt64.self, forKey: AnyKey(name))?.value
        }
        self.stake = stake
    }
}

/// `systemParameters_getAriadneParameters` / `sidechain_getAriadneParameters` for one Cardano epoch.
public struct AriadneParameters: Codable, Equatable, Sendable {
    public var dParameter: DParameter?
    /// `nil` when the permissioned list is not set on Cardano (the node sends `null`).
    public var permissionedCandidates: [PermissionedCandidate]?
    /// Registrations keyed by the SPO's main-chain public key.
    public var candidateRegistrations: [String: [CandidateRegistration]]

    public init(
        dParameter: DParameter?, permissionedCandidates: [PermissionedCandidate]?,
        candidateRegistrations: [String: [CandidateRegistration]]
    ) {
        self.dParameter = dParameter
        self.permissionedCandidates = permissionedCandidates
        self.candidateRegistrations = candidateRegistrations
    }

    private enum CodingKeys: String, CodingKey { case dParameter, permissionedCandidates, candidateRegistrations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dParameter = try c.decodeIfPresent(DParameter.self, forKey: .dParameter)
        permissionedCandidates = try c.decodeIfPresent([PermissionedCandidate].self, forKey: .permissionedCandidates)
        candidateRegistrations =
            try c.decodeIfPresent([String: [CandidateRegistration]].self, forKey: .candidateRegistrations) ?? [:]
    }

    /// All registrations, in a deterministic order (by main-chain key, then list order).
    public var allRegistrations: [CandidateRegistration] {
        candidateRegistrations.keys.sorted().flatMap { candidateRegistrations[$0] ?? [] }
    }
}

/// `sidechain_getEpochCommittee`: the committee as sidechain keys, in slot-allocation order.
public struct EpochCommittee: Codable, Equatable, Sendable {
    public var sidechainEpoch: UInt64
    public var committee: [String]

    public init(sidechainEpoch: UInt64, committee: [String]) {
        self.sidechainEpoch = sidechainEpoch
        self.committee = committee.map { KeyFormat.normalize($0) }
    }

    private struct Member: Codable { var sidechainPubKey: String }
    private enum CodingKeys: String, CodingKey { case sidechainEpoch, committee }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sidechainEpoch = try c.decode(FlexibleUInt64.self, forKey: .sidechainEpoch).value
        committee = try c.decode([Member].self, forKey: .committee).map { KeyFormat.normalize($0.sidechainPubKey) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sidechainEpoch, forKey: .sidechainEpoch)
        try c.encode(committee.map { Member(sidechainPubKey: $0) }, forKey: .committee)
    }
}

/// Any JSON value re-rendered as compact JSON text (for fields like `invalidReasons`).
struct JSONText: Decodable {
    var text: String
    /// Set when the value was a JSON string (`text` then holds it quoted).
    var string: String?

    init(from decoder: any Decoder) throws {
        if let c = try? decoder.singleValueContainer() {
            if c.decodeNil() { text = "null"; return }
            if let b = try? c.decode(Bool.self) { text = b ? "true" : "false"; return }
            if let i = try? c.decode(Int64.self) { text = String(i); return }
            if let d = try? c.decode(Double.self) { text = String(d); return }
            if let s = try? c.decode(String.self) {
                string = s
                text = Self.quote(s)
                return
            }
        }
        if var u = try? decoder.unkeyedContainer() {
            var parts: [String] = []
            while !u.isAtEnd { parts.append(try u.decode(JSONText.self).text) }
            text = "[" + parts.joined(separator: ",") + "]"
            return
        }
        let k = try decoder.container(keyedBy: AnyKey.self)
        let parts = try k.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
            Self.quote($0.stringValue) + ":" + (try k.decode(JSONText.self, forKey: $0)).text
        }
        text = "{" + parts.joined(separator: ",") + "}"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
