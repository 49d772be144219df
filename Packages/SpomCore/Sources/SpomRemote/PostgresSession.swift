import Foundation
import Logging
import PostgresNIO

/// One connection to the remote PostgreSQL and the statements the push runs on it.
final class PostgresSession: Sendable {
    let connection: PostgresConnection
    let target: PostgresTarget
    let logger: Logger

    private init(connection: PostgresConnection, target: PostgresTarget, logger: Logger) {
        self.connection = connection
        self.target = target
        self.logger = logger
    }

    /// Connects and authenticates; authentication failures become ``RemoteError/authentication``.
    static func connect(_ target: PostgresTarget, connectTimeout: Duration, logger: Logger) async throws(RemoteError) -> PostgresSession {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch target.tls {
            case .disable:
                tls = .disable
            case .prefer, .require:
                var config = TLSConfiguration.makeClientConfiguration()
                config.certificateVerification = .none
                let context = try NIOSSLContext(configuration: config)
                tls = target.tls == .prefer ? .prefer(context) : .require(context)
            case .verifyFull:
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw .connection(target: target.maskedURL, message: "setting up TLS: \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: target.host, port: target.port, username: target.user, password: target.password,
            database: target.database, tls: tls)
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000 + connectTimeout.components.attoseconds / 1_000_000_000)
        configuration.options.requireBackendKeyData = false
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: quiet)
            return PostgresSession(connection: connection, target: target, logger: quiet)
        } catch {
            throw classify(error, target: target, operation: "connecting", table: nil)
        }
    }

    /// Turns any error from PostgresNIO into a ``RemoteError`` without the password in it.
    static func classify(_ error: any Error, target: PostgresTarget, operation: String, table: String?) -> RemoteError {
        if let remote = error as? RemoteError { return remote }
        let masked = target.maskedURL
        if let psql = error as? PSQLError {
            if let info = psql.serverInfo {
                let state = info[.sqlState] ?? ""
                let message = target.scrub(info[.message] ?? "server error")
                if state == "28P01" || state == "28000" {
                    return .authentication(target: masked, user: target.user, message: message)
                }
                let detail = [info[.detail], info[.hint]].compactMap { $0 }.map(target.scrub).joined(separator: "; ")
                let full = "\(message) (SQLSTATE \(state))" + (detail.isEmpty ? "" : ": \(detail)")
                if operation == "connecting" { return .connection(target: masked, message: full) }
                return .query(target: masked, operation: operation, table: table, message: full)
            }
            if psql.code == .authMechanismRequiresPassword {
                return .authentication(target: masked, user: target.user, message: "the server wants a password and none is configured")
            }
            var message = "\(psql.code)"
            if let underlying = psql.underlying { message += ": \(target.scrub(String(describing: underlying)))" }
            if operation == "connecting" || psql.code == .connectionError || psql.code == .serverClosedConnection || psql.code == .uncleanShutdown {
                return .connection(target: masked, message: message)
            }
            return .query(target: masked, operation: operation, table: table, message: message)
        }
        let text = target.scrub(String(describing: error))
        if operation == "connecting" { return .connection(target: masked, message: text) }
        return .query(target: masked, operation: operation, table: table, message: text)
    }

    /// Closes the connection without waiting more than a moment: a connection the server has
    /// already dropped (or that never answers) must not hold up the retry loop. PostgresNIO's
    /// `close()` can't be cancelled, so it is raced against a 2 s timer and left behind if slower.
    func close() async {
        let connection = self.connection
        _ = try? await Deadline.run(.seconds(2), timeoutError: { .timeout(target: "", operation: "closing", seconds: 2) }) {
            try? await connection.close()
        }
    }

    /// Throws a connection error when the connection is already closed.
    ///
    /// PostgresNIO hands a query to a closed channel with a write whose failure nobody sees, so
    /// the query never completes (seen after the server's `57P01` shutdown: the error and the close
    /// arrive at once, and the next statement, e.g. the `ROLLBACK`, waited for the operation
    /// deadline). Checking first makes that case fail at once; the deadline still covers the
    /// tiny window between the check and the write.
    func ensureOpen(_ operation: String) throws(RemoteError) {
        if connection.isClosed {
            throw .connection(target: target.maskedURL, message: "the connection was closed before \(operation) (the server stopped or the network dropped it)")
        }
    }

    /// Runs one statement, discarding rows.
    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), operation: String, table: String? = nil) async throws(RemoteError) {
        try ensureOpen(operation)
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            for try await _ in rows {}
        } catch {
            throw Self.classify(error, target: target, operation: operation, table: table)
        }
    }

    /// Runs a query and collects its rows with `decode`.
    func fetch<T>(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), operation: String, table: String? = nil,
                  decode: (PostgresRow) throws -> T) async throws(RemoteError) -> [T] {
        try ensureOpen(operation)
        do {
            var result: [T] = []
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            for try await row in rows { result.append(try decode(row)) }
            return result
        } catch {
            throw Self.classify(error, target: target, operation: operation, table: table)
        }
    }

    /// Runs `body` in a transaction (rolled back when it throws, or when `commit` says no).
    func transaction<T>(_ operation: String, commit: (T) -> Bool = { _ in true }, _ body: () async throws(RemoteError) -> T) async throws(RemoteError) -> T {
        try await execute("BEGIN", operation: operation)
        do {
            let value = try await body()
            try await execute(commit(value) ? "COMMIT" : "ROLLBACK", operation: operation)
            return value
        } catch {
            // A closed connection has no transaction left to roll back (the server ended it).
            // Otherwise roll back, but never wait long for it: the caller closes the connection
            // after a failure anyway, which also ends the transaction.
            if !connection.isClosed {
                _ = try? await Deadline.run(.seconds(2), timeoutError: { .timeout(target: "", operation: "rolling back", seconds: 2) }) { () throws(RemoteError) in
                    try await self.execute("ROLLBACK", operation: operation)
                }
            }
            throw error
        }
    }
}

extension PostgresBindings {
    /// Appends `value` as the remote column type stores it.
    mutating func append(_ value: SQLValue, as type: RemoteColumnType) {
        switch value.normalized(for: type) {
        case .null: appendNull()
        case .integer(let v):
            if type == .boolean { append(v != 0) } else { append(v) }
        case .real(let v): append(v)
        case .text(let v): append(v)
        case .blob(let v): append(ByteBuffer(bytes: v))
        }
    }
}
