import ConnectionsStore
import Synchronization

/// Turns a bearer token into a `Principal`: the admin token (all scopes, compared by
/// SHA-256 digest in constant time) or a token issued by `POST /oauth/token`, looked up by
/// its digest in the store on every request so a revocation takes effect at once.
///
/// The admin token's digest lives in the database (`AdminToken`); `admin-token rotate` or
/// `revoke` in another process changes it there. The digest read at start stays in use while
/// the store's change marker (a memory compare, no system call) says nothing was committed
/// since; after any commit the next admin check reads it again.
final class Authenticator: Sendable {
    private struct Admin {
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
    private let admin: Mutex<Admin>

    init(adminTokenHash: [UInt8]?, store: ConnectionStore) {
        self.store = store
        admin = Mutex(Admin(digest: adminTokenHash, marker: store.changeMarker, verifiedToken: nil))
    }

    func authenticate(_ headers: HTTPHeaders) throws -> Principal {
        let token = try BearerCredentials.token(in: headers)
        let offered = Array(token.utf8)
        let marker = store.changeMarker
        let current = admin.withLock { admin -> (verified: [UInt8]?, digest: [UInt8]?)? in
            admin.marker == marker ? (admin.verifiedToken, admin.digest) : nil
        }
        if let current, let known = current.verified, TokenHash.equal(offered, known) { return .admin }
        let digest = TokenHash.sha256(token)
        let adminDigest = try current.map(\.digest) ?? reloadAdminDigest(marker: marker)
        if let adminDigest, TokenHash.equal(digest, adminDigest) {
            admin.withLock { admin in
                if admin.digest == adminDigest { admin.verifiedToken = offered }
            }
            return .admin
        }
        guard let record = try store.token(hash: digest), !record.clientRevoked,
            record.expiresAt > WallClock.seconds()
        else { throw APIError.invalidToken }
        var scopes: Scopes = []
        for name in record.scopes {
            if case .success(let scope) = Scopes.parse(name) { scopes.formUnion(scope) }
        }
        return Principal(subject: .client(id: record.clientID), scopes: scopes)
    }

    /// Reads the admin token's digest again after a commit (by this server or another process).
    private func reloadAdminDigest(marker: ChangeMarker?) throws -> [UInt8]? {
        let digest = try store.adminTokenHash()
        admin.withLock { admin in
            if admin.digest != digest { admin.verifiedToken = nil }
            admin.digest = digest
            admin.marker = marker
        }
        return digest
    }
}
