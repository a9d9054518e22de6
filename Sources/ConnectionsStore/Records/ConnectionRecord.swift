/// A stored connection. `body` is the full connection JSON, produced and parsed by the API
/// layer; the store only keeps it. `name` and `strategy` are never changed by an update.
public struct ConnectionRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var strategy: String
    /// The connection as JSON text.
    public var body: String
    /// The number of the connection's newest revision (its ETag).
    public var revision: Int

    public init(id: String, name: String, strategy: String, body: String, revision: Int = 1) {
        self.id = id
        self.name = name
        self.strategy = strategy
        self.body = body
        self.revision = revision
    }

    /// The key connections are listed by (then by id): the lowercased name. Compared as UTF-8
    /// bytes by SQLite's BINARY collation, which orders like Swift's `String.utf8`.
    public static func nameKey(_ name: String) -> String {
        name.lowercased()
    }
}
