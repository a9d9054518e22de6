/// A stored connection as start-up reads it: the columns, and the body's UTF-8 where the
/// database keeps it (valid only during the call that hands it over), so loading 10,000
/// connections makes no `String` of each body only to copy it again (issue 9).
public struct ConnectionRow {
    public let id: String
    public let name: String
    public let strategy: String
    /// The connection's JSON text, in place.
    public let body: UnsafeBufferPointer<UInt8>
    /// The number of the connection's newest revision.
    public let revision: Int

    public init(id: String, name: String, strategy: String, body: UnsafeBufferPointer<UInt8>, revision: Int) {
        self.id = id
        self.name = name
        self.strategy = strategy
        self.body = body
        self.revision = revision
    }

    /// The row as a record that owns its body.
    public var record: ConnectionRecord {
        ConnectionRecord(
            id: id, name: name, strategy: strategy, body: String(decoding: body, as: UTF8.self), revision: revision)
    }
}
