import ConnectionsStore

/// Turns a bearer token into a `Principal`: the admin token (all scopes, compared by
/// SHA-256 digest in constant time; `AdminTokenCheck` follows rotation and revocation) or a
/// token issued by `POST /oauth/token`, looked up by its digest in the `CredentialTable`,
/// which sees a revocation at the next request without reading SQLite on every one.
final class Authenticator: Sendable {
    private let admin: AdminTokenCheck
    private let credentials: CredentialTable

    init(adminTokenHash: [UInt8]?, store: ConnectionStore, credentials: CredentialTable) {
        self.admin = AdminTokenCheck(digest: adminTokenHash, store: store)
        self.credentials = credentials
    }

    func authenticate(_ headers: HTTPHeaders) throws -> Principal {
        let token = try BearerCredentials.token(in: headers)
        guard case .other(let digest) = try admin.check(token) else { return .admin }
        guard let token = credentials.token(digest: digest, now: WallClock.seconds()) else { throw APIError.invalidToken }
        return Principal(subject: .client(id: token.clientID), scopes: token.scopes)
    }
}
