-- A connection's history becomes a ring of `ring` slots: revision `n` is stored in slot
-- `n % ring`, so a write past the retention overwrites the revision it retires, in its row.
-- Before, the retired row was renumbered, which moved its entry in the (connection_id, revision)
-- primary key: a cold index page written on every PATCH of a long-lived server. The slot of a
-- row never changes once written, so its index entry is written once, when the slot is first
-- filled; rows are appended at the end of the table, as before (docs/DECISIONS.md, "History
-- as rings").

-- One row per connection that has a history, live or deleted. Small and hot: a write changes
-- `head` here and its slot in `revisions`, nothing else.
CREATE TABLE histories (
    connection_id TEXT PRIMARY KEY,
    -- the newest revision: the current one, or the delete of a deleted connection
    head INTEGER NOT NULL,
    -- the number of slots: the retention (`serve --revisions-keep`) of the connection's last
    -- write. Histories written before rings get 9223372036854775807 (every revision its own
    -- slot); a write under another retention lays the ring out again first.
    ring INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO histories (connection_id, head, ring)
SELECT connection_id, max(revision), 9223372036854775807 FROM revisions GROUP BY connection_id;

CREATE TABLE revision_slots (
    connection_id TEXT NOT NULL,
    -- revision % the ring of the connection's `histories` row
    slot INTEGER NOT NULL,
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
    UNIQUE (connection_id, slot)
) STRICT;

INSERT INTO revision_slots (connection_id, slot, revision, created_at, operation, actor_client_id, restored_from, body)
SELECT connection_id, revision, revision, created_at, operation, actor_client_id, restored_from, body
FROM revisions ORDER BY connection_id, revision;

DROP TABLE revisions;
ALTER TABLE revision_slots RENAME TO revisions;
