/*
 * The write ceiling of issue 5: single-row commits per second in SQLite, WAL, synchronous=FULL,
 * on the disk that holds the file given. Each INSERT runs in autocommit mode, so each is one
 * transaction and one fsync of the WAL: what a server without group commit could do at best.
 *
 *   sqlite_commits DB SECONDS [ROW_BYTES]
 *
 * Prints one JSON line: {"commits":N,"seconds":S,"commits_per_s":R,"row_bytes":B}.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(sqlite3 *db, const char *what) {
    fprintf(stderr, "sqlite_commits: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s DB SECONDS [ROW_BYTES]\n", argv[0]);
        return 64;
    }
    const double seconds = atof(argv[2]);
    const int row_bytes = argc > 3 ? atoi(argv[3]) : 1536;
    if (seconds <= 0 || row_bytes <= 0) {
        fprintf(stderr, "sqlite_commits: SECONDS and ROW_BYTES must be positive\n");
        return 64;
    }

    sqlite3 *db = NULL;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) return fail(db, "open");
    const char *setup =
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS rows(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL);";
    if (sqlite3_exec(db, setup, NULL, NULL, NULL) != SQLITE_OK) return fail(db, "setup");

    sqlite3_stmt *insert = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO rows(name, body) VALUES(?1, ?2)", -1, &insert, NULL) != SQLITE_OK)
        return fail(db, "prepare");

    /* A JSON-ish body of the size of one stored connection. */
    char *body = malloc((size_t)row_bytes + 1);
    if (!body) return fail(NULL, "malloc");
    for (int i = 0; i < row_bytes; i++) body[i] = "{\"abcdefghijklmnopqrstuvwxyz0123456789\":,}"[i % 42];
    body[row_bytes] = 0;

    long commits = 0;
    char name[64];
    const double start = now();
    double elapsed = 0;
    while ((elapsed = now() - start) < seconds) {
        snprintf(name, sizeof name, "row-%ld-%ld", (long)getpid(), commits);
        sqlite3_bind_text(insert, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 2, body, row_bytes, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) return fail(db, "insert");
        sqlite3_reset(insert);
        commits++;
    }
    printf("{\"commits\":%ld,\"seconds\":%.3f,\"commits_per_s\":%.1f,\"row_bytes\":%d}\n", commits, elapsed,
           (double)commits / elapsed, row_bytes);
    sqlite3_finalize(insert);
    free(body);
    return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}
