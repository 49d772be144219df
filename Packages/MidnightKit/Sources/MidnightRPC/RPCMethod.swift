/// The JSON-RPC method names the client uses, in one place.
public enum RPCMethod {
    public static let systemHealth = "system_health"
    public static let systemSyncState = "system_syncState"
    public static let systemVersion = "system_version"
    public static let systemChain = "system_chain"
    public static let systemPeers = "system_peers"
    public static let systemNetworkState = "system_unstable_networkState"
    public static let chainGetHeader = "chain_getHeader"
    public static let chainGetFinalizedHead = "chain_getFinalizedHead"
    public static let chainGetBlockHash = "chain_getBlockHash"
    public static let chainGetBlock = "chain_getBlock"
    public static let stateCall = "state_call"
    public static let stateGetRuntimeVersion = "state_getRuntimeVersion"
    public static let authorHasKey = "author_hasKey"
    public static let sidechainGetStatus = "sidechain_getStatus"
    public static let sidechainGetParams = "sidechain_getParams"
    public static let sidechainGetEpochCommittee = "sidechain_getEpochCommittee"
    public static let sidechainGetRegistrations = "sidechain_getRegistrations"
    /// Deprecated on node 1.x in favour of ``systemParametersGetAriadneParameters``.
    public static let sidechainGetAriadneParameters = "sidechain_getAriadneParameters"
    public static let systemParametersGetAriadneParameters = "systemParameters_getAriadneParameters"
    public static let systemParametersGetDParameter = "systemParameters_getDParameter"
    public static let rpcMethods = "rpc_methods"
    public static let subscribeNewHeads = "chain_subscribeNewHeads"
    public static let subscribeFinalizedHeads = "chain_subscribeFinalizedHeads"
    public static let newHeadNotification = "chain_newHead"
    public static let finalizedHeadNotification = "chain_finalizedHead"
}

/// Runtime API functions called through `state_call`.
public enum RuntimeCall {
    /// `Vec<[u8; 32]>`: the AURA authorities (the committee, in seat order).
    public static let auraAuthorities = "AuraApi_authorities"
    /// `u64`: the slot duration in milliseconds.
    public static let auraSlotDuration = "AuraApi_slot_duration"
    /// `u64`: the sidechain epoch duration in milliseconds (newer partner-chains runtimes).
    public static let epochDurationMillis = "GetEpochDurationApi_get_epoch_duration_millis"
    /// `(u32 slots_per_epoch, u64 slot_duration_ms)` (legacy partner-chains runtimes).
    public static let slotConfig = "SlotApi_slot_config"
}
