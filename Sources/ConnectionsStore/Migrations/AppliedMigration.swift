/// A row of `schema_migrations`: a migration this database has applied.
public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let name: String
    /// Unix seconds.
    public let appliedAt: Int64

    public init(version: Int, name: String, appliedAt: Int64) {
        self.version = version
        self.name = name
        self.appliedAt = appliedAt
    }
}
