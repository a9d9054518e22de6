import Foundation
import Testing

@testable import ConnectionsStore

@Suite struct MigratorTests {
    /// The repository root, found from this file's path (Tests/ConnectionsStoreTests/...).
    private static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func embeddedMigrationsEqualTheFilesOnDisk() throws {
        let directory = Self.repositoryRoot.appendingPathComponent("migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        let onDisk = try files.map { file -> Migration in
            let stem = file.dropLast(".sql".count)
            let underscore = try #require(stem.firstIndex(of: "_"))
            let version = try #require(Int(stem[..<underscore]))
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            return Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
        }
        #expect(!onDisk.isEmpty)
        #expect(Migration.embedded == onDisk, "run scripts/embed-migrations")
    }

    @Test func embeddedVersionsAreUniqueAndOrdered() {
        let versions = Migration.embedded.map(\.version)
        #expect(versions == versions.sorted())
        #expect(Set(versions).count == versions.count)
        #expect(versions.first == 1)
    }

    @Test func migrateAppliesPendingOnceAndReportsStatus() throws {
        let database = try Database(path: ":memory:")
        let migrator = Migrator()
        let before = try migrator.status(of: database)
        #expect(before.applied.isEmpty)
        #expect(before.pending == Migration.embedded)
        #expect(before.unknown.isEmpty)

        let applied = try migrator.migrate(database)
        #expect(applied == Migration.embedded)
        let after = try migrator.status(of: database)
        #expect(after.applied.map(\.version) == Migration.embedded.map(\.version))
        #expect(after.applied.map(\.name) == Migration.embedded.map(\.name))
        #expect(after.pending.isEmpty)
        #expect(try migrator.migrate(database).isEmpty)
    }

    @Test func everyTableIsStrict() throws {
        let database = try Database(path: ":memory:")
        try Migrator().migrate(database)
        let tables = try database.prepare(
            "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'"
        )
        var names: Set<String> = []
        while try tables.step() {
            names.insert(tables.string(at: 0))
            #expect(tables.int(at: 1) == 1, "\(tables.string(at: 0)) is not STRICT")
        }
        #expect(
            names == ["schema_migrations", "connections", "tenant_settings", "clients", "tokens", "admin_token", "revisions", "histories"])
    }

    @Test func aFailingMigrationLeavesNoTrace() throws {
        let database = try Database(path: ":memory:")
        let migrator = Migrator(migrations: [
            Migration(version: 1, name: "one", sql: "CREATE TABLE one (x INTEGER) STRICT;"),
            Migration(version: 2, name: "broken", sql: "CREATE TABLE two (x INTEGER) STRICT; SELEKT;"),
        ])
        #expect(throws: SQLiteError.self) { try migrator.migrate(database) }
        let status = try migrator.status(of: database)
        #expect(status.applied.map(\.version) == [1])
        #expect(status.pending.map(\.version) == [2])
        #expect(throws: SQLiteError.self) { _ = try database.prepare("SELECT * FROM two") }
    }

    @Test func unknownVersionIsRefused() throws {
        let database = try Database(path: ":memory:")
        try Migrator().migrate(database)
        try database.execute("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', 0)")
        let status = try Migrator().status(of: database)
        #expect(status.unknown.map(\.version) == [9999])
        #expect(throws: StoreError.unknownMigrations(versions: [9999])) { try Migrator().migrate(database) }
    }

    @Test func storeRefusesToOpenADatabaseFromANewerVersion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("newer.sqlite")
        #expect(try SQLiteStore.migrationStatus(path: path).pending == Migration.embedded)
        #expect(try SQLiteStore.migrate(path: path) == Migration.embedded)
        #expect(try SQLiteStore.migrate(path: path).isEmpty)
        let database = try Database(path: path)
        try database.execute("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', 0)")
        try database.close()

        #expect(throws: StoreError.unknownMigrations(versions: [9999])) { _ = try SQLiteStore(path: path) }
        let status = try SQLiteStore.migrationStatus(path: path)
        #expect(status.unknown.map(\.version) == [9999])
        #expect(status.pending.isEmpty)
    }

    @Test func storeMigratesOnOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("fresh.sqlite")
        let first = try SQLiteStore(path: path)
        #expect(first.appliedMigrations == Migration.embedded)
        try first.close()
        let second = try SQLiteStore(path: path)
        #expect(second.appliedMigrations.isEmpty)
        try second.close()
    }
}
