import SpomRemote
import SpomTesting

extension TestPostgres {
    /// The server as a push target.
    var target: PostgresTarget {
        get throws { try PostgresTarget.parse(url: url) }
    }
}

/// A fresh PostgreSQL schema name per test, so tests sharing a server don't see each other's rows.
func freshNamespace(_ prefix: String) -> String { TestPostgres.freshName(prefix) }
