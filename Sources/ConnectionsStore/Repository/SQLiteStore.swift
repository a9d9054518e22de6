import Glibc
import SystemThreads

/// The SQLite store: one writer thread committing in groups, a small pool of read
/// connections, and the schema migrated on open. One instance serves a file (`InstanceLock`).
///
/// Writes go through `write(_:completion:)` (or `writeAndWait`); their completions run on
/// the writer thread after the commit is durable. Reads run on the calling thread against
/// the last commit. Once a write's completion has run, every later read sees it.
///
/// `Sendable` without `@unchecked`: the only mutable state is behind `Mutex`es and atomics
/// (the queue, the read slots), and the writer's connection never leaves its thread.
public final class SQLiteStore: ConnectionStore {
    /// The path the store was opened with.
    public let path: String
    /// What the connections open (`:memory:` becomes a shared in-memory database).
    let location: Location
    /// Migrations applied when this store opened the database (empty if it was up to date).
    public let appliedMigrations: [Migration]
    private let writer: GroupCommitWriter
    let readers: ReadPool
    private let monitor: HealthMonitor
    private let changes = ChangeWatch()

    /// Page cache per connection. Small on purpose: the server's peak RSS budget is 40 MiB with
    /// 10,000 connections, and the API layer keeps its own copy of what it serves. The writer
    /// holds the indexes' pages (~0.5 MiB each with 10,000 rows); readers only stream rows at
    /// start-up and look tokens up, which a cache does not speed up.
    static let writerCacheKiB = 1_024
    static let readerCacheKiB = 256

    /// Opens (creating) the database at `path`, checks it is in WAL mode, and applies pending
    /// migrations. `:memory:` keeps everything in memory, shared by this store's connections
    /// (WAL does not apply there: readers wait for the writer's commit instead).
    ///
    /// Throws `StoreError.unknownMigrations` when the database was written by a newer version,
    /// `StoreError.notWAL` when the file cannot use WAL, or a `SQLiteError`.
    ///
    /// With `create: false`, a missing file is `StoreError.cannotOpen` instead of a new
    /// database (for CLI commands that only read or remove).
    public convenience init(path: String, readers: Int = 3, create: Bool = true) throws {
        if !create, path != ":memory:", access(path, F_OK) != 0 {
            throw StoreError.cannotOpen(path: path, reason: "no such file")
        }
        try self.init(path: path, readers: readers, busyTimeoutMilliseconds: Database.defaultBusyTimeoutMilliseconds)
    }

    /// Tests shorten the busy timeout to see lock failures without waiting seconds.
    init(path: String, readers: Int, busyTimeoutMilliseconds: Int) throws {
        let location = Self.location(for: path)
        let migrated = LockedValue<[Migration]>([])
        let monitor = HealthMonitor()
        self.monitor = monitor
        let changes = self.changes
        writer = try GroupCommitWriter(path: path, health: monitor, changes: changes) {
            try Self.explainingOpenFailure(path) {
                let database = try Database(path: location.uri)
                try database.configureForStore(
                    requireWAL: location.requiresWAL, cacheKiB: Self.writerCacheKiB, busyTimeoutMilliseconds: busyTimeoutMilliseconds
                )
                let applied = try Migrator().migrate(database)
                migrated.withLock { $0 = applied }
                changes.watch(database)
                return database
            }
        }
        do {
            self.readers = try ReadPool(count: readers) {
                try Self.explainingOpenFailure(path) {
                    let database = try Database(path: location.uri)
                    try database.configureForStore(
                        requireWAL: location.requiresWAL, cacheKiB: Self.readerCacheKiB,
                        busyTimeoutMilliseconds: busyTimeoutMilliseconds
                    )
                    // Reads never write, by construction; query_only makes a slip fail loudly.
                    try database.setPragma("query_only", to: "ON")
                    return database
                }
            }
        } catch {
            // The reader's failure is the one to report; the writer only needs to go.
            try? writer.stop()
            throw error
        }
        self.path = path
        self.location = location
        self.appliedMigrations = migrated.value
    }

    deinit {
        // An explicit close() reports failures; here there is no one left to report them to.
        try? close()
    }

    /// Finishes queued writes, then closes every connection (the last close checkpoints the
    /// WAL). Later writes fail with `StoreError.closed`, later reads throw it. Idempotent.
    public func close() throws {
        changes.close()
        var firstError: (any Error)?
        do { try readers.close() } catch { firstError = error }
        do { try writer.stop() } catch { firstError = firstError ?? error }
        if let firstError { throw firstError }
    }

    /// Transactions committed by the writer so far. Tests use it to see batches form.
    public var commitCount: Int { writer.commitCount }

    /// Whether writes can be made durable now, as the writer last found (API.md, "Store
    /// failures"): after a failure about the file, until a commit succeeds again.
    public var health: StoreHealth { monitor.current }

    /// A marker of every commit so far, by any process: a later marker differs once anything
    /// was committed since (`nil` for `:memory:`, which no other process writes). No system call.
    public var changeMarker: ChangeMarker? { changes.marker }

    /// This moment, for `committedByOthers(since:)`.
    public var changeStamp: ChangeStamp { changes.stamp }

    /// Whether another process (or another store in this one) may have committed to the
    /// database since `stamp`; this store's own writes do not count. No system call: what
    /// `admin-token rotate` or `clients revoke` committed before a request arrived is seen by
    /// it (`ChangeWatch`).
    public func committedByOthers(since stamp: ChangeStamp) -> Bool {
        changes.committedByOthers(since: stamp)
    }

    /// One instance serves a file: tokens are minted by it only.
    public var isShared: Bool { false }

    /// One instance serves a file: nobody else writes connections or settings.
    public func observeChanges(_ observer: @escaping @Sendable ([StoreChange]) -> Void) {}

    /// Calls `observer` on the writer thread each time `health` changes (to log it). It must
    /// not block on the store.
    public func observeHealth(_ observer: @escaping @Sendable (StoreHealth) -> Void) {
        monitor.observe(observer)
    }
    /// Duration and size of the committed write transactions (`/metrics`).
    public var commitStatistics: CommitStatistics.Snapshot { writer.statistics.snapshot }

    public var isWriterThread: Bool { writer.isCurrentThread }

    // MARK: Writes

    /// Queues `work` for the writer thread. `completion` runs on the writer thread, in
    /// submission order, after the batch holding `work` has committed durably (success) or
    /// failed (every job of the batch gets the error); if `work` throws, only its own changes
    /// are rolled back and `completion` gets its error. Completions must not block on the store.
    /// After `close()`, `completion` runs at once on the caller's thread with `StoreError.closed`.
    public func write<T: Sendable>(
        locking connectionIDs: [String],
        _ work: @escaping @Sendable (WriteTransaction) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        writer.submit(work, completion: completion)
    }

    // MARK: Reads

    /// Every connection, ordered by `name_key, id`, turned into `T` one row at a time: a
    /// start-up that loads 10,000 connections holds one copy of them, not two.
    ///
    /// The order is cut into as many ranges as there are read connections but one, loaded at
    /// once on threads of their own (start-up uses both cores of the default three readers; the
    /// one left answers reads by id while the server serves during the load). Each range is read
    /// in its own read transaction: the ranges agree as long as no connection is written
    /// meanwhile, which holds at start-up (writes wait for the loaded catalog).
    public func mapConnections<T: Sendable>(_ transform: @escaping @Sendable (ConnectionRecord) throws -> T) throws -> [T] {
        try mapConnectionRows { try transform($0.record) }
    }

    /// `mapConnections` with each body in SQLite's own buffer (no `String` made of it).
    public func mapConnectionRows<T: Sendable>(_ transform: @escaping @Sendable (ConnectionRow) throws -> T) throws -> [T] {
        let bounds = try readers.read { database -> [ConnectionOrderKey] in
            let count = try database.connectionCount()
            // Parts smaller than this are not worth a thread.
            let parts = min(max(1, readers.count - 1), max(1, count / 256))
            var bounds = [ConnectionOrderKey.first]
            for part in 1..<parts {
                if let key = try database.connectionOrderKey(at: count * part / parts) { bounds.append(key) }
            }
            return bounds
        }
        let ranges = bounds.indices.map { (from: bounds[$0], before: $0 + 1 < bounds.count ? bounds[$0 + 1] : nil) }
        let load: @Sendable (Int) -> Result<[T], any Error> = { [readers] part in
            Result {
                try readers.readLong(part: part) { database in
                    var results: [T] = []
                    try database.forEachConnectionRow(from: ranges[part].from, before: ranges[part].before) {
                        results.append(try transform($0))
                    }
                    return results
                }
            }
        }
        let loaded = LockedValue<[Result<[T], any Error>?]>(Array(repeating: nil, count: ranges.count))
        let finished = Semaphore()
        var spawned = 0
        for part in ranges.indices.dropFirst() {
            do {
                try DetachedThread.spawn {
                    let result = load(part)
                    loaded.withLock { $0[part] = result }
                    finished.signal()
                }
                spawned += 1
            } catch {
                // No thread: this one loads the range itself.
                let result = load(part)
                loaded.withLock { $0[part] = result }
            }
        }
        let first = load(0)
        for _ in 0..<spawned { finished.wait() }
        var results = try first.get()
        for part in loaded.value.dropFirst() {
            guard let part else { preconditionFailure("a range finished without a result") }
            results.append(contentsOf: try part.get())
        }
        return results
    }

    /// The connection with this id, if any.
    public func connection(id: String) throws -> ConnectionRecord? {
        try readers.read { try $0.connectionRecord(id: id) }
    }

    /// One revision of a connection, with its body, if it is among the connection's newest `keep`.
    public func revision(connectionID: String, number: Int, keep: Int) throws -> RevisionRecord? {
        try readers.read { try $0.revisionRecord(connectionID: connectionID, revision: number, keep: keep) }
    }

    /// The newest revision of a connection, live or deleted; `nil` if it never existed.
    public func lastRevision(connectionID: String) throws -> RevisionRecord? {
        try readers.read { try $0.lastRevisionRecord(connectionID: connectionID) }
    }

    /// At most `limit` revisions numbered below `below`, newest first, without bodies, among the
    /// connection's newest `keep`.
    public func revisions(connectionID: String, below: Int, limit: Int, keep: Int) throws -> [RevisionRecord] {
        try readers.read { try $0.revisionRecords(connectionID: connectionID, below: below, limit: limit, keep: keep) }
    }

    /// The `/prompts` settings JSON, if ever set.
    public func tenantSettings() throws -> String? {
        try readers.read { try $0.setting(SQL.tenantSettingsKey) }
    }

    /// The client with this id, revoked or not.
    public func client(id: String) throws -> ClientRecord? {
        try readers.read { try $0.clientRecord(id: id) }
    }

    /// Every client, revoked ones included, oldest first.
    public func listClients() throws -> [ClientRecord] {
        try readers.read { try $0.allClientRecords() }
    }

    /// The token with this hash, with its client's revoked state. Expiry is the caller's check.
    public func token(hash: [UInt8]) throws -> TokenRecord? {
        try readers.read { try $0.tokenRecord(hash: hash) }
    }

    /// The stored hash of the generated admin token, if any.
    public func adminTokenHash() throws -> [UInt8]? {
        try readers.read { try $0.storedAdminTokenHash() }
    }
}
