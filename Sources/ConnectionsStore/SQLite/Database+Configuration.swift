import CSQLite

extension Database {
    /// How long a connection waits on another's lock before failing with SQLITE_BUSY.
    static let defaultBusyTimeoutMilliseconds = 5_000

    /// Sets up a connection the way the store needs it, writer or reader.
    ///
    /// - WAL (https://sqlite.org/wal.html): readers never block the writer nor each other. Checked
    ///   for file databases and refused otherwise: the store's consistency rests on it.
    ///   In-memory databases cannot use WAL and are exempt (`requireWAL: false`).
    /// - `synchronous=FULL`: in WAL mode, NORMAL may lose the last commits on power loss; a 2xx
    ///   must survive it (https://sqlite.org/pragma.html#pragma_synchronous).
    /// - `foreign_keys=ON`: off by default in SQLite; tokens cascade from clients.
    /// - a small page cache (`cacheKiB` per connection) to stay inside the RSS budget.
    func configureForStore(
        requireWAL: Bool, cacheKiB: Int, busyTimeoutMilliseconds: Int = defaultBusyTimeoutMilliseconds
    ) throws {
        try setPragma("busy_timeout", to: String(busyTimeoutMilliseconds))
        if requireWAL {
            let mode = try setPragma("journal_mode", to: "WAL")?.lowercased()
            guard mode == "wal" else { throw StoreError.notWAL(journalMode: mode ?? "unknown") }
        }
        try setPragma("synchronous", to: "FULL")
        try setPragma("foreign_keys", to: "ON")
        guard try pragma("foreign_keys") == "1" else { throw StoreError.foreignKeysUnavailable }
        // A negative cache_size is in KiB (https://sqlite.org/pragma.html#pragma_cache_size).
        try setPragma("cache_size", to: String(-cacheKiB))
    }
}
