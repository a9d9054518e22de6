/// The store's statements, in one place so reads and writes agree on columns and order.
/// Each runs through `Database.cachedStatement`, so it is prepared once per connection.
enum SQL {
    // A connection's body and revision number are its newest revision's (migration 3): the one
    // its `histories` row names, in slot `head % ring` of its ring (migration 4, `RevisionRing`).
    // Every lookup below is a descent of a primary key or of the `(connection_id, slot)` index.
    static let selectConnection: StaticString = """
        SELECT c.id, c.name, c.strategy, r.body, r.revision FROM connections AS c
        JOIN histories AS h ON h.connection_id = c.id JOIN revisions AS r ON r.connection_id = c.id AND r.slot = h.head % h.ring
        WHERE c.id = ?
        """
    static let selectConnectionRevision: StaticString = """
        SELECT h.head FROM connections AS c JOIN histories AS h ON h.connection_id = c.id WHERE c.id = ?
        """
    static let connectionExists: StaticString = "SELECT 1 FROM connections WHERE id = ?"
    static let countConnections: StaticString = "SELECT count(*) FROM connections"
    /// The list-order key of the row at a position (the index on `name_key, id` answers it).
    static let selectConnectionOrderKey: StaticString =
        "SELECT name_key, id FROM connections ORDER BY name_key, id LIMIT 1 OFFSET ?"
    static let selectConnectionsFrom: StaticString = """
        SELECT c.id, c.name, c.strategy, r.body, r.revision FROM connections AS c
        JOIN histories AS h ON h.connection_id = c.id JOIN revisions AS r ON r.connection_id = c.id AND r.slot = h.head % h.ring
        WHERE (c.name_key, c.id) >= (?1, ?2) ORDER BY c.name_key, c.id
        """
    static let selectConnectionsBetween: StaticString = """
        SELECT c.id, c.name, c.strategy, r.body, r.revision FROM connections AS c
        JOIN histories AS h ON h.connection_id = c.id JOIN revisions AS r ON r.connection_id = c.id AND r.slot = h.head % h.ring
        WHERE (c.name_key, c.id) >= (?1, ?2) AND (c.name_key, c.id) < (?3, ?4) ORDER BY c.name_key, c.id
        """
    static let insertConnection: StaticString =
        "INSERT INTO connections (id, name, name_key, strategy, created_at) VALUES (?, ?, ?, ?, unixepoch())"
    static let deleteConnection: StaticString = "DELETE FROM connections WHERE id = ?"

    // MARK: Histories (`SQLiteWriteTransaction.appendRevision`)

    /// The common write: the new revision `?2` follows the head, on a ring of the size asked
    /// (`?3`). No row changes when the connection has no history yet, the number is taken, or
    /// the ring has another size.
    static let advanceHead: StaticString = "UPDATE histories SET head = ?2 WHERE connection_id = ?1 AND head < ?2 AND ring = ?3"
    static let selectHead: StaticString = "SELECT head FROM histories WHERE connection_id = ?"
    static let insertHistory: StaticString = "INSERT INTO histories (connection_id, head, ring) VALUES (?1, ?2, ?3)"
    static let updateHistory: StaticString = "UPDATE histories SET head = ?2, ring = ?3 WHERE connection_id = ?1"
    /// Writes a revision over the one its slot holds. The row is rewritten where it is and its
    /// index entry, whose columns do not change, is left alone. (An upsert, `INSERT ... ON
    /// CONFLICT DO UPDATE`, deletes and reinserts the row instead: 2.4 pages written per PATCH
    /// instead of 1.0, BENCHMARKS.md, "History as rings".)
    static let overwriteSlot: StaticString = """
        UPDATE revisions SET revision = ?3, created_at = ?4, operation = ?5, actor_client_id = ?6, restored_from = ?7,
            body = ?8
        WHERE connection_id = ?1 AND slot = ?2
        """
    /// A slot not written yet (the ring's first `size` revisions): appended at the table's end.
    static let insertSlot: StaticString = """
        INSERT INTO revisions (connection_id, slot, revision, created_at, operation, actor_client_id, restored_from, body)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        """
    /// Laying a ring out again (`?1` the connection, `?2` the new size): the revisions above `?3`
    /// move to their new slots in two steps, through negative slots so that no move lands on a
    /// slot not yet vacated; the rest of the ring goes in between.
    static let moveSlotsAside: StaticString = """
        UPDATE revisions SET slot = -1 - revision % ?2 WHERE connection_id = ?1 AND revision > ?3
        """
    static let deleteRing: StaticString = "DELETE FROM revisions WHERE connection_id = ?1 AND slot >= 0"
    static let moveSlotsBack: StaticString = "UPDATE revisions SET slot = -1 - slot WHERE connection_id = ?1 AND slot < 0"

    // MARK: Revisions

    /// One revision if it is among the connection's newest `?3`: one slot, whose row holds it
    /// only if its number matches.
    static let selectRevision: StaticString = """
        SELECT h.connection_id, r.revision, r.created_at, r.operation, r.actor_client_id, r.restored_from, r.body
        FROM histories AS h JOIN revisions AS r ON r.connection_id = h.connection_id AND r.slot = ?2 % h.ring
        WHERE h.connection_id = ?1 AND r.revision = ?2 AND ?2 > h.head - ?3
        """
    static let selectLastRevision: StaticString = """
        SELECT h.connection_id, r.revision, r.created_at, r.operation, r.actor_client_id, r.restored_from, r.body
        FROM histories AS h JOIN revisions AS r ON r.connection_id = h.connection_id AND r.slot = h.head % h.ring
        WHERE h.connection_id = ?
        """
    /// A page of history, newest first, below a revision number, among the connection's newest
    /// `?4`; without bodies. A scan of the connection's ring (at most `ring` rows), sorted.
    static let selectRevisionsBelow: StaticString = """
        SELECT h.connection_id, r.revision, r.created_at, r.operation, r.actor_client_id, r.restored_from, NULL
        FROM histories AS h JOIN revisions AS r ON r.connection_id = h.connection_id
        WHERE h.connection_id = ?1 AND r.revision < ?2 AND r.revision > h.head - ?4
        ORDER BY r.revision DESC LIMIT ?3
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
