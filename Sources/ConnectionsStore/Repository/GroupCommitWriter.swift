import CSQLite
import Glibc
import Synchronization
import SystemThreads

/// The one thread that writes, committing queued jobs in groups.
///
/// Each commit under `synchronous=FULL` costs an fsync, so the writer drains every job queued
/// while the previous commit was syncing (up to `maxBatch`) and commits them together:
/// `BEGIN IMMEDIATE`, each job in its own SAVEPOINT (a failing job is rolled back alone),
/// `COMMIT`, and only then every completion, in submission order. No completion reports
/// success before its commit is durable.
///
/// The connection lives on the thread and never leaves it, so `sqlite3_step` never blocks
/// Swift's cooperative pool and the handle needs no lock.
///
/// Before and after a batch's COMMIT, the writer checks that the files it writes to are still
/// the ones at their paths (up to four stat(2) calls per batch, none per read); an idle writer
/// checks once a second. A failure that is about the file (disk full, read-only, an I/O error,
/// the file removed or replaced) fails the batch with `StoreError.unavailable` and makes the
/// store unavailable (`health`) until a later commit succeeds; the idle writer retries with a
/// probe write. A removed or replaced file is never retried (API.md, "Store failures").
final class GroupCommitWriter: Sendable {
    /// The most jobs one transaction takes, so one batch cannot delay its completions unboundedly.
    static let maxBatch = 256
    /// How long an idle writer sleeps before looking at its files (and retrying a failed store).
    static let idleCheckMilliseconds = 1_000

    private let queue = WriteQueue(maxBatch: maxBatch, idleMilliseconds: idleCheckMilliseconds)
    private let started = Semaphore()
    private let exited = Semaphore()
    private let startup = LockedValue<Result<Void, any Error>?>(nil)
    private let shutdown = LockedValue<(any Error)?>(nil)
    private let commits = Atomic<Int>(0)
    /// Duration and size of every committed batch (`/metrics`).
    let statistics = CommitStatistics()
    /// `pthread_self()` of the writer thread, to catch a blocking wait issued from it.
    private let threadID = Atomic<UInt>(0)
    /// The database path as given, for faults.
    private let path: String
    let health: HealthMonitor
    /// Told of each commit, so this writer's own commits are not taken for another process's.
    private let changes: ChangeWatch

    /// Starts the thread, which opens its connection with `open`, and returns once that
    /// succeeded; rethrows its error otherwise.
    init(
        path: String, health: HealthMonitor, changes: ChangeWatch, open: @escaping @Sendable () throws -> Database
    ) throws {
        self.path = path
        self.health = health
        self.changes = changes
        try DetachedThread.spawn { [self] in
            self.run(open: open)
        }
        started.wait()
        if case .failure(let error) = startup.value {
            exited.wait()
            throw error
        }
    }

    /// Transactions committed so far (for tests and metrics).
    var commitCount: Int { commits.load(ordering: .relaxed) }

    /// Whether the caller is this writer's thread.
    var isCurrentThread: Bool {
        threadID.load(ordering: .relaxed) == UInt(pthread_self())
    }

    /// Queues `work`; fails it with `StoreError.closed` once the writer is stopping.
    func submit<T: Sendable>(
        _ work: @escaping @Sendable (WriteTransaction) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        queue.submit(work, completion: completion)
    }

    /// Runs every job already queued, closes the connection and ends the thread. Rethrows a
    /// failure to close. Later calls return at once.
    ///
    /// Called on the writer thread itself (the store's last reference released by a
    /// completion), it cannot wait for the thread to end: the thread finishes on its own.
    func stop() throws {
        guard queue.stop() else { return }
        guard !isCurrentThread else { return }
        exited.wait()
        if let error = shutdown.value { throw error }
    }

    // MARK: The thread

    private func run(open: () throws -> Database) {
        defer { exited.signal() }
        threadID.store(UInt(pthread_self()), ordering: .relaxed)
        let database: Database
        do {
            database = try open()
            startup.withLock { $0 = .success(()) }
            started.signal()
        } catch {
            startup.withLock { $0 = .failure(error) }
            started.signal()
            return
        }
        // The WAL file as the connection opened it (opening a WAL database opens or creates
        // it): SQLite does not replace it while any connection is open.
        let wal = FileIdentity(path: path + "-wal")
        database.countWALCommits()
        let transaction = SQLiteWriteTransaction(database: database)
        writing: while true {
            let jobs: [QueuedWrite]
            switch queue.next() {
            case .finished: break writing
            case .idle:
                checkWhileIdle(database, wal: wal)
                continue
            case .batch(let batch): jobs = batch
            }
            var remaining = jobs[...]
            while !remaining.isEmpty {
                remaining = runBatch(remaining, database: database, wal: wal, transaction: transaction)
            }
        }
        // A file moved since the last batch: SQLite would neither checkpoint nor delete the
        // WAL at close (it sees the move), and the WAL would replay onto whatever file is at
        // the path at the next start.
        if health.permanentFault == nil, let fault = movedFault(database, wal: wal) { giveUp(fault, database: database) }
        do {
            try database.close()
        } catch {
            shutdown.withLock { $0 = error }
        }
    }

    // MARK: Faults

    /// The database or WAL file at its path is no longer the one the connection writes to
    /// (one or two stat(2) calls).
    private func movedFault(_ database: Database, wal: FileIdentity?) -> StoreFault? {
        let file: String
        if database.hasMoved {
            file = path
        } else if let wal, FileIdentity(path: path + "-wal") != wal {
            file = path + "-wal"
        } else {
            return nil
        }
        var status = stat()
        let removed = stat(file, &status) != 0 && errno == ENOENT
        return StoreFault(
            path: path, cause: removed ? .removed : .replaced,
            detail: "\(file) is no longer the file this server opened")
    }

    /// Ends writing for good after a file moved: checkpoints the WAL into the database file the
    /// connection has open (the moved one) and truncates the WAL, both through the open files,
    /// so no WAL is left that would replay onto another file, then refuses every later write.
    private func giveUp(_ fault: StoreFault, database: Database) {
        if database.isInTransaction { try? database.cachedStatement("ROLLBACK").run() }
        // Should the checkpoint fail, the WAL stays as SQLite left it; the log says why.
        var detail = fault.detail
        do { try database.checkpointAndTruncateWAL() } catch { detail += "; truncating its WAL failed: \(error)" }
        health.set(.unavailable(StoreFault(path: fault.path, cause: fault.cause, detail: detail)))
    }

    /// An idle writer looks for a moved file, and retries a store that failed with a probe
    /// write (a row rewritten as it is): a full disk or a read-only file system is noticed
    /// to be fixed without waiting for a client's write.
    private func checkWhileIdle(_ database: Database, wal: FileIdentity?) {
        guard health.permanentFault == nil else { return }
        if let fault = movedFault(database, wal: wal) {
            giveUp(fault, database: database)
            return
        }
        guard case .unavailable = health.current else { return }
        do {
            try database.writeTransaction {
                try database.cachedStatement(
                    "UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT max(version) FROM schema_migrations)"
                ).run()
            }
            if let fault = movedFault(database, wal: wal) { giveUp(fault, database: database) } else { health.set(.available) }
        } catch {
            if let fault = StoreFault.from(error, path: path) { health.set(.unavailable(fault)) }
        }
    }

    /// Runs `jobs` in one transaction and delivers their results. Returns the jobs not run
    /// because SQLite abandoned the transaction midway (they go into a fresh one).
    private func runBatch(
        _ jobs: ArraySlice<QueuedWrite>, database: Database, wal: FileIdentity?, transaction: SQLiteWriteTransaction
    ) -> ArraySlice<QueuedWrite> {
        if let fault = health.permanentFault {
            for job in jobs { job.fail(StoreError.unavailable(fault)) }
            return []
        }
        let began = CommitStatistics.monotonicSeconds()
        do {
            try database.cachedStatement("BEGIN IMMEDIATE").run()
        } catch {
            let error = unavailable(error)
            for job in jobs { job.fail(error) }
            return []
        }
        var deliveries: [(_ batchError: (any Error)?) -> Void] = []
        deliveries.reserveCapacity(jobs.count)
        var batchError: (any Error)?
        var next = jobs.startIndex
        while next < jobs.endIndex, batchError == nil {
            let job = jobs[next]
            next += 1
            do {
                try database.cachedStatement("SAVEPOINT job").run()
            } catch {
                batchError = error
                deliveries.append { job.fail($0 ?? error) }
                break
            }
            transaction.isActive = true
            let outcome = job.run(transaction)
            transaction.isActive = false
            deliveries.append(outcome.deliver)
            // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) make SQLite roll back the whole
            // transaction itself (https://sqlite.org/lang_transaction.html): nothing of this
            // batch survives, and the savepoint is gone.
            guard database.isInTransaction else {
                batchError = outcome.failure ?? Self.abandoned
                break
            }
            // A job that failed on the file (disk full, I/O) fails the whole batch: the
            // commit would meet the same fault.
            if let failure = outcome.failure, StoreFault.from(failure, path: path) != nil {
                batchError = failure
                break
            }
            do {
                if outcome.failure != nil {
                    try database.cachedStatement("ROLLBACK TO job").run()
                }
                try database.cachedStatement("RELEASE job").run()
            } catch {
                batchError = error
            }
        }
        // A file no longer at its path: a commit would land where the next start does not
        // look (or, for a deleted WAL, be checkpointed into the database without an answer).
        var moved = batchError == nil ? movedFault(database, wal: wal) : nil
        if let moved { batchError = StoreError.unavailable(moved) }
        if batchError == nil {
            do {
                changes.writerWillCommit()
                let before = database.walCommitCount
                try database.cachedStatement("COMMIT").run()
                changes.writerCommitted(wroteFrames: database.walCommitCount != before)
                commits.add(1, ordering: .relaxed)
                statistics.record(seconds: CommitStatistics.monotonicSeconds() - began, writes: deliveries.count)
            } catch {
                batchError = error
            }
        }
        if batchError != nil, database.isInTransaction {
            // Every job of the batch already gets `batchError`; should ROLLBACK fail too, the
            // next BEGIN IMMEDIATE fails and reports it to the next batch.
            try? database.cachedStatement("ROLLBACK").run()
        }
        if batchError == nil {
            // Moved while committing: not acknowledged either.
            moved = movedFault(database, wal: wal)
            if let moved { batchError = StoreError.unavailable(moved) } else { health.set(.available) }
        } else if let error = batchError {
            batchError = unavailable(error)
        }
        if let moved { giveUp(moved, database: database) }
        for deliver in deliveries { deliver(batchError) }
        // After the answers, not inside COMMIT as SQLite's own hook would: the batch's clients
        // do not wait for the copy into the database file and its fsync (BENCHMARKS.md, "History
        // full: the steady state of a long-lived server"). Not into a file no longer at its path.
        if health.permanentFault == nil, !database.isInTransaction { database.checkpointIfDue() }
        if case .unavailable(let fault) = batchError as? StoreError {
            // The rest of the batch would meet the same fault.
            for job in jobs[next...] { job.fail(StoreError.unavailable(fault)) }
            return []
        }
        return jobs[next...]
    }

    /// `error` as `StoreError.unavailable` when it is about the file (and the store marked
    /// unavailable); unchanged otherwise.
    private func unavailable(_ error: any Error) -> any Error {
        guard let fault = StoreFault.from(error, path: path) else { return error }
        if health.permanentFault == nil { health.set(.unavailable(fault)) }
        return StoreError.unavailable(health.permanentFault ?? fault)
    }

    private static let abandoned = SQLiteError(
        code: SQLITE_ABORT, message: "SQLite rolled back the write transaction", sql: nil
    )
}

/// A file's device and inode: what tells the file at a path from another put there.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64

    /// The file at `path` now; `nil` when there is none.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}
