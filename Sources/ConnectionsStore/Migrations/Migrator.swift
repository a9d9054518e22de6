/// Applies the schema migrations a database lacks, recording them in `schema_migrations`.
public struct Migrator: Sendable {
    /// The migrations this binary knows, sorted by version.
    public let migrations: [Migration]

    /// - Parameter migrations: defaults to the ones compiled into the binary.
    public init(migrations: [Migration] = Migration.embedded) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        ) STRICT
        """

    /// Lists applied, pending and unknown migrations without writing anything (`migrate
    /// --status` may run on a read-only connection, beside a running server).
    public func status(of database: Database) throws -> MigrationStatus {
        let table = try database.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
        guard try table.step() else { return MigrationStatus(applied: [], pending: migrations, unknown: []) }
        return try readStatus(database)
    }

    /// Applies every pending migration in version order, each in its own `BEGIN IMMEDIATE`
    /// transaction together with its `schema_migrations` row, and returns those it applied.
    ///
    /// Throws `StoreError.unknownMigrations` before touching anything when the database has a
    /// version this binary does not know.
    @discardableResult
    public func migrate(_ database: Database) throws -> [Migration] {
        try database.execute(Self.createTable)
        var applied: [Migration] = []
        while true {
            // Status is re-read inside each transaction: another process may be migrating too.
            let next = try database.writeTransaction { () throws -> Migration? in
                let status = try readStatus(database)
                guard status.unknown.isEmpty else {
                    throw StoreError.unknownMigrations(versions: status.unknown.map(\.version))
                }
                guard let migration = status.pending.first else { return nil }
                try database.execute(migration.sql)
                let record = try database.prepare(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, unixepoch())"
                )
                try record.bind(migration.version, at: 1)
                try record.bind(migration.name, at: 2)
                try record.run()
                return migration
            }
            guard let next else { return applied }
            applied.append(next)
        }
    }

    private func readStatus(_ database: Database) throws -> MigrationStatus {
        let statement = try database.prepare(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        )
        var applied: [AppliedMigration] = []
        while try statement.step() {
            applied.append(
                AppliedMigration(
                    version: statement.int(at: 0),
                    name: statement.string(at: 1),
                    appliedAt: statement.int64(at: 2)
                )
            )
        }
        let known = Set(migrations.map(\.version))
        let appliedVersions = Set(applied.map(\.version))
        return MigrationStatus(
            applied: applied.filter { known.contains($0.version) },
            pending: migrations.filter { !appliedVersions.contains($0.version) },
            unknown: applied.filter { !known.contains($0.version) }
        )
    }
}
