import SpomRemote

/// The remote (PostgreSQL) layout of MVM's data: the local schema v2 tables, each row prefixed with
/// `instance_name` and `chain`, in the PostgreSQL schema `mvm`.
///
/// Keys are the local keys (block number, epoch, local ids); `validators.id`, `aura_keys.id` and
/// the `*_id` columns that refer to them are local to each instance, so join on
/// `(instance_name, chain, id)`. Hashes and committee authority lists stay raw bytes (`BYTEA`),
/// flags become `BOOLEAN`. docs/remote.md lists every table.
public enum MidnightRemoteSchema {
    /// PostgreSQL schema (namespace) holding MVM's tables.
    public static let namespace = "mvm"
    /// Version of the remote layout (independent of the local schema version).
    public static let version = 1

    /// `blocks`: one row per stored block; chunks of 500 blocks; the newest 4 chunks (2,000
    /// blocks, far more than the finality lag) are compared on every cycle.
    public static let blocks = RemoteTable(
        name: "blocks",
        columns: [
            .init("number", .bigint), .init("hash", .bytea), .init("parent_hash", .bytea), .init("slot", .bigint),
            .init("sidechain_epoch", .bigint), .init("mainchain_epoch", .bigint), .init("timestamp_ms", .bigint),
            .init("extrinsics_count", .bigint), .init("finalized", .boolean), .init("author_id", .bigint),
            .init("author_aura_id", .bigint), .init("unattributed_reason", .bigint),
        ],
        naturalKey: ["number"], chunkColumn: "number", chunkSize: 500, localChainColumn: "chain", trailingChunks: 4,
        remoteIndexes: [["sidechain_epoch"], ["author_id"], ["timestamp_ms"]])

    /// `validators`: every validator seen, with its counters (local ids).
    public static let validators = RemoteTable(
        name: "validators",
        columns: [
            .init("id", .bigint), .init("sidechain_key", .text), .init("aura_key", .text), .init("grandpa_key", .text),
            .init("label", .text), .init("is_ours", .boolean), .init("is_permissioned", .boolean),
            .init("registration_status", .text), .init("blocks_total", .bigint), .init("first_seen_epoch", .bigint),
            .init("last_seen_epoch", .bigint), .init("first_seen_ms", .bigint), .init("last_seen_ms", .bigint),
            .init("created_ms", .bigint), .init("updated_ms", .bigint),
        ],
        naturalKey: ["id"], chunkColumn: "id", chunkSize: 1_000, localChainColumn: "chain", trailingChunks: 1,
        remoteIndexes: [["sidechain_key"]])

    /// `aura_keys`: the AURA/BABE keys blocks were sealed with (local ids).
    public static let auraKeys = RemoteTable(
        name: "aura_keys",
        columns: [.init("id", .bigint), .init("aura_key", .text)],
        naturalKey: ["id"], chunkColumn: "id", chunkSize: 1_000, localChainColumn: "chain", trailingChunks: 1)

    /// `committees`: one row per sidechain epoch.
    public static let committees = RemoteTable(
        name: "committees",
        columns: [
            .init("sidechain_epoch", .bigint), .init("mainchain_epoch", .bigint), .init("committee_size", .bigint),
            .init("key_length", .bigint), .init("authorities", .bytea), .init("source", .text), .init("stored_ms", .bigint),
        ],
        naturalKey: ["sidechain_epoch"], chunkColumn: "sidechain_epoch", chunkSize: 100, localChainColumn: "chain", trailingChunks: 1)

    /// `validator_epochs`: per-epoch seats and blocks produced per validator; small chunks (4 epochs)
    /// because the current epoch's counters change with every block.
    public static let validatorEpochs = RemoteTable(
        name: "validator_epochs",
        columns: [
            .init("sidechain_epoch", .bigint), .init("validator_id", .bigint), .init("aura_key", .text), .init("seats", .bigint),
            .init("committee_size", .bigint), .init("blocks_produced", .bigint), .init("is_permissioned", .boolean),
            .init("stake", .bigint),
        ],
        naturalKey: ["sidechain_epoch", "validator_id"], chunkColumn: "sidechain_epoch", chunkSize: 4,
        localChainColumn: "chain", trailingChunks: 2, remoteIndexes: [["validator_id", "sidechain_epoch"]])

    /// `registration_history`: registration status observations (append-only).
    public static let registrationHistory = RemoteTable(
        name: "registration_history",
        columns: [
            .init("id", .bigint), .init("validator_id", .bigint), .init("status", .text), .init("reason", .text),
            .init("mainchain_epoch", .bigint), .init("observed_ms", .bigint),
        ],
        naturalKey: ["id"], chunkColumn: "id", chunkSize: 1_000, localChainColumn: "chain", trailingChunks: 1,
        remoteIndexes: [["validator_id", "observed_ms"]])

    /// `sync_status`: the sync daemon's status row (one per instance and chain).
    public static let syncStatus = RemoteTable(
        name: "sync_status",
        columns: [
            .init("start_block", .bigint), .init("last_synced_block", .bigint), .init("last_finalized_block", .bigint),
            .init("chain_tip_block", .bigint), .init("current_sidechain_epoch", .bigint), .init("current_mainchain_epoch", .bigint),
            .init("is_syncing", .boolean), .init("blocks_per_second", .double), .init("rpc_requests_total", .bigint),
            .init("rpc_failures_total", .bigint), .init("last_progress_ms", .bigint), .init("last_error", .text),
            .init("last_error_ms", .bigint), .init("updated_ms", .bigint),
        ],
        naturalKey: [], localChainColumn: "chain")

    /// `schema_meta`: the local database's metadata (schema version, timing, watermarks).
    public static let schemaMeta = RemoteTable(
        name: "schema_meta",
        columns: [.init("key", .text), .init("value", .text)],
        naturalKey: ["key"], localChainColumn: "chain")

    /// Every pushed table, in push order (blocks first: they are what the datahub reads most).
    public static let tables: [RemoteTable] = [
        blocks, validators, auraKeys, committees, validatorEpochs, registrationHistory, syncStatus, schemaMeta,
    ]

    /// The schema handed to the push engine.
    public static var schema: RemoteSchema {
        RemoteSchema(namespace: namespace, version: version, tables: tables)
    }
}
