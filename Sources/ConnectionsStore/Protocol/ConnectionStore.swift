import SystemThreads

/// What the service and the API need of a store, whichever database is behind it: SQLite
/// (`SQLiteStore`, one instance per file) or PostgreSQL (`PostgresStore`, any number of
/// instances on one database).
///
/// Writes: `write(_:completion:)` queues a job for the store's one writer, which runs jobs in
/// groups, each group in one transaction and each job in its own savepoint. A job's
/// completion runs on the writer's thread, in submission order, once its group's COMMIT is
/// durable (success) or has failed (every job of the group gets the error); if the job
/// throws, only its own changes are undone and the completion gets its error. Completions
/// must not block on the store. After `close()`, completions get `StoreError.closed` at once.
///
/// Reads run on the calling thread against the last commit: once a write's completion has
/// run, every later read sees it.
public protocol ConnectionStore: AnyObject, Sendable {
    /// Names the database in messages and logs: a path, or a URL without its password.
    var path: String { get }

    /// Transactions committed by this store's writer so far (tests see groups form by it).
    var commitCount: Int { get }

    /// Commit durations and group sizes so far (`/metrics`).
    var commitStatistics: CommitStatistics.Snapshot { get }

    /// Whether writes can be made durable now, as the writer last found (API.md, "Store
    /// failures").
    var health: StoreHealth { get }

    /// Calls `observer` each time `health` changes (to log it). It must not block on the store.
    func observeHealth(_ observer: @escaping @Sendable (StoreHealth) -> Void)

    /// This moment, for `committedByOthers(since:)`.
    var changeStamp: ChangeStamp { get }

    /// Whether another process may have committed clients or the admin token since `stamp`
    /// (SQLite: this store's own writes do not count; a memory compare). Asked on every
    /// authenticated request, on an event loop, so it never waits on I/O: PostgreSQL compares
    /// the `credentials_version` it last read into memory (`checkCredentials`, and its change
    /// feed at each notification); while the database is unreachable nothing changes.
    func committedByOthers(since stamp: ChangeStamp) -> Bool

    /// Every client, as `listClients()`, for the request path after `committedByOthers` said
    /// yes: SQLite reads its file; PostgreSQL answers from memory, the copy read with the
    /// version `changeStamp` holds.
    func currentClients() throws -> [ClientRecord]

    /// The admin token's digest, as `adminTokenHash()`, for the request path (as `currentClients`).
    func currentAdminTokenHash() throws -> [UInt8]?

    /// Whether a credentials change was announced that memory has not read yet (PostgreSQL,
    /// for a millisecond or so after each one; SQLite: never). A memory read.
    var credentialsPending: Bool { get }

    /// Calls `then` once the clients and admin token in memory are at least as new as the
    /// database was when this was called (PostgreSQL: after one read of its credentials version,
    /// shared by every caller waiting meanwhile; bounded by the reads' 2 s silence limit, and at
    /// once while the database is known to be unreachable). `then` may run on another thread and
    /// must not block. SQLite: at once (its memory compares are exact).
    func checkCredentials(then: @escaping @Sendable () -> Void)

    /// Calls `observer` with what other processes committed to connections and tenant
    /// settings, as the store learns of it, so the caller's in-memory view catches up. SQLite
    /// serves one instance per file and never calls it.
    func observeChanges(_ observer: @escaping @Sendable ([StoreChange]) -> Void)

    /// Finishes queued writes, then closes every connection. Idempotent.
    func close() throws

    // MARK: Writes

    /// `connectionIDs`: the connections `work` will read (`WriteTransaction.connection(id:)`),
    /// a hint: PostgreSQL reads and locks those of a whole group in one statement before its
    /// jobs run, instead of one round trip per job. A job may read others; SQLite ignores it.
    func write<T: Sendable>(
        locking connectionIDs: [String],
        _ work: @escaping @Sendable (WriteTransaction) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    )

    /// Whether the caller is the writer's thread (where waiting for a write would wait forever).
    var isWriterThread: Bool { get }

    // MARK: Reads

    /// Every connection, ordered by lowercased name, then id, turned into `T` one row at a
    /// time (start-up holds one copy of them, not two).
    func mapConnections<T: Sendable>(_ transform: @escaping @Sendable (ConnectionRecord) throws -> T) throws -> [T]

    /// `mapConnections` with each body as bytes, in place where the store can (start-up's load).
    func mapConnectionRows<T: Sendable>(_ transform: @escaping @Sendable (ConnectionRow) throws -> T) throws -> [T]

    /// The connection with this id, if any.
    func connection(id: String) throws -> ConnectionRecord?

    /// One revision of a connection, with its body, if it is among the connection's newest `keep`
    /// (older rows may still be stored until their amortized delete, `RevisionRetention`).
    func revision(connectionID: String, number: Int, keep: Int) throws -> RevisionRecord?

    /// The newest revision of a connection, live or deleted; `nil` if it never existed.
    func lastRevision(connectionID: String) throws -> RevisionRecord?

    /// At most `limit` revisions numbered below `below`, newest first, without bodies, among the
    /// connection's newest `keep`.
    func revisions(connectionID: String, below: Int, limit: Int, keep: Int) throws -> [RevisionRecord]

    /// The `/prompts` settings JSON, if ever set.
    func tenantSettings() throws -> String?

    /// The client with this id, revoked or not.
    func client(id: String) throws -> ClientRecord?

    /// Every client, revoked ones included, oldest first.
    func listClients() throws -> [ClientRecord]

    /// The token with this hash, with its client's revoked state. Expiry is the caller's check.
    func token(hash: [UInt8]) throws -> TokenRecord?

    /// The stored hash of the generated admin token, if any.
    func adminTokenHash() throws -> [UInt8]?

    /// Every token that has not expired at `now` (Unix seconds), with its client's revoked state.
    func unexpiredTokens(now: Int64) throws -> [TokenRecord]

    /// Whether other instances serve the same database, and so mint tokens this one has not
    /// seen (PostgreSQL): a token unknown in memory must then be looked up.
    var isShared: Bool { get }
}

extension ConnectionStore {
    public func currentClients() throws -> [ClientRecord] { try listClients() }

    public func currentAdminTokenHash() throws -> [UInt8]? { try adminTokenHash() }

    public var credentialsPending: Bool { false }

    public func checkCredentials(then: @escaping @Sendable () -> Void) { then() }

    /// `write(locking:_:completion:)` of a job that reads no connection.
    public func write<T: Sendable>(
        _ work: @escaping @Sendable (WriteTransaction) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        write(locking: [], work, completion: completion)
    }

    /// `write(_:completion:)` blocking the calling thread until the write is durable (for the
    /// CLI). Must not be called from a write job or completion.
    public func writeAndWait<T: Sendable>(_ work: @escaping @Sendable (WriteTransaction) throws -> T) throws -> T {
        precondition(!isWriterThread, "writeAndWait on the writer thread would wait for itself")
        let done = Semaphore()
        let outcome = LockedValue<Result<T, any Error>?>(nil)
        write(work) { result in
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        guard let result = outcome.value else { preconditionFailure("write completed without a result") }
        return try result.get()
    }

    /// Through `mapConnections`: each body is a `String` first (PostgreSQL's rows are text).
    public func mapConnectionRows<T: Sendable>(_ transform: @escaping @Sendable (ConnectionRow) throws -> T) throws -> [T] {
        try mapConnections { record in
            var body = record.body
            return try body.withUTF8 { bytes in
                try transform(
                    ConnectionRow(id: record.id, name: record.name, strategy: record.strategy, body: bytes, revision: record.revision))
            }
        }
    }

    /// Every connection, ordered by lowercased name, then id.
    public func loadAllConnections() throws -> [ConnectionRecord] {
        try mapConnections { $0 }
    }
}

/// Something another process committed, for an instance's in-memory view to catch up with.
public enum StoreChange: Sendable, Equatable {
    /// The connection with this id was created, changed or deleted: read it again.
    case connection(id: String)
    /// The `/prompts` settings changed: read them again.
    case tenantSettings
    /// Changes were missed for good (PostgreSQL: pruned before this instance read them): read
    /// again every connection listed, every one the caller holds, and the settings.
    case everything(connectionIDs: [String])
}
