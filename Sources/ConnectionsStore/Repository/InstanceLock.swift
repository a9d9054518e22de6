import Glibc

/// One server per SQLite file (API.md, "Storage and running several instances"): each server
/// answers reads from its own memory, so a second one on the same file would serve stale
/// reads and undo the first one's writes.
///
/// The lock is flock(2) on `<database>.lock`, named after the database's canonical path
/// (symbolic links and `.`/`..` resolved), so every spelling of the path meets the same
/// lock. It dies with its process: a server killed with -9 leaves a file that blocks nothing.
/// A separate file and flock, not a POSIX lock on the database itself: SQLite holds POSIX
/// locks on the database, and closing any descriptor of a file drops all of the process's
/// POSIX locks on it (fcntl(2)); flock locks belong to their own descriptor. The holder's
/// pid is written in the file, for the message the next one prints.
public final class InstanceLock: Sendable {
    /// The lock file's path.
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock for the database at `databasePath`, or throws
    /// `StoreError.anotherInstance` naming the process holding it. Returns `nil` for
    /// `:memory:`, which no other process can open.
    public static func acquire(databasePath: String) throws -> InstanceLock? {
        guard databasePath != ":memory:" else { return nil }
        let path = try canonicalPath(of: databasePath) + ".lock"
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                let code = errno
                let prefix = code == EROFS || code == EACCES || code == EPERM ? "read-only: " : ""
                throw StoreError.cannotOpen(
                    path: databasePath, reason: "\(prefix)cannot create the lock file \(path) (\(reason(code)))")
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                defer { close(descriptor) }
                guard code == EWOULDBLOCK else {
                    throw StoreError.cannotOpen(path: databasePath, reason: "cannot lock \(path): \(reason(code))")
                }
                throw StoreError.anotherInstance(pid: holder(descriptor), path: databasePath)
            }
            // The last holder unlinks the file as it lets go; a descriptor opened just before
            // that locks a file no longer at the path. Start again with the path's file.
            var held = stat()
            var current = stat()
            guard fstat(descriptor, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino,
                held.st_dev == current.st_dev
            else {
                close(descriptor)
                continue
            }
            let pid = Array("\(getpid())\n".utf8)
            _ = ftruncate(descriptor, 0)
            _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            return InstanceLock(path: path, descriptor: descriptor)
        }
    }

    /// Throws `StoreError.anotherInstance` when a server holds the lock of `databasePath`.
    /// Takes nothing and creates nothing (for `migrate`, which must not change the schema
    /// under a running server).
    public static func checkFree(databasePath: String) throws {
        guard databasePath != ":memory:", let canonical = try? canonicalPath(of: databasePath) else { return }
        let descriptor = open(canonical + ".lock", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        // A shared lock is refused while a server holds its exclusive one.
        guard flock(descriptor, LOCK_SH | LOCK_NB) != 0, errno == EWOULDBLOCK else { return }
        throw StoreError.anotherInstance(pid: holder(descriptor), path: databasePath)
    }

    /// Lets go: removes the file, then closes it (a process waiting on the old file notices).
    /// A file at the path that is not this lock's (this one was deleted, and another server
    /// made its own) is left alone.
    public func release() {
        var held = stat()
        var current = stat()
        if fstat(descriptor, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev {
            unlink(path)
        }
        close(descriptor)
    }

    /// The pid written in a held lock file, if it can be read.
    private static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        // The holder writes its pid just after locking; give it a moment.
        for attempt in 0..<5 {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0, let pid = Int32(String(decoding: buffer[0..<count], as: UTF8.self).filter { $0.isNumber }) {
                return pid
            }
            if attempt < 4 { usleep(10_000) }
        }
        return nil
    }

    /// The absolute path with symbolic links resolved; for a file not created yet, its
    /// directory's canonical path and its name (a symbolic link to a file not created yet is
    /// followed: SQLite creates the file it points to).
    static func canonicalPath(of path: String, links: Int = 0) throws -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        if count > 0, links < 40 {
            let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let directory = SQLiteStore.parentDirectory(of: path)
            return try canonicalPath(of: target.hasPrefix("/") ? target : directory + "/" + target, links: links + 1)
        }
        let directory = SQLiteStore.parentDirectory(of: path)
        let name = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        guard let resolved = realpath(directory, nil) else {
            throw StoreError.cannotOpen(path: path, reason: "the directory \(directory) does not exist")
        }
        defer { free(resolved) }
        let base = String(cString: resolved)
        return (base == "/" ? "" : base) + "/" + name
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
