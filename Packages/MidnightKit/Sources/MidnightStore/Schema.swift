import GRDB

/// Schema v2 of the MVM database: the DDL, the version numbers and the small codes stored in it.
///
/// docs/schema.md explains every table, column and index and why they look this way.
public enum StoreSchema {
    /// The schema version this build writes and reads.
    public static let currentVersion = 2
    /// Additive revision within ``currentVersion``: new columns or tables that older builds of the
    /// same version can ignore. A file at a lower revision is upgraded when the writer opens it
    /// (see ``revisions``); readers tolerate the missing columns.
    public static let currentRevision = 1
    /// The chain label written when the caller does not choose one.
    public static let defaultChain = "midnight"
    /// Page size for new databases: small pages keep the bytes written per block low
    /// (a tip block touches about seven pages).
    static let pageSize = 1024

    /// The v2 tables and indexes, in creation order.
    static let statements: [String] = [
        """
        CREATE TABLE schema_meta (
            chain TEXT NOT NULL DEFAULT 'midnight',
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (chain, key)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE validators (
            id INTEGER PRIMARY KEY,
            chain TEXT NOT NULL DEFAULT 'midnight',
            sidechain_key TEXT NOT NULL UNIQUE,
            aura_key TEXT,
            grandpa_key TEXT,
            label TEXT,
            is_ours INTEGER NOT NULL DEFAULT 0,
            is_permissioned INTEGER NOT NULL DEFAULT 0,
            registration_status TEXT,
            blocks_total INTEGER NOT NULL DEFAULT 0,
            first_seen_epoch INTEGER,
            last_seen_epoch INTEGER,
            first_seen_ms INTEGER,
            last_seen_ms INTEGER,
            created_ms INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE aura_keys (
            id INTEGER PRIMARY KEY,
            chain TEXT NOT NULL DEFAULT 'midnight',
            aura_key TEXT NOT NULL UNIQUE
        )
        """,
        """
        CREATE TABLE blocks (
            number INTEGER PRIMARY KEY,
            chain TEXT NOT NULL DEFAULT 'midnight',
            hash BLOB NOT NULL,
            parent_hash BLOB NOT NULL,
            slot INTEGER NOT NULL,
            sidechain_epoch INTEGER NOT NULL,
            mainchain_epoch INTEGER NOT NULL,
            timestamp_ms INTEGER NOT NULL,
            extrinsics_count INTEGER NOT NULL,
            finalized INTEGER NOT NULL DEFAULT 0,
            author_id INTEGER,
            author_aura_id INTEGER,
            unattributed_reason INTEGER
        )
        """,
        // Hash lookups go through the first 6 bytes (random order, so kept small); the query then
        // compares the whole hash.
        "CREATE INDEX blocks_hash_prefix ON blocks(substr(hash, 1, 6))",
        "CREATE INDEX blocks_author ON blocks(author_id) WHERE author_id IS NOT NULL",
        "CREATE INDEX blocks_epoch ON blocks(sidechain_epoch)",
        "CREATE INDEX blocks_unattributed ON blocks(sidechain_epoch, unattributed_reason) WHERE author_id IS NULL",
        """
        CREATE TABLE committees (
            sidechain_epoch INTEGER PRIMARY KEY,
            chain TEXT NOT NULL DEFAULT 'midnight',
            mainchain_epoch INTEGER,
            committee_size INTEGER NOT NULL,
            key_length INTEGER NOT NULL,
            authorities BLOB NOT NULL,
            source TEXT NOT NULL,
            stored_ms INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE validator_epochs (
            sidechain_epoch INTEGER NOT NULL,
            validator_id INTEGER NOT NULL,
            chain TEXT NOT NULL DEFAULT 'midnight',
            aura_key TEXT,
            seats INTEGER NOT NULL DEFAULT 0,
            committee_size INTEGER NOT NULL DEFAULT 0,
            blocks_produced INTEGER NOT NULL DEFAULT 0,
            is_permissioned INTEGER NOT NULL DEFAULT 0,
            is_candidate INTEGER NOT NULL DEFAULT 0,
            stake INTEGER,
            PRIMARY KEY (sidechain_epoch, validator_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX validator_epochs_validator ON validator_epochs(validator_id, sidechain_epoch)",
        """
        CREATE TABLE registration_history (
            id INTEGER PRIMARY KEY,
            chain TEXT NOT NULL DEFAULT 'midnight',
            validator_id INTEGER NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            mainchain_epoch INTEGER,
            observed_ms INTEGER NOT NULL
        )
        """,
        "CREATE INDEX registration_history_validator ON registration_history(validator_id, observed_ms)",
        """
        CREATE TABLE sync_status (
            chain TEXT PRIMARY KEY NOT NULL DEFAULT 'midnight',
            start_block INTEGER,
            last_synced_block INTEGER,
            last_finalized_block INTEGER,
            chain_tip_block INTEGER,
            current_sidechain_epoch INTEGER,
            current_mainchain_epoch INTEGER,
            is_syncing INTEGER NOT NULL DEFAULT 0,
            blocks_per_second REAL NOT NULL DEFAULT 0,
            rpc_requests_total INTEGER NOT NULL DEFAULT 0,
            rpc_failures_total INTEGER NOT NULL DEFAULT 0,
            last_progress_ms INTEGER,
            last_error TEXT,
            last_error_ms INTEGER,
            updated_ms INTEGER NOT NULL DEFAULT 0,
            node_peers INTEGER,
            node_is_synced INTEGER,
            node_health_ms INTEGER
        )
        """,
    ]

    /// The additive upgrades of schema v2, indexed by the revision they bring a file to
    /// (`revisions[0]` takes revision 0 to 1). New files are created at ``currentRevision``.
    static let revisions: [[String]] = [
        // 1: the node's health as the daemon last saw it (system_health), for `mvm_node_peers`
        // and `mvm_node_synced`.
        [
            "ALTER TABLE sync_status ADD COLUMN node_peers INTEGER",
            "ALTER TABLE sync_status ADD COLUMN node_is_synced INTEGER",
            "ALTER TABLE sync_status ADD COLUMN node_health_ms INTEGER",
        ],
    ]

    /// The revision stamped in the file (0 when absent: a file written before revisions existed).
    static func revision(_ db: Database, chain: String) throws -> Int {
        Int(try meta(db, chain: chain, key: "schema_revision") ?? "") ?? 0
    }

    /// Brings a v2 file up to ``currentRevision`` in one transaction (the caller's); returns the
    /// revision it found. A file from a newer revision is left alone (its extra columns are ignored).
    @discardableResult
    static func upgrade(_ db: Database, chain: String) throws -> Int {
        let found = try revision(db, chain: chain)
        guard found < currentRevision else { return found }
        for step in found..<currentRevision {
            for sql in revisions[step] { try db.execute(sql: sql) }
        }
        try setMeta(db, chain: chain, key: "schema_revision", value: String(currentRevision))
        return found
    }

    /// Creates every v2 table in `db` and stamps the version (inside the caller's transaction).
    static func create(_ db: Database, chain: String, createdBy: String) throws {
        for sql in statements { try db.execute(sql: sql) }
        try db.execute(sql: "INSERT INTO sync_status (chain, updated_ms) VALUES (?, ?)", arguments: [chain, StoreInt.nowMs()])
        try setMeta(db, chain: chain, key: "schema_version", value: String(currentVersion))
        try setMeta(db, chain: chain, key: "schema_revision", value: String(currentRevision))
        try setMeta(db, chain: chain, key: "created_ms", value: String(StoreInt.nowMs()))
        try setMeta(db, chain: chain, key: "created_by", value: createdBy)
    }

    static func setMeta(_ db: Database, chain: String, key: String, value: String) throws {
        try db.execute(
            sql: "INSERT INTO schema_meta (chain, key, value) VALUES (?, ?, ?) ON CONFLICT(chain, key) DO UPDATE SET value = excluded.value",
            arguments: [chain, key, value])
    }

    static func meta(_ db: Database, chain: String, key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM schema_meta WHERE chain = ? AND key = ?", arguments: [chain, key])
    }

    /// What a file holds, judged from its tables: empty, a v1 database, or a versioned one.
    enum Detected: Equatable {
        case empty
        case version(Int)
        case foreign(String)
    }

    static func detect(_ db: Database) throws -> Detected {
        let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        if tables.isEmpty { return .empty }
        if tables.contains("schema_meta") {
            let columns = Set(try db.columns(in: "schema_meta").map(\.name))
            let text: String?
            if columns.contains("chain") {
                text = try String.fetchOne(db, sql: "SELECT value FROM schema_meta WHERE key = 'schema_version' ORDER BY chain = 'midnight' DESC LIMIT 1")
            } else {
                text = try String.fetchOne(db, sql: "SELECT value FROM schema_meta WHERE key = 'schema_version'")
            }
            guard let text else {
                return tables.contains("blocks") ? .version(1) : .foreign("schema_meta has no schema_version")
            }
            guard let version = Int(text.trimmingCharacters(in: .whitespaces)) else {
                return .foreign("schema_version is \"\(text)\", not a number")
            }
            return .version(version)
        }
        // v1 before it stamped schema_meta: the bare v1 tables.
        if tables.contains("blocks") && tables.contains("sync_status") { return .version(1) }
        return .foreign("it has tables (\(tables.sorted().joined(separator: ", "))) but no schema_meta")
    }
}

/// Why a block has no author yet; stored as a small integer, shown as the raw string.
public enum UnattributedReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// The epoch's committee could not be fetched (yet); attributable when it turns up.
    case committeeUnavailable = "committee_unavailable"
    /// The node had pruned the state the committee lives in.
    case statePruned = "state_pruned"
    /// The authority key that sealed the block is not among the epoch's valid candidates.
    case authorNotCandidate = "author_not_candidate"
    /// The header carries no slot / authority index to attribute from.
    case noAuthorEvidence = "no_author_evidence"
    /// Unknown (blocks migrated from v1, which did not record why).
    case unknown = "unknown"

    var code: Int64 {
        switch self {
        case .committeeUnavailable: return 1
        case .statePruned: return 2
        case .authorNotCandidate: return 3
        case .noAuthorEvidence: return 4
        case .unknown: return 5
        }
    }

    init(code: Int64?) {
        switch code {
        case 1: self = .committeeUnavailable
        case 2: self = .statePruned
        case 3: self = .authorNotCandidate
        case 4: self = .noAuthorEvidence
        default: self = .unknown
        }
    }
}
