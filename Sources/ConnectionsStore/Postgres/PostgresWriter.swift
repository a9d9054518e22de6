import Glibc
import Synchronization
import SystemThreads

/// The PostgreSQL store's one writer: a thread with its own connection that runs queued jobs
/// in groups, as `GroupCommitWriter` does for SQLite. Each group is one transaction
/// (`synchronous_commit` on: COMMIT returns once the WAL is flushed), each job a SAVEPOINT
/// rolled back alone when it throws; no completion runs before its group's COMMIT returned.
///
/// When the server is unreachable, the group fails at once with `StoreError.unavailable`
/// (503), and the writer reconnects before each later group and every second while idle, so
/// the store recovers by itself once the server is back. A deadlock or serialization failure
/// with another instance retries the whole group (its jobs' effects were all rolled back).
final class PostgresWriter: Sendable {
    static let maxBatch = 256
    static let idleCheckMilliseconds = 1_000
    /// How often a group that met a deadlock with another instance is tried again.
    static let retries = 3

    private let queue = WriteQueue(maxBatch: maxBatch, idleMilliseconds: idleCheckMilliseconds)
    private let exited = Semaphore()
    private let commits = Atomic<Int>(0)
    let statistics = CommitStatistics()
    private let threadID = Atomic<UInt>(0)
    /// When the writer last found the server unreachable (monotonic ms; only its thread uses it).
    private let lostAt = Atomic<Int>(.min / 2)
    /// A group within this long of that fails at once rather than try to connect again: a
    /// server that hangs makes every attempt wait for libpq's connect_timeout (2 s), and the
    /// groups queued behind one attempt would wait for it and then for one of their own.
    static let reconnectIntervalMilliseconds = 1_000
    private let conninfo: String
    private let displayName: String
    private let instance: String
    let health: HealthMonitor
    /// Called when a COMMIT's outcome is unknown (the store has the change feed read everything).
    private let unknownCommit: @Sendable () -> Void

    init(
        conninfo: String, displayName: String, instance: String, health: HealthMonitor, connection: sending PostgresConnection,
        onUnknownCommit: @escaping @Sendable () -> Void
    ) throws {
        self.unknownCommit = onUnknownCommit
        self.conninfo = conninfo
        self.displayName = displayName
        self.instance = instance
        self.health = health
        let handoff = Mutex<PostgresConnection?>(connection)
        try DetachedThread.spawn { [self] in
            let connection = handoff.withLock { value -> PostgresConnection? in
                defer { value = nil }
                return value
            }
            if let connection, (try? Self.prepare(connection)) == nil { connection.close() }
            self.run(connection)
        }
    }

    var commitCount: Int { commits.load(ordering: .relaxed) }

    var isCurrentThread: Bool { threadID.load(ordering: .relaxed) == UInt(pthread_self()) }

    /// Queues `work`; fails it with `StoreError.closed` once the writer is stopping.
    func submit<T: Sendable>(
        locking connectionIDs: [String],
        _ work: @escaping @Sendable (WriteTransaction) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        queue.submit(locking: connectionIDs, work, completion: completion)
    }

    /// Runs every job already queued, then ends the thread. Later calls return at once.
    func stop() {
        guard queue.stop() else { return }
        guard !isCurrentThread else { return }
        exited.wait()
    }

    private func run(_ initial: PostgresConnection?) {
        defer { exited.signal() }
        threadID.store(UInt(pthread_self()), ordering: .relaxed)
        var connection = initial
        writing: while true {
            let jobs: [QueuedWrite]
            switch queue.next() {
            case .finished: break writing
            case .idle:
                checkWhileIdle(&connection)
                continue
            case .batch(let batch): jobs = batch
            }
            guard let open = reconnected(&connection, unlessLostWithin: Self.reconnectIntervalMilliseconds) else {
                let error = StoreError.unavailable(faultNow)
                for job in jobs { job.fail(error) }
                continue
            }
            runBatch(jobs[...], connection: open)
        }
    }

    /// How long the writer waits for a silent server (a statement, or room to send a group):
    /// then the group fails as unreachable (503), as when the server is down (API.md: within
    /// 2 s), instead of waiting for a hung server until TCP gives up.
    static let silenceLimitMilliseconds: Int32 = 2_000

    /// A 2xx write is committed durably (API.md): COMMIT returns once the WAL is flushed,
    /// whatever the server's or role's default.
    private static func prepare(_ connection: PostgresConnection) throws {
        connection.silenceLimitMilliseconds = silenceLimitMilliseconds
        try connection.execute("SET synchronous_commit TO on")
    }

    private var faultNow: StoreFault {
        if case .unavailable(let fault) = health.current { return fault }
        return StoreFault(path: displayName, cause: .unreachable, detail: "no connection")
    }

    /// The connection, opened again if it broke; `nil` (and the store unavailable) when the
    /// server cannot be reached.
    /// `unlessLostWithin`: gives up at once if the server was found unreachable that recently.
    private func reconnected(_ connection: inout PostgresConnection?, unlessLostWithin interval: Int? = nil) -> PostgresConnection? {
        if let open = connection, open.isOpen { return open }
        if let interval, Self.nowMilliseconds - lostAt.load(ordering: .relaxed) < interval { return nil }
        do {
            let fresh = try PostgresConnection(conninfo: conninfo)
            try Self.prepare(fresh)
            connection = fresh
            return fresh
        } catch {
            connection = nil
            markUnavailable(error)
            return nil
        }
    }

    /// Idle and unavailable: tries the server, so `/healthz` recovers without waiting for a write.
    private func checkWhileIdle(_ connection: inout PostgresConnection?) {
        guard case .unavailable = health.current else {
            // Notice a server gone while idle: /healthz answers degraded within seconds.
            if let open = connection {
                do { try open.execute("SELECT 1") } catch { markUnavailable(error) }
            }
            return
        }
        guard let open = reconnected(&connection) else { return }
        do {
            try open.execute("SELECT 1")
            health.set(.available)
        } catch {
            markUnavailable(error)
        }
    }

    private static var nowMilliseconds: Int { Int(CommitStatistics.monotonicSeconds() * 1_000) }

    private func markUnavailable(_ error: any Error) {
        lostAt.store(Self.nowMilliseconds, ordering: .relaxed)
        let detail = (error as? PostgresError)?.message ?? "\(error)"
        health.set(.unavailable(StoreFault(path: displayName, cause: .unreachable, detail: detail)))
    }

    /// `error` as the store reports it: `StoreError.unavailable` when the server is unreachable.
    private func reported(_ error: any Error) -> any Error {
        guard let error = error as? PostgresError, error.isUnavailable else { return error }
        markUnavailable(error)
        return StoreError.unavailable(faultNow)
    }

    private func runBatch(_ jobs: ArraySlice<QueuedWrite>, connection: PostgresConnection) {
        var attempt = 0
        var pipelined = true
        while true {
            attempt += 1
            let (deliveries, batchError) = attemptBatch(jobs, connection: connection, pipelined: pipelined)
            let serverError = batchError as? PostgresError
            if pipelined, batchError != nil, !(serverError?.isUnavailable ?? false), !(serverError?.isRetryable ?? false) {
                // A statement failed or did not do what its job was told: once more, one
                // statement at a time, where the job that fails fails alone.
                pipelined = false
                attempt -= 1
                continue
            }
            if let serverError, serverError.isRetryable, attempt < Self.retries { continue }
            let reportedError = batchError.map(reported)
            if reportedError == nil { health.set(.available) }
            for deliver in deliveries { deliver(reportedError) }
            return
        }
    }

    /// One try at a group: its deliveries, and the error that failed the whole group (`nil`
    /// once COMMIT returned).
    ///
    /// `pipelined`: in a `PostgresPipeline`, the connections the jobs named are read and locked
    /// first, in one statement, rows are written in batches (`PostgresWriteTransaction`), no
    /// job waits for its writes and no job has a savepoint; any failure is the group's (and
    /// `runBatch` tries again one statement at a time), except a job that fails on its own
    /// before writing anything (a failed `If-Match`), which fails alone. Otherwise: one
    /// statement at a time, a SAVEPOINT per job, rolled back alone when the job throws.
    private func attemptBatch(
        _ jobs: ArraySlice<QueuedWrite>, connection: PostgresConnection, pipelined: Bool
    ) -> ([(_ batchError: (any Error)?) -> Void], (any Error)?) {
        let began = CommitStatistics.monotonicSeconds()
        let pipeline: PostgresPipeline?
        do {
            pipeline = pipelined ? try PostgresPipeline(connection: connection) : nil
            if !pipelined { try connection.execute("BEGIN") }
        } catch {
            if pipelined { connection.close() }
            return (jobs.map { job in { job.fail($0 ?? error) } }, error)
        }
        let transaction = PostgresWriteTransaction(statements: pipeline ?? connection, instance: instance, batching: pipelined)
        var deliveries: [(_ batchError: (any Error)?) -> Void] = []
        var batchError: (any Error)?
        do {
            try transaction.lock(connectionIDs: jobs.flatMap(\.connectionIDs))
        } catch {
            batchError = error
        }
        for job in jobs {
            if batchError != nil {
                deliveries.append { job.fail($0 ?? StoreError.closed) }
                continue
            }
            do {
                if let pipeline {
                    deliveries.append(try run(job, in: transaction, pipeline: pipeline))
                } else {
                    deliveries.append(try run(job, in: transaction, savepointOn: connection))
                }
            } catch {
                deliveries.append { job.fail($0 ?? error) }
                batchError = error
            }
        }
        if batchError == nil {
            var commitSent = false
            do {
                try transaction.recordChanges()
                if let pipeline {
                    defer { commitSent = pipeline.commitSent }
                    try pipeline.commit()
                } else {
                    commitSent = true
                    try connection.execute("COMMIT")
                }
                commits.add(1, ordering: .relaxed)
                statistics.record(seconds: CommitStatistics.monotonicSeconds() - began, writes: deliveries.count)
                return (deliveries, nil)
            } catch {
                batchError = error
                // The connection was lost after COMMIT went out: the group is answered 503 but
                // may have committed. The feed passes this instance's own rows over, so it is
                // told to read everything again (once the server answers).
                if commitSent, (error as? PostgresError)?.isUnavailable ?? false { unknownCommit() }
            }
        }
        if let pipeline {
            pipeline.abandon()
        } else if connection.isOpen {
            // An open connection rolls back; a broken one rolled back with the session.
            _ = try? connection.execute("ROLLBACK")
        }
        return (deliveries, batchError)
    }

    /// Runs a job in the group's pipeline; throws what fails the group.
    private func run(
        _ job: QueuedWrite, in transaction: PostgresWriteTransaction, pipeline: PostgresPipeline
    ) throws -> (_ batchError: (any Error)?) -> Void {
        let writes = transaction.writes
        let outcome = run(job, in: transaction)
        if let failure = pipeline.failure { throw failure }
        // What it wrote (or batched) cannot be undone without a savepoint.
        if outcome.failure != nil, transaction.writes != writes { throw PostgresPipeline.Mismatch() }
        if pipeline.sent { try pipeline.flush() }
        return outcome.deliver
    }

    /// Runs a job in a savepoint of its own, rolled back if it throws; throws what fails the group.
    private func run(
        _ job: QueuedWrite, in transaction: PostgresWriteTransaction, savepointOn connection: PostgresConnection
    ) throws -> (_ batchError: (any Error)?) -> Void {
        try connection.execute("SAVEPOINT job")
        let noted = transaction.changes.count
        let outcome = run(job, in: transaction)
        if let failure = outcome.failure as? PostgresError, failure.isUnavailable || failure.isRetryable { throw failure }
        if outcome.failure != nil {
            transaction.changes.removeLast(transaction.changes.count - noted)
            try connection.execute("ROLLBACK TO SAVEPOINT job")
        }
        try connection.execute("RELEASE SAVEPOINT job")
        return outcome.deliver
    }

    private func run(_ job: QueuedWrite, in transaction: PostgresWriteTransaction) -> QueuedWrite.Outcome {
        transaction.isActive = true
        defer { transaction.isActive = false }
        return job.run(transaction)
    }
}
