-- The initial schema. STRICT tables (SQLite >= 3.37) reject values of the wrong type.

-- One row per connection. `body` is the full connection JSON as the API layer produced it;
-- `name` and `strategy` are copied out of it because they are immutable and indexed.
CREATE TABLE connections (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- the lowercased name: GET /connections orders by name case-insensitively, then id
    name_key TEXT NOT NULL,
    strategy TEXT NOT NULL,
    body TEXT NOT NULL,
    -- unix seconds
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX connections_by_name_key ON connections (name_key, id);

-- Tenant-wide settings, one JSON value per key (`prompts` holds the /prompts settings).
CREATE TABLE tenant_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Machine clients registered with `connections-api clients create`. Only a hash of the
-- secret is kept. Revoked clients stay listed with `revoked_at` set.
CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    -- space-separated, as in OAuth 2.0 (RFC 6749 section 3.3)
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;

-- Access tokens issued by POST /oauth/token, by hash. Deleting a client deletes its tokens;
-- revoking one deletes them explicitly.
CREATE TABLE tokens (
    token_hash BLOB PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX tokens_by_client ON tokens (client_id);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);

-- The hash of the admin token the server generated when none was configured: at most one row.
CREATE TABLE admin_token (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hash BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
