/// The rows a pipelined group writes to `connections` and `revisions`, held until the group
/// next reads or commits, then written by one statement per kind (`unnest` of array
/// parameters) instead of one or two per job: the server parses, plans and starts an executor
/// once per group rather than once per row.
///
/// Order is kept where it matters: `PostgresWriteTransaction` sends the batch before any other
/// statement, and before a second change to a connection already in it (so a row is never
/// updated twice by one statement). Inserted connections go first, then updates, revisions and
/// prunes: an update in the batch is of a row inserted earlier or stored, and a prune never
/// reaches a revision of the same batch (it keeps the newest).
struct PostgresRowBatch {
    private var inserted: [ConnectionRecord] = []
    private var updated: [ConnectionRecord] = []
    private var updatedIDs: Set<String> = []
    private var revisions: [RevisionRecord] = []
    private var pruned: [(id: String, upTo: Int)] = []

    var isEmpty: Bool { inserted.isEmpty && updated.isEmpty && revisions.isEmpty && pruned.isEmpty }

    mutating func insert(_ record: ConnectionRecord) { inserted.append(record) }

    /// Whether `update` can join the batch (a connection is updated once per statement).
    func canUpdate(_ id: String) -> Bool { !updatedIDs.contains(id) }

    mutating func update(_ record: ConnectionRecord) {
        updated.append(record)
        updatedIDs.insert(record.id)
    }

    mutating func append(_ revision: RevisionRecord) { revisions.append(revision) }

    mutating func prune(_ id: String, upTo revision: Int) { pruned.append((id, revision)) }

    /// The statements that write the batch, in order, each with what it must have done; empties it.
    mutating func take() -> [(sql: String, parameters: [PostgresValue], expecting: PostgresExpectation)] {
        defer { self = PostgresRowBatch() }
        var statements: [(sql: String, parameters: [PostgresValue], expecting: PostgresExpectation)] = []
        if !inserted.isEmpty {
            statements.append(
                (
                    """
                    INSERT INTO connections (id, name, name_key, strategy, body, revision, created_at, updated_at)
                    SELECT id, name, name_key, strategy, body, revision, extract(epoch FROM now())::bigint, extract(epoch FROM now())::bigint
                    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
                        AS batch (id, name, name_key, strategy, body, revision)
                    """,
                    [
                        PostgresArray(inserted.map(\.id)).value, PostgresArray(inserted.map(\.name)).value,
                        PostgresArray(inserted.map { ConnectionRecord.nameKey($0.name) }).value,
                        PostgresArray(inserted.map(\.strategy)).value, PostgresArray(inserted.map(\.body)).value,
                        PostgresArray(integers: inserted.map { Int64($0.revision) }).value,
                    ], .changesExactly(inserted.count)
                ))
        }
        if !updated.isEmpty {
            statements.append(
                (
                    """
                    UPDATE connections SET body = batch.body, revision = batch.revision, updated_at = extract(epoch FROM now())::bigint
                    FROM unnest($1::text[], $2::text[], $3::bigint[]) AS batch (id, body, revision)
                    WHERE connections.id = batch.id
                    """,
                    [
                        PostgresArray(updated.map(\.id)).value, PostgresArray(updated.map(\.body)).value,
                        PostgresArray(integers: updated.map { Int64($0.revision) }).value,
                    ], .changesExactly(updated.count)
                ))
        }
        if !revisions.isEmpty {
            statements.append(
                (
                    """
                    INSERT INTO revisions (connection_id, revision, created_at, operation, actor_client_id, restored_from, body)
                    SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::text[])
                    """,
                    [
                        PostgresArray(revisions.map(\.connectionID)).value,
                        PostgresArray(integers: revisions.map { Int64($0.revision) }).value,
                        PostgresArray(integers: revisions.map(\.createdAt)).value, PostgresArray(revisions.map(\.operation)).value,
                        PostgresArray(revisions.map(\.actorClientID)).value,
                        PostgresArray(integers: revisions.map { $0.restoredFrom.map(Int64.init) }).value,
                        PostgresArray(revisions.map(\.body)).value,
                    ], .changesExactly(revisions.count)
                ))
        }
        if !pruned.isEmpty {
            statements.append(
                (
                    """
                    DELETE FROM revisions USING unnest($1::text[], $2::bigint[]) AS batch (id, up_to)
                    WHERE revisions.connection_id = batch.id AND revisions.revision <= batch.up_to
                    """,
                    [PostgresArray(pruned.map(\.id)).value, PostgresArray(integers: pruned.map { Int64($0.upTo) }).value], .success
                ))
        }
        return statements
    }
}
