import CSQLite

/// A failed SQLite call: the extended result code, SQLite's message and the SQL text.
///
/// Bound values are never kept: they may be secrets, token hashes or connection bodies, and this
/// error may end up in a log line.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code (`sqlite3_extended_errcode`), e.g. `SQLITE_CONSTRAINT_UNIQUE`.
    public let code: Int32
    /// `sqlite3_errmsg` at the time of the failure (names tables and columns, never values).
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?
    /// The operating system's error number behind an I/O failure (`sqlite3_system_errno`),
    /// 0 when there was none: it tells a full disk from a read-only file system.
    public let systemErrno: Int32

    public init(code: Int32, message: String, sql: String? = nil, systemErrno: Int32 = 0) {
        self.code = code
        self.message = message
        self.sql = sql
        self.systemErrno = systemErrno
    }

    /// Builds the error from the connection's last failure (call right after the failing call,
    /// on the same thread).
    init(connection: OpaquePointer?, code: Int32, sql: String?) {
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        // The connection's extended code belongs to the last API call; keep it only when it
        // refines the code this call returned.
        self.code = extended & 0xFF == code & 0xFF ? extended : code
        self.message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        self.sql = sql
        self.systemErrno = connection.map { sqlite3_system_errno($0) } ?? 0
    }

    /// The primary result code (`code & 0xFF`), e.g. `SQLITE_CONSTRAINT`.
    public var primaryCode: Int32 { code & 0xFF }

    /// A UNIQUE or PRIMARY KEY constraint failed. Decided by the extended code, never by the
    /// message (https://sqlite.org/rescode.html#constraint_unique).
    public var isUniqueConstraint: Bool {
        code == SQLITE_CONSTRAINT_UNIQUE_CODE || code == SQLITE_CONSTRAINT_PRIMARYKEY_CODE
    }

    /// `SQLITE_BUSY` or `SQLITE_LOCKED`, with any extended code.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (SQL: \(sql))" }
        return text
    }
}

// The extended codes are macros built from expressions, which Swift does not import
// (https://sqlite.org/rescode.html#extrc: primary code | (n << 8)).
let SQLITE_CONSTRAINT_UNIQUE_CODE: Int32 = SQLITE_CONSTRAINT | (8 << 8)
let SQLITE_CONSTRAINT_PRIMARYKEY_CODE: Int32 = SQLITE_CONSTRAINT | (6 << 8)
let SQLITE_CONSTRAINT_FOREIGNKEY_CODE: Int32 = SQLITE_CONSTRAINT | (3 << 8)
