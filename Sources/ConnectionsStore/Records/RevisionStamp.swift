/// How a connection write came about: what its revision records besides the connection itself.
/// Every write of a connection (`WriteTransaction.insertConnection`, `updateConnection`,
/// `deleteConnection`) takes one, so no connection changes without its revision.
public struct RevisionStamp: Sendable, Equatable {
    /// Unix milliseconds.
    public var createdAt: Int64
    /// `create`, `update`, `update_clients`, `delete` or `restore`.
    public var operation: String
    /// The machine client that made the write; `nil` for the admin token.
    public var actorClientID: String?
    /// The revision a restore brought back.
    public var restoredFrom: Int?

    public init(createdAt: Int64, operation: String, actorClientID: String?, restoredFrom: Int? = nil) {
        self.createdAt = createdAt
        self.operation = operation
        self.actorClientID = actorClientID
        self.restoredFrom = restoredFrom
    }
}

extension RevisionRecord {
    /// Revision `number` of connection `connectionID`, holding `body` (`nil` for a delete).
    public init(connectionID: String, revision number: Int, stamp: RevisionStamp, body: String?) {
        self.init(
            connectionID: connectionID, revision: number, createdAt: stamp.createdAt, operation: stamp.operation,
            actorClientID: stamp.actorClientID, restoredFrom: stamp.restoredFrom, body: body)
    }
}
