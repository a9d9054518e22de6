import CSQLite
import Glibc

extension SQLiteStore {
    /// Runs `open` (opening and setting up a connection to `path`) and turns a SQLite failure
    /// into `StoreError.cannotOpen`, which names the path and says why in an operator's words:
    /// "SQLite error 14: unable to open database file" says neither (issue 10).
    static func explainingOpenFailure<T>(_ path: String, _ open: () throws -> T) throws -> T {
        do {
            return try open()
        } catch let error as SQLiteError {
            throw StoreError.cannotOpen(path: path, reason: openFailureReason(error, path: path))
        }
    }

    static func openFailureReason(_ error: SQLiteError, path: String) -> String {
        switch error.primaryCode {
        case SQLITE_NOTADB, SQLITE_CORRUPT:
            return "the file is not a SQLite database, or it is corrupt (\(error.message))"
        case SQLITE_FULL:
            return "disk full"
        case SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_IOERR, SQLITE_PERM, SQLITE_AUTH:
            // SQLite does not say which file or why; the file system does.
            let directory = parentDirectory(of: path)
            if access(directory, F_OK) != 0 { return "the directory \(directory) does not exist" }
            if access(path, F_OK) == 0 {
                if access(path, R_OK) != 0 { return "permission denied reading the file" }
                if access(path, W_OK) != 0 { return "read-only: \(systemReason(errno)) writing the file" }
            }
            // SQLite creates PATH-wal and PATH-shm beside the database (https://sqlite.org/wal.html).
            if access(directory, W_OK) != 0 {
                return "read-only: \(systemReason(errno)) writing in \(directory) (SQLite keeps \(path)-wal and \(path)-shm there)"
            }
            if error.systemErrno != 0 { return "\(systemReason(error.systemErrno)) (\(error.message))" }
            return error.message
        default:
            return error.description
        }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func systemReason(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
