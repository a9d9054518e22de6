import ConnectionsStore
import Synchronization

/// Turns a bearer token into a `Principal`: the admin token (all scopes, compared by
/// SHA-256 digest in constant time) or a token issued by `POST /oauth/token`, looked up by
/// its digest in the store on every request so a revocation takes effect at once.
final class Authenticator: Sendable {
    private let adminTokenHash: [UInt8]?
    private let store: ConnectionStore
    /// The admin token once a request proved it matches the digest: later requests compare
    /// against it in constant time instead of hashing it again on every request. It is only
    /// ever in memory, like the environment variable it came from.
    private let verifiedAdminToken = Mutex<[UInt8]?>(nil)

    init(adminTokenHash: [UInt8]?, store: ConnectionStore) {
        self.adminTokenHash = adminTokenHash
        self.store = store
    }

    func authenticate(_ headers: HTTPHeaders) throws -> Principal {
        let token = try BearerCredentials.token(in: headers)
        let offered = Array(token.utf8)
        if let known = verifiedAdminToken.withLock({ $0 }), TokenHash.equal(offered, known) { return .admin }
        let digest = TokenHash.sha256(token)
        if let adminTokenHash, TokenHash.equal(digest, adminTokenHash) {
            verifiedAdminToken.withLock { $0 = offered }
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
}
