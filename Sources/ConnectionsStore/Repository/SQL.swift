/// The store's statements, in one place so reads and writes agree on columns and order.
/// Each runs through `Database.cachedStatement`, so it is prepared once per connection.
enum SQL {
    static let selectConnection: StaticString =
        "SELECT id, name, strategy, body, revision FROM connections WHERE id = ?"
    static let selectConnectionRevision: StaticString = "SELECT revision FROM connections WHERE id = ?"
    static let countConnections: StaticString = "SELECT count(*) FROM connections"
    /// The list-order key of the row at a position (the index on `name_key, id` answers it).
    static let selectConnectionOrderKey: StaticString =
        "SELECT name_key, id FROM connections ORDER BY name_key, id LIMIT 1 OFFSET ?"
    static let selectConnectionsFrom: StaticString = """
        SELECT id, name, strategy, body, revision FROM connections
        WHERE (name_key, id) >= (?1, ?2) ORDER BY name_key, id
        """
    static let selectConnectionsBetween: StaticString = """
        SELECT id, name, strategy, body, revision FROM connections
        WHERE (name_key, id) >= (?1, ?2) AND (name_key, id) < (?3, ?4) ORDER BY name_key, id
        """
    static let insertConnection: StaticString = """
        INSERT INTO connections (id, name, name_key, strategy, body, revision, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, unixepoch(), unixepoch())
        """
    static let updateConnection: StaticString =
        "UPDATE connections SET body = ?, revision = ?, updated_at = unixepoch() WHERE id = ?"
    static let deleteConnection: StaticString = "DELETE FROM connections WHERE id = ?"

    static let insertRevision: StaticString = """
        INSERT INTO revisions (connection_id, revision, created_at, operation, actor_client_id, restored_from, body)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
    /// Retention: everything up to a revision number goes.
    static let pruneRevisions: StaticString = "DELETE FROM revisions WHERE connection_id = ? AND revision <= ?"
    static let selectRevision: StaticString = """
        SELECT connection_id, revision, created_at, operation, actor_client_id, restored_from, body
        FROM revisions WHERE connection_id = ? AND revision = ?
        """
    static let selectLastRevision: StaticString = """
        SELECT connection_id, revision, created_at, operation, actor_client_id, restored_from, body
        FROM revisions WHERE connection_id = ? ORDER BY revision DESC LIMIT 1
        """
    /// A page of history, newest first, below a revision number; without bodies.
    static let selectRevisionsBelow: StaticString = """
        SELECT connection_id, revision, created_at, operation, actor_client_id, restored_from, NULL
        FROM revisions WHERE connection_id = ? AND revision < ? ORDER BY revision DESC LIMIT ?
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
