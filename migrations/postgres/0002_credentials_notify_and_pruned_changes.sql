-- Every change to `credentials_version` (a client created or revoked, the admin token set or
-- removed) is announced on its own channel at COMMIT, with the schema as payload: an instance
-- that hears it knows at once that its in-memory clients are stale, and holds authenticated
-- requests until it has read them again, instead of reading the version on every request.
-- (`connections_api_changes` also fires for every connection write, so it cannot say this.)
CREATE FUNCTION connections_api_credentials_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('connections_api_credentials', TG_TABLE_SCHEMA);
    RETURN NULL;
END
$$;

CREATE TRIGGER credentials_version_notify AFTER UPDATE ON credentials_version
    FOR EACH ROW EXECUTE FUNCTION connections_api_credentials_notify();

-- The newest `seq` pruned from `changes`. An instance whose last read `seq` is below it was
-- away longer than `changes` are kept and cannot catch up from them: it reads every connection
-- and the settings again instead.
CREATE TABLE changes_pruned (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO changes_pruned (id, seq) VALUES (1, 0);
