import Glibc

extension SQLiteStore {
    /// Where the store's connections open `path`.
    struct Location: Sendable {
        let uri: String
        let requiresWAL: Bool
    }

    /// `:memory:` becomes a named in-memory database of the `memdb` VFS, the one kind several
    /// connections can share (https://sqlite.org/src/file/src/memdb.c); a plain `:memory:`
    /// database is private to one connection.
    static func location(for path: String) -> Location {
        guard path == ":memory:" else { return Location(uri: path, requiresWAL: true) }
        // A random name, so two in-memory stores in one process never share a database.
        let name = UInt64.random(in: .min ... .max)
        return Location(uri: "file:/connections-store-\(String(name, radix: 16))?vfs=memdb", requiresWAL: false)
    }

    /// `connections-api migrate --status`: what is applied, pending and unknown, without
    /// applying anything and without creating the file (a missing file has everything pending).
    public static func migrationStatus(path: String) throws -> MigrationStatus {
        let location = location(for: path)
        if location.requiresWAL, access(path, F_OK) != 0, errno == ENOENT {
            return MigrationStatus(applied: [], pending: Migrator().migrations, unknown: [])
        }
        return try explainingOpenFailure(path) {
            let database = try Database(path: location.uri, create: false)
            try database.setPragma("busy_timeout", to: String(Database.defaultBusyTimeoutMilliseconds))
            let status = try Migrator().status(of: database)
            try database.close()
            return status
        }
    }

    /// `connections-api migrate`: applies pending migrations and returns them (empty when up
    /// to date). Throws `StoreError.unknownMigrations` for a database from a newer version.
    public static func migrate(path: String) throws -> [Migration] {
        let location = location(for: path)
        return try explainingOpenFailure(path) {
            let database = try Database(path: location.uri)
            try database.configureForStore(requireWAL: location.requiresWAL, cacheKiB: writerCacheKiB)
            let applied = try Migrator().migrate(database)
            try database.close()
            return applied
        }
    }
}
