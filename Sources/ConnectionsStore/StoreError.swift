/// Failures the store reports in its own terms. SQLite failures with no meaning of their own
/// here surface as `SQLiteError`.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another connection already has this name (UNIQUE on `connections.name`).
    case nameConflict
    /// Another connection already has this id (PRIMARY KEY of `connections`).
    case idConflict
    /// Another client already has this client id.
    case clientConflict
    /// A token names a client that does not exist.
    case unknownClient
    /// The database has migrations this binary does not know: it was written by a newer version.
    case unknownMigrations(versions: [Int])
    /// A file database did not switch to WAL (e.g. a network file system): refused.
    case notWAL(journalMode: String)
    /// This SQLite build ignores `PRAGMA foreign_keys`.
    case foreignKeysUnavailable
    /// The store was closed.
    case closed
    /// A `WriteTransaction` was used outside the job it was given to.
    case transactionEnded
    /// The write could not be made durable (disk full, read-only, I/O error, the file removed
    /// or replaced): nothing of it was stored.
    case unavailable(StoreFault)
    /// The database could not be opened: its path and why, in words an operator can act on.
    case cannotOpen(path: String, reason: String)
    /// Another server holds the database's instance lock (`pid` when it could be read).
    case anotherInstance(pid: Int32?, path: String)

    public var description: String {
        switch self {
        case .nameConflict:
            return "a connection with this name already exists"
        case .idConflict:
            return "a connection with this id already exists"
        case .clientConflict:
            return "a client with this client_id already exists"
        case .unknownClient:
            return "no client with this client_id"
        case .unknownMigrations(let versions):
            let list = versions.map(String.init).joined(separator: ", ")
            return "the database has migration(s) \(list) that this binary does not know; "
                + "it was written by a newer version of connections-api"
        case .notWAL(let mode):
            return "the database refused WAL journaling (journal_mode is \(mode)); "
                + "use a local file system"
        case .foreignKeysUnavailable:
            return "this SQLite build does not enforce foreign keys"
        case .closed:
            return "the store is closed"
        case .transactionEnded:
            return "a write transaction was used after its job ended"
        case .unavailable(let fault):
            return fault.description
        case .cannotOpen(let path, let reason):
            return "cannot open database \(path): \(reason)"
        case .anotherInstance(let pid, let path):
            return "another connections-api (pid \(pid.map(String.init) ?? "unknown")) is serving \(path)"
        }
    }
}
