#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
static inline void (*csqlite_transient(void))(void *) { return (void (*)(void *))-1; }


// The start of the connection's wal-index (the -shm file) as SQLite itself maps it, or 0
// (no WAL, or another VFS). Valid while the connection, or another of this process on the
// same file, is open. Its first 48 bytes are the wal-index header, which every commit of
// any process rewrites (https://sqlite.org/walformat.html, "The WAL-Index Header").
static inline const volatile void *csqlite_wal_index(sqlite3 *db) {
    sqlite3_file *file = 0;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK) return 0;
    if (file == 0 || file->pMethods == 0 || file->pMethods->iVersion < 2 || file->pMethods->xShmMap == 0) return 0;
    volatile void *region = 0;
    if (file->pMethods->xShmMap(file, 0, 32768, 0, &region) != SQLITE_OK) return 0;
    return region;
}

// The wal-index header's six 64-bit words, read through `volatile` (another process may be
// writing them; a torn read only makes two values differ), and its iChange field (offset 8,
// native byte order: the counter every committed transaction increments).
static inline unsigned int csqlite_wal_index_header(const volatile void *index, unsigned long long words[6]) {
    const volatile unsigned long long *header = (const volatile unsigned long long *)index;
    for (int i = 0; i < 6; i++) words[i] = header[i];
    return ((const volatile unsigned int *)index)[2];
}

// A WAL hook that counts the commits that wrote frames (each such commit incremented the
// wal-index header's iChange) in counter[0], and leaves the WAL's length in frames after the
// commit in counter[1]. Registering a hook replaces SQLite's default one, which checkpointed
// here, inside COMMIT (https://sqlite.org/c3ref/wal_hook.html): the writer checkpoints instead
// once the commit's writes are answered (Database.checkpointIfDue). Runs on the committing
// connection's thread.
static int csqlite_counting_wal_hook(void *counter, sqlite3 *db, const char *name, int frames) {
    unsigned long long *words = (unsigned long long *)counter;
    words[0] += 1;
    words[1] = (unsigned long long)frames;
    return SQLITE_OK;
}

static inline void csqlite_count_wal_commits(sqlite3 *db, unsigned long long *counter) {
    sqlite3_wal_hook(db, csqlite_counting_wal_hook, counter);
}
