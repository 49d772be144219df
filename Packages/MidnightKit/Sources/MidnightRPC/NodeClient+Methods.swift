import MidnightChain

/// A block fetched by number: its canonical hash and content.
public struct FetchedBlock: Sendable, Equatable {
    /// The block number asked for.
    public var number: UInt64
    /// The hash `chain_getBlockHash` gave for that number.
    public var hash: String
    /// The block.
    public var block: SignedBlock

    /// Creates a fetched block.
    public init(number: UInt64, hash: String, block: SignedBlock) {
        self.number = number
        self.hash = hash
        self.block = block
    }
}

/// The sidechain epoch duration as read from the node's runtime.
public struct EpochDuration: Sendable, Equatable {
    /// Which runtime API answered.
    public enum Source: String, Sendable, Equatable {
        /// `GetEpochDurationApi_get_epoch_duration_millis` (newer runtimes).
        case epochDurationApi = "GetEpochDurationApi_get_epoch_duration_millis"
        /// `SlotApi_slot_config` (legacy partner-chains runtimes).
        case slotConfig = "SlotApi_slot_config"
    }

    /// Epoch duration in milliseconds.
    public var millis: UInt64
    /// Where it came from.
    public var source: Source
    /// Slots per epoch, when the runtime said (legacy `SlotApi_slot_config`).
    public var slotsPerEpoch: UInt64?
    /// Slot duration in milliseconds, when the runtime said (legacy `SlotApi_slot_config`).
    public var slotDurationMillis: UInt64?

    /// Creates a value.
    public init(millis: UInt64, source: Source, slotsPerEpoch: UInt64? = nil, slotDurationMillis: UInt64? = nil) {
        self.millis = millis
        self.source = source
        self.slotsPerEpoch = slotsPerEpoch
        self.slotDurationMillis = slotDurationMillis
    }
}

// MARK: - Standard Substrate methods

extension NodeClient {
    /// `system_health`: peers, syncing, should-have-peers.
    public func systemHealth() async throws -> SystemHealth {
        try await call(RPCMethod.systemHealth, as: SystemHealth.self)
    }

    /// `system_syncState`: starting, current and highest block.
    public func syncState() async throws -> SyncState {
        try await call(RPCMethod.systemSyncState, as: SyncState.self)
    }

    /// `system_version`, e.g. `"0.12.1-045f8372"` or `"1.0.1-5edf8ddd"`.
    public func systemVersion() async throws -> String {
        try await call(RPCMethod.systemVersion, as: String.self)
    }

    /// `system_chain`: the chain's name.
    public func systemChain() async throws -> String {
        try await call(RPCMethod.systemChain, as: String.self)
    }

    /// `system_peers` (unsafe RPC: needs `--rpc-methods=unsafe` or a localhost listener).
    public func peers() async throws -> [PeerInfo] {
        try await call(RPCMethod.systemPeers, as: [PeerInfo].self)
    }

    /// `system_unstable_networkState` (unsafe RPC).
    public func networkState() async throws -> NetworkState {
        try await call(RPCMethod.systemNetworkState, as: NetworkState.self)
    }

    /// `chain_getHeader` of the best block.
    public func bestHeader() async throws -> BlockHeader {
        try await call(RPCMethod.chainGetHeader, as: BlockHeader.self)
    }

    /// `chain_getHeader(hash)`; `nil` when the node does not know the hash.
    public func header(hash: String) async throws -> BlockHeader? {
        try await callOptional(RPCMethod.chainGetHeader, [.string(hash)], as: BlockHeader.self)
    }

    /// `chain_getFinalizedHead`: the hash of the last finalized block.
    public func finalizedHash() async throws -> String {
        try await call(RPCMethod.chainGetFinalizedHead, as: String.self)
    }

    /// The header of the last finalized block (`chain_getFinalizedHead` then `chain_getHeader`).
    public func finalizedHeader() async throws -> BlockHeader {
        let hash = try await finalizedHash()
        guard let header = try await header(hash: hash) else {
            throw NodeRPCError(.nullResult, url: url, method: RPCMethod.chainGetHeader)
        }
        return header
    }

    /// `chain_getBlockHash(number)`; `nil` when there is no block with that number yet.
    public func blockHash(number: UInt64) async throws -> String? {
        try await callOptional(RPCMethod.chainGetBlockHash, [.number(number)], as: String.self)
    }

    /// `chain_getBlock(hash)`; `nil` when the node does not know the hash.
    public func block(hash: String) async throws -> SignedBlock? {
        try await callOptional(RPCMethod.chainGetBlock, [.string(hash)], as: SignedBlock.self)
    }

    /// Fetches blocks by number in two batched round trips (hashes, then blocks), for catch-up.
    ///
    /// Numbers without a block (beyond the tip, or whose block vanished in a reorg between the
    /// two round trips) are absent from the result. The result is sorted by number.
    ///
    /// - Throws: the first per-item ``NodeRPCError`` (a transport failure after retries, a
    ///   decoding error…), or `CancellationError`.
    public func blocks(numbers: [UInt64]) async throws -> [FetchedBlock] {
        let unique = Array(Set(numbers)).sorted()
        guard !unique.isEmpty else { return [] }
        let hashResults = try await batch(unique.map { RPCCall(RPCMethod.chainGetBlockHash, [.number($0)]) })
        var wanted: [(number: UInt64, hash: String)] = []
        for (number, result) in zip(unique, hashResults) {
            if let hash = try decodeOptional(try result.get(), as: String.self, method: RPCMethod.chainGetBlockHash) {
                wanted.append((number, hash))
            }
        }
        guard !wanted.isEmpty else { return [] }
        let blockResults = try await batch(wanted.map { RPCCall(RPCMethod.chainGetBlock, [.string($0.hash)]) })
        var fetched: [FetchedBlock] = []
        fetched.reserveCapacity(wanted.count)
        for (item, result) in zip(wanted, blockResults) {
            if let block = try decodeOptional(try result.get(), as: SignedBlock.self, method: RPCMethod.chainGetBlock) {
                fetched.append(FetchedBlock(number: item.number, hash: item.hash, block: block))
            }
        }
        return fetched
    }

    /// `state_call(function, data, at?)`: the SCALE-encoded answer of a runtime API, as hex.
    ///
    /// Pruned state at `hash` fails with ``NodeRPCError/Kind/stateUnavailable(code:message:)``.
    public func stateCall(_ function: String, data: String = "0x", at hash: String? = nil) async throws -> String {
        var params: [JSONValue] = [.string(function), .string(data)]
        if let hash { params.append(.string(hash)) }
        return try await call(RPCMethod.stateCall, params, as: String.self)
    }

    /// The committee from `state_call AuraApi_authorities` at `hash` (best block when `nil`).
    public func authorities(at hash: String? = nil) async throws -> Committee {
        let hex = try await stateCall(RuntimeCall.auraAuthorities, at: hash)
        do {
            return Committee(authorities: try Committee.decodeAuthorities(scale: hex))
        } catch {
            throw NodeRPCError(.decoding(path: "", detail: "\(error)"), url: url, method: "state_call \(RuntimeCall.auraAuthorities)", cause: error)
        }
    }

    /// `state_call AuraApi_slot_duration`: the slot duration in milliseconds.
    public func slotDurationMillis(at hash: String? = nil) async throws -> UInt64 {
        let hex = try await stateCall(RuntimeCall.auraSlotDuration, at: hash)
        return try decodeScale(hex, function: RuntimeCall.auraSlotDuration) { try $0.readU64() }
    }

    /// The sidechain epoch duration from the runtime: `GetEpochDurationApi_get_epoch_duration_millis`,
    /// then `SlotApi_slot_config`; `nil` when the runtime offers neither (the caller then uses
    /// the network preset).
    ///
    /// - Throws: transport failures and pruned state; a runtime without the API is not an error.
    public func epochDuration(at hash: String? = nil) async throws -> EpochDuration? {
        do {
            let hex = try await stateCall(RuntimeCall.epochDurationMillis, at: hash)
            let millis = try decodeScale(hex, function: RuntimeCall.epochDurationMillis) { try $0.readU64() }
            if millis > 0 { return EpochDuration(millis: millis, source: .epochDurationApi) }
        } catch let error as NodeRPCError where Self.meansAPIMissing(error) {
            logger.debug("\(RuntimeCall.epochDurationMillis) unavailable: \(error)")
        }
        do {
            let hex = try await stateCall(RuntimeCall.slotConfig, at: hash)
            let (slots, slotMs) = try decodeScale(hex, function: RuntimeCall.slotConfig) { reader in
                (UInt64(try reader.readU32()), try reader.readU64())
            }
            if slots > 0, slotMs > 0 {
                return EpochDuration(millis: slots * slotMs, source: .slotConfig, slotsPerEpoch: slots, slotDurationMillis: slotMs)
            }
        } catch let error as NodeRPCError where Self.meansAPIMissing(error) {
            logger.debug("\(RuntimeCall.slotConfig) unavailable: \(error)")
        }
        return nil
    }

    /// Whether `error` says "this runtime API is not there" rather than "the node is unwell".
    static func meansAPIMissing(_ error: NodeRPCError) -> Bool {
        switch error.kind {
        case .rpc, .decoding, .nullResult: true
        default: false
        }
    }

    func decodeScale<T>(_ hex: String, function: String, _ read: (inout ScaleReader) throws -> T) throws -> T {
        do {
            var reader = ScaleReader(try Hex.decode(hex))
            return try read(&reader)
        } catch {
            throw NodeRPCError(.decoding(path: "", detail: "\(error)"), url: url, method: "state_call \(function)", cause: error)
        }
    }

    /// `state_getRuntimeVersion` at `hash` (best block when `nil`).
    public func runtimeVersion(at hash: String? = nil) async throws -> RuntimeVersion {
        try await call(RPCMethod.stateGetRuntimeVersion, hash.map { [.string($0)] } ?? [], as: RuntimeVersion.self)
    }

    /// `author_hasKey(publicKey, keyType)` (unsafe RPC). `keyType` is `aura`, `gran`, `crch`…
    /// Do not trust it for BABE keys (it answers through an AURA fallback).
    public func hasKey(publicKey: String, keyType: String) async throws -> Bool {
        try await call(RPCMethod.authorHasKey, [.string(KeyFormat.normalize(publicKey)), .string(keyType)], as: Bool.self)
    }

    /// `rpc_methods`: the method names the node offers, probed once and cached. `nil` when the
    /// node does not answer `rpc_methods` (then callers try the preferred method and fall back).
    ///
    /// - Parameter refresh: probe again (e.g. after a node upgrade).
    public func availableMethods(refresh: Bool = false) async throws -> Set<String>? {
        if !refresh, let cached = methodCache.withLock({ $0 }) {
            return cached.isEmpty ? nil : cached
        }
        struct Methods: Decodable { let methods: [String] }
        do {
            let methods = Set(try await call(RPCMethod.rpcMethods, as: Methods.self).methods)
            methodCache.withLock { $0 = methods }
            return methods.isEmpty ? nil : methods
        } catch let error as NodeRPCError where !error.isTransient {
            logger.info("rpc_methods not answered (\(error)); method availability unknown")
            methodCache.withLock { $0 = [] }
            return nil
        }
    }

    /// Whether the node offers `method`; `nil` when unknown.
    public func supports(_ method: String) async throws -> Bool? {
        try await availableMethods().map { $0.contains(method) }
    }

    /// Calls the first of `methods` the node offers, falling back to the next on
    /// "method not found" (for nodes whose `rpc_methods` was unavailable or wrong).
    func callFirstAvailable<T: Decodable & Sendable>(_ methods: [String], _ params: [JSONValue], as type: T.Type) async throws -> T {
        let offered = try await availableMethods()
        let candidates = offered.map { set in methods.filter { set.contains($0) } } ?? methods
        for (index, method) in candidates.enumerated() {
            do {
                return try await call(method, params, as: T.self)
            } catch let error as NodeRPCError where error.isMethodNotFound && index < candidates.count - 1 {
                logger.info("\(method) not offered by the node; trying \(candidates[index + 1])")
            }
        }
        throw NodeRPCError(.methodUnavailable(tried: methods), url: url, method: methods.first ?? "-")
    }
}

// MARK: - Midnight / partner-chains methods

extension NodeClient {
    /// `sidechain_getStatus`. Its sidechain epoch is wall-clock derived: never use it to label
    /// historical blocks (derive epochs from the block's slot).
    public func sidechainStatus() async throws -> SidechainStatus {
        try await call(RPCMethod.sidechainGetStatus, as: SidechainStatus.self)
    }

    /// `sidechain_getParams`: the chain's genesis UTXO.
    public func sidechainParams() async throws -> SidechainParams {
        try await call(RPCMethod.sidechainGetParams, as: SidechainParams.self)
    }

    /// `sidechain_getEpochCommittee(epoch)`: sidechain keys in slot-allocation order.
    public func epochCommittee(sidechainEpoch: UInt64) async throws -> EpochCommittee {
        try await call(RPCMethod.sidechainGetEpochCommittee, [.number(sidechainEpoch)], as: EpochCommittee.self)
    }

    /// `sidechain_getRegistrations(mc_epoch, mc_public_key)`.
    public func registrations(mainchainEpoch: UInt64, mainchainPublicKey: String) async throws -> [CandidateRegistration] {
        try await callOptional(
            RPCMethod.sidechainGetRegistrations, [.number(mainchainEpoch), .string(mainchainPublicKey)],
            as: [CandidateRegistration].self) ?? []
    }

    /// Ariadne parameters (D-parameter, permissioned candidates, registrations) for a MAINCHAIN
    /// (Cardano) epoch: `systemParameters_getAriadneParameters` when the node has it (1.x; its
    /// D-parameter is the one selection really uses), else the deprecated
    /// `sidechain_getAriadneParameters` (0.12 / 0.18).
    public func ariadneParameters(mainchainEpoch: UInt64) async throws -> AriadneParameters {
        try await callFirstAvailable(
            [RPCMethod.systemParametersGetAriadneParameters, RPCMethod.sidechainGetAriadneParameters],
            [.number(mainchainEpoch)], as: AriadneParameters.self)
    }

    /// `systemParameters_getDParameter(at?)` (node 1.x).
    public func dParameter(at hash: String? = nil) async throws -> DParameter {
        try await call(RPCMethod.systemParametersGetDParameter, hash.map { [.string($0)] } ?? [], as: DParameter.self)
    }
}
