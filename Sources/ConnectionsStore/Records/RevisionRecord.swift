/// One revision of a connection's history: what a write left stored, numbered per connection
/// in commit order. `body` is the whole stored connection (its enabled clients included), or
/// `nil` for a delete and in history pages, which leave bodies out.
public struct RevisionRecord: Sendable, Equatable {
    public var connectionID: String
    public var revision: Int
    /// Unix milliseconds.
    public var createdAt: Int64
    /// `create`, `update`, `update_clients`, `delete` or `restore`.
    public var operation: String
    /// The machine client that made the write; `nil` for the admin token.
    public var actorClientID: String?
    public var restoredFrom: Int?
    public var body: String?

    public init(
        connectionID: String, revision: Int, createdAt: Int64, operation: String, actorClientID: String?, restoredFrom: Int?,
        body: String?
    ) {
        self.connectionID = connectionID
        self.revision = revision
        self.createdAt = createdAt
        self.operation = operation
        self.actorClientID = actorClientID
        self.restoredFrom = restoredFrom
        self.body = body
    }
}
