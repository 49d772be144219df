import MidnightConfig
import SpomRemote

/// `[database.remote]` and `[integration]` as plain values: what the remote push needs from the
/// configuration.
public struct MidnightRemoteSettings: Sendable, Hashable {
    /// Which kind of remote.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Push to PostgreSQL.
        case postgresql
        /// Periodic SQLite copy.
        case sqliteReplica = "sqlite_replica"
    }

    /// `enabled`.
    public var enabled: Bool
    /// `type`.
    public var kind: Kind
    /// `url` (PostgreSQL; may contain a password, which is never shown).
    public var url: String
    /// `password_env`: environment variable with the password (wins over `password_file`).
    public var passwordEnv: String?
    /// `password_file`: file whose first line is the password.
    public var passwordFile: String?
    /// `path`: the replica file (sqlite_replica).
    public var path: String?
    /// `sync_interval_secs`.
    public var syncIntervalSecs: UInt64
    /// `[integration] chain_id`: the chain label in every remote row.
    public var chainID: String
    /// `[integration] instance_name`: this monitor's name in every remote row.
    public var instanceName: String

    /// Creates settings from plain values.
    public init(
        enabled: Bool, kind: Kind = .postgresql, url: String = "", passwordEnv: String? = nil, passwordFile: String? = nil,
        path: String? = nil, syncIntervalSecs: UInt64 = 60, chainID: String = "midnight", instanceName: String
    ) {
        self.enabled = enabled
        self.kind = kind
        self.url = url
        self.passwordEnv = passwordEnv
        self.passwordFile = passwordFile
        self.path = path
        self.syncIntervalSecs = syncIntervalSecs
        self.chainID = chainID
        self.instanceName = instanceName
    }

    /// Reads the settings from MVM's configuration.
    public init(config: MVMConfig) {
        let remote = config.database.remote
        self.init(
            enabled: remote.enabled, kind: remote.type == .sqliteReplica ? .sqliteReplica : .postgresql, url: remote.url,
            passwordEnv: remote.passwordEnv, passwordFile: remote.passwordFile, path: remote.path,
            syncIntervalSecs: remote.syncIntervalSecs, chainID: config.integration.chainID,
            instanceName: config.integration.instanceName)
    }

    /// The PostgreSQL target with the password resolved (env, then file, then URL).
    public func target(environment: [String: String]? = nil) throws(RemoteError) -> PostgresTarget {
        if let environment {
            return try PostgresTarget.parse(url: url, passwordFile: passwordFile, passwordEnvironment: passwordEnv, environment: environment)
        }
        return try PostgresTarget.parse(url: url, passwordFile: passwordFile, passwordEnvironment: passwordEnv)
    }

    /// The URL with its password masked (for `config show`, logs and status).
    public var maskedURL: String { PostgresTarget.mask(url) }
}
