import ConnectionsStore
import HTTPTransport
import Synchronization

/// The machine clients and their unexpired tokens, held in memory so that authenticating a client
/// token or a client's credentials reads no table on an event loop (issue 10: every client-token
/// request used to look its token up in SQLite through a two-connection pool).
///
/// Revocation stays instant, even from another process (`connections-api clients revoke`): before
/// every lookup, `ConnectionStore.committedByOthers(since:)` tells whether another process
/// committed since the clients were read (a memory compare of the WAL-index header, no system
/// call; this server's own writes do not count), and the clients are read again when it did. Tokens are minted only by this server (`POST /oauth/token`), which adds each one
/// here once its commit is durable; the ones minted before this start are loaded at start-up. So on
/// SQLite a token missing here does not exist, and no lookup misses into SQLite either. On
/// PostgreSQL other instances mint tokens too: a miss is `unknown`, looked up in the database off
/// the event loop (`lookUp`) and kept; and `committedByOthers` compares the credentials version
/// the store last read into memory, which a client-token request has it read again first
/// (`ConnectionStore.checkCredentials`, off the event loop), so a revocation by any instance is
/// seen at the next request with no event loop waiting for the database.
/// docs/DECISIONS.md ("Tokens", "Credentials across instances") has the measurements.
final class CredentialTable: Sendable {
    /// A token's client, what it may do, and until when.
    struct Token: Sendable {
        let clientID: String
        let scopes: Scopes
        /// Unix seconds.
        let expiresAt: Int64
    }

    private struct State: Sendable {
        var clients: [String: ClientRecord] = [:]
        var tokens: [[UInt8]: Token] = [:]
        /// Expired tokens are dropped when the table has grown past this.
        var pruneAt = 1_024
        /// When the clients were read.
        var stamp: ChangeStamp
    }

    private let store: ConnectionStore
    /// Held across the change check and the reload it may start, so that no lookup is answered
    /// from the old clients once a look has seen the change.
    private let state: Mutex<State>

    init(store: ConnectionStore) throws {
        self.store = store
        let now = WallClock.seconds()
        // The stamp first: a commit by another process during the reads makes the next lookup
        // read the clients again.
        var initial = State(stamp: store.changeStamp)
        initial.clients = Self.byID(try store.listClients())
        for record in try store.unexpiredTokens(now: now) where !record.clientRevoked {
            initial.tokens[record.hash] = Token(
                clientID: record.clientID, scopes: Self.scopes(record.scopes), expiresAt: record.expiresAt)
        }
        initial.pruneAt = max(1_024, initial.tokens.count * 2)
        state = Mutex(initial)
    }

    enum Lookup {
        /// Known, unexpired, and of a client that is not revoked.
        case valid(Token)
        case invalid
        /// Not in memory, on a store other instances mint tokens in: ask `lookUp`.
        case unknown
    }

    /// The token with this SHA-256 digest as memory knows it at `now`. Never waits on I/O.
    func token(digest: [UInt8], now: Int64) -> Lookup {
        withCurrentState { state in
            if state.tokens[digest] == nil && store.isShared { return .unknown }
            return Self.valid(digest, now, state).map(Lookup.valid) ?? .invalid
        }
    }

    /// The token with this digest, read from the store if memory does not know it (minted by
    /// another instance on the same database), and kept. Waits for the store: not for an event
    /// loop. Throws `StoreError.unavailable` when the store cannot answer.
    func lookUp(digest: [UInt8], now: Int64) throws -> Token? {
        switch token(digest: digest, now: now) {
        case .valid(let token): return token
        case .invalid: return nil
        case .unknown: break
        }
        guard let record = try store.token(hash: digest), !record.clientRevoked else { return nil }
        let token = Token(clientID: record.clientID, scopes: Self.scopes(record.scopes), expiresAt: record.expiresAt)
        return withCurrentState { state in
            state.tokens[digest] = token
            return Self.valid(digest, now, state)
        }
    }

    private static func valid(_ digest: [UInt8], _ now: Int64, _ state: State) -> Token? {
        guard let token = state.tokens[digest], token.expiresAt > now,
            let client = state.clients[token.clientID], !client.isRevoked
        else { return nil }
        return token
    }

    /// The client with this id, revoked or not.
    func client(id: String) -> ClientRecord? {
        withCurrentState { $0.clients[id] }
    }

    /// Records a token whose insert has committed.
    func add(digest: [UInt8], clientID: String, scopes: [String], expiresAt: Int64) {
        let token = Token(clientID: clientID, scopes: Self.scopes(scopes), expiresAt: expiresAt)
        state.withLock { state in
            state.tokens[digest] = token
            guard state.tokens.count > state.pruneAt else { return }
            let now = WallClock.seconds()
            state.tokens = state.tokens.filter { $0.value.expiresAt > now }
            state.pruneAt = max(1_024, state.tokens.count * 2)
        }
    }

    /// Runs `body` on the table after reloading the clients if another process committed. A
    /// failed reload (the store closed or failing) leaves the table as it was: tokens verified
    /// before keep working, as API.md asks of a store outage.
    private func withCurrentState<T>(_ body: (inout State) -> T) -> T {
        state.withLock { state in
            if store.committedByOthers(since: state.stamp) {
                let stamp = store.changeStamp
                guard let clients = try? store.currentClients() else { return body(&state) }
                state.stamp = stamp
                state.clients = Self.byID(clients)
                // A revoked or deleted client's tokens are gone from the database too.
                state.tokens = state.tokens.filter { state.clients[$0.value.clientID]?.isRevoked == false }
            }
            return body(&state)
        }
    }

    private static func byID(_ clients: [ClientRecord]) -> [String: ClientRecord] {
        Dictionary(clients.map { ($0.clientID, $0) }, uniquingKeysWith: { _, last in last })
    }

    private static func scopes(_ names: [String]) -> Scopes {
        var scopes: Scopes = []
        for name in names {
            if case .success(let scope) = Scopes.parse(name) { scopes.formUnion(scope) }
        }
        return scopes
    }
}
