-- History: every write that changes a connection appends a revision in the same transaction.

-- The connection's current revision number (its ETag).
ALTER TABLE connections ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

-- One row per revision, numbered 1, 2, 3, ... per connection in commit order. Rows outlive
-- their connection (the history of a deleted connection is kept); the oldest are pruned
-- past the retention (`serve --revisions-keep`) by the transaction that appends.
CREATE TABLE revisions (
    connection_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    -- unix milliseconds
    created_at INTEGER NOT NULL,
    -- create, update, update_clients, delete or restore
    operation TEXT NOT NULL,
    -- the machine client that made the write; NULL for the admin token
    actor_client_id TEXT,
    -- restore: the revision restored
    restored_from INTEGER,
    -- the connection after the write, as stored (enabled clients included); NULL for delete
    body TEXT,
    PRIMARY KEY (connection_id, revision)
) STRICT;

-- Connections stored before history existed start it with one `create` revision.
INSERT INTO revisions (connection_id, revision, created_at, operation, actor_client_id, restored_from, body)
SELECT id, 1, created_at * 1000, 'create', NULL, NULL, body FROM connections;
