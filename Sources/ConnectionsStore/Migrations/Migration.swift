/// One schema migration: `migrations/NNNN_name.sql`, applied once, in version order, never
/// edited once released.
public struct Migration: Sendable, Equatable {
    /// The `NNNN` of the file name.
    public let version: Int
    /// The `name` of the file name.
    public let name: String
    /// The file's SQL, run as one script inside the migration's transaction.
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
