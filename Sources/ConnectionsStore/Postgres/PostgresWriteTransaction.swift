/// `WriteTransaction` on PostgreSQL. Every change is also noted, for the writer to append to
/// `changes` just before COMMIT (only the notes of jobs that did not throw), so other instances
/// learn of exactly what committed (`PostgresChangeFeed`).
/// Reading a connection locks its row (`FOR UPDATE`) until COMMIT: an `If-Match` checked on
/// it holds against every instance, which waits for this transaction to end.
///
/// Statements go to `statements`: the connection, or the group's pipeline, where a write is
/// sent without waiting and told it succeeded (and, for `updateConnection` and
/// `deleteConnection`, that it found its row); the writer runs the group again one statement
/// at a time if that turns out wrong.
///
/// In a pipeline (`batching`), rows of `connections` and `revisions` are held in a
/// `PostgresRowBatch` and written by one statement per kind, and the connections the group's
/// jobs said they would read are read and locked by one statement before they run (`lock`):
/// a group of PATCHes then costs two round trips, not one per job.
final class PostgresWriteTransaction: WriteTransaction {
    private let statements: any PostgresStatements
    private let instance: String
    private let batching: Bool
    private var batch = PostgresRowBatch()
    /// What this group knows of a connection it locked (`batching` only), as its own writes
    /// left it.
    private enum Known {
        case absent
        /// Locked, and only its revision read: all a PATCH needs unless another write came
        /// between its judging and its turn.
        case revision(Int)
        case record(ConnectionRecord)
    }
    private var known: [String: Known] = [:]
    /// True only while a job runs.
    var isActive = false
    /// What this group changed, as `changes` rows: kind and key.
    var changes: [(kind: String, key: String)] = []
    /// Writes so far, sent or batched (a job that made none can fail without a savepoint).
    private(set) var writes = 0

    init(statements: any PostgresStatements, instance: String, batching: Bool = false) {
        self.statements = statements
        self.instance = instance
        self.batching = batching
    }

    /// Locks (`FOR UPDATE`) these connections for the group and reads their revision numbers,
    /// in one statement, in id order (so two instances' groups lock rows in the same order);
    /// `connectionRevision(id:)` then answers from what it read, and the bodies, which a PATCH
    /// rarely needs, stay in the database. Only in a pipeline.
    func lock(connectionIDs: [String]) throws {
        guard batching, !connectionIDs.isEmpty else { return }
        let ids = Array(Set(connectionIDs)).sorted()
        let rows = try statements.execute(
            "SELECT id, revision FROM connections WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE", [PostgresArray(ids).value])
        for id in ids { known[id] = .absent }
        for row in 0..<rows.count {
            guard let id = rows.string(row, 0) else { continue }
            known[id] = .revision(Int(rows.int(row, 1) ?? 1))
        }
    }

    /// Writes what is batched, then appends the group's `changes` rows and notifies the other
    /// instances: what the writer calls just before COMMIT. The `changes` rows are written
    /// under a lock held until COMMIT ends, so `seq` grows in commit order across instances: a
    /// feed that read up to a `seq` never later finds a smaller one committed (a plain sequence
    /// is drawn at insert time, and transactions commit in another order).
    func recordChanges() throws {
        try sendBatch()
        guard !changes.isEmpty else { return }
        try write("SELECT pg_advisory_xact_lock(\(PostgresStore.changesLockKey))")
        try write(
            "INSERT INTO changes (kind, key, instance) SELECT unnest($1::text[]), unnest($2::text[]), $3",
            [PostgresArray(changes.map(\.kind)).value, PostgresArray(changes.map(\.key)).value, .text(instance)])
        // NOTIFY is transactional: delivered at COMMIT, to every listening instance. The payload
        // names this instance, whose own feed need not read after it.
        try write("SELECT pg_notify($1, $2)", [.text(PostgresChangeFeed.channel), .text(instance)])
    }

    /// A statement whose rows the job does not read; the rows it changed, or `nil` in a pipeline
    /// (where it is checked later to have done what `expecting` says). What is batched goes first.
    @discardableResult
    private func write(_ sql: String, _ parameters: [PostgresValue] = [], expecting: PostgresExpectation = .success) throws -> Int? {
        try sendBatch()
        writes += 1
        return try statements.write(sql, parameters, expecting: expecting)
    }

    /// Where a read goes: the statements, once what is batched was sent (the read sees it).
    private func reading() throws -> any PostgresStatements {
        try sendBatch()
        return statements
    }

    private func sendBatch() throws {
        guard !batch.isEmpty else { return }
        for statement in batch.take() {
            _ = try statements.write(statement.sql, statement.parameters, expecting: statement.expecting)
        }
    }

    private func checkActive() throws {
        guard isActive else { throw StoreError.transactionEnded }
    }

    private func note(_ kind: String, _ key: String = "") {
        changes.append((kind, key))
    }

    /// Clients or the admin token changed: every instance's next request sees it.
    private func credentialsChanged() throws {
        try write("UPDATE credentials_version SET n = n + 1 WHERE id = 1")
        note("credentials")
    }

    // MARK: Connections

    func connection(id: String) throws -> ConnectionRecord? {
        try checkActive()
        switch known[id] {
        case .absent: return nil
        case .record(let record): return record
        case .revision, nil: break
        }
        let rows = try reading().execute(
            "SELECT \(PostgresRows.connectionColumns) FROM connections WHERE id = $1 FOR UPDATE", [.text(id)])
        let record = rows.count == 0 ? nil : PostgresRows.connection(rows, 0)
        if batching { known[id] = record.map(Known.record) ?? .absent }
        return record
    }

    /// A group's PATCHes have it already, read with the lock of the group's one `FOR UPDATE`.
    func connectionRevision(id: String) throws -> Int? {
        try checkActive()
        switch known[id] {
        case .absent: return nil
        case .revision(let revision): return revision
        case .record(let record): return record.revision
        case nil:
            let rows = try reading().execute("SELECT revision FROM connections WHERE id = $1 FOR UPDATE", [.text(id)])
            let revision = rows.count == 0 ? nil : Int(rows.int(0, 0) ?? 1)
            if batching { known[id] = revision.map(Known.revision) ?? .absent }
            return revision
        }
    }

    // Each connection write keeps the body in its row and in its revision: PostgreSQL's layout
    // (docs/DECISIONS.md, "SQLite keeps a connection's current body once ... PostgreSQL keeps it
    // twice").

    func insertConnection(_ record: ConnectionRecord, stamp: RevisionStamp, keep: Int) throws {
        try checkActive()
        try insertRow(record)
        try appendRevision(RevisionRecord(connectionID: record.id, revision: record.revision, stamp: stamp, body: record.body), keep: keep)
    }

    @discardableResult
    func updateConnection(_ record: ConnectionRecord, stamp: RevisionStamp, keep: Int) throws -> Bool {
        try checkActive()
        guard try updateRow(record) else { return false }
        try appendRevision(RevisionRecord(connectionID: record.id, revision: record.revision, stamp: stamp, body: record.body), keep: keep)
        return true
    }

    @discardableResult
    func deleteConnection(id: String, revision: Int, stamp: RevisionStamp, keep: Int) throws -> Bool {
        try checkActive()
        guard try deleteRow(id: id) else { return false }
        try appendRevision(RevisionRecord(connectionID: id, revision: revision, stamp: stamp, body: nil), keep: keep)
        return true
    }

    private func insertRow(_ record: ConnectionRecord) throws {
        if batching {
            // A name or id taken fails the batch's statement, and the group is run again
            // one statement at a time, where this job fails alone with the right error.
            batch.insert(record)
            writes += 1
            known[record.id] = .record(record)
            note("connection", record.id)
            return
        }
        do {
            try write(
                """
                INSERT INTO connections (id, name, name_key, strategy, body, revision, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, extract(epoch FROM now())::bigint, extract(epoch FROM now())::bigint)
                """,
                [
                    .text(record.id), .text(record.name), .text(ConnectionRecord.nameKey(record.name)), .text(record.strategy),
                    .text(record.body), .int(record.revision),
                ])
        } catch let error as PostgresError where error.isUniqueViolation {
            // The constraint says which: the primary key is `connections_pkey`.
            throw error.message.includes("connections_pkey") ? StoreError.idConflict : StoreError.nameConflict
        }
        note("connection", record.id)
    }

    private func updateRow(_ record: ConnectionRecord) throws -> Bool {
        if batching, let stored = known[record.id] {
            if case .absent = stored { return false }
            if !batch.canUpdate(record.id) { try sendBatch() }
            batch.update(record)
            writes += 1
            known[record.id] = .record(record)
            note("connection", record.id)
            return true
        }
        let affected = try write(
            "UPDATE connections SET body = $1, revision = $2, updated_at = extract(epoch FROM now())::bigint WHERE id = $3",
            [.text(record.body), .int(record.revision), .text(record.id)], expecting: .changesRows)
        guard affected ?? 1 > 0 else { return false }
        note("connection", record.id)
        return true
    }

    private func deleteRow(id: String) throws -> Bool {
        if batching, let stored = known[id] {
            if case .absent = stored { return false }
            known[id] = .absent
        }
        let affected = try write("DELETE FROM connections WHERE id = $1", [.text(id)], expecting: .changesRows)
        guard affected ?? 1 > 0 else { return false }
        note("connection", id)
        return true
    }

    // MARK: Revisions

    private func appendRevision(_ record: RevisionRecord, keep: Int) throws {
        if batching {
            // A number taken fails the batch's statement (see `insertConnection`).
            batch.append(record)
            writes += 1
            if let bound = RevisionRetention.deleteBound(afterAppending: record.revision, keep: keep) {
                batch.prune(record.connectionID, upTo: bound)
            }
            return
        }
        do {
            try write(
                """
                INSERT INTO revisions (connection_id, revision, created_at, operation, actor_client_id, restored_from, body)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """,
                [
                    .text(record.connectionID), .int(record.revision), .int(record.createdAt), .text(record.operation),
                    .string(record.actorClientID), .int(record.restoredFrom), .string(record.body),
                ])
        } catch let error as PostgresError where error.isUniqueViolation {
            throw StoreError.idConflict
        }
        guard let bound = RevisionRetention.deleteBound(afterAppending: record.revision, keep: keep) else { return }
        try write("DELETE FROM revisions WHERE connection_id = $1 AND revision <= $2", [.text(record.connectionID), .int(bound)])
    }

    func revision(connectionID: String, number: Int, keep: Int) throws -> RevisionRecord? {
        try checkActive()
        return try PostgresRows.revision(try reading(), connectionID: connectionID, number: number, keep: keep)
    }

    func lastRevision(connectionID: String) throws -> RevisionRecord? {
        try checkActive()
        return try PostgresRows.lastRevision(try reading(), connectionID: connectionID)
    }

    // MARK: Tenant settings

    func tenantSettings() throws -> String? {
        try checkActive()
        return try PostgresRows.tenantSettings(try reading())
    }

    func setTenantSettings(_ json: String) throws {
        try checkActive()
        try write(
            """
            INSERT INTO tenant_settings (key, value) VALUES ($1, $2)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, [.text(PostgresRows.tenantSettingsKey), .text(json)])
        note("tenant_settings")
    }

    // MARK: Clients and tokens

    func client(id: String) throws -> ClientRecord? {
        try checkActive()
        return try PostgresRows.client(try reading(), id: id)
    }

    func insertClient(_ client: ClientRecord) throws {
        try checkActive()
        do {
            try write(
                "INSERT INTO clients (client_id, name, secret_hash, scopes, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)",
                [
                    .text(client.clientID), .text(client.name), .bytes(client.secretHash), .text(Scopes.encode(client.scopes)),
                    .int(client.createdAt), .int(client.revokedAt),
                ])
        } catch let error as PostgresError where error.isUniqueViolation {
            throw StoreError.clientConflict
        }
        try credentialsChanged()
    }

    @discardableResult
    func revokeClient(id: String, now: Int64) throws -> Bool {
        try checkActive()
        writes += 1
        let revoked =
            try reading().execute(
                "UPDATE clients SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL", [.int(now), .text(id)]
            ).affected > 0
        try write("DELETE FROM tokens WHERE client_id = $1", [.text(id)])
        try credentialsChanged()
        return revoked
    }

    func insertToken(hash: [UInt8], clientID: String, scopes: [String], expiresAt: Int64) throws {
        try checkActive()
        do {
            try write(
                "INSERT INTO tokens (token_hash, client_id, scopes, expires_at) VALUES ($1, $2, $3, $4)",
                [.bytes(hash), .text(clientID), .text(Scopes.encode(scopes)), .int(expiresAt)])
        } catch let error as PostgresError where error.isForeignKeyViolation {
            throw StoreError.unknownClient
        }
    }

    @discardableResult
    func deleteExpiredTokens(now: Int64) throws -> Int {
        try checkActive()
        writes += 1
        return try reading().execute("DELETE FROM tokens WHERE expires_at <= $1", [.int(now)]).affected
    }

    func hasActiveClient() throws -> Bool {
        try checkActive()
        return try reading().execute("SELECT EXISTS (SELECT 1 FROM clients WHERE revoked_at IS NULL)", []).bool(0, 0)
    }

    func adminTokenHash() throws -> [UInt8]? {
        try checkActive()
        return try PostgresRows.adminTokenHash(try reading())
    }

    func setAdminTokenHash(_ hash: [UInt8]?) throws {
        try checkActive()
        if let hash {
            try write(
                """
                INSERT INTO admin_token (id, hash, created_at) VALUES (1, $1, extract(epoch FROM now())::bigint)
                ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at
                """, [.bytes(hash)])
        } else {
            try write("DELETE FROM admin_token")
        }
        try credentialsChanged()
    }
}

@available(*, unavailable, message: "wraps the writer thread's connection")
extension PostgresWriteTransaction: Sendable {}
