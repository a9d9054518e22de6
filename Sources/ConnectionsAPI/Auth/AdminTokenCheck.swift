import ConnectionsStore
import Synchronization

/// Whether a bearer token is the admin token in force.
///
/// The admin token's digest lives in the database (`AdminToken`); `admin-token rotate` or
/// `revoke` in another process changes it there, and the next request must see it. The digest
/// read at start stays in use until the store says another process committed since it was read
/// (`ConnectionStore.committedByOthers(since:)`: memory compares, no system call, and this
/// server's own writes do not count); then the next check reads it again (SQLite: one indexed
/// read; PostgreSQL: the copy its change feed keeps in memory).
final class AdminTokenCheck: Sendable {
    enum Outcome {
        case admin
        /// Not the admin token; its SHA-256 digest, for looking it up as a client token.
        case other(digest: [UInt8])
    }

    private struct State {
        /// The admin token's digest in force; `nil`: no admin token.
        var digest: [UInt8]?
        /// When `digest` was read.
        var stamp: ChangeStamp
        /// The admin token once a request proved it matches `digest`: later requests compare
        /// against it in constant time instead of hashing it again on every request. It is
        /// only ever in memory, like the environment variable it came from.
        var verifiedToken: [UInt8]?
    }

    private let store: ConnectionStore
    private let state: Mutex<State>

    init(digest: [UInt8]?, store: ConnectionStore) {
        self.store = store
        state = Mutex(State(digest: digest, stamp: store.changeStamp, verifiedToken: nil))
    }

    private enum Cached {
        /// Another process committed since the digest was read.
        case stale
        case verified
        case digest([UInt8]?)
    }

    func check(_ token: String) throws -> Outcome {
        // Everything under the lock and on the token's own bytes, so the hot path (the admin
        // token, nothing committed by others) copies no array (callgrind: ~500 instructions).
        var token = token
        let cached = token.withUTF8 { offered in
            state.withLock { state -> Cached in
                if store.committedByOthers(since: state.stamp) { return .stale }
                if let verified = state.verifiedToken, TokenHash.equal(offered, verified) { return .verified }
                return .digest(state.digest)
            }
        }
        let adminDigest: [UInt8]?
        switch cached {
        case .verified: return .admin
        case .stale: adminDigest = try reload()
        case .digest(let known): adminDigest = known
        }
        let digest = TokenHash.sha256(token)
        guard let adminDigest, TokenHash.equal(digest, adminDigest) else { return .other(digest: digest) }
        state.withLock { state in
            if state.digest == adminDigest { state.verifiedToken = Array(token.utf8) }
        }
        return .admin
    }

    /// Reads the admin token's digest again after another process committed.
    private func reload() throws -> [UInt8]? {
        // The stamp first: a commit between it and the read makes the next check read again.
        let stamp = store.changeStamp
        let digest = try store.currentAdminTokenHash()
        state.withLock { state in
            if state.digest != digest { state.verifiedToken = nil }
            state.digest = digest
            state.stamp = stamp
        }
        return digest
    }
}
