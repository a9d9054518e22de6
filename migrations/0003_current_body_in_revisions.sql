-- A connection's current body and revision number are those of its newest revision. Every write
-- appends one (migration 2), so keeping a second copy in `connections` stored each body twice
-- and made every PATCH rewrite the connection's row as well. `connections` keeps what never
-- changes: id, name, name_key, strategy, created_at.

-- A connection whose newest revision does not hold its current body gets one that does. None
-- is expected (every write since migration 2 appended its revision); this keeps the body if
-- one ever did not.
INSERT INTO revisions (connection_id, revision, created_at, operation, actor_client_id, restored_from, body)
SELECT c.id, coalesce((SELECT max(r.revision) FROM revisions AS r WHERE r.connection_id = c.id), 0) + 1,
       c.updated_at * 1000, 'update', NULL, NULL, c.body
FROM connections AS c
WHERE NOT EXISTS (
    SELECT 1 FROM revisions AS r
    WHERE r.connection_id = c.id AND r.body IS c.body
      AND r.revision = (SELECT max(revision) FROM revisions WHERE connection_id = c.id)
);

ALTER TABLE connections DROP COLUMN body;
ALTER TABLE connections DROP COLUMN revision;
ALTER TABLE connections DROP COLUMN updated_at;
