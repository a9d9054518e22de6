import Glibc
import Synchronization
import SystemThreads

/// How one instance learns what the others committed: a thread with its own connection that
/// `LISTEN`s on `connections_api_changes` and, at each notification (and every
/// `pollMilliseconds` in case one was missed), reads the `changes` rows past the last one it
/// saw. Rows are written in the committing transactions, so after a missed notification or
/// a reconnect nothing is skipped; its own instance's rows are passed over.
///
/// Connections and settings go to the observer (the service reads them again through its
/// commit path); clients, tokens and the admin token count as `foreign` changes, which
/// `committedByOthers(since:)` compares.
final class PostgresChangeFeed: Sendable {
    static let channel = "connections_api_changes"
    static let pollMilliseconds: Int32 = 250
    /// `changes` rows older than this are pruned (by the feed of any instance).
    static let keepChanges = "1 hour"

    private let conninfo: String
    private let displayName: String
    private let instance: String
    private let health: HealthMonitor
    private let stopping = Atomic<Bool>(false)
    private let exited = Semaphore()
    private let observer = Mutex<(@Sendable ([StoreChange]) -> Void)?>(nil)
    private let foreign = Atomic<UInt64>(0)

    /// Starts following after `seq` (the newest change when the store opened: what came
    /// before is in the rows the instance loads at start).
    init(conninfo: String, displayName: String, instance: String, health: HealthMonitor, after seq: Int64) throws {
        self.conninfo = conninfo
        self.displayName = displayName
        self.instance = instance
        self.health = health
        try DetachedThread.spawn { [self] in self.run(after: seq) }
    }

    /// How many credential changes by other instances have been seen.
    var foreignCredentialChanges: UInt64 { foreign.load(ordering: .relaxed) }

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
        while !stopping.load(ordering: .relaxed) {
            if connection == nil || !(connection?.isOpen ?? false) {
                do {
                    let fresh = try PostgresConnection(conninfo: conninfo)
                    try fresh.execute("LISTEN \(Self.channel)")
                    connection = fresh
                } catch {
                    connection = nil
                    health.set(
                        .unavailable(
                            StoreFault(path: displayName, cause: .unreachable, detail: (error as? PostgresError)?.message ?? "\(error)"))
                    )
                    usleep(500_000)
                    continue
                }
            }
            guard let open = connection else { continue }
            do {
                try catchUp(open, after: &last)
                polls += 1
                // Now and then, forget changes every instance has long seen.
                if polls % 14_400 == 1 {
                    try open.execute("DELETE FROM changes WHERE created_at < now() - interval '\(Self.keepChanges)'")
                }
                var descriptor = pollfd(fd: open.socket, events: Int16(POLLIN), revents: 0)
                _ = poll(&descriptor, 1, Self.pollMilliseconds)
                _ = try open.notifications()
            } catch {
                connection = nil
            }
        }
    }

    private func catchUp(_ connection: PostgresConnection, after last: inout Int64) throws {
        // Until the service has loaded its catalog and listens, changes stay unread: one
        // committed after its load and before it listened is then read, not passed over.
        guard let handler = observer.withLock({ $0 }) else { return }
        let rows = try connection.execute(
            "SELECT seq, kind, key, instance FROM changes WHERE seq > $1 ORDER BY seq LIMIT 10000", [.int(last)])
        guard rows.count > 0 else { return }
        var changes: [StoreChange] = []
        var credentials = false
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
                credentials = true
            }
        }
        if credentials { foreign.add(1, ordering: .relaxed) }
        if !changes.isEmpty { handler(changes) }
    }
}
