import Glibc
import Synchronization
import SystemThreads

/// The clients and the admin token's digest as of one `credentials_version`, held in memory
/// so that authenticating a request on an event loop never waits for PostgreSQL.
///
/// Every write to clients or the admin token bumps `credentials_version` in its transaction, and
/// a trigger announces it on `channel` at COMMIT (migration 0002). Two readers keep the copy
/// current, both off the event loops:
///
/// - the change feed, at each such notification: it marks the copy stale at once
///   (`noteChange`, a memory store), then reads it again (`refresh`);
/// - a checker thread with its own connection, on demand (`check(then:)`): one read of the
///   version that *begins after* the request asked, shared by every request that asked while
///   the previous read was in flight. This is what makes a revocation committed anywhere before
///   a request was sent refused by that request, which a notification alone cannot promise (it
///   may reach this process after the revoking command has returned: docs/DECISIONS.md).
final class PostgresCredentials: Sendable {
    static let channel = "connections_api_credentials"

    struct Snapshot: Sendable {
        var version: UInt64
        var clients: [ClientRecord]
        var adminTokenHash: [UInt8]?
    }

    private struct State {
        var snapshot: Snapshot
        /// Credential notifications heard, and how many of them the published snapshot covers.
        var heard: UInt64 = 0
        var covered: UInt64 = 0
    }

    private struct Checks {
        var waiting: [@Sendable () -> Void] = []
        var started = false
        var stopping = false
    }

    private let state: Mutex<State>
    /// `heard != covered`, readable without the lock on every request.
    private let stale = Atomic<Bool>(false)
    private let checks = Mutex(Checks())
    private let checkRequested = Semaphore()
    private let conninfo: String
    private let displayName: String
    private let health: HealthMonitor

    /// Reads the first snapshot on `connection` (at start-up, before the feed runs).
    init(_ connection: PostgresConnection, conninfo: String, displayName: String, health: HealthMonitor) throws {
        self.conninfo = conninfo
        self.displayName = displayName
        self.health = health
        state = Mutex(State(snapshot: try Self.read(connection, version: try Self.version(connection))))
    }

    var current: Snapshot { state.withLock { $0.snapshot } }

    var version: UInt64 { state.withLock { $0.snapshot.version } }

    /// Whether a change was heard that the snapshot does not cover yet.
    var isStale: Bool { stale.load(ordering: .acquiring) }

    /// The feed heard a credentials notification: the snapshot is stale until the next `refresh`.
    func noteChange() {
        state.withLock { state in
            state.heard &+= 1
            stale.store(true, ordering: .releasing)
        }
    }

    /// Reads the version and, when it moved, everything it covers, then publishes it as
    /// covering every notification heard before the read began.
    func refresh(_ connection: PostgresConnection) throws {
        let heard = state.withLock { $0.heard }
        let version = try Self.version(connection)
        let fresh = version == self.version ? nil : try Self.read(connection, version: version)
        publish(fresh, covering: heard)
    }

    /// The read failed (the server is unreachable): stop holding requests. What this instance
    /// verified before keeps working while the database cannot be read (API.md), and the
    /// feed reads everything again once it has reconnected.
    func giveUp() {
        publish(nil, covering: state.withLock { $0.heard })
    }

    private func publish(_ snapshot: Snapshot?, covering heard: UInt64) {
        state.withLock { state in
            // Two readers: never replace a newer copy with an older one.
            if let snapshot, snapshot.version > state.snapshot.version { state.snapshot = snapshot }
            state.covered = max(state.covered, heard)
            stale.store(state.covered != state.heard, ordering: .releasing)
        }
    }

    // MARK: Checks on demand

    /// Calls `then` (on the checker thread: it must hand real work elsewhere) once a read of the
    /// version that began after this call has completed and its rows are in the snapshot, or
    /// has failed (the database unreachable: after at most the reads' silence limit). While the
    /// store is known to be unavailable, calls it at once, on the caller's thread.
    func check(then: @escaping @Sendable () -> Void) {
        if case .unavailable = health.current {
            then()
            return
        }
        let start = checks.withLock { checks -> Bool? in
            guard !checks.stopping else { return nil }
            checks.waiting.append(then)
            defer { checks.started = true }
            return !checks.started
        }
        guard let start else {
            then()
            return
        }
        if start && (try? DetachedThread.spawn({ [self] in runChecks() })) == nil {
            // No thread: answer from memory, as when the database cannot be read.
            for waiting in checks.withLock({ checks in
                defer { checks.waiting = [] }; return checks.waiting
            }) { waiting() }
            checks.withLock { $0.started = false }
            return
        }
        checkRequested.signal()
    }

    func stopChecks() {
        checks.withLock { $0.stopping = true }
        checkRequested.signal()
    }

    private func runChecks() {
        var connection: PostgresConnection?
        while true {
            checkRequested.wait()
            // Everyone who asked before this read begins is answered by it.
            let (batch, stopping) = checks.withLock { checks in
                defer { checks.waiting = [] }
                return (checks.waiting, checks.stopping)
            }
            if case .unavailable = health.current {
                // Found unreachable meanwhile (by this thread's last read, say): answer from memory.
                for then in batch { then() }
            } else if !batch.isEmpty {
                do {
                    if connection == nil || !(connection?.isOpen ?? false) {
                        let fresh = try PostgresConnection(conninfo: conninfo)
                        fresh.silenceLimitMilliseconds = PostgresStore.readSilenceLimitMilliseconds
                        connection = fresh
                    }
                    if let open = connection { try refresh(open) }
                } catch {
                    connection = nil
                    let detail = (error as? PostgresError)?.message ?? "\(error)"
                    if (error as? PostgresError)?.isUnavailable ?? false {
                        health.set(.unavailable(StoreFault(path: displayName, cause: .unreachable, detail: detail)))
                    }
                }
                for then in batch { then() }
            }
            if stopping { return }
        }
    }

    private static func version(_ connection: PostgresConnection) throws -> UInt64 {
        UInt64(try connection.execute("SELECT n FROM credentials_version WHERE id = 1").int(0, 0) ?? 0)
    }

    /// Rows read after the version: they are at least as new as it (a later change
    /// notifies again, and the next refresh reads them again).
    private static func read(_ connection: PostgresConnection, version: UInt64) throws -> Snapshot {
        Snapshot(
            version: version, clients: try PostgresRows.clients(connection),
            adminTokenHash: try PostgresRows.adminTokenHash(connection))
    }
}
