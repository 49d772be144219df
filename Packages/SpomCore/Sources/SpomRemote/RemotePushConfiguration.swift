/// Everything a ``RemotePusher`` needs, as plain values (the application maps its config file here).
public struct RemotePushConfiguration: Sendable {
    /// The PostgreSQL server (password already resolved; see ``PostgresTarget/parse(url:password:passwordFile:passwordEnvironment:environment:)``).
    public var target: PostgresTarget
    /// The tables and remote namespace.
    public var schema: RemoteSchema
    /// The local SQLite database (read-only for the push).
    public var localPath: String
    /// This instance's name (`[integration] instance_name`): the first column of every remote key.
    public var instanceName: String
    /// The chain label written in every remote row.
    public var chain: String
    /// The value of the local chain column that selects the rows to push (tables with
    /// `localChainColumn`); defaults to `chain`.
    public var localChain: String
    /// Time between push cycles when all is well.
    public var interval: Duration
    /// Every how many cycles all chunks are compared (other cycles compare the trailing window).
    public var fullScanEvery: Int
    /// Rows per remote transaction.
    public var batchRows: Int
    /// A remote transaction (one batch) that takes longer than this is abandoned and retried (also
    /// the server's `statement_timeout`). Enforced even when the client library never returns:
    /// a connection the server dropped without the client noticing costs at most this long.
    public var operationTimeout: Duration
    /// TCP connect + authentication timeout.
    public var connectTimeout: Duration
    /// First retry delay after a failure; doubles per consecutive failure up to `retryMaximum`.
    public var retryInitial: Duration
    /// Longest retry delay.
    public var retryMaximum: Duration
    /// Recorded in the remote `spom_push_state` and `spom_schema_version` tables.
    public var appVersion: String
    /// When set, the status is written here as JSON after every cycle (for other processes,
    /// e.g. a `remote status` command).
    public var statusFile: String?

    /// Creates a configuration with the usual defaults (60 s interval, full scan every 10th cycle,
    /// 10,000-row batches, 30 s per batch).
    public init(
        target: PostgresTarget, schema: RemoteSchema, localPath: String, instanceName: String, chain: String, localChain: String? = nil,
        interval: Duration = .seconds(60), fullScanEvery: Int = 10, batchRows: Int = 10_000,
        operationTimeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10),
        retryInitial: Duration = .seconds(1), retryMaximum: Duration = .seconds(60),
        appVersion: String = "spom", statusFile: String? = nil
    ) {
        self.target = target
        self.schema = schema
        self.localPath = localPath
        self.instanceName = instanceName
        self.chain = chain
        self.localChain = localChain ?? chain
        self.interval = interval
        self.fullScanEvery = max(1, fullScanEvery)
        self.batchRows = max(1, batchRows)
        self.operationTimeout = operationTimeout
        self.connectTimeout = connectTimeout
        self.retryInitial = retryInitial
        self.retryMaximum = retryMaximum
        self.appVersion = appVersion
        self.statusFile = statusFile
    }
}
