import ConnectionsStore
import HTTP
import HTTPTransport

/// Turns a bearer token into a `Principal`: the admin token (all scopes, compared by
/// SHA-256 digest in constant time; `AdminTokenCheck` follows rotation and revocation) or a
/// token issued by `POST /oauth/token`, looked up by its digest in the `CredentialTable`,
/// which sees a revocation at the next request without reading the database on every one.
final class Authenticator: Sendable {
    private let admin: AdminTokenCheck
    private let credentials: CredentialTable
    private let store: ConnectionStore

    init(adminTokenHash: [UInt8]?, store: ConnectionStore, credentials: CredentialTable) {
        self.admin = AdminTokenCheck(digest: adminTokenHash, store: store)
        self.credentials = credentials
        self.store = store
    }

    enum Outcome {
        case known(Principal)
        /// A client token on a store other instances share (PostgreSQL): memory may not have
        /// seen a revocation committed elsewhere yet. `verify` decides, once the store has
        /// checked its credentials (`ConnectionStore.checkCredentials`), off the event loop.
        case unverified(digest: [UInt8])
    }

    /// From memory only (an event loop may call it): the caller, `unverified`, or a throw (401).
    func authenticate(_ headers: HTTPHeaders) throws -> Outcome {
        let token = try BearerCredentials.token(in: headers)
        guard case .other(let digest) = try admin.check(token) else { return .known(.admin) }
        if store.isShared { return .unverified(digest: digest) }
        guard case .valid(let token) = credentials.token(digest: digest, now: WallClock.seconds()) else {
            throw APIError.invalidToken
        }
        return .known(Self.principal(token))
    }

    /// An `unverified` token, after the store's credentials check: from memory, or looked up in
    /// the store when memory does not know it (minted by another instance). May wait for the
    /// database (503 when it cannot answer): never call it on an event loop.
    func verify(digest: [UInt8]) throws -> Principal {
        guard let token = try credentials.lookUp(digest: digest, now: WallClock.seconds()) else { throw APIError.invalidToken }
        return Self.principal(token)
    }

    private static func principal(_ token: CredentialTable.Token) -> Principal {
        Principal(subject: .client(id: token.clientID), scopes: token.scopes)
    }
}
