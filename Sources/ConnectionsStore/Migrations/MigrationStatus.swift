/// What `connections-api migrate --status` reports.
public struct MigrationStatus: Sendable, Equatable {
    /// Applied migrations this binary knows, in version order.
    public let applied: [AppliedMigration]
    /// Known migrations not applied yet, in the order they would run.
    public let pending: [Migration]
    /// Applied migrations this binary does not know (written by a newer version). The server
    /// refuses to start while this is not empty.
    public let unknown: [AppliedMigration]

    public init(applied: [AppliedMigration], pending: [Migration], unknown: [AppliedMigration]) {
        self.applied = applied
        self.pending = pending
        self.unknown = unknown
    }
}
