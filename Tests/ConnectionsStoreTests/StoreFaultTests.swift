import CSQLite
import Foundation
import Testing

@testable import ConnectionsStore

/// Faults about the file under the store (API.md, "Store failures"), the instance lock, and
/// what the CLI's read-only paths leave on disk.
@Suite struct StoreFaultTests {
    private func unavailableCause(_ body: () throws -> Void) -> StoreFault.Cause? {
        do {
            try body()
        } catch StoreError.unavailable(let fault) {
            return fault.cause
        } catch {
            Issue.record("expected StoreError.unavailable, got \(error)")
        }
        return nil
    }

    @Test func aRemovedDatabaseFailsEveryLaterWrite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("x.sqlite")
        let store = try SQLiteStore(path: path)
        try store.writeAndWait { try $0.insertConnection(record("con_1", "Before")) }
        #expect(store.health == .available)
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }

        #expect(unavailableCause { try store.writeAndWait { try $0.insertConnection(record("con_2", "After")) } } == .removed)
        #expect(unavailableCause { try store.writeAndWait { try $0.insertConnection(record("con_3", "Later")) } } == .removed)
        guard case .unavailable(let fault) = store.health else {
            Issue.record("the store still reports itself available")
            return
        }
        #expect(fault.isPermanent)
        #expect(fault.description.hasPrefix("database \(path): removed"))
        try store.close()
        #expect(!FileManager.default.fileExists(atPath: path), "nothing is written at the removed file's path")
    }

    @Test func aReplacedDatabaseIsNeverWrittenAndNoWALIsLeftToReplayOntoIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("x.sqlite")
        let other = directory.path("other.sqlite")
        let theirs = try SQLiteStore(path: other)
        try theirs.writeAndWait { try $0.insertConnection(record("con_theirs", "Theirs")) }
        try theirs.close()

        let store = try SQLiteStore(path: path)
        // Committed to the WAL, not checkpointed yet.
        try store.writeAndWait { try $0.insertConnection(record("con_ours", "Ours")) }
        #expect(rename(other, path) == 0)
        #expect(unavailableCause { try store.writeAndWait { try $0.insertConnection(record("con_2", "After")) } } == .replaced)
        let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(walSize == 0, "the WAL beside the replacement was truncated")
        try store.close()

        let reopened = try SQLiteStore(path: path)
        defer { try? reopened.close() }
        #expect(try reopened.loadAllConnections().map(\.id) == ["con_theirs"])
    }

    /// Another process holding the write lock past the busy timeout: the write is refused as
    /// `locked` (503 at the API), and writing resumes by itself once the lock is let go (the idle
    /// writer's probe write, which a failed, never-reset BEGIN IMMEDIATE used to keep failing
    /// with "SQL statements in progress").
    @Test func aLockHeldByAnotherConnectionPassesOnceLetGo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("x.sqlite")
        let store = try SQLiteStore(path: path, readers: 1, busyTimeoutMilliseconds: 50)
        defer { try? store.close() }
        try store.writeAndWait { try $0.insertConnection(record("con_1", "Before")) }
        let holder = try Database(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        #expect(unavailableCause { try store.writeAndWait { try $0.insertConnection(record("con_2", "Locked")) } } == .locked)
        guard case .unavailable(let fault) = store.health else {
            Issue.record("the store still reports itself available")
            return
        }
        #expect(!fault.isPermanent)
        #expect(fault.description.hasPrefix("database \(path): locked by another process"))
        try holder.execute("ROLLBACK")
        try holder.close()
        // The idle writer probes once a second; no client write is needed to recover.
        var waited = 0
        while store.health != .available && waited < 100 {
            usleep(100_000)
            waited += 1
        }
        #expect(store.health == .available)
        try store.writeAndWait { try $0.insertConnection(record("con_3", "After")) }
        #expect(try store.loadAllConnections().map(\.id).sorted() == ["con_1", "con_3"])
    }

    /// Only the WAL deleted: writes stop, and what was acknowledged before is checkpointed into
    /// the database file, which is still the one at the path.
    @Test func aRemovedWALStopsWritesAndKeepsWhatWasAcknowledged() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("x.sqlite")
        let store = try SQLiteStore(path: path)
        try store.writeAndWait { try $0.insertConnection(record("con_1", "Acknowledged")) }
        #expect(unlink(path + "-wal") == 0)
        #expect(unavailableCause { try store.writeAndWait { try $0.insertConnection(record("con_2", "After")) } } == .removed)
        guard case .unavailable(let fault) = store.health else {
            Issue.record("the store still reports itself available")
            return
        }
        #expect(fault.detail.hasPrefix("\(path)-wal is no longer"))
        try store.close()
        let reopened = try SQLiteStore(path: path)
        defer { try? reopened.close() }
        #expect(try reopened.loadAllConnections().map(\.id) == ["con_1"])
    }

    /// The log hears of a fault once, not once per refused write, and of the recovery.
    @Test func healthChangesAreToldOnce() {
        let monitor = HealthMonitor()
        let heard = LockedValue<[StoreHealth]>([])
        monitor.observe { health in heard.withLock { $0.append(health) } }
        let full = StoreFault(path: "x.sqlite", cause: .diskFull, detail: "database or disk is full")
        monitor.set(.available)
        monitor.set(.unavailable(full))
        monitor.set(.unavailable(StoreFault(path: "x.sqlite", cause: .diskFull, detail: "again")))
        #expect(monitor.permanentFault == nil)
        monitor.set(.available)
        let removed = StoreFault(path: "x.sqlite", cause: .removed, detail: "gone")
        monitor.set(.unavailable(removed))
        #expect(monitor.permanentFault == removed)
        #expect(heard.value == [.unavailable(full), .available, .unavailable(removed)])
    }

    @Test func faultsAreToldApartByCodeAndSystemError() {
        let cases: [(SQLiteError, StoreFault.Cause?)] = [
            (SQLiteError(code: SQLITE_FULL, message: "database or disk is full"), .diskFull),
            (SQLiteError(code: SQLITE_IOERR | (3 << 8), message: "disk I/O error", systemErrno: ENOSPC), .diskFull),
            (SQLiteError(code: SQLITE_IOERR | (3 << 8), message: "disk I/O error", systemErrno: EROFS), .readOnly),
            (SQLiteError(code: SQLITE_IOERR | (3 << 8), message: "disk I/O error", systemErrno: EIO), .ioError),
            (SQLiteError(code: SQLITE_READONLY, message: "attempt to write a readonly database"), .readOnly),
            (SQLiteError(code: SQLITE_NOTADB, message: "file is not a database"), .corrupt),
            (SQLiteError(code: SQLITE_CONSTRAINT_UNIQUE_CODE, message: "UNIQUE constraint failed"), nil),
            (SQLiteError(code: SQLITE_BUSY, message: "database is locked"), .locked),
        ]
        for (error, cause) in cases {
            #expect(StoreFault(error, path: "x.sqlite")?.cause == cause, "\(error)")
        }
        let full = StoreFault(SQLiteError(code: SQLITE_FULL, message: "database or disk is full"), path: "data/x.sqlite")
        #expect(full?.description == "database data/x.sqlite: disk full (database or disk is full)")
    }

    @Test func openFailuresNameThePathAndTheCause() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.path("nowhere/x.sqlite")
        #expect(throws: StoreError.cannotOpen(path: missing, reason: "the directory \(directory.path("nowhere")) does not exist")) {
            try SQLiteStore(path: missing)
        }
        let garbage = directory.path("garbage.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: garbage))
        do {
            _ = try SQLiteStore(path: garbage)
            Issue.record("a file that is not a database opened")
        } catch StoreError.cannotOpen(let path, let reason) {
            #expect(path == garbage)
            #expect(reason.hasPrefix("the file is not a SQLite database, or it is corrupt"))
        }
    }

    @Test func migrationStatusOfAMissingFileCreatesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("new.sqlite")
        let status = try SQLiteStore.migrationStatus(path: path)
        #expect(status.applied.isEmpty)
        #expect(status.pending.map(\.version) == Migrator().migrations.map(\.version))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test func theInstanceLockIsMetByEverySpellingOfThePath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("x.sqlite")
        let link = directory.path("link.sqlite")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        guard let lock = try InstanceLock.acquire(databasePath: path) else {
            Issue.record("no lock for a file database")
            return
        }
        // flock locks belong to their open file, so a second open in this process conflicts too.
        for spelling in [link, directory.path("sub/../x.sqlite"), directory.url.path + "//x.sqlite"] {
            try? FileManager.default.createDirectory(atPath: directory.path("sub"), withIntermediateDirectories: true)
            #expect(throws: StoreError.anotherInstance(pid: getpid(), path: spelling)) {
                _ = try InstanceLock.acquire(databasePath: spelling)
            }
            #expect(throws: StoreError.anotherInstance(pid: getpid(), path: spelling)) {
                try InstanceLock.checkFree(databasePath: spelling)
            }
        }
        lock.release()
        #expect(!FileManager.default.fileExists(atPath: lock.path))
        try InstanceLock.checkFree(databasePath: link)
        let again = try InstanceLock.acquire(databasePath: link)
        #expect(again?.path == lock.path)
        again?.release()
        #expect(try InstanceLock.acquire(databasePath: ":memory:") == nil)
    }

    @Test func theChangeMarkerMovesWithEveryCommitOfAnyConnection() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("x.sqlite")
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        let start = try #require(store.changeMarker)
        _ = try store.connection(id: "con_1")
        #expect(store.changeMarker == start, "a read changes nothing")
        try store.writeAndWait { try $0.insertConnection(record("con_1", "Mine")) }
        let afterOwn = try #require(store.changeMarker)
        #expect(afterOwn != start)

        try foreignCommit(path, "first")
        #expect(store.changeMarker != afterOwn)

        try withStore(.memory) { (memory, _) in #expect(memory.changeMarker == nil) }
    }

    /// What `admin-token rotate` does from another process: a commit through its own connection.
    private func foreignCommit(_ path: String, _ key: String) throws {
        let other = try Database(path: path)
        try other.execute("PRAGMA busy_timeout = 5000")
        try other.execute("INSERT INTO tenant_settings (key, value) VALUES ('\(key)', '{}')")
        try other.close()
    }

    /// The store's own writes are not taken for another process's; another's always shows,
    /// whatever the store wrote after it, and after batches that changed nothing (a commit
    /// writing no WAL frame leaves the header's counter as it was).
    @Test func commitsByOthersAreToldFromTheStoresOwn() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("x.sqlite")
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }

        var stamp = store.changeStamp
        try store.writeAndWait { try $0.insertConnection(record("con_1", "One")) }
        try store.writeAndWait { try $0.insertConnection(record("con_2", "Two")) }
        #expect(!store.committedByOthers(since: stamp))

        try foreignCommit(path, "a")
        #expect(store.committedByOthers(since: stamp))
        try store.writeAndWait { try $0.insertConnection(record("con_3", "Three")) }
        #expect(store.committedByOthers(since: stamp), "an own commit after another's does not hide it")

        stamp = store.changeStamp
        try store.writeAndWait { try $0.insertConnection(record("con_4", "Four")) }
        try store.writeAndWait { _ = try $0.connection(id: "con_1") }
        try store.writeAndWait { try $0.insertConnection(record("con_5", "Five")) }
        stamp = store.changeStamp
        try store.writeAndWait { _ = try $0.connection(id: "con_1") }
        #expect(!store.committedByOthers(since: stamp))
        try foreignCommit(path, "b")
        #expect(store.committedByOthers(since: stamp), "seen after an own batch that wrote nothing")

        try withStore(.memory) { (memory, _) in
            let stamp = memory.changeStamp
            try memory.writeAndWait { try $0.insertConnection(record("con_1", "One")) }
            #expect(!memory.committedByOthers(since: stamp))
        }
    }
}
