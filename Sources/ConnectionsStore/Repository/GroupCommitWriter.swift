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
final class GroupCommitWriter: Sendable {
    /// The most jobs one transaction takes, so one batch cannot delay its completions unboundedly.
    static let maxBatch = 256

    private struct Queue {
        var jobs: [QueuedWrite] = []
        var stopping = false
    }

    private let queue = Mutex(Queue())
    /// Signalled once per submission and on stop; extra signals only cause an empty pass.
    private let wakeup = Semaphore()
    private let started = Semaphore()
    private let exited = Semaphore()
    private let startup = LockedValue<Result<Void, any Error>?>(nil)
    private let shutdown = LockedValue<(any Error)?>(nil)
    private let commits = Atomic<Int>(0)
    /// `pthread_self()` of the writer thread, to catch a blocking wait issued from it.
    private let threadID = Atomic<UInt>(0)

    /// Starts the thread, which opens its connection with `open`, and returns once that
    /// succeeded; rethrows its error otherwise.
    init(open: @escaping @Sendable () throws -> Database) throws {
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

    /// Queues a job. Returns `false`, without queueing, once the writer is stopping.
    func submit(_ job: QueuedWrite) -> Bool {
        let queued = queue.withLock { queue -> Bool in
            guard !queue.stopping else { return false }
            queue.jobs.append(job)
            return true
        }
        if queued { wakeup.signal() }
        return queued
    }

    /// Runs every job already queued, closes the connection and ends the thread. Rethrows a
    /// failure to close. Later calls return at once.
    ///
    /// Called on the writer thread itself (the store's last reference released by a
    /// completion), it cannot wait for the thread to end: the thread finishes on its own.
    func stop() throws {
        let first = queue.withLock { queue -> Bool in
            defer { queue.stopping = true }
            return !queue.stopping
        }
        guard first else { return }
        wakeup.signal()
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
        let transaction = WriteTransaction(database: database)
        while true {
            let (jobs, finished) = queue.withLock { queue -> ([QueuedWrite], Bool) in
                let count = min(queue.jobs.count, Self.maxBatch)
                let jobs = Array(queue.jobs.prefix(count))
                queue.jobs.removeFirst(count)
                return (jobs, jobs.isEmpty && queue.stopping)
            }
            if finished { break }
            if jobs.isEmpty {
                wakeup.wait()
                continue
            }
            var remaining = jobs[...]
            while !remaining.isEmpty {
                remaining = runBatch(remaining, database: database, transaction: transaction)
            }
        }
        do {
            try database.close()
        } catch {
            shutdown.withLock { $0 = error }
        }
    }

    /// Runs `jobs` in one transaction and delivers their results. Returns the jobs not run
    /// because SQLite abandoned the transaction midway (they go into a fresh one).
    private func runBatch(
        _ jobs: ArraySlice<QueuedWrite>, database: Database, transaction: WriteTransaction
    ) -> ArraySlice<QueuedWrite> {
        do {
            try database.cachedStatement("BEGIN IMMEDIATE").run()
        } catch {
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
            do {
                if outcome.failure != nil {
                    try database.cachedStatement("ROLLBACK TO job").run()
                }
                try database.cachedStatement("RELEASE job").run()
            } catch {
                batchError = error
            }
        }
        if batchError == nil {
            do {
                try database.cachedStatement("COMMIT").run()
                commits.add(1, ordering: .relaxed)
            } catch {
                batchError = error
            }
        }
        if batchError != nil, database.isInTransaction {
            // Every job of the batch already gets `batchError`; should ROLLBACK fail too, the
            // next BEGIN IMMEDIATE fails and reports it to the next batch.
            try? database.cachedStatement("ROLLBACK").run()
        }
        for deliver in deliveries { deliver(batchError) }
        return jobs[next...]
    }

    private static let abandoned = SQLiteError(
        code: SQLITE_ABORT, message: "SQLite rolled back the write transaction", sql: nil
    )
}
