import Glibc
import Synchronization
import SystemThreads

/// The PostgreSQL store: any number of instances on one database (API.md, "Storage and
/// running several instances"). One writer connection committing in groups
/// (`PostgresWriter`), a few read connections, a feed of what other instances committed
/// (`PostgresChangeFeed`), and the schema migrated once, under an advisory lock, when several
/// instances start together.
public final class PostgresStore: ConnectionStore {
    /// The URL without its password: what messages and logs show.
    public let path: String
    /// Migrations applied when this store opened the database (empty if it was up to date).
    public let appliedMigrations: [Migration]
    private let conninfo: String
    private let writer: PostgresWriter
    private let feed: PostgresChangeFeed
    private let credentials: PostgresCredentials
    private let monitor = HealthMonitor()
    private let readers: [ReadSlot]
    private let nextReader = Atomic<Int>(0)

    /// `pg_advisory_xact_lock` keys of this service (any two 64-bit numbers nobody else uses).
    static let migrationLockKey: Int64 = 0x636f_6e6e_5f6d_6967
    static let changesLockKey: Int64 = 0x636f_6e6e_5f63_6867

    /// Connects to `url` (retrying for up to `connectTimeoutSeconds` while the server cannot be
    /// reached), migrates the schema and starts the writer and the feed. Throws
    /// `StoreError.cannotOpen` naming the URL without its password.
    public init(url: String, readers count: Int = 2, connectTimeoutSeconds: Int = 30) throws {
        let display = PostgresURL.redacted(url)
        let conninfo = Self.conninfo(url)
        path = display
        self.conninfo = conninfo
        let first = try Self.connect(conninfo, display: display, forSeconds: connectTimeoutSeconds)
        do {
            appliedMigrations = try Self.migrate(first)
            // Where the feed starts: nothing before it is news to the catalog loaded next.
            let seq =
                try first.execute(
                    "SELECT greatest((SELECT coalesce(max(seq), 0) FROM changes), (SELECT seq FROM changes_pruned WHERE id = 1))"
                ).int(0, 0) ?? 0
            let credentials = try PostgresCredentials(first, conninfo: conninfo, displayName: display, health: monitor)
            self.credentials = credentials
            var readers: [ReadSlot] = []
            for _ in 0..<max(1, count) {
                readers.append(ReadSlot(try Self.reader(conninfo)))
            }
            self.readers = readers
            feed = try PostgresChangeFeed(
                conninfo: conninfo, displayName: display, instance: Self.instanceID, health: monitor,
                credentials: credentials, after: seq)
            let feed = self.feed
            writer = try PostgresWriter(
                conninfo: conninfo, displayName: display, instance: Self.instanceID, health: monitor, connection: first,
                onUnknownCommit: { feed.readEverythingAgain() })
        } catch let error as PostgresError {
            throw StoreError.cannotOpen(path: display, reason: error.message)
        }
    }

    deinit {
        try? close()
    }

    /// This process's mark on the `changes` it writes.
    private static let instanceID = String(UInt64.random(in: .min ... .max), radix: 16) + "-" + String(getpid())

    /// libpq's options added to the URL: a connection attempt gives up after 2 s (a write
    /// answers 503 within 2 s) and keepalives notice a silent server. (`synchronous_commit` is
    /// set by the writer on its own connection: the URL's `options` stay the operator's.)
    static func conninfo(_ url: String) -> String {
        var options: [String] = []
        if !url.includes("connect_timeout=") { options.append("connect_timeout=2") }
        if !url.includes("application_name=") { options.append("application_name=connections-api") }
        if !url.includes("keepalives") { options += ["keepalives_idle=5", "keepalives_interval=1", "keepalives_count=3"] }
        return url + (url.includes("?") ? "&" : "?") + options.joined(separator: "&")
    }

    private static func connect(_ conninfo: String, display: String, forSeconds seconds: Int) throws -> PostgresConnection {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let end = deadline.tv_sec + seconds
        while true {
            do {
                return try PostgresConnection(conninfo: conninfo)
            } catch let error as PostgresError {
                var now = timespec()
                clock_gettime(CLOCK_MONOTONIC, &now)
                // Refused for a reason waiting does not fix (a wrong password, a missing database).
                let retriable =
                    error.message.includes("Connection refused") || error.message.includes("timeout")
                    || error.message.includes("starting up") || error.message.includes("shutting down")
                    || error.message.includes("No such file")
                guard retriable, now.tv_sec < end else {
                    throw StoreError.cannotOpen(path: display, reason: error.message)
                }
                usleep(500_000)
            }
        }
    }

    /// Applies pending migrations in one transaction holding the migration lock: instances
    /// that start together wait for the first, then find nothing to do.
    static func migrate(_ connection: PostgresConnection, migrations: [Migration] = Migration.embeddedPostgres) throws -> [Migration] {
        try connection.execute("BEGIN")
        do {
            try connection.execute("SELECT pg_advisory_xact_lock(\(migrationLockKey))")
            try connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
            )
            let rows = try connection.execute("SELECT version FROM schema_migrations ORDER BY version")
            let applied = Set((0..<rows.count).compactMap { rows.int($0, 0).map(Int.init) })
            let known = Set(migrations.map(\.version))
            let unknown = applied.subtracting(known).sorted()
            guard unknown.isEmpty else { throw StoreError.unknownMigrations(versions: unknown) }
            let pending = migrations.filter { !applied.contains($0.version) }
            for migration in pending {
                try connection.executeScript(migration.sql)
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, extract(epoch FROM now())::bigint)",
                    [.int(migration.version), .text(migration.name)])
            }
            try connection.execute("COMMIT")
            return pending
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// `migrate --status`: what is applied, pending and unknown, without applying anything.
    public static func migrationStatus(url: String, migrations: [Migration] = Migration.embeddedPostgres) throws -> MigrationStatus {
        let display = PostgresURL.redacted(url)
        do {
            let connection = try PostgresConnection(conninfo: conninfo(url))
            let exists = try connection.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").bool(0, 0)
            guard exists else { return MigrationStatus(applied: [], pending: migrations, unknown: []) }
            let rows = try connection.execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
            let applied = (0..<rows.count).map {
                AppliedMigration(version: Int(rows.int($0, 0) ?? 0), name: rows.string($0, 1) ?? "", appliedAt: rows.int($0, 2) ?? 0)
            }
            let known = Set(migrations.map(\.version))
            let appliedVersions = Set(applied.map(\.version))
            return MigrationStatus(
                applied: applied.filter { known.contains($0.version) },
                pending: migrations.filter { !appliedVersions.contains($0.version) },
                unknown: applied.filter { !known.contains($0.version) })
        } catch let error as PostgresError {
            throw StoreError.cannotOpen(path: display, reason: error.message)
        }
    }

    public func close() throws {
        writer.stop()
        feed.stop()
        credentials.stopChecks()
        for reader in readers { reader.connection.withLock { $0 = nil } }
    }

    public var commitCount: Int { writer.commitCount }

    public var commitStatistics: CommitStatistics.Snapshot { writer.statistics.snapshot }

    public var health: StoreHealth { monitor.current }

    public func observeHealth(_ observer: @escaping @Sendable (StoreHealth) -> Void) {
        monitor.observe(observer)
    }

    public var isShared: Bool { true }

    /// The `credentials_version` last read into memory (asked on event loops).
    public var changeStamp: ChangeStamp { ChangeStamp(marker: nil, foreign: credentials.version) }

    /// Any credentials change, this instance's own included (they are rare: `clients` and
    /// `admin-token` commands, and this server's start).
    public func committedByOthers(since stamp: ChangeStamp) -> Bool {
        credentials.version != stamp.foreign
    }

    public func currentClients() throws -> [ClientRecord] { credentials.current.clients }

    public func currentAdminTokenHash() throws -> [UInt8]? { credentials.current.adminTokenHash }

    public var credentialsPending: Bool { credentials.isStale }

    public func checkCredentials(then: @escaping @Sendable () -> Void) {
        credentials.check(then: then)
    }

    public func observeChanges(_ observer: @escaping @Sendable ([StoreChange]) -> Void) {
        feed.observe(observer)
    }

    public var isWriterThread: Bool { writer.isCurrentThread }

    // MARK: Writes

    public func write<T: Sendable>(
        locking connectionIDs: [String],
        _ work: @escaping @Sendable (WriteTransaction) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        writer.submit(locking: connectionIDs, work, completion: completion)
    }

    // MARK: Reads

    /// One read connection, used by one thread at a time.
    private final class ReadSlot: Sendable {
        let connection: Mutex<PostgresConnection?>

        init(_ connection: sending PostgresConnection) {
            self.connection = Mutex(connection)
        }
    }

    /// How long a read waits for a silent server: then it answers 503, like a write (API.md:
    /// within 2 s), and the connection is opened anew by the next read.
    static let readSilenceLimitMilliseconds: Int32 = 2_000

    private static func reader(_ conninfo: String) throws -> PostgresConnection {
        let connection = try PostgresConnection(conninfo: conninfo)
        connection.silenceLimitMilliseconds = readSilenceLimitMilliseconds
        return connection
    }

    /// Runs `body` on a read connection, reconnecting one that broke; a server that cannot be
    /// reached is `StoreError.unavailable`.
    private func read<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let start = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        let slot = readers[start % readers.count]
        return try slot.connection.withLock { connection -> T in
            do {
                if connection == nil || !(connection?.isOpen ?? false) {
                    connection = try Self.reader(conninfo)
                }
                guard let open = connection else { throw StoreError.closed }
                return try body(open)
            } catch let error as PostgresError where error.isUnavailable {
                connection = nil
                throw StoreError.unavailable(StoreFault(path: path, cause: .unreachable, detail: error.message))
            }
        }
    }

    public func mapConnections<T: Sendable>(_ transform: @escaping @Sendable (ConnectionRecord) throws -> T) throws -> [T] {
        try read { connection in
            let rows = try connection.execute(
                "SELECT \(PostgresRows.connectionColumns) FROM connections ORDER BY name_key COLLATE \"C\", id COLLATE \"C\"")
            return try (0..<rows.count).map { try transform(PostgresRows.connection(rows, $0)) }
        }
    }

    public func connection(id: String) throws -> ConnectionRecord? {
        try read { try PostgresRows.connection($0, id: id) }
    }

    public func revision(connectionID: String, number: Int, keep: Int) throws -> RevisionRecord? {
        try read { try PostgresRows.revision($0, connectionID: connectionID, number: number, keep: keep) }
    }

    public func lastRevision(connectionID: String) throws -> RevisionRecord? {
        try read { try PostgresRows.lastRevision($0, connectionID: connectionID) }
    }

    public func revisions(connectionID: String, below: Int, limit: Int, keep: Int) throws -> [RevisionRecord] {
        try read { try PostgresRows.revisions($0, connectionID: connectionID, below: below, limit: limit, keep: keep) }
    }

    public func tenantSettings() throws -> String? {
        try read { try PostgresRows.tenantSettings($0) }
    }

    public func client(id: String) throws -> ClientRecord? {
        try read { try PostgresRows.client($0, id: id) }
    }

    public func listClients() throws -> [ClientRecord] {
        try read { try PostgresRows.clients($0) }
    }

    /// Tokens this instance verified, for while the server is unreachable (API.md: a client
    /// token verified before the outage keeps working). Entries hold the credentials version
    /// when they were read: a change since (a revocation, say) voids them all.
    private let verifiedTokens = Mutex<[[UInt8]: (record: TokenRecord, generation: UInt64)]>([:])
    static let verifiedTokensLimit = 10_000

    public func token(hash: [UInt8]) throws -> TokenRecord? {
        let generation = credentials.version
        do {
            // Known to be down: answer at once rather than wait for a connection attempt.
            if case .unavailable(let fault) = monitor.current { throw StoreError.unavailable(fault) }
            let record = try read { try PostgresRows.token($0, hash: hash) }
            verifiedTokens.withLock { tokens in
                guard let record, !record.clientRevoked else {
                    tokens[hash] = nil
                    return
                }
                if tokens.count >= Self.verifiedTokensLimit { tokens.removeAll() }
                tokens[hash] = (record, generation)
            }
            return record
        } catch StoreError.unavailable(let fault) {
            let cached = verifiedTokens.withLock { $0[hash] }
            guard let cached, cached.generation == credentials.version else { throw StoreError.unavailable(fault) }
            return cached.record
        }
    }

    public func unexpiredTokens(now: Int64) throws -> [TokenRecord] {
        try read { try PostgresRows.unexpiredTokens($0, now: now) }
    }

    public func adminTokenHash() throws -> [UInt8]? {
        try read { try PostgresRows.adminTokenHash($0) }
    }
}
