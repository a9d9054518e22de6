import Foundation
import Testing

@testable import ConnectionsStore

/// The revisions table: appends with retention in the writing transaction, history reads,
/// and the migrations that start a history for connections stored before it, keep the current
/// body only there, and lay it out as rings of slots.
@Suite struct RevisionStoreTests {
    private func revision(_ id: String, _ number: Int, body: String? = "{}") -> RevisionRecord {
        RevisionRecord(connectionID: id, revision: number, stamp: stamp(number), body: body)
    }

    /// A file in `directory` at the schema before migration `version`, holding what `rows` (SQL)
    /// inserts, opened by a store (which applies the rest); and the file's path.
    private func store(before version: Int, holding rows: String, in directory: TemporaryDirectory) throws -> (SQLiteStore, String) {
        let path = directory.path("v\(version - 1).sqlite")
        let database = try Database(path: path)
        try Migrator(migrations: Migration.embedded.filter { $0.version < version }).migrate(database)
        try database.execute(rows)
        try database.close()
        return (try SQLiteStore(path: path), path)
    }

    /// Rows stored for a connection, whether or not reads still show them: their revision
    /// numbers in order, or with `rowIDs`, their row ids in order of revision.
    private func storedRows(_ path: String, _ id: String, rowIDs: Bool = false) throws -> [Int] {
        let database = try Database(path: path)
        defer { try? database.close() }
        let statement = try database.prepare(
            "SELECT revision, rowid FROM revisions WHERE connection_id = ? ORDER BY revision")
        try statement.bind(id, at: 1)
        var numbers: [Int] = []
        while try statement.step() { numbers.append(Int(statement.int64(at: rowIDs ? 1 : 0))) }
        return numbers
    }

    /// Writes revisions `numbers` of connection `id`: a create for 1, updates after it.
    private func append(_ store: SQLiteStore, _ id: String, _ numbers: ClosedRange<Int>, keep: Int) throws {
        for number in numbers {
            let written = record(id, id, body: "{\"n\":\(number)}", revision: number)
            let existed = try store.writeAndWait { transaction in
                if number == 1 {
                    try transaction.insertConnection(written, stamp: stamp(number), keep: keep)
                    return true
                }
                return try transaction.updateConnection(written, stamp: stamp(number), keep: keep)
            }
            #expect(existed)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func readsShowExactlyTheNewestKeep(kind: StoreKind) throws {
        try withStore(kind) { store, _ in
            try append(store, "con_a", 1...5, keep: 3)
            let page = try store.revisions(connectionID: "con_a", below: Int(Int64.max), limit: 10, keep: 3)
            #expect(page.map(\.revision) == [5, 4, 3])
            #expect(page.allSatisfy { $0.body == nil }, "history pages leave bodies out")
            #expect(page.map(\.actorClientID) == [nil, "cli_1", nil])
            #expect(try store.revisions(connectionID: "con_a", below: 4, limit: 1, keep: 3).map(\.revision) == [3])
            #expect(try store.revision(connectionID: "con_a", number: 4, keep: 3)?.body == "{\"n\":4}")
            #expect(try store.revision(connectionID: "con_a", number: 2, keep: 3) == nil)
            #expect(try store.lastRevision(connectionID: "con_a")?.revision == 5)
            #expect(try store.lastRevision(connectionID: "con_b") == nil)
            // A smaller retention (a restart with a smaller `--revisions-keep`) holds at once.
            #expect(try store.revisions(connectionID: "con_a", below: Int(Int64.max), limit: 10, keep: 1).map(\.revision) == [5])
            #expect(try store.revision(connectionID: "con_a", number: 4, keep: 1) == nil)
            #expect(try store.writeAndWait { try $0.revision(connectionID: "con_a", number: 4, keep: 1) } == nil)
            #expect(try store.writeAndWait { try $0.revision(connectionID: "con_a", number: 4, keep: 2)?.revision } == 4)
        }
    }

    @Test func pastKeepTheRetiredRevisionIsOverwrittenInItsSlot() throws {
        try withStore(.walFile) { store, path in
            try append(store, "con_a", 1...3, keep: 3)
            try append(store, "con_b", 1...2, keep: 3)
            #expect(try storedRows(path, "con_a") == [1, 2, 3])
            let ring = try storedRows(path, "con_a", rowIDs: true)
            try append(store, "con_a", 4...10, keep: 3)
            #expect(try storedRows(path, "con_a") == [8, 9, 10], "never more than keep rows")
            #expect(Set(try storedRows(path, "con_a", rowIDs: true)) == Set(ring), "the same three rows, rewritten")
            let newest = try #require(try store.revision(connectionID: "con_a", number: 10, keep: 3))
            #expect(newest == self.revision("con_a", 10, body: "{\"n\":10}"), "every column is the new revision's")
            #expect(try storedRows(path, "con_b") == [1, 2], "another connection's rows are untouched")
            // A number taken is refused on this path too, and its job changes nothing.
            #expect(throws: StoreError.idConflict) {
                try store.writeAndWait { try $0.updateConnection(record("con_a", "con_a", revision: 10), stamp: stamp(10), keep: 3) }
            }
            #expect(throws: StoreError.idConflict) {
                try store.writeAndWait { try $0.updateConnection(record("con_a", "con_a", revision: 9), stamp: stamp(9), keep: 5) }
            }
            #expect(try storedRows(path, "con_a") == [8, 9, 10])
            #expect(try store.connection(id: "con_a")?.body == "{\"n\":10}", "the current body is the newest revision's")
        }
    }

    @Test func aWriteUnderAnotherKeepLaysTheRingOutAgain() throws {
        try withStore(.walFile) { store, path in
            try append(store, "con_a", 1...5, keep: 5)
            try append(store, "con_b", 1...2, keep: 5)
            // A restart with `--revisions-keep 2`: reads show two at once, the next write prunes.
            let shown = try store.revisions(connectionID: "con_a", below: Int(Int64.max), limit: 10, keep: 2)
            #expect(shown.map(\.revision) == [5, 4])
            #expect(try storedRows(path, "con_a") == [1, 2, 3, 4, 5])
            try append(store, "con_a", 6...6, keep: 2)
            #expect(try storedRows(path, "con_a") == [5, 6])
            // Then `--revisions-keep 4`: the two kept move to their new slots, and the ring fills.
            try append(store, "con_a", 7...9, keep: 4)
            #expect(try storedRows(path, "con_a") == [6, 7, 8, 9])
            for number in 6...9 {
                #expect(try store.revision(connectionID: "con_a", number: number, keep: 4)?.body == "{\"n\":\(number)}")
            }
            #expect(try store.connection(id: "con_a")?.revision == 9)
            #expect(try storedRows(path, "con_b") == [1, 2], "another connection's ring is untouched")
            #expect(try store.revisions(connectionID: "con_b", below: Int(Int64.max), limit: 10, keep: 4).map(\.revision) == [2, 1])
        }
    }

    @Test func aDeletedConnectionKeepsItsNewestCountedFromTheDelete() throws {
        try withStore(.memory) { store, _ in
            try append(store, "con_a", 1...6, keep: 4)
            let deleted = try store.writeAndWait {
                try $0.deleteConnection(id: "con_a", revision: 7, stamp: stamp(7, operation: "delete"), keep: 4)
            }
            #expect(deleted)
            let numbers = try store.revisions(connectionID: "con_a", below: Int(Int64.max), limit: 10, keep: 4).map(\.revision)
            #expect(numbers == [7, 6, 5, 4])
            #expect(try store.revision(connectionID: "con_a", number: 3, keep: 4) == nil)
        }
    }

    @Test func theDeleteBoundFollowsTheStride() {
        let stride = RevisionRetention.stride
        #expect(RevisionRetention.deleteBound(afterAppending: stride, keep: 3) == stride - 3)
        #expect(RevisionRetention.deleteBound(afterAppending: stride + 1, keep: 3) == nil)
        #expect(RevisionRetention.deleteBound(afterAppending: stride, keep: stride) == nil, "nothing older than keep yet")
        #expect(RevisionRetention.deleteBound(afterAppending: 2 * stride, keep: stride + 1) == stride - 1)
    }

    @Test func aTakenNumberIsAnIDConflictAndRollsBackItsJob() throws {
        try withStore(.memory) { store, _ in
            try store.writeAndWait { try $0.insertConnection(record("con_a", "a")) }
            #expect(try store.writeAndWait { try $0.deleteConnection(id: "con_a") })
            #expect(throws: StoreError.idConflict) {
                try store.writeAndWait { try $0.insertConnection(record("con_a", "a", revision: 2)) }
            }
            #expect(try store.connection(id: "con_a") == nil, "the connection went with its revision")
            #expect(try store.lastRevision(connectionID: "con_a")?.operation == "delete")
        }
    }

    @Test func connectionsStoredBeforeHistoryGetACreateRevision() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, _) = try store(
            before: 2,
            holding: """
                INSERT INTO connections (id, name, name_key, strategy, body, created_at, updated_at)
                VALUES ('con_old', 'Old', 'old', 'auth0', '{"id":"con_old","name":"Old"}', 1700000000, 1700000000)
                """, in: directory)
        defer { try? store.close() }
        #expect(store.appliedMigrations.map(\.version) == [2, 3, 4])
        #expect(try store.connection(id: "con_old")?.revision == 1)
        let first = try #require(try store.revision(connectionID: "con_old", number: 1, keep: 100))
        #expect(first.operation == "create" && first.actorClientID == nil && first.createdAt == 1_700_000_000_000)
        #expect(first.body == #"{"id":"con_old","name":"Old"}"#)
    }

    /// Migration 3 drops the body and revision number from `connections`: each connection's
    /// newest revision holds them. One whose newest revision does not (none is expected) gets a
    /// revision that does, so no stored body is lost.
    @Test func theCurrentBodyMovesToTheNewestRevision() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, path) = try store(
            before: 3,
            holding: """
                INSERT INTO connections (id, name, name_key, strategy, body, revision, created_at, updated_at) VALUES
                    ('con_kept', 'Kept', 'kept', 'auth0', '{"n":2}', 2, 1700000000, 1700000100),
                    ('con_odd', 'Odd', 'odd', 'auth0', '{"n":"stored"}', 1, 1700000000, 1700000200);
                INSERT INTO revisions (connection_id, revision, created_at, operation, actor_client_id, restored_from, body) VALUES
                    ('con_kept', 1, 1700000000000, 'create', NULL, NULL, '{"n":1}'),
                    ('con_kept', 2, 1700000100000, 'update', 'cli_1', NULL, '{"n":2}'),
                    ('con_odd', 1, 1700000000000, 'create', NULL, NULL, '{"n":"revision"}'),
                    ('con_gone', 1, 1700000000000, 'create', NULL, NULL, '{}'),
                    ('con_gone', 2, 1700000000000, 'delete', NULL, NULL, NULL);
                """, in: directory)
        defer { try? store.close() }
        #expect(store.appliedMigrations.map(\.version) == [3, 4])
        let kept = ConnectionRecord(id: "con_kept", name: "Kept", strategy: "auth0", body: #"{"n":2}"#, revision: 2)
        #expect(try store.connection(id: "con_kept") == kept)
        #expect(try store.connection(id: "con_odd")?.body == #"{"n":"stored"}"#)
        let repaired = try #require(try store.lastRevision(connectionID: "con_odd"))
        #expect(repaired.revision == 2 && repaired.operation == "update" && repaired.createdAt == 1_700_000_200_000)
        #expect(try store.connection(id: "con_gone") == nil)
        #expect(try store.loadAllConnections().map(\.id) == ["con_kept", "con_odd"])
        let columns = try Database(path: path)
        defer { try? columns.close() }
        let statement = try columns.prepare("SELECT group_concat(name, ' ') FROM pragma_table_info('connections')")
        #expect(try statement.step() && statement.string(at: 0) == "id name name_key strategy created_at")
    }

    /// Migration 4 lays each history out as a ring: every row is kept, in the slot of its number
    /// (a ring as large as can be), deleted connections included; the first write then lays the
    /// ring out for its retention.
    @Test func historiesBecomeRingsWithNothingLost() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, path) = try store(
            before: 4,
            holding: """
                INSERT INTO connections (id, name, name_key, strategy, created_at) VALUES
                    ('con_live', 'Live', 'live', 'auth0', 1700000000);
                INSERT INTO revisions (connection_id, revision, created_at, operation, actor_client_id, restored_from, body) VALUES
                    ('con_live', 3, 1700000000000, 'update', NULL, NULL, '{"n":3}'),
                    ('con_live', 4, 1700000100000, 'update', 'cli_1', NULL, '{"n":4}'),
                    ('con_live', 5, 1700000200000, 'restore', NULL, 3, '{"n":3}'),
                    ('con_gone', 1, 1700000000000, 'create', NULL, NULL, '{}'),
                    ('con_gone', 2, 1700000000000, 'delete', NULL, NULL, NULL);
                """, in: directory)
        defer { try? store.close() }
        #expect(store.appliedMigrations.map(\.version) == [4])
        #expect(
            try store.connection(id: "con_live")
                == ConnectionRecord(id: "con_live", name: "Live", strategy: "auth0", body: #"{"n":3}"#, revision: 5))
        let restored = try #require(try store.revision(connectionID: "con_live", number: 5, keep: 100))
        #expect(
            restored
                == RevisionRecord(
                    connectionID: "con_live", revision: 5, createdAt: 1_700_000_200_000, operation: "restore", actorClientID: nil,
                    restoredFrom: 3, body: #"{"n":3}"#))
        #expect(try store.revisions(connectionID: "con_live", below: Int(Int64.max), limit: 10, keep: 100).map(\.revision) == [5, 4, 3])
        #expect(try store.lastRevision(connectionID: "con_gone")?.operation == "delete")
        #expect(try store.revisions(connectionID: "con_gone", below: Int(Int64.max), limit: 10, keep: 100).map(\.revision) == [2, 1])
        #expect(try store.loadAllConnections().map(\.id) == ["con_live"])
        // The first write lays the ring out for its retention; a restore of the deleted one
        // continues its history.
        try store.writeAndWait { transaction in
            try transaction.updateConnection(record("con_live", "Live", body: #"{"n":6}"#, revision: 6), stamp: stamp(6), keep: 2)
            try transaction.insertConnection(record("con_gone", "Gone", revision: 3), stamp: stamp(3, operation: "restore"), keep: 2)
        }
        #expect(try storedRows(path, "con_live") == [5, 6])
        #expect(try storedRows(path, "con_gone") == [2, 3])
        #expect(try store.connection(id: "con_live")?.body == #"{"n":6}"#)
        #expect(try store.revisions(connectionID: "con_gone", below: Int(Int64.max), limit: 10, keep: 2).map(\.revision) == [3, 2])
    }
}
