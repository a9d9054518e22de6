import ConnectionsStore
import Synchronization

/// Whether a bearer token is the admin token in force.
///
/// The admin token's digest lives in the database (`AdminToken`); `admin-token rotate` or
/// `revoke` in another process changes it there, and the next request must see it. The digest
/// read at start stays in use while the store's change marker (a memory compare, no system
/// call) says nothing was committed since; after any commit, by this server or another
/// process, the next check reads the digest again (one indexed read).
final class AdminTokenCheck: Sendable {
    enum Outcome {
        case admin
        /// Not the admin token; its SHA-256 digest, for looking it up as a client token.
        case other(digest: [UInt8])
    }

    private struct State {
        /// The admin token's digest in force; `nil`: no admin token.
        var digest: [UInt8]?
        /// The store's marker when `digest` was read.
        var marker: ChangeMarker?
        /// The admin token once a request proved it matches `digest`: later requests compare
        /// against it in constant time instead of hashing it again on every request. It is
        /// only ever in memory, like the environment variable it came from.
        var verifiedToken: [UInt8]?
    }

    private let store: ConnectionStore
    private let state: Mutex<State>

    init(digest: [UInt8]?, store: ConnectionStore) {
        self.store = store
        state = Mutex(State(digest: digest, marker: store.changeMarker, verifiedToken: nil))
    }

    func check(_ token: String) throws -> Outcome {
        let offered = Array(token.utf8)
        let marker = store.changeMarker
        let current = state.withLock { state -> (verified: [UInt8]?, digest: [UInt8]?)? in
            state.marker == marker ? (state.verifiedToken, state.digest) : nil
        }
        if let current, let known = current.verified, TokenHash.equal(offered, known) { return .admin }
        let digest = TokenHash.sha256(token)
        let adminDigest = try current.map(\.digest) ?? reload(marker: marker)
        guard let adminDigest, TokenHash.equal(digest, adminDigest) else { return .other(digest: digest) }
        state.withLock { state in
            if state.digest == adminDigest { state.verifiedToken = offered }
        }
        return .admin
    }

    /// Reads the admin token's digest again after a commit.
    private func reload(marker: ChangeMarker?) throws -> [UInt8]? {
        let digest = try store.adminTokenHash()
        state.withLock { state in
            if state.digest != digest { state.verifiedToken = nil }
            state.digest = digest
            state.marker = marker
        }
        return digest
    }
}
