import ConnectionsStore
import JSON

/// One revision of a connection's history, as the service hands it out.
public struct Revision: Sendable {
    public let number: Int
    /// Unix milliseconds.
    public let createdAt: Int64
    /// `create`, `update`, `update_clients`, `delete` or `restore`.
    public let operation: String
    public let actor: RevisionActor
    public let restoredFrom: Int?
    /// The connection the write left stored; `nil` for a delete and in history pages.
    public let connection: CatalogEntry?

    init(_ record: RevisionRecord) throws {
        number = record.revision
        createdAt = record.createdAt
        operation = record.operation
        actor = record.actorClientID.map { .client(id: $0) } ?? .admin
        restoredFrom = record.restoredFrom
        connection = try record.body.map { body in
            guard let object = (try? JSONParser.parse(body))?.objectValue else { throw StoredRevisionError(revision: record.revision) }
            return CatalogEntry(connection: object, revision: record.revision)
        }
    }
}

/// A page of history, newest first.
public struct RevisionPage: Sendable {
    public let revisions: [Revision]
    /// True when older revisions follow the last one.
    public let hasMore: Bool
}

/// A stored revision whose body is not a JSON object (the database was edited by hand).
struct StoredRevisionError: Error, CustomStringConvertible {
    let revision: Int
    var description: String { "stored revision \(revision) is not a JSON object" }
}
