import CSQLite
import Testing
@testable import ConnectionsStore

@Suite struct DatabaseTests {
    private func table() throws -> Database {
        let database = try Database(path: ":memory:")
        try database.execute("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, u TEXT UNIQUE) STRICT")
        return database
    }

    @Test func bindingRoundTrips() throws {
        let database = try table()
        let texts = ["", "plain", "nul\u{0}inside\u{0}", "é 😀 ünïcode", String(repeating: "x", count: 100_000)]
        let integers: [Int64] = [0, -1, .min, .max]
        let blobs: [[UInt8]] = [[], [0], [0, 255, 0, 1]]
        let insert = try database.prepare("INSERT INTO t (i, s, b) VALUES (?, ?, ?)")
        let select = try database.prepare("SELECT i, s, b FROM t WHERE rowid = last_insert_rowid()")
        for (index, text) in texts.enumerated() {
            let integer = integers[index % integers.count]
            let blob = blobs[index % blobs.count]
            insert.reset()
            try insert.bind(integer, at: 1)
            try insert.bind(text, at: 2)
            try insert.bind(blob, at: 3)
            try insert.run()
            select.reset()
            #expect(try select.step())
            #expect(select.int64(at: 0) == integer)
            #expect(select.string(at: 1) == text)
            #expect(select.string(at: 1).utf8.count == text.utf8.count)
            #expect(!select.isNull(at: 1), "an empty string must not become NULL")
            #expect(select.blob(at: 2) == blob)
            #expect(!select.isNull(at: 2), "an empty blob must not become NULL")
            #expect(try !select.step())
        }
    }

    @Test func nilBindsNull() throws {
        let database = try table()
        let insert = try database.prepare("INSERT INTO t (i, s, b) VALUES (?, ?, ?)")
        try insert.bind(nil as Int64?, at: 1)
        try insert.bind(nil as String?, at: 2)
        try insert.bind(nil as [UInt8]?, at: 3)
        try insert.run()
        let select = try database.prepare("SELECT i, s, b FROM t")
        #expect(try select.step())
        #expect(select.optionalInt64(at: 0) == nil)
        #expect(select.optionalString(at: 1) == nil)
        #expect(select.optionalBlob(at: 2) == nil)
    }

    @Test func errorKeepsSQLAndExtendedCodeButNotValues() throws {
        let database = try table()
        let secret = "s3cr3t-token-value"
        let insert = try database.prepare("INSERT INTO t (u) VALUES (?)")
        try insert.bind(secret, at: 1)
        try insert.run()
        insert.reset()
        let error = try #require(throws: SQLiteError.self) { try insert.run() }
        #expect(error.code == SQLITE_CONSTRAINT_UNIQUE_CODE)
        #expect(error.primaryCode == SQLITE_CONSTRAINT)
        #expect(error.isUniqueConstraint)
        #expect(error.sql == "INSERT INTO t (u) VALUES (?)")
        #expect(!String(describing: error).contains(secret))
        #expect(!error.message.contains(secret))
    }

    @Test func primaryKeyViolationIsAUniqueConstraint() throws {
        let database = try Database(path: ":memory:")
        try database.execute("CREATE TABLE k (id TEXT PRIMARY KEY) STRICT; INSERT INTO k VALUES ('a')")
        let error = try #require(throws: SQLiteError.self) { try database.execute("INSERT INTO k VALUES ('a')") }
        #expect(error.code == SQLITE_CONSTRAINT_PRIMARYKEY_CODE)
        #expect(error.isUniqueConstraint)
        let notNull = try #require(throws: SQLiteError.self) { try database.execute("INSERT INTO k VALUES (NULL)") }
        #expect(notNull.primaryCode == SQLITE_CONSTRAINT)
        #expect(!notNull.isUniqueConstraint)
    }

    @Test func failuresThrowWithTheirCode() throws {
        let database = try table()
        let syntax = try #require(throws: SQLiteError.self) { _ = try database.prepare("SELEKT 1") }
        #expect(syntax.code == SQLITE_ERROR)
        #expect(syntax.sql == "SELEKT 1")
        let missing = try #require(throws: SQLiteError.self) { _ = try database.prepare("SELECT * FROM missing") }
        #expect(missing.message.contains("missing"))
        let strict = try #require(throws: SQLiteError.self) { try database.execute("INSERT INTO t (i) VALUES ('text')") }
        #expect(strict.primaryCode == SQLITE_CONSTRAINT)
        #expect(throws: SQLiteError.self) { _ = try Database(path: "/nonexistent-directory/x/y.sqlite") }
    }

    @Test func closedDatabaseRefusesWork() throws {
        let database = try table()
        try database.close()
        try database.close()
        #expect(database.isClosed)
        let error = try #require(throws: SQLiteError.self) { try database.execute("SELECT 1") }
        #expect(error.code == SQLITE_MISUSE)
    }

    @Test func writeTransactionCommitsOrRollsBack() throws {
        let database = try table()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try database.writeTransaction {
                try database.execute("INSERT INTO t (i) VALUES (1)")
                throw Boom()
            }
        }
        #expect(!database.isInTransaction)
        try database.writeTransaction { try database.execute("INSERT INTO t (i) VALUES (2)") }
        let count = try database.prepare("SELECT group_concat(i) FROM t")
        #expect(try count.step())
        #expect(count.string(at: 0) == "2")
    }

    @Test func cachedStatementIsReusedResetAndCleared() throws {
        let database = try table()
        let first = try database.cachedStatement("SELECT ?")
        try first.bind(7, at: 1)
        #expect(try first.step())
        let second = try database.cachedStatement("SELECT ?")
        #expect(first === second)
        #expect(try second.step())
        #expect(second.isNull(at: 0), "bindings are cleared")
    }

    @Test func storeConfigurationIsDurable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Database(path: directory.path("configured.sqlite"))
        try database.configureForStore(requireWAL: true, cacheKiB: 1_024)
        #expect(try database.pragma("journal_mode") == "wal")
        #expect(try database.pragma("synchronous") == "2", "FULL")
        #expect(try database.pragma("foreign_keys") == "1")
        #expect(try database.pragma("busy_timeout") == String(Database.defaultBusyTimeoutMilliseconds))
        #expect(try database.pragma("cache_size") == "-1024")
    }

    @Test func aDatabaseWithoutWALIsRefused() throws {
        // An in-memory database cannot use WAL, like a file on a file system without shared memory.
        let database = try Database(path: ":memory:")
        #expect(throws: StoreError.notWAL(journalMode: "memory")) {
            try database.configureForStore(requireWAL: true, cacheKiB: 1_024)
        }
    }

    @Test func pragmas() throws {
        let database = try Database(path: ":memory:")
        #expect(try database.setPragma("foreign_keys", to: "ON") == nil)
        #expect(try database.pragma("foreign_keys") == "1")
        #expect(try database.integrityCheck() == ["ok"])
        #expect(Database.libraryVersion.hasPrefix("3."))
    }
}
