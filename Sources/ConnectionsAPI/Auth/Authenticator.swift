import ConnectionsStore
import Foundation

/// Turns a bearer token into a `Principal`: the admin token (all scopes, compared by
/// SHA-256 digest in constant time) or a token issued by `POST /oauth/token`, looked up by
/// its digest in the store on every request so a revocation takes effect at once.
final class Authenticator: Sendable {
    private let adminTokenHash: [UInt8]?
    private let store: ConnectionStore

    init(adminTokenHash: [UInt8]?, store: ConnectionStore) {
        self.adminTokenHash = adminTokenHash
        self.store = store
    }

    func authenticate(_ headers: HTTPHeaders) throws -> Principal {
        let token = try BearerCredentials.token(in: headers)
        let digest = TokenHash.sha256(token)
        if let adminTokenHash, TokenHash.equal(digest, adminTokenHash) { return .admin }
        guard let record = try store.token(hash: digest), !record.clientRevoked,
            record.expiresAt > Int64(Date().timeIntervalSince1970)
        else { throw APIError.invalidToken }
        var scopes: Scopes = []
        for name in record.scopes {
            if case .success(let scope) = Scopes.parse(name) { scopes.formUnion(scope) }
        }
        return Principal(subject: .client(id: record.clientID), scopes: scopes)
    }
}
