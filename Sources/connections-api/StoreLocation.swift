import Arguments
import ConnectionsStore

/// What `--db` (or `CONNECTIONS_API_DB`) names: a SQLite file or a PostgreSQL URL (API.md,
/// "Storage and running several instances").
struct StoreLocation {
    let value: String

    init(_ options: ArgumentList) {
        value = options.value("db") ?? "connections.sqlite"
    }

    var isPostgres: Bool { PostgresURL.isPostgres(value) }

    /// The backend's name in the start line.
    var backend: String { isPostgres ? "postgresql" : "sqlite" }

    /// As it may be printed: a URL without its password.
    var display: String { isPostgres ? PostgresURL.redacted(value) : value }

    /// Opens the store. `create: false` refuses a missing SQLite file (a PostgreSQL database
    /// exists or the connection fails).
    func open(create: Bool = true) throws -> any ConnectionStore {
        if isPostgres { return try PostgresStore(url: value) }
        return try SQLiteStore(path: value, create: create)
    }
}
