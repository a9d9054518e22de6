-- A PATCH rewrites its connection's row. With the table's pages full (the default fillfactor
-- of 100, and bodies of ~1.6 KB: four rows to a page), the new row version goes to another
-- page and every index of `connections` (primary key, name, name_key) gets an entry for it.
-- Half-full pages leave room for the new version on the same page: a heap-only tuple (HOT)
-- update, which touches no index, and whose old version the next visitor of the page prunes.
-- Applies to pages written from now on; `VACUUM FULL connections` rewrites the old ones.
ALTER TABLE connections SET (fillfactor = 50);
