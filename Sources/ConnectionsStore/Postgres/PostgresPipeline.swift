/// Where a write transaction's statements go: straight to the connection, one round trip each
/// (`PostgresConnection`), or into a group's pipeline (`PostgresPipeline`).
protocol PostgresStatements: AnyObject {
    /// Runs a statement and returns its rows, once they arrived.
    func execute(_ sql: String, _ parameters: [PostgresValue]) throws -> PostgresResult

    /// Runs a statement whose rows the job does not read. Returns how many rows it changed, or
    /// `nil` in a pipeline, where the result is checked later against `expecting`.
    func write(_ sql: String, _ parameters: [PostgresValue], expecting: PostgresExpectation) throws -> Int?
}

/// What a statement sent without waiting must turn out to have done; anything else is a
/// `PostgresPipeline.Mismatch`.
enum PostgresExpectation {
    /// It succeeded.
    case success
    /// It succeeded and changed at least one row (what the job was told).
    case changesRows
    /// It succeeded and changed exactly this many rows (a batch: one per job).
    case changesExactly(Int)
    /// A COMMIT that committed.
    case committed
}

/// One group's transaction in libpq's pipeline mode
/// (https://www.postgresql.org/docs/15/libpq-pipeline-mode.html): a statement whose rows a job
/// does not read (every INSERT, UPDATE and DELETE) is sent without waiting, and told it
/// succeeded; its result is read in order when the job next reads rows, or at COMMIT. A group
/// of creates costs one round trip instead of four or five per job (and, batched by
/// `PostgresWriteTransaction`, a handful of statements instead of two per job).
///
/// Optimistic: the first statement that fails, or did not do what the job was told, makes the
/// server skip the rest, and the group is then run again one statement at a time with a
/// SAVEPOINT per job (`PostgresWriter`), where the failing job fails alone with the right
/// error. No result reaches a client from a pipeline that did not COMMIT.
///
/// libpq's connection stays blocking: the server's answers to a group are a few dozen bytes
/// per statement (rows are only read when a job waits for them), far below the socket's
/// buffer, so neither side can block the other while sending.
final class PostgresPipeline: PostgresStatements {
    /// A statement of the pipeline did not do what its job was told.
    struct Mismatch: Error {}

    private let connection: PostgresConnection
    /// Expectations of the statements sent whose results are not read yet, in order.
    private var pending: [PostgresExpectation] = []
    /// Syncs sent whose result is not read yet.
    private var syncs = 0
    /// The first failure: nothing more is sent after it.
    private(set) var failure: (any Error)?
    /// Whether statements were queued since the last `flush` (or read).
    private(set) var sent = false
    /// Whether COMMIT went out: from then on, a lost connection leaves the outcome unknown.
    private(set) var commitSent = false

    /// Enters pipeline mode and begins the transaction.
    init(connection: PostgresConnection) throws {
        self.connection = connection
        try connection.enterPipelineMode()
        _ = try write("BEGIN", [], expecting: .success)
    }

    func write(_ sql: String, _ parameters: [PostgresValue], expecting: PostgresExpectation) throws -> Int? {
        try failing {
            try connection.send(sql, parameters)
            pending.append(expecting)
            sent = true
            return nil
        }
    }

    func execute(_ sql: String, _ parameters: [PostgresValue]) throws -> PostgresResult {
        try failing {
            try connection.send(sql, parameters)
            try connection.flushPipeline()
            try readPending()
            switch try nextResult() {
            case .done(let result): return result
            case .failed(let error): throw error
            case .aborted, .synchronized: throw Mismatch()
            }
        }
    }

    /// Sends what the last job queued, so the server runs it while the writer runs the next.
    func flush() throws {
        try failing { try connection.flush() }
        sent = false
    }

    /// Sends COMMIT and ends the pipeline: returns once COMMIT returned (the WAL flushed), and
    /// throws the pipeline's first failure otherwise.
    ///
    /// COMMIT is sent only once every earlier statement has answered: a server that stops
    /// answering (hung, or behind a network that drops everything) before then never receives
    /// a COMMIT, so the group that was answered 503 cannot commit when it wakes up. Only a
    /// COMMIT sent and unanswered within the silence limit leaves the outcome unknown. One more
    /// round trip per group.
    func commit() throws {
        try failing {
            if !pending.isEmpty {
                try connection.flushPipeline()
                try readPending()
            }
            try connection.send("COMMIT", [])
            commitSent = true
            pending.append(.committed)
            try sync()
            try readPending()
        }
        // Committed: nothing from here on may fail the group, which would then be run again.
        do {
            guard case .synchronized = try nextResult() else { throw Mismatch() }
            try connection.exitPipelineMode()
            connection.prepareWanted()
        } catch {
            connection.close()
        }
    }

    /// After a failure: reads what is left, leaves pipeline mode and rolls the transaction
    /// back. A connection that cannot be brought back is closed (the writer opens another).
    func abandon() {
        do {
            if syncs == 0 { try sync() }
            while syncs > 0 { _ = try nextResult() }
            try connection.exitPipelineMode()
            try connection.execute("ROLLBACK")
        } catch {
            connection.close()
        }
    }

    /// Runs `body` unless the pipeline failed already, and keeps the first failure.
    private func failing<T>(_ body: () throws -> T) throws -> T {
        if let failure { throw failure }
        do {
            return try body()
        } catch {
            failure = error
            throw error
        }
    }

    private func sync() throws {
        try connection.pipelineSync()
        syncs += 1
    }

    private func nextResult() throws -> PostgresConnection.PipelineResult {
        let result = try connection.nextPipelineResult()
        if case .synchronized = result { syncs -= 1 }
        return result
    }

    /// Reads the results of the statements sent without waiting, checking each.
    private func readPending() throws {
        while !pending.isEmpty {
            let expected = pending.removeFirst()
            switch try nextResult() {
            case .done(let result):
                switch expected {
                case .success: break
                case .changesRows: guard result.affected > 0 else { throw Mismatch() }
                case .changesExactly(let count): guard result.affected == count else { throw Mismatch() }
                case .committed: guard result.command == "COMMIT" else { throw Mismatch() }
                }
            case .failed(let error): throw error
            case .aborted, .synchronized: throw Mismatch()
            }
        }
    }
}

@available(*, unavailable, message: "wraps the writer thread's connection")
extension PostgresPipeline: Sendable {}
