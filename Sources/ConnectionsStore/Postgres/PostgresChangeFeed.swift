import Glibc
import Synchronization
import SystemThreads

/// How one instance learns what the others committed: a thread with its own connection that
/// `LISTEN`s on `connections_api_changes` and, at each notification from another instance
/// (the payload names the instance that committed) and every `pollMilliseconds` (in case one
/// was missed), reads the `changes` rows past the last one it saw. Rows are written in the
/// committing transactions, so after a missed notification or a reconnect nothing is skipped;
/// its own instance's rows are passed over, except after a COMMIT of this instance whose
/// outcome is unknown (`readEverythingAgain`).
///
/// Connections and settings go to the observer (the service reads them again through its
/// commit path). The feed also keeps the in-memory credentials (`PostgresCredentials`) current:
/// at each notification on their own channel, and after each reconnect.
final class PostgresChangeFeed: Sendable {
    static let channel = "connections_api_changes"
    static let pollMilliseconds: Int32 = 250
    /// `changes` rows older than this many seconds are pruned (by the feed of any instance, about
    /// once per that time): an hour, or `CONNECTIONS_API_CHANGES_RETENTION_SECONDS` (for tests of
    /// an instance away longer than that, which then reads everything again).
    static let retentionSeconds: Int = {
        guard let text = getenv("CONNECTIONS_API_CHANGES_RETENTION_SECONDS").map({ String(cString: $0) }),
            let seconds = Int(text), seconds > 0
        else { return 3_600 }
        return seconds
    }()
    /// How long the feed's statements wait for a silent server before it counts as unreachable
    /// (`/healthz` must turn degraded within 5 s of the database hanging).
    static let silenceLimitMilliseconds: Int32 = 2_000

    private let conninfo: String
    private let displayName: String
    private let instance: String
    private let health: HealthMonitor
    private let stopping = Atomic<Bool>(false)
    /// Set when this instance's writer lost its connection after sending a COMMIT: the group was
    /// answered 503 but may have committed, and its rows, being this instance's own, would be
    /// passed over. Everything is then read again once (counted, so a doubt raised while a
    /// read is under way, or one whose read failed, is not lost).
    private let doubts = Atomic<Int>(0)
    private let exited = Semaphore()
    private let observer = Mutex<(@Sendable ([StoreChange]) -> Void)?>(nil)
    private let credentials: PostgresCredentials

    /// Starts following after `seq` (the newest change when the store opened: what came
    /// before is in the rows the instance loads at start).
    init(
        conninfo: String, displayName: String, instance: String, health: HealthMonitor, credentials: PostgresCredentials,
        after seq: Int64
    ) throws {
        self.conninfo = conninfo
        self.credentials = credentials
        self.displayName = displayName
        self.instance = instance
        self.health = health
        try DetachedThread.spawn { [self] in self.run(after: seq) }
    }

    /// Has the next read take every connection and the settings again, own rows included.
    func readEverythingAgain() {
        doubts.add(1, ordering: .relaxed)
    }

    func observe(_ handler: @escaping @Sendable ([StoreChange]) -> Void) {
        observer.withLock { $0 = handler }
    }

    func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        exited.wait()
    }

    private func run(after seq: Int64) {
        defer { exited.signal() }
        var last = seq
        var connection: PostgresConnection?
        var polls = 0
        // Whether `changes` must be read now (a notification from another instance, or a
        // reconnect), and when it was last read: at least every `pollMilliseconds`.
        var due = true
        var readAt = 0.0
        // The schema this instance's tables are in: credential notifications name theirs
        // (several deployments, or test schemas, may share one database and its channels).
        var schema = ""
        // The newest pruned `seq` when last connected: past `last`, changes were lost to this
        // instance and `catchUp` has everything read again.
        var missed: Int64 = 0
        // How many of the writer's doubts (`readEverythingAgain`) have been read away.
        var resolved = 0
        while !stopping.load(ordering: .relaxed) {
            if connection == nil || !(connection?.isOpen ?? false) {
                do {
                    let fresh = try PostgresConnection(conninfo: conninfo)
                    fresh.silenceLimitMilliseconds = Self.silenceLimitMilliseconds
                    try fresh.execute("LISTEN \(Self.channel)")
                    try fresh.execute("LISTEN \(PostgresCredentials.channel)")
                    schema = try fresh.execute("SELECT current_schema()").string(0, 0) ?? ""
                    // Notifications sent while this instance was away are lost: look now.
                    try credentials.refresh(fresh)
                    missed = try fresh.execute("SELECT seq FROM changes_pruned WHERE id = 1").int(0, 0) ?? 0
                    connection = fresh
                    due = true
                } catch {
                    connection = nil
                    credentials.giveUp()
                    markUnavailable(error)
                    usleep(500_000)
                    continue
                }
            }
            guard let open = connection else { continue }
            do {
                let now = CommitStatistics.monotonicSeconds()
                if due || doubts.load(ordering: .relaxed) != resolved || now - readAt >= Double(Self.pollMilliseconds) / 1_000 {
                    try catchUp(open, after: &last, missed: missed, resolved: &resolved)
                    readAt = now
                    polls += 1
                    // Now and then, forget changes every instance has long seen, noting how far.
                    if polls % (Self.retentionSeconds * 1_000 / Int(Self.pollMilliseconds)) == 1 {
                        try open.execute(
                            """
                            WITH gone AS (DELETE FROM changes WHERE created_at < now() - make_interval(secs => $1) RETURNING seq)
                            UPDATE changes_pruned SET seq = greatest(seq, (SELECT coalesce(max(seq), 0) FROM gone)) WHERE id = 1
                            """, [.int(Self.retentionSeconds)])
                    }
                }
                var heard = try open.notifications()
                if heard.isEmpty {
                    var descriptor = pollfd(fd: open.socket, events: Int16(POLLIN), revents: 0)
                    _ = poll(&descriptor, 1, Self.pollMilliseconds)
                    heard = try open.notifications()
                }
                // This instance's own commits need no read (their rows are passed over): under
                // load the writer commits hundreds of times a second, and reading after each
                // cost the database a query per commit. They are read with the next poll's.
                due = heard.contains { $0.channel == Self.channel && $0.payload != instance }
                // Credentials first: a revocation is what a request must not miss.
                if heard.contains(where: { $0.channel == PostgresCredentials.channel && $0.payload == schema }) {
                    credentials.noteChange()
                    try credentials.refresh(open)
                }
            } catch {
                connection = nil
                credentials.giveUp()
                // A server that stopped answering: say so now, not after a reconnect's timeout.
                if (error as? PostgresError)?.isUnavailable ?? false { markUnavailable(error) }
            }
        }
    }

    private func markUnavailable(_ error: any Error) {
        let detail = (error as? PostgresError)?.message ?? "\(error)"
        health.set(.unavailable(StoreFault(path: displayName, cause: .unreachable, detail: detail)))
    }

    private func catchUp(_ connection: PostgresConnection, after last: inout Int64, missed: Int64, resolved: inout Int) throws {
        // Until the service has loaded its catalog and listens, changes stay unread: one
        // committed after its load and before it listened is then read, not passed over.
        guard let handler = observer.withLock({ $0 }) else { return }
        let raised = doubts.load(ordering: .relaxed)
        // A doubtful COMMIT of this instance: the transaction took the changes lock before its
        // COMMIT went out and holds it until it ends, so once the lock is free it committed or
        // not, and a read sees which.
        let doubtEnded =
            try raised != resolved
            && connection.execute("SELECT pg_try_advisory_xact_lock(\(PostgresStore.changesLockKey))").string(0, 0) == "t"
        // Away longer than `changes` are kept: the rows between are gone. The rows still there
        // after `missed` are read as usual below.
        let away = missed > last
        if doubtEnded || away {
            let rows = try connection.execute("SELECT id FROM connections")
            handler([.everything(connectionIDs: (0..<rows.count).compactMap { rows.string($0, 0) })])
            if doubtEnded { resolved = raised }
            if away { last = missed }
        }
        let rows = try connection.execute(
            "SELECT seq, kind, key, instance FROM changes WHERE seq > $1 ORDER BY seq LIMIT 10000", [.int(last)])
        guard rows.count > 0 else { return }
        var changes: [StoreChange] = []
        var seen = Set<String>()
        for row in 0..<rows.count {
            last = max(last, rows.int(row, 0) ?? last)
            guard rows.string(row, 3) != instance else { continue }
            switch rows.string(row, 1) {
            case "connection":
                let id = rows.string(row, 2) ?? ""
                if seen.insert(id).inserted { changes.append(.connection(id: id)) }
            case "tenant_settings":
                if seen.insert("\u{0}settings").inserted { changes.append(.tenantSettings) }
            default:
                // Credentials: `refresh` reads them at the notification that came with the row.
                continue
            }
        }
        if !changes.isEmpty { handler(changes) }
    }
}
