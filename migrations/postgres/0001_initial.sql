-- The PostgreSQL schema: the same tables as SQLite's migrations 0001 and 0002, plus `changes`,
-- the sequence instances catch up from (LISTEN/NOTIFY says when to look).

CREATE TABLE connections (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- the lowercased name: GET /connections orders by name case-insensitively, then id
    name_key TEXT NOT NULL,
    strategy TEXT NOT NULL,
    body TEXT NOT NULL,
    -- unix seconds
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- the connection's current revision number (its ETag)
    revision BIGINT NOT NULL DEFAULT 1
);

CREATE INDEX connections_by_name_key ON connections (name_key COLLATE "C", id COLLATE "C");

CREATE TABLE tenant_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_hash BYTEA NOT NULL,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE tokens (
    token_hash BYTEA PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX tokens_by_client ON tokens (client_id);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);

CREATE TABLE admin_token (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hash BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE revisions (
    connection_id TEXT NOT NULL,
    revision BIGINT NOT NULL,
    -- unix milliseconds
    created_at BIGINT NOT NULL,
    operation TEXT NOT NULL,
    actor_client_id TEXT,
    restored_from BIGINT,
    body TEXT,
    PRIMARY KEY (connection_id, revision)
);

-- One row per commit that touched connections, settings, clients, tokens or the admin token:
-- `kind` is 'connection' (with its id in `key`), 'tenant_settings' or 'credentials'. Written
-- in the committing transaction, so an instance that reads it past its last `seq` misses
-- nothing, whatever notifications it missed. Rows older than a minute are pruned by writers.
CREATE TABLE changes (
    seq BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    key TEXT NOT NULL DEFAULT '',
    -- which instance wrote it (its backend's random instance id), so it skips its own
    instance TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Bumped by every write to clients or the admin token, in its transaction: each instance reads
-- it before authenticating a request, so a revocation by any instance (or by `clients revoke`)
-- is seen at the next request on every instance.
CREATE TABLE credentials_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO credentials_version (id, n) VALUES (1, 0);
