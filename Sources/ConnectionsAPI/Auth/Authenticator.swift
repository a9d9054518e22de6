import ConnectionsStore

/// Turns a bearer token into a `Principal`: the admin token (all scopes, compared by
/// SHA-256 digest in constant time; `AdminTokenCheck` follows rotation and revocation) or a
/// token issued by `POST /oauth/token`, looked up by its digest in the store on every request
/// so a revocation takes effect at once.
final class Authenticator: Sendable {
    private let admin: AdminTokenCheck
    private let store: ConnectionStore

    init(adminTokenHash: [UInt8]?, store: ConnectionStore) {
        self.admin = AdminTokenCheck(digest: adminTokenHash, store: store)
        self.store = store
    }

    func authenticate(_ headers: HTTPHeaders) throws -> Principal {
        let token = try BearerCredentials.token(in: headers)
        guard case .other(let digest) = try admin.check(token) else { return .admin }
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
