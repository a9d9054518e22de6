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
final class PostgresWriteTransaction: WriteTransaction {
    private let statements: any PostgresStatements
    private let instance: String
    /// True only while a job runs.
    var isActive = false
    /// What this group changed, as `changes` rows: kind and key.
    var changes: [(kind: String, key: String)] = []

    init(statements: any PostgresStatements, instance: String) {
        self.statements = statements
        self.instance = instance
    }

    /// Appends the group's `changes` rows and notifies the other instances. Under a lock held
    /// until COMMIT ends, so `seq` grows in commit order across instances: a feed that read up
    /// to a `seq` never later finds a smaller one committed (a plain sequence is drawn at
    /// insert time, and transactions commit in another order).
    func recordChanges() throws {
        guard !changes.isEmpty else { return }
        try write("SELECT pg_advisory_xact_lock(\(PostgresStore.changesLockKey))")
        try write(
            "INSERT INTO changes (kind, key, instance) SELECT unnest($1::text[]), unnest($2::text[]), $3",
            [.text(Self.arrayLiteral(changes.map(\.kind))), .text(Self.arrayLiteral(changes.map(\.key))), .text(instance)])
        // NOTIFY is transactional: delivered at COMMIT, to every listening instance.
        try write("NOTIFY \(PostgresChangeFeed.channel)")
    }

    /// A text[] literal: every element double-quoted, `"` and `\` escaped.
    static func arrayLiteral(_ elements: [String]) -> String {
        let quoted = elements.map { element -> String in
            var text = "\""
            for character in element {
                if character == "\"" || character == "\\" { text.append("\\") }
                text.append(character)
            }
            return text + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }

    /// A statement whose rows the job does not read; the rows it changed, or `nil` in a pipeline
    /// (where it is checked later to have done what `expecting` says).
    @discardableResult
    private func write(_ sql: String, _ parameters: [PostgresValue] = [], expecting: PostgresExpectation = .success) throws -> Int? {
        try statements.write(sql, parameters, expecting: expecting)
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
        let rows = try statements.execute(
            "SELECT id, name, strategy, body, revision FROM connections WHERE id = $1 FOR UPDATE", [.text(id)])
        return rows.count == 0 ? nil : PostgresRows.connection(rows, 0)
    }

    func insertConnection(_ record: ConnectionRecord) throws {
        try checkActive()
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

    @discardableResult
    func updateConnection(_ record: ConnectionRecord) throws -> Bool {
        try checkActive()
        let affected = try write(
            "UPDATE connections SET body = $1, revision = $2, updated_at = extract(epoch FROM now())::bigint WHERE id = $3",
            [.text(record.body), .int(record.revision), .text(record.id)], expecting: .changesRows)
        guard affected ?? 1 > 0 else { return false }
        note("connection", record.id)
        return true
    }

    @discardableResult
    func deleteConnection(id: String) throws -> Bool {
        try checkActive()
        let affected = try write("DELETE FROM connections WHERE id = $1", [.text(id)], expecting: .changesRows)
        guard affected ?? 1 > 0 else { return false }
        note("connection", id)
        return true
    }

    // MARK: Revisions

    func appendRevision(_ record: RevisionRecord, keep: Int) throws {
        try checkActive()
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
        guard record.revision > keep else { return }
        try write(
            "DELETE FROM revisions WHERE connection_id = $1 AND revision <= $2",
            [.text(record.connectionID), .int(record.revision - keep)])
    }

    func revision(connectionID: String, number: Int) throws -> RevisionRecord? {
        try checkActive()
        return try PostgresRows.revision(statements, connectionID: connectionID, number: number)
    }

    func lastRevision(connectionID: String) throws -> RevisionRecord? {
        try checkActive()
        return try PostgresRows.lastRevision(statements, connectionID: connectionID)
    }

    // MARK: Tenant settings

    func tenantSettings() throws -> String? {
        try checkActive()
        return try PostgresRows.tenantSettings(statements)
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
        return try PostgresRows.client(statements, id: id)
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
        let revoked =
            try statements.execute(
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
        return try statements.execute("DELETE FROM tokens WHERE expires_at <= $1", [.int(now)]).affected
    }

    func hasActiveClient() throws -> Bool {
        try checkActive()
        return try statements.execute("SELECT EXISTS (SELECT 1 FROM clients WHERE revoked_at IS NULL)", []).bool(0, 0)
    }

    func adminTokenHash() throws -> [UInt8]? {
        try checkActive()
        return try PostgresRows.adminTokenHash(statements)
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
