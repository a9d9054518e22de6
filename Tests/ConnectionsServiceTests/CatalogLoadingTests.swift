import ConnectionsStore
import Synchronization
import Testing
import Validation

@testable import ConnectionsService

/// Loading the catalog in the background (issue 9's cold start): reads by id before it is
/// done, waiters, and a load that fails.
@Suite struct CatalogLoadingTests {
    /// A background load that runs only when the test releases it, on the test's thread.
    final class HeldLoad: Sendable {
        private let work = Mutex<(@Sendable () -> Void)?>(nil)

        var loading: CatalogLoading {
            .background { [self] body in work.withLock { $0 = body } }
        }

        func release() {
            let body = work.withLock { $0 }
            body?()
        }
    }

    /// A store holding `count` connections written as this service writes them.
    private static let stamp = RevisionStamp(createdAt: 0, operation: "create", actorClientID: nil)

    private static func store(count: Int) throws -> ConnectionStore {
        let store = try SQLiteStore(path: ":memory:", readers: 2)
        try store.writeAndWait { transaction in
            for index in 0..<count {
                let id = "con_" + String(repeating: "0", count: 12) + String(1_000 + index)
                let entry = CatalogEntry(
                    connection: [
                        "id": .string(id), "name": .string("conn-\(index)"), "strategy": .string("auth0"),
                        "options": .object(["brute_force_protection": .bool(true)]),
                        "enabled_clients": .array([.string("client-\(index)")]),
                    ], revision: 1)
                try transaction.insertConnection(entry.record, stamp: Self.stamp, keep: 100)
            }
        }
        return store
    }

    private static func service(_ store: ConnectionStore, _ loading: CatalogLoading) throws -> ConnectionsService {
        try ConnectionsService(store: store, loading: loading, clock: { 1_764_000_000_000 }, makeID: { "con_new" })
    }

    @Test func aReadByIDBeforeTheLoadAnswersTheStoredRow() throws {
        let store = try Self.store(count: 300)
        defer { try? store.close() }
        let held = HeldLoad()
        let service = try Self.service(store, held.loading)
        #expect(!service.isLoaded)
        #expect(service.catalog.count == 0)
        let loadedNow = try Self.service(store, .now)
        for id in ["con_0000000000001000", "con_0000000000001299"] {
            let early = try #require(try service.connection(id: id))
            let expected = try #require(loadedNow.catalog.entry(id: id))
            #expect(early.body == expected.body)
            #expect(early.revision == expected.revision)
            #expect(early.enabledClients == expected.enabledClients)
        }
        #expect(try service.connection(id: "con_0000000000009999") == nil)

        held.release()
        #expect(service.isLoaded)
        #expect(service.catalog.count == 300)
        #expect(try service.connection(id: "con_0000000000001299")?.body == loadedNow.catalog.entry(id: "con_0000000000001299")?.body)
    }

    @Test func waitersRunWhenTheLoadEndsAndNotBefore() throws {
        let store = try Self.store(count: 3)
        defer { try? store.close() }
        let held = HeldLoad()
        let service = try Self.service(store, held.loading)
        let seen = Mutex<[Int]>([])
        service.whenLoaded { _ in seen.withLock { $0.append(service.catalog.count) } }
        #expect(seen.withLock { $0 }.isEmpty)
        held.release()
        // The waiter saw the whole catalog; one added later runs at once.
        #expect(seen.withLock { $0 } == [3])
        service.whenLoaded { _ in seen.withLock { $0.append(-1) } }
        #expect(seen.withLock { $0 } == [3, -1])
        try service.waitUntilLoaded()
    }

    @Test func aLoadThatFailsReachesEveryWaiterAndLoadsNothing() throws {
        let store = try Self.store(count: 2)
        defer { try? store.close() }
        try store.writeAndWait { transaction in
            try transaction.insertConnection(
                ConnectionRecord(id: "con_broken", name: "broken", strategy: "auth0", body: "not json"), stamp: Self.stamp, keep: 100)
        }
        #expect(throws: ConnectionsService.StartupError.self) { _ = try Self.service(store, .now) }
        let held = HeldLoad()
        let service = try Self.service(store, held.loading)
        let failed = Mutex<Bool?>(nil)
        service.whenLoaded { outcome in
            failed.withLock {
                if case .failure = outcome { $0 = true } else { $0 = false }
            }
        }
        held.release()
        #expect(failed.withLock { $0 } == true)
        #expect(!service.isLoaded)
        #expect(service.catalog.count == 0)
        #expect(throws: ConnectionsService.StartupError.self) { try service.waitUntilLoaded() }
    }

    @Test func fillingKeepsTheListOrderWhateverOrderTheEntriesCameIn() {
        let names = ["b", "A", "a", "C"]
        let entries = names.enumerated().map { index, name in
            CatalogEntry(
                connection: ["id": .string("con_\(index)"), "name": .string(name), "strategy": .string("auth0")], revision: 1)
        }
        let catalog = ConnectionCatalog()
        catalog.fill(entries)
        let listed = catalog.select(filter: .init(), after: nil, offset: 0, limit: 10, countTotal: false).entries
        #expect(listed.map(\.name) == ["A", "a", "b", "C"])
        catalog.fill(Array(listed.reversed()))
        #expect(catalog.select(filter: .init(), after: nil, offset: 0, limit: 10, countTotal: false).entries.map(\.id) == listed.map(\.id))
        #expect(catalog.count == 4)
    }
}
