/// A machine client registered with `connections-api clients create`.
public struct ClientRecord: Sendable, Equatable {
    public var clientID: String
    public var name: String
    /// A hash of the client secret; the secret itself is never stored.
    public var secretHash: [UInt8]
    public var scopes: [String]
    /// Unix seconds.
    public var createdAt: Int64
    /// Unix seconds; `nil` while the client is active.
    public var revokedAt: Int64?

    public init(
        clientID: String, name: String, secretHash: [UInt8], scopes: [String], createdAt: Int64,
        revokedAt: Int64? = nil
    ) {
        self.clientID = clientID
        self.name = name
        self.secretHash = secretHash
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// Whether the client has been revoked.
    public var isRevoked: Bool { revokedAt != nil }
}
