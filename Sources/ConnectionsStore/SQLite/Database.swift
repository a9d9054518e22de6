import CSQLite

/// One SQLite connection.
///
/// A `Database` is used by ONE thread at a time (it is opened with `SQLITE_OPEN_NOMUTEX`) and is
/// therefore not `Sendable`: whoever owns it (the store's writer thread, a locked read slot, the
/// CLI) keeps it to itself. Every SQLite return code is checked and turned into a `SQLiteError`.
public final class Database {
    /// The path given to `init(path:)` (`:memory:` or a file path, or a `file:` URI).
    public let path: String
    private var handle: OpaquePointer?
    /// Keyed by where the statement's text lives: `StaticString`s are never freed or moved, so
    /// the address names the statement without hashing its text (~1,200 instructions a lookup
    /// for a 150-byte statement, five lookups a create).
    private var statementCache: [UnsafeRawPointer: Statement] = [:]
    /// Commits that wrote WAL frames, counted by the hook `countWALCommits()` installs.
    private var walCommits: UnsafeMutablePointer<UInt64>?

    /// Opens (creating if needed, unless `create` is false) a database. `:memory:` opens a
    /// private in-memory database; `file:` URIs are accepted. `readOnly` opens without write
    /// access (and never creates).
    public init(path: String, readOnly: Bool = false, create: Bool = true) throws(SQLiteError) {
        var connection: OpaquePointer?
        let access =
            readOnly ? SQLITE_OPEN_READONLY : (create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READWRITE)
        let flags = access | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let error = SQLiteError(connection: connection, code: code, sql: nil)
            // A failed open may still allocate a handle, which must be closed
            // (https://sqlite.org/c3ref/open.html).
            sqlite3_close_v2(connection)
            throw error
        }
        self.path = path
        self.handle = connection
        // Extended codes let callers tell UNIQUE from PRIMARY KEY from FOREIGN KEY failures.
        sqlite3_extended_result_codes(connection, 1)
    }

    deinit {
        statementCache.removeAll()
        // close_v2 defers the close until any statement still held elsewhere is finalized.
        sqlite3_close_v2(handle)
        walCommits?.deallocate()
    }

    /// Closes the connection. Further use throws `SQLITE_MISUSE`. Closing twice is harmless.
    public func close() throws(SQLiteError) {
        guard let connection = handle else { return }
        statementCache.removeAll()
        let code = sqlite3_close_v2(connection)
        guard code == SQLITE_OK else { throw SQLiteError(connection: connection, code: code, sql: nil) }
        handle = nil
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { handle == nil }

    private func connection(for sql: String?) throws(SQLiteError) -> OpaquePointer {
        guard let handle else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "database is closed", sql: sql)
        }
        return handle
    }

    /// Runs one or more SQL statements that take no parameters (schema, pragmas, BEGIN/COMMIT).
    public func execute(_ sql: String) throws(SQLiteError) {
        let connection = try connection(for: sql)
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(connection, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            var error = SQLiteError(connection: connection, code: code, sql: sql)
            if let message {
                error = SQLiteError(code: error.code, message: String(cString: message), sql: sql, systemErrno: error.systemErrno)
            }
            throw error
        }
    }

    /// Prepares a single statement. The caller owns it; it is finalized when released.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(connection: connection(for: sql), sql: sql)
    }

    /// A prepared statement kept for the life of the connection, reset and with its bindings
    /// cleared. Hot statements are prepared once: re-preparing costs more than running them.
    public func cachedStatement(_ sql: StaticString) throws(SQLiteError) -> Statement {
        let key = UnsafeRawPointer(sql.utf8Start)
        if let statement = statementCache[key] {
            statement.reset()
            statement.clearBindings()
            return statement
        }
        let statement = try prepare(sql.description)
        statementCache[key] = statement
        return statement
    }

    /// The number of rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int {
        handle.map { Int(sqlite3_changes64($0)) } ?? 0
    }

    /// Whether a transaction is open (SQLite is not in autocommit mode). SQLite rolls a
    /// transaction back by itself on some errors (https://sqlite.org/lang_transaction.html).
    public var isInTransaction: Bool {
        handle.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: committed if it returns, rolled back if it
    /// throws. IMMEDIATE takes the write lock up front, so the transaction cannot fail later
    /// with SQLITE_BUSY when upgrading from a read (https://sqlite.org/lang_transaction.html).
    public func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            // The body's error is the one to report. Should ROLLBACK itself fail, the
            // transaction stays open and the next BEGIN fails loudly instead of silently.
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: The files under the connection

    /// Whether the database file is no longer the one this connection opened: removed, or
    /// replaced by a rename. SQLite keeps using the file it opened, so what it writes after
    /// that lands in a file nobody will open again. Asks SQLite itself (SQLITE_FCNTL_HAS_MOVED
    /// compares the inode at the path with the open file's: one stat(2),
    /// https://sqlite.org/c3ref/c_fcntl_begin_atomic_write.html). SQLite answers this for the
    /// database file only; the WAL is opened without the inode bookkeeping it needs.
    public var hasMoved: Bool {
        guard let handle else { return false }
        var moved: Int32 = 0
        return sqlite3_file_control(handle, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK && moved != 0
    }

    /// Copies every WAL frame into the database file this connection has open and truncates
    /// the WAL to zero bytes (`SQLITE_CHECKPOINT_TRUNCATE`, https://sqlite.org/c3ref/wal_checkpoint_v2.html).
    /// Both go through the connection's open files, never through their paths.
    public func checkpointAndTruncateWAL() throws(SQLiteError) {
        let connection = try connection(for: nil)
        let code = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
        guard code == SQLITE_OK else { throw SQLiteError(connection: connection, code: code, sql: nil) }
    }

    /// Starts counting this connection's commits that wrote WAL frames (`walCommitCount`): a
    /// commit that changed nothing writes none and leaves the wal-index header as it was. The
    /// hook replaces SQLite's default one, which checkpointed inside COMMIT: the connection's
    /// owner calls `checkpointIfDue()` after its commits instead.
    public func countWALCommits() {
        guard let handle, walCommits == nil else { return }
        // [0]: commits that wrote frames; [1]: the WAL's frames after the last of them.
        let counter = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        counter.initialize(repeating: 0, count: 2)
        walCommits = counter
        csqlite_count_wal_commits(handle, counter)
    }

    /// Commits that wrote WAL frames since `countWALCommits()`.
    public var walCommitCount: UInt64 { walCommits?.pointee ?? 0 }

    /// SQLite's automatic checkpoint, run when its owner chooses: a PASSIVE checkpoint once the
    /// last commit left the WAL at `checkpointFrames` frames or more (SQLite's default, 1,000
    /// frames). Errors are ignored, as the automatic checkpoint ignores them; a checkpoint that
    /// could not copy everything (a reader on an older snapshot) is tried after the next commit.
    /// Outside a transaction only.
    public func checkpointIfDue() {
        guard let handle, let counter = walCommits, counter[1] >= Self.checkpointFrames else { return }
        counter[1] = 0
        _ = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }

    static let checkpointFrames: UInt64 = 1_000

    /// The address of the connection's wal-index as SQLite maps it, 0 without one. See
    /// `ChangeWatch`.
    var walIndexAddress: UInt {
        guard let handle, let index = csqlite_wal_index(handle) else { return 0 }
        return UInt(bitPattern: index)
    }

    // MARK: Pragmas

    /// Reads a pragma's first value as text (`nil` when it returns no row).
    public func pragma(_ name: String) throws(SQLiteError) -> String? {
        let statement = try prepare("PRAGMA \(name)")
        return try statement.step() ? statement.optionalString(at: 0) : nil
    }

    /// Sets a pragma and returns the value it reports back, when it reports one (journal_mode
    /// reports the mode actually in effect). `value` must be a literal: pragmas take no
    /// parameters.
    @discardableResult
    public func setPragma(_ name: String, to value: String) throws(SQLiteError) -> String? {
        let statement = try prepare("PRAGMA \(name) = \(value)")
        return try statement.step() ? statement.optionalString(at: 0) : nil
    }

    /// The result of `PRAGMA integrity_check`: `["ok"]` for a sound database.
    public func integrityCheck() throws(SQLiteError) -> [String] {
        let statement = try prepare("PRAGMA integrity_check")
        var lines: [String] = []
        while try statement.step() { lines.append(statement.string(at: 0)) }
        return lines
    }

    /// The SQLite library version, e.g. "3.40.1".
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
