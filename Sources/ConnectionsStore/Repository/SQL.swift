/// The store's statements, in one place so reads and writes agree on columns and order.
/// Each runs through `Database.cachedStatement`, so it is prepared once per connection.
enum SQL {
    // A connection's body and revision number are its newest revision's (migration 3): the
    // `connections` row holds what never changes. The primary key of `revisions` (connection_id,
    // revision) finds the newest in one descent.
    static let selectConnection: StaticString = """
        SELECT c.id, c.name, c.strategy, r.body, r.revision FROM connections AS c
        JOIN revisions AS r ON r.connection_id = c.id WHERE c.id = ? ORDER BY r.revision DESC LIMIT 1
        """
    static let selectConnectionRevision: StaticString = """
        SELECT r.revision FROM connections AS c
        JOIN revisions AS r ON r.connection_id = c.id WHERE c.id = ? ORDER BY r.revision DESC LIMIT 1
        """
    static let connectionExists: StaticString = "SELECT 1 FROM connections WHERE id = ?"
    static let countConnections: StaticString = "SELECT count(*) FROM connections"
    /// The list-order key of the row at a position (the index on `name_key, id` answers it).
    static let selectConnectionOrderKey: StaticString =
        "SELECT name_key, id FROM connections ORDER BY name_key, id LIMIT 1 OFFSET ?"
    static let selectConnectionsFrom: StaticString = """
        SELECT c.id, c.name, c.strategy, r.body, r.revision FROM connections AS c
        JOIN revisions AS r ON r.connection_id = c.id AND r.revision = (SELECT max(revision) FROM revisions WHERE connection_id = c.id)
        WHERE (c.name_key, c.id) >= (?1, ?2) ORDER BY c.name_key, c.id
        """
    static let selectConnectionsBetween: StaticString = """
        SELECT c.id, c.name, c.strategy, r.body, r.revision FROM connections AS c
        JOIN revisions AS r ON r.connection_id = c.id AND r.revision = (SELECT max(revision) FROM revisions WHERE connection_id = c.id)
        WHERE (c.name_key, c.id) >= (?1, ?2) AND (c.name_key, c.id) < (?3, ?4) ORDER BY c.name_key, c.id
        """
    static let insertConnection: StaticString =
        "INSERT INTO connections (id, name, name_key, strategy, created_at) VALUES (?, ?, ?, ?, unixepoch())"
    static let deleteConnection: StaticString = "DELETE FROM connections WHERE id = ?"

    static let insertRevision: StaticString = """
        INSERT INTO revisions (connection_id, revision, created_at, operation, actor_client_id, restored_from, body)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
    /// Retention without a delete: the connection's oldest row, if it is `?8` or older, becomes
    /// the new revision in place (`SQLiteWriteTransaction.appendRevision` says why).
    static let recycleRevision: StaticString = """
        UPDATE revisions SET revision = ?2, created_at = ?3, operation = ?4, actor_client_id = ?5, restored_from = ?6, body = ?7
        WHERE rowid = (SELECT rowid FROM revisions WHERE connection_id = ?1 AND revision <= ?8 ORDER BY revision LIMIT 1)
        """
    /// Retention: everything up to a revision number goes (`RevisionRetention`).
    static let pruneRevisions: StaticString = "DELETE FROM revisions WHERE connection_id = ? AND revision <= ?"
    /// One revision if it is among the connection's newest `?3` (rows past that wait for the
    /// next amortized delete, `RevisionRetention`). The newest is one descent of the primary key.
    static let selectRevision: StaticString = """
        SELECT connection_id, revision, created_at, operation, actor_client_id, restored_from, body
        FROM revisions WHERE connection_id = ?1 AND revision = ?2
        AND revision > (SELECT max(revision) FROM revisions WHERE connection_id = ?1) - ?3
        """
    static let selectLastRevision: StaticString = """
        SELECT connection_id, revision, created_at, operation, actor_client_id, restored_from, body
        FROM revisions WHERE connection_id = ? ORDER BY revision DESC LIMIT 1
        """
    /// A page of history, newest first, below a revision number, among the connection's newest
    /// `?4`; without bodies.
    static let selectRevisionsBelow: StaticString = """
        SELECT connection_id, revision, created_at, operation, actor_client_id, restored_from, NULL
        FROM revisions WHERE connection_id = ?1 AND revision < ?2
        AND revision > (SELECT max(revision) FROM revisions WHERE connection_id = ?1) - ?4
        ORDER BY revision DESC LIMIT ?3
        """

    static let tenantSettingsKey = "prompts"
    static let selectSetting: StaticString = "SELECT value FROM tenant_settings WHERE key = ?"
    static let upsertSetting: StaticString = """
        INSERT INTO tenant_settings (key, value) VALUES (?, ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
        """

    static let selectClient: StaticString = """
        SELECT client_id, name, secret_hash, scopes, created_at, revoked_at
        FROM clients WHERE client_id = ?
        """
    static let selectAllClients: StaticString = """
        SELECT client_id, name, secret_hash, scopes, created_at, revoked_at
        FROM clients ORDER BY created_at, client_id
        """
    static let insertClient: StaticString = """
        INSERT INTO clients (client_id, name, secret_hash, scopes, created_at, revoked_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """
    static let selectActiveClientExists: StaticString = "SELECT EXISTS (SELECT 1 FROM clients WHERE revoked_at IS NULL)"
    static let revokeClient: StaticString =
        "UPDATE clients SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL"
    static let deleteClientTokens: StaticString = "DELETE FROM tokens WHERE client_id = ?"

    static let selectToken: StaticString = """
        SELECT t.token_hash, t.client_id, t.scopes, t.expires_at, c.revoked_at IS NOT NULL
        FROM tokens AS t JOIN clients AS c ON c.client_id = t.client_id
        WHERE t.token_hash = ?
        """
    static let selectUnexpiredTokens: StaticString = """
        SELECT t.token_hash, t.client_id, t.scopes, t.expires_at, c.revoked_at IS NOT NULL
        FROM tokens AS t JOIN clients AS c ON c.client_id = t.client_id
        WHERE t.expires_at > ?
        """
    static let insertToken: StaticString =
        "INSERT INTO tokens (token_hash, client_id, scopes, expires_at) VALUES (?, ?, ?, ?)"
    static let deleteExpiredTokens: StaticString = "DELETE FROM tokens WHERE expires_at <= ?"

    static let selectAdminTokenHash: StaticString = "SELECT hash FROM admin_token WHERE id = 1"
    static let upsertAdminTokenHash: StaticString = """
        INSERT INTO admin_token (id, hash, created_at) VALUES (1, ?, unixepoch())
        ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at
        """
    static let deleteAdminTokenHash: StaticString = "DELETE FROM admin_token"
}
