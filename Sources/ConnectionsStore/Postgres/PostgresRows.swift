/// The reads both the write transaction and the read connections make, and how rows become
/// records. Columns in the order the SQLite store reads them.
enum PostgresRows {
    static let tenantSettingsKey = "prompts"
    static let connectionColumns = "id, name, strategy, body, revision"
    static let revisionColumns = "connection_id, revision, created_at, operation, actor_client_id, restored_from"
    static let clientColumns = "client_id, name, secret_hash, scopes, created_at, revoked_at"

    static func connection(_ rows: PostgresResult, _ row: Int) -> ConnectionRecord {
        ConnectionRecord(
            id: rows.string(row, 0) ?? "", name: rows.string(row, 1) ?? "", strategy: rows.string(row, 2) ?? "",
            body: rows.string(row, 3) ?? "", revision: Int(rows.int(row, 4) ?? 1))
    }

    static func revision(_ rows: PostgresResult, _ row: Int) -> RevisionRecord {
        RevisionRecord(
            connectionID: rows.string(row, 0) ?? "", revision: Int(rows.int(row, 1) ?? 0), createdAt: rows.int(row, 2) ?? 0,
            operation: rows.string(row, 3) ?? "", actorClientID: rows.string(row, 4), restoredFrom: rows.int(row, 5).map { Int($0) },
            body: rows.string(row, 6))
    }

    static func client(_ rows: PostgresResult, _ row: Int) -> ClientRecord {
        ClientRecord(
            clientID: rows.string(row, 0) ?? "", name: rows.string(row, 1) ?? "", secretHash: rows.bytes(row, 2) ?? [],
            scopes: Scopes.decode(rows.string(row, 3) ?? ""), createdAt: rows.int(row, 4) ?? 0, revokedAt: rows.int(row, 5))
    }

    static func connection(_ connection: some PostgresStatements, id: String) throws -> ConnectionRecord? {
        let rows = try connection.execute("SELECT \(connectionColumns) FROM connections WHERE id = $1", [.text(id)])
        return rows.count == 0 ? nil : Self.connection(rows, 0)
    }

    /// Filtering to `revision > newest - keep` keeps retention exact between the amortized
    /// deletes (`RevisionRetention`); the newest is one descent of the primary key.
    static let retained = "revision > (SELECT max(revision) FROM revisions WHERE connection_id = $1) - $3"

    static func revision(_ connection: some PostgresStatements, connectionID: String, number: Int, keep: Int) throws -> RevisionRecord? {
        let rows = try connection.execute(
            "SELECT \(revisionColumns), body FROM revisions WHERE connection_id = $1 AND revision = $2 AND \(retained)",
            [.text(connectionID), .int(number), .int(keep)])
        return rows.count == 0 ? nil : revision(rows, 0)
    }

    static func lastRevision(_ connection: some PostgresStatements, connectionID: String) throws -> RevisionRecord? {
        let rows = try connection.execute(
            "SELECT \(revisionColumns), body FROM revisions WHERE connection_id = $1 ORDER BY revision DESC LIMIT 1",
            [.text(connectionID)])
        return rows.count == 0 ? nil : revision(rows, 0)
    }

    static func revisions(
        _ connection: some PostgresStatements, connectionID: String, below: Int, limit: Int, keep: Int
    ) throws -> [RevisionRecord] {
        let rows = try connection.execute(
            """
            SELECT \(revisionColumns), NULL FROM revisions WHERE connection_id = $1 AND revision < $2 AND \(retained)
            ORDER BY revision DESC LIMIT $4
            """, [.text(connectionID), .int(below), .int(keep), .int(limit)])
        return (0..<rows.count).map { revision(rows, $0) }
    }

    static func tenantSettings(_ connection: some PostgresStatements) throws -> String? {
        let rows = try connection.execute("SELECT value FROM tenant_settings WHERE key = $1", [.text(tenantSettingsKey)])
        return rows.count == 0 ? nil : rows.string(0, 0)
    }

    static func client(_ connection: some PostgresStatements, id: String) throws -> ClientRecord? {
        let rows = try connection.execute("SELECT \(clientColumns) FROM clients WHERE client_id = $1", [.text(id)])
        return rows.count == 0 ? nil : client(rows, 0)
    }

    static func clients(_ connection: some PostgresStatements) throws -> [ClientRecord] {
        let rows = try connection.execute("SELECT \(clientColumns) FROM clients ORDER BY created_at, client_id", [])
        return (0..<rows.count).map { client(rows, $0) }
    }

    static func token(_ connection: some PostgresStatements, hash: [UInt8]) throws -> TokenRecord? {
        let rows = try connection.execute(
            """
            SELECT t.token_hash, t.client_id, t.scopes, t.expires_at, c.revoked_at IS NOT NULL
            FROM tokens AS t JOIN clients AS c ON c.client_id = t.client_id WHERE t.token_hash = $1
            """, [.bytes(hash)])
        return rows.count == 0 ? nil : token(rows, 0)
    }

    static func token(_ rows: PostgresResult, _ row: Int) -> TokenRecord {
        TokenRecord(
            hash: rows.bytes(row, 0) ?? [], clientID: rows.string(row, 1) ?? "", scopes: Scopes.decode(rows.string(row, 2) ?? ""),
            expiresAt: rows.int(row, 3) ?? 0, clientRevoked: rows.bool(row, 4))
    }

    static func unexpiredTokens(_ connection: some PostgresStatements, now: Int64) throws -> [TokenRecord] {
        let rows = try connection.execute(
            """
            SELECT t.token_hash, t.client_id, t.scopes, t.expires_at, c.revoked_at IS NOT NULL
            FROM tokens AS t JOIN clients AS c ON c.client_id = t.client_id WHERE t.expires_at > $1
            """, [.int(now)])
        return (0..<rows.count).map { token(rows, $0) }
    }

    static func adminTokenHash(_ connection: some PostgresStatements) throws -> [UInt8]? {
        let rows = try connection.execute("SELECT hash FROM admin_token WHERE id = 1", [])
        return rows.count == 0 ? nil : rows.bytes(0, 0)
    }
}
