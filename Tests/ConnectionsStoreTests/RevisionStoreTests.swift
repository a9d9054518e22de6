import Foundation
import Testing

@testable import ConnectionsStore

/// The revisions table: appends with retention in the writing transaction, history reads,
/// and the migration that starts a history for connections stored before it.
@Suite struct RevisionStoreTests {
    private func revision(_ id: String, _ number: Int, body: String? = "{}") -> RevisionRecord {
        RevisionRecord(
            connectionID: id, revision: number, createdAt: Int64(number) * 1000, operation: number == 1 ? "create" : "update",
            actorClientID: number % 2 == 0 ? "cli_1" : nil, restoredFrom: nil, body: body)
    }

    @Test(arguments: StoreKind.allCases)
    func appendsPruneTheOldestInTheSameTransaction(kind: StoreKind) throws {
        try withStore(kind) { store, _ in
            for number in 1...5 {
                try store.writeAndWait { transaction in
                    try transaction.appendRevision(self.revision("con_a", number, body: "{\"n\":\(number)}"), keep: 3)
                }
            }
            let page = try store.revisions(connectionID: "con_a", below: Int(Int64.max), limit: 10)
            #expect(page.map(\.revision) == [5, 4, 3])
            #expect(page.allSatisfy { $0.body == nil }, "history pages leave bodies out")
            #expect(page.map(\.actorClientID) == [nil, "cli_1", nil])
            #expect(try store.revisions(connectionID: "con_a", below: 4, limit: 1).map(\.revision) == [3])
            #expect(try store.revision(connectionID: "con_a", number: 4)?.body == "{\"n\":4}")
            #expect(try store.revision(connectionID: "con_a", number: 2) == nil)
            #expect(try store.lastRevision(connectionID: "con_a")?.revision == 5)
            #expect(try store.lastRevision(connectionID: "con_b") == nil)
        }
    }

    @Test func aTakenNumberIsAnIDConflictAndRollsBackItsJob() throws {
        try withStore(.memory) { store, _ in
            try store.writeAndWait { try $0.appendRevision(self.revision("con_a", 1), keep: 100) }
            #expect(throws: StoreError.idConflict) {
                try store.writeAndWait { transaction in
                    try transaction.insertConnection(record("con_a", "a"))
                    try transaction.appendRevision(self.revision("con_a", 1), keep: 100)
                }
            }
            #expect(try store.connection(id: "con_a") == nil, "the connection went with its revision")
        }
    }

    @Test func connectionsStoredBeforeHistoryGetACreateRevision() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("old.sqlite")
        let database = try Database(path: path)
        try Migrator(migrations: Migration.embedded.filter { $0.version < 2 }).migrate(database)
        try database.execute(
            """
            INSERT INTO connections (id, name, name_key, strategy, body, created_at, updated_at)
            VALUES ('con_old', 'Old', 'old', 'auth0', '{"id":"con_old","name":"Old"}', 1700000000, 1700000000)
            """)
        try database.close()

        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        #expect(store.appliedMigrations.map(\.version) == [2])
        #expect(try store.connection(id: "con_old")?.revision == 1)
        let first = try #require(try store.revision(connectionID: "con_old", number: 1))
        #expect(first.operation == "create" && first.actorClientID == nil && first.createdAt == 1_700_000_000_000)
        #expect(first.body == #"{"id":"con_old","name":"Old"}"#)
    }
}
