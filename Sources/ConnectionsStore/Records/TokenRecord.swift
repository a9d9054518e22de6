/// An access token issued to a client, found by the hash of the token.
public struct TokenRecord: Sendable, Equatable {
    public var hash: [UInt8]
    public var clientID: String
    public var scopes: [String]
    /// Unix seconds.
    public var expiresAt: Int64
    /// Whether the token's client has been revoked (its tokens are deleted on revocation; this
    /// guards a lookup racing the revocation).
    public var clientRevoked: Bool

    public init(hash: [UInt8], clientID: String, scopes: [String], expiresAt: Int64, clientRevoked: Bool) {
        self.hash = hash
        self.clientID = clientID
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.clientRevoked = clientRevoked
    }
}
