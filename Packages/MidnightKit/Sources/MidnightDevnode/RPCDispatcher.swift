import MidnightChain

/// Answers one JSON-RPC call from the chain's state, in the shapes of the configured node
/// generation. Subscriptions are handled by the WebSocket layer, not here.
struct RPCDispatcher: Sendable {
    let chain: ChainStore
    let clock: DevnodeClock
    let responses: StaticResponses
    let startingBlock: UInt64

    var configuration: DevnodeConfiguration { chain.configuration }
    var flavour: DevnodeFlavour { configuration.flavour }

    init(chain: ChainStore, clock: DevnodeClock) {
        self.chain = chain
        self.clock = clock
        self.responses = StaticResponses(chain: chain)
        self.startingBlock = chain.best.number
    }

    /// Methods only answered when unsafe RPC is allowed.
    static let unsafeMethods: Set<String> = ["system_peers", "system_unstable_networkState", "author_hasKey", "author_hasSessionKeys"]

    /// Subscription methods (WebSocket only).
    static let subscriptionMethods: [String] = [
        "chain_subscribeNewHeads", "chain_subscribeNewHead", "subscribe_newHead", "chain_unsubscribeNewHeads",
        "chain_unsubscribeNewHead", "unsubscribe_newHead", "chain_subscribeFinalizedHeads", "chain_subscribeFinalisedHeads",
        "chain_unsubscribeFinalizedHeads", "chain_unsubscribeFinalisedHeads", "chain_subscribeAllHeads", "chain_unsubscribeAllHeads",
    ]

    /// Every method this node answers, as `rpc_methods` lists them.
    var methodNames: [String] {
        var names = [
            "system_health", "system_syncState", "system_version", "system_chain", "system_name", "system_properties",
            "system_peers", "system_unstable_networkState", "system_localPeerId", "system_nodeRoles", "rpc_methods",
            "chain_getHeader", "chain_getBlock", "chain_getBlockHash", "chain_getHead", "chain_getFinalizedHead",
            "chain_getFinalisedHead", "state_getRuntimeVersion", "chain_getRuntimeVersion", "state_call", "state_callAt",
            "sidechain_getStatus", "sidechain_getParams", "sidechain_getAriadneParameters", "sidechain_getEpochCommittee",
            "sidechain_getRegistrations", "author_hasKey", "author_hasSessionKeys",
        ] + Self.subscriptionMethods
        if flavour.hasSystemParameters {
            names += ["systemParameters_getAriadneParameters", "systemParameters_getDParameter"]
        }
        return names.sorted()
    }

    /// Answers `request`.
    func call(_ request: RPCRequest) -> RPCOutcome {
        let method = request.method
        if Self.unsafeMethods.contains(method) && !configuration.unsafeRPC { return .failure(.unsafe) }
        switch method {
        case "system_health":
            return .success(Array(#"{"peers":\#(configuration.peers),"isSyncing":false,"shouldHavePeers":true}"#.utf8))
        case "system_syncState":
            let best = chain.best.number
            return .success(Array(#"{"startingBlock":\#(startingBlock),"currentBlock":\#(best),"highestBlock":\#(best)}"#.utf8))
        case "system_version": return .success(Array(JSONText.quoted(flavour.systemVersion).utf8))
        case "system_chain": return .success(Array(JSONText.quoted(configuration.chainName ?? flavour.defaultChainName).utf8))
        case "system_name": return .success(Array(JSONText.quoted(configuration.nodeName).utf8))
        case "system_properties": return .success(Array(#"{"ss58Format":42,"tokenDecimals":6,"tokenSymbol":"DUST"}"#.utf8))
        case "system_localPeerId": return .success(Array(JSONText.quoted(responses.localPeerId).utf8))
        case "system_nodeRoles": return .success(Array(#"["Authority"]"#.utf8))
        case "system_peers": return .success(responses.peers(chain: chain))
        case "system_unstable_networkState": return .success(responses.networkState)
        case "rpc_methods":
            var out = Array(#"{"methods":["#.utf8)
            for (i, name) in methodNames.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(name, to: &out)
            }
            out += Array(#"],"version":1}"#.utf8)
            return .success(out)
        case "chain_getHeader":
            return blockAt(request, param: 0).map { b in b.map { Array($0.headerJSON) } ?? Array("null".utf8) }
        case "chain_getBlock":
            return blockAt(request, param: 0).map { b in b?.blockJSON ?? Array("null".utf8) }
        case "chain_getBlockHash", "chain_getHead":
            return blockHash(request)
        case "chain_getFinalizedHead", "chain_getFinalisedHead":
            return .success(Array(JSONText.quoted(chain.finalized.hashHex).utf8))
        case "state_getRuntimeVersion", "chain_getRuntimeVersion":
            return blockAt(request, param: 0).flatMap { b in
                guard b != nil || request.param(0, "at") == nil else {
                    return .failure(.unknownBlock(request.param(0, "at")?.stringValue ?? "?"))
                }
                return .success(responses.runtimeVersion)
            }
        case "state_call", "state_callAt":
            return stateCall(request)
        case "sidechain_getStatus":
            return .success(sidechainStatus())
        case "sidechain_getParams":
            return .success(responses.params)
        case "sidechain_getAriadneParameters":
            return ariadne(request, legacyMethod: true)
        case "systemParameters_getAriadneParameters" where flavour.hasSystemParameters:
            return ariadne(request, legacyMethod: false)
        case "systemParameters_getDParameter" where flavour.hasSystemParameters:
            let d = chain.dParameter
            return .success(Array(#"{"numPermissionedCandidates":\#(d.permissioned),"numRegisteredCandidates":\#(d.registered)}"#.utf8))
        case "sidechain_getEpochCommittee":
            return epochCommittee(request)
        case "sidechain_getRegistrations":
            return registrations(request)
        case "author_hasKey":
            return hasKey(request)
        case "author_hasSessionKeys":
            return .success(Array((chain.candidates.operatorKeys.role == .notRegistered ? "false" : "true").utf8))
        default:
            return .failure(.methodNotFound)
        }
    }

    // MARK: Blocks

    /// The block named by the optional hash parameter (best when absent); `nil` when unknown.
    private func blockAt(_ request: RPCRequest, param index: Int) -> Result<StoredBlock?, RPCError> {
        guard let p = request.param(index, index == 0 ? "hash" : "at") else { return .success(chain.best) }
        guard let text = p.stringValue else { return .failure(.invalidParams("block hash must be a hex string")) }
        guard let hash = Hash32(hex: text) else {
            return .failure(.invalidParams("invalid block hash \(text): expected 0x and 64 hex digits"))
        }
        return .success(chain.block(hash: hash))
    }

    private func blockHash(_ request: RPCRequest) -> RPCOutcome {
        func one(_ v: JSONValue?) -> Result<String, RPCError> {
            guard let v else { return .success(JSONText.quoted(chain.best.hashHex)) }
            guard let n = v.unsignedValue else { return .failure(.invalidParams("block number must be a non-negative integer")) }
            return .success(chain.block(number: n).map { JSONText.quoted($0.hashHex) } ?? "null")
        }
        let p = request.param(0, "hash")
        if case .array(let list)? = p {
            var parts: [String] = []
            for v in list {
                switch one(v) {
                case .success(let s): parts.append(s)
                case .failure(let e): return .failure(e)
                }
            }
            return .success(Array(("[" + parts.joined(separator: ",") + "]").utf8))
        }
        return one(p).map { Array($0.utf8) }
    }

    // MARK: Runtime calls

    private func stateCall(_ request: RPCRequest) -> RPCOutcome {
        guard let name = request.param(0, "name")?.stringValue ?? request.param(0, "method")?.stringValue else {
            return .failure(.invalidParams("state_call needs the runtime function name"))
        }
        let block: StoredBlock
        if let at = request.param(2, "hash") {
            guard let text = at.stringValue, let hash = Hash32(hex: text) else {
                return .failure(.invalidParams("invalid block hash"))
            }
            guard let b = chain.block(hash: hash) else { return .failure(.unknownBlock(text)) }
            block = b
        } else {
            block = chain.best
        }
        if chain.isStatePruned(block) { return .failure(.stateDiscarded(block.hashHex)) }
        let c = configuration
        var w = ScaleWriter(capacity: 16)
        switch name {
        case "AuraApi_authorities":
            return .success(Array(JSONText.quoted(chain.authoritiesHex(epoch: block.slot / c.slotsPerEpoch)).utf8))
        case "AuraApi_slot_duration":
            w.appendU64(c.slotDurationMs)
        case "SlotApi_slot_config" where flavour.hasSlotApi:
            w.appendU32(UInt32(truncatingIfNeeded: c.slotsPerEpoch))
            w.appendU64(c.slotDurationMs)
        case "GetEpochDurationApi_get_epoch_duration_millis" where !flavour.hasSlotApi:
            w.appendU64(c.epochDurationMs)
        default:
            return .failure(
                RPCError(code: 4003, message: "Client error: Execution failed: Other: Exported method \(name) is not found"))
        }
        return .success(Array(JSONText.quoted(Hex.encode(w.bytes)).utf8))
    }

    // MARK: Partner-chains methods

    /// Current main-chain epoch by the node's clock.
    var mainchainEpoch: UInt64 {
        let c = configuration
        let now = clock.nowMs
        return now > c.mainchainOriginMs ? (now - c.mainchainOriginMs) / c.mainchainEpochLengthMs : 0
    }

    private func sidechainStatus() -> [UInt8] {
        let c = configuration
        let now = clock.nowMs
        let epoch = now / c.epochDurationMs
        let slot = now / c.slotDurationMs
        let mcEpoch = mainchainEpoch
        let mcSlot = now > c.mainchainOriginMs ? (now - c.mainchainOriginMs) / c.mainchainSlotMs : 0
        let slotPart = flavour.hasSidechainSlot ? #","slot":\#(slot)"# : ""
        let s =
            #"{"sidechain":{"epoch":\#(epoch)\#(slotPart),"nextEpochTimestamp":\#((epoch + 1) * c.epochDurationMs)},"#
            + #""mainchain":{"epoch":\#(mcEpoch),"slot":\#(mcSlot),"nextEpochTimestamp":\#(c.mainchainOriginMs + (mcEpoch + 1) * c.mainchainEpochLengthMs)}}"#
        return Array(s.utf8)
    }

    private func mainchainEpochParam(_ request: RPCRequest, name: String) -> Result<UInt64, RPCError> {
        guard let v = request.param(0, name) else { return .failure(.invalidParams("missing main-chain epoch number")) }
        guard let e = v.unsignedValue else { return .failure(.invalidParams("main-chain epoch must be a non-negative integer")) }
        if e > mainchainEpoch + 1 {
            return .failure(RPCError(code: -1, message: "Unable to get Ariadne parameters for epoch \(e): epoch is in the future"))
        }
        return .success(e)
    }

    private func ariadne(_ request: RPCRequest, legacyMethod: Bool) -> RPCOutcome {
        mainchainEpochParam(request, name: "epoch_number").map { _ in
            legacyMethod && flavour.hasSystemParameters && configuration.legacyAriadneZeroDParameter
                ? responses.ariadneZeroD : responses.ariadne
        }
    }

    private func registrations(_ request: RPCRequest) -> RPCOutcome {
        if case .failure(let e) = mainchainEpochParam(request, name: "mc_epoch_number") { return .failure(e) }
        guard let key = request.param(1, "mc_public_key")?.stringValue else {
            return .failure(.invalidParams("missing main-chain public key"))
        }
        return .success(responses.registrations(mainchainKey: KeyFormat.normalize(key)))
    }

    private func epochCommittee(_ request: RPCRequest) -> RPCOutcome {
        guard let e = request.param(0, "epoch_number")?.unsignedValue else {
            return .failure(.invalidParams("epoch number must be a non-negative integer"))
        }
        let bestEpoch = chain.best.slot / configuration.slotsPerEpoch
        guard e <= bestEpoch + 1 else {
            return .failure(RPCError(code: -1, message: "Committee is unknown for epoch \(e)"))
        }
        var out = Array(#"{"sidechainEpoch":\#(e),"committee":["#.utf8)
        for (i, m) in chain.committee(epoch: e).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(#"{"sidechainPubKey":"\#(m.sidechainKey)"}"#.utf8)
        }
        out += Array("]}".utf8)
        return .success(out)
    }

    private func hasKey(_ request: RPCRequest) -> RPCOutcome {
        guard let key = request.param(0, "public_key")?.stringValue, let type = request.param(1, "key_type")?.stringValue else {
            return .failure(.invalidParams("author_hasKey needs a public key and a key type"))
        }
        let k = KeyFormat.normalize(key)
        let ours = chain.candidates.operatorKeys
        let has: Bool
        switch type {
        case "crch": has = k == ours.sidechainKey
        case "aura": has = k == ours.auraKey
        case "gran": has = k == ours.grandpaKey
        case "babe": has = k == ours.babeKey
        default: has = false
        }
        return .success(Array((has ? "true" : "false").utf8))
    }
}

