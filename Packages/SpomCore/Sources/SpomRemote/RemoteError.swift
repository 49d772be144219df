/// Everything that can go wrong in a push or a replica copy, with the context to act on it.
///
/// Messages never contain a password: URLs are shown masked (`postgres://user:***@host/db`) and
/// server messages are scrubbed of the configured password.
public enum RemoteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `url` setting can't be used.
    case invalidURL(url: String, reason: String)
    /// The password file can't be read.
    case passwordFile(path: String, reason: String)
    /// The password environment variable named in the configuration is not set.
    case passwordEnvironmentMissing(variable: String)
    /// A table description is malformed (a programming error in the application).
    case invalidTable(table: String, reason: String)
    /// The server refused the credentials.
    case authentication(target: String, user: String, message: String)
    /// The server can't be reached (refused, timed out, DNS, TLS).
    case connection(target: String, message: String)
    /// A statement failed on the server.
    case query(target: String, operation: String, table: String?, message: String)
    /// The remote schema was written by a newer build.
    case remoteSchemaTooNew(target: String, namespace: String, found: Int, supported: Int)
    /// An operation did not finish in time.
    case timeout(target: String, operation: String, seconds: Double)
    /// The push was stopped (shutdown) before the operation finished.
    case cancelled(target: String, operation: String)
    /// The local SQLite database can't be read.
    case localDatabase(path: String, operation: String, message: String)
    /// The replica can't be written.
    case replica(path: String, operation: String, message: String)

    /// A one-line message naming what is wrong.
    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "remote database url \(url) is invalid: \(reason)"
        case .passwordFile(let path, let reason):
            return "cannot read the remote database password file \(path): \(reason)"
        case .passwordEnvironmentMissing(let variable):
            return "the remote database password variable \(variable) is not set"
        case .invalidTable(let table, let reason):
            return "remote table description \(table) is invalid: \(reason)"
        case .authentication(let target, let user, let message):
            return "PostgreSQL at \(target) rejected user \(user): \(message) (check the password / password_env / password_file)"
        case .connection(let target, let message):
            return "cannot connect to PostgreSQL at \(target): \(message)"
        case .query(let target, let operation, let table, let message):
            return "PostgreSQL at \(target) failed \(operation)\(table.map { " on \($0)" } ?? ""): \(message)"
        case .remoteSchemaTooNew(let target, let namespace, let found, let supported):
            return "PostgreSQL at \(target): schema \(namespace) is at version \(found), newer than this build supports (\(supported)); upgrade this application"
        case .timeout(let target, let operation, let seconds):
            return "PostgreSQL at \(target): \(operation) did not finish within \(seconds) s"
        case .cancelled(let target, let operation):
            return "PostgreSQL at \(target): \(operation) was stopped (shutting down)"
        case .localDatabase(let path, let operation, let message):
            return "local database \(path): \(operation) failed: \(message)"
        case .replica(let path, let operation, let message):
            return "replica \(path): \(operation) failed: \(message)"
        }
    }
}
