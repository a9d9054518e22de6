import Arguments
import ConnectionsStore

/// `connections-api migrate [--db PATH] [--status]` (CLI.md).
enum MigrateCommand: Command {
    static let flags = Usage.migrateFlags
    static let usage = Usage.migrate

    static func run(_ options: ArgumentList) -> Int32 {
        guard options.positional.isEmpty else { return Usage.fail("unexpected argument \(options.positional[0])", Usage.migrate) }
        let location = StoreLocation(options)
        let path = location.value
        do {
            if location.isPostgres { return try migratePostgres(url: path, statusOnly: options.has("status")) }
            if options.has("status") {
                let status = try SQLiteStore.migrationStatus(path: path)
                for migration in status.applied { print("applied  \(migration.version) \(migration.name)") }
                for migration in status.pending { print("pending  \(migration.version) \(migration.name)") }
                for migration in status.unknown { print("unknown  \(migration.version) \(migration.name) (newer than this binary)") }
                return status.unknown.isEmpty ? 0 : 1
            }
            // A running server has the schema it started with; migrating under it is refused
            // unless there is nothing to apply.
            do {
                try InstanceLock.checkFree(databasePath: path)
            } catch {
                guard try SQLiteStore.migrationStatus(path: path).pending.isEmpty else { throw error }
            }
            let applied = try SQLiteStore.migrate(path: path)
            if applied.isEmpty { print("database is up to date (\(path))") }
            for migration in applied { print("applied  \(migration.version) \(migration.name)") }
            return 0
        } catch {
            Usage.printError("error: \(error)")
            return 1
        }
    }

    /// PostgreSQL: `migrate` applies what is pending (under the migration lock, beside running
    /// instances); `--status` lists the versions applied and pending.
    private static func migratePostgres(url: String, statusOnly: Bool) throws -> Int32 {
        let status = try PostgresStore.migrationStatus(url: url)
        if statusOnly {
            for migration in status.applied { print("applied  \(migration.version) \(migration.name)") }
            for migration in status.pending { print("pending  \(migration.version) \(migration.name)") }
            for migration in status.unknown { print("unknown  \(migration.version) \(migration.name) (newer than this binary)") }
            return status.unknown.isEmpty ? 0 : 1
        }
        let store = try PostgresStore(url: url)
        defer { try? store.close() }
        if store.appliedMigrations.isEmpty { print("database is up to date (\(store.path))") }
        for migration in store.appliedMigrations { print("applied  \(migration.version) \(migration.name)") }
        return 0
    }
}
