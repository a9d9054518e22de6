import CSQLite
import Glibc

/// Why the store cannot make writes durable (API.md, "Store failures"): the file named and
/// the cause, for the log and for `StoreError.unavailable`.
///
/// A full disk, a read-only file, an I/O error or a lock held by another process may pass: the writer keeps trying and the
/// store is available again after its next commit. A database file removed or replaced
/// under the server does not pass: SQLite keeps writing to the file it opened, which nobody
/// will open again, so the server refuses every write until it is restarted.
public struct StoreFault: Sendable, Equatable, CustomStringConvertible {
    public enum Cause: Sendable, Equatable {
        case diskFull
        case readOnly
        case ioError
        case corrupt
        /// Another process held the write lock past the busy timeout (a `sqlite3` shell left in
        /// `BEGIN IMMEDIATE`, a long backup): passes when it lets go.
        case locked
        /// The database file, or its WAL file, was deleted.
        case removed
        /// Another file was put at the database's (or its WAL's) path.
        case replaced
        /// PostgreSQL cannot be reached (down, restarting, refusing connections).
        case unreachable
    }

    /// The database path as the store was given it (a PostgreSQL URL without its password).
    public let path: String
    public let cause: Cause
    /// What SQLite or the system said, or which file moved.
    public let detail: String

    public init(path: String, cause: Cause, detail: String) {
        self.path = path
        self.cause = cause
        self.detail = detail
    }

    /// Whether only a restart ends it.
    public var isPermanent: Bool { cause == .removed || cause == .replaced }

    public var description: String {
        let what: String
        switch cause {
        case .diskFull: what = "disk full"
        case .readOnly: what = "read-only"
        case .ioError: what = "I/O error"
        case .corrupt: what = "corrupt"
        case .locked: what = "locked by another process"
        case .removed: what = "removed"
        case .replaced: what = "replaced"
        case .unreachable: what = "unreachable"
        }
        return "database \(path): \(what) (\(detail))"
    }

    /// The fault behind a failed SQLite call, or `nil` when the failure says nothing about the
    /// file (a constraint, a bug). A busy lock is one: it comes back only after the busy timeout
    /// (`Database.defaultBusyTimeoutMilliseconds`) waiting on another process.
    init?(_ error: SQLiteError, path: String) {
        let cause: Cause
        switch error.primaryCode {
        case SQLITE_FULL: cause = .diskFull
        case SQLITE_READONLY: cause = .readOnly
        case SQLITE_IOERR, SQLITE_CANTOPEN:
            // SQLite reports some errors of write(2) and fsync(2) as plain I/O errors; the
            // system's error number tells what the operator has to fix.
            switch error.systemErrno {
            case ENOSPC, EDQUOT, EFBIG: cause = .diskFull
            case EROFS, EACCES, EPERM: cause = .readOnly
            default: cause = .ioError
            }
        case SQLITE_CORRUPT, SQLITE_NOTADB: cause = .corrupt
        case SQLITE_BUSY: cause = .locked
        default: return nil
        }
        var detail = error.message
        if error.systemErrno != 0 { detail += ": " + String(cString: strerror(error.systemErrno)) }
        self.init(path: path, cause: cause, detail: detail)
    }

    /// The fault behind `error` when it is one (a SQLite failure about the file, or a fault
    /// already); `nil` otherwise.
    static func from(_ error: any Error, path: String) -> StoreFault? {
        if let error = error as? SQLiteError { return StoreFault(error, path: path) }
        if case .unavailable(let fault) = error as? StoreError { return fault }
        return nil
    }
}

/// Whether the store can make writes durable now; `/healthz` reports it.
public enum StoreHealth: Sendable, Equatable {
    case available
    case unavailable(StoreFault)
}
