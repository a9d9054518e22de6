import ConnectionsStore
import Dispatch
import JSON
import Synchronization
import Testing
import Validation

@testable import ConnectionsService

/// The service's write jobs without HTTP: the commit path, re-judging under the write lock,
/// revisions, restore and `If-Match`.
@Suite struct ConnectionsServiceTests {
    /// A service over an in-memory store, with a writer that a test can hold.
    final class Fixture: Sendable {
        let store: ConnectionStore
        let service: ConnectionsService
        /// Sequential ids, so tests can name one that never existed.
        final class IDs: Sendable {
            private let counter = Atomic<Int>(0)

            func next() -> String {
                let digits = String(counter.add(1, ordering: .relaxed).newValue)
                return "con_" + String(repeating: "0", count: 16 - digits.count) + digits
            }
        }

        init(keep: Int = 100) throws {
            store = try SQLiteStore(path: ":memory:", readers: 1)
            let ids = IDs()
            service = try ConnectionsService(
                store: store, revisionsKeep: keep, clock: { 1_764_000_000_000 }, makeID: { ids.next() })
        }

        /// Holds the writer thread until the returned semaphore is signalled: jobs submitted
        /// meanwhile are judged, queued, and committed together after it.
        func holdWriter() -> DispatchSemaphore {
            let gate = DispatchSemaphore(value: 0)
            let holding = DispatchSemaphore(value: 0)
            store.write(
                { _ in
                    holding.signal()
                    gate.wait()
                }, completion: { _ in })
            holding.wait()
            return gate
        }

        func create(_ body: JSONObject) async throws -> CatalogEntry {
            try await withCheckedThrowingContinuation { continuation in
                service.create(body, by: .admin) { continuation.resume(with: $0) }
            }
        }

        func update(_ id: String, _ body: JSONObject, ifMatch: IfMatch? = nil) async -> Result<WriteResult, any Error> {
            await withCheckedContinuation { continuation in
                service.update(id: id, body: body, by: .admin, ifMatch: ifMatch) { continuation.resume(returning: $0) }
            }
        }
    }

    private static let body: JSONObject = ["name": .string("Users"), "strategy": .string("auth0")]

    @Test func writesAppendNumberedRevisionsInTheSameCommit() async throws {
        let fixture = try Fixture()
        let commits = fixture.store.commitCount
        let entry = try await fixture.create(Self.body)
        #expect(fixture.store.commitCount == commits + 1, "the revision rides on the create's own commit")
        #expect(entry.revision == 1)
        let updated = try await fixture.update(entry.id, ["display_name": .string("Sign in")]).get()
        #expect(updated.changed && updated.entry.revision == 2)
        let page = try fixture.service.revisions(id: entry.id, before: nil, take: 10)
        #expect(page.revisions.map(\.number) == [2, 1])
        #expect(page.revisions.map(\.operation) == ["update", "create"])
        let first = try fixture.service.revision(id: entry.id, number: 1)
        #expect(first.connection?.object()["display_name"] == nil)
        #expect(try fixture.service.revision(id: entry.id, number: 2).connection?.object()["display_name"] == .string("Sign in"))
    }

    @Test func aWriteThatChangesNothingAppendsNoRevision() async throws {
        let fixture = try Fixture()
        let entry = try await fixture.create(Self.body)
        _ = try await fixture.update(entry.id, ["display_name": .string("x")]).get()
        let again = try await fixture.update(entry.id, ["display_name": .string("x")]).get()
        #expect(!again.changed && again.entry.revision == 2)
        #expect(try fixture.service.revisions(id: entry.id, before: nil, take: 10).revisions.count == 2)
    }

    @Test func theCatalogChangesOnlyAfterTheDurableCommit() async throws {
        let fixture = try Fixture()
        let gate = fixture.holdWriter()
        let done = Atomic<Bool>(false)
        fixture.service.create(Self.body, by: .admin) { _ in done.store(true, ordering: .sequentiallyConsistent) }
        // Judged and queued, not committed: neither the catalog nor the caller has seen it.
        #expect(fixture.service.catalog.count == 0)
        let doneBeforeCommit = done.load(ordering: .sequentiallyConsistent)
        #expect(!doneBeforeCommit)
        gate.signal()
        let entry = try await fixture.create(["name": .string("Second"), "strategy": .string("auth0")])
        let doneAfterCommit = done.load(ordering: .sequentiallyConsistent)
        #expect(doneAfterCommit)
        #expect(fixture.service.catalog.count == 2)
        #expect(fixture.service.catalog.entry(id: entry.id)?.revision == 1)
    }

    @Test func aFailedCommitLeavesTheCatalogAlone() async throws {
        let fixture = try Fixture()
        _ = try await fixture.create(Self.body)
        let clash = await withCheckedContinuation { continuation in
            fixture.service.create(Self.body, by: .admin) { continuation.resume(returning: $0) }
        }
        guard case .failure(ServiceError.nameConflict) = clash else {
            Issue.record("expected a name conflict, got \(clash)")
            return
        }
        #expect(fixture.service.catalog.count == 1)
    }

    /// Submits both PATCHes while the writer is held: `update` judges on the calling thread and
    /// returns once its job is queued, so both are judged against the same stored revision.
    private func updateTogether(
        _ fixture: Fixture, _ id: String, _ bodies: [JSONObject], ifMatch: IfMatch? = nil
    ) -> [Result<WriteResult, any Error>] {
        let gate = fixture.holdWriter()
        let results = Mutex<[Int: Result<WriteResult, any Error>]>([:])
        let group = DispatchGroup()
        for (index, body) in bodies.enumerated() {
            group.enter()
            fixture.service.update(id: id, body: body, by: .admin, ifMatch: ifMatch) { result in
                results.withLock { $0[index] = result }
                group.leave()
            }
        }
        gate.signal()
        group.wait()
        return results.withLock { all in bodies.indices.compactMap { all[$0] } }
    }

    @Test func patchesJudgedOnTheSameBaseAreJudgedAgainUnderTheWriteLock() async throws {
        let fixture = try Fixture()
        let entry = try await fixture.create(Self.body)
        let results = updateTogether(
            fixture, entry.id, [["display_name": .string("Sign in")], ["metadata": .object(["team": .string("identity")])]])
        #expect(results.allSatisfy { (try? $0.get())?.changed == true })
        let second = try results[1].get().entry.object()
        #expect(second["display_name"] == .string("Sign in"), "the second PATCH was merged into the first's result")
        let stored = try #require(fixture.service.catalog.entry(id: entry.id))
        #expect(stored.revision == 3)
        #expect(stored.object()["metadata"]?["team"] == .string("identity"))
    }

    @Test func ofRacingWritesWithTheSameIfMatchExactlyOneSucceeds() async throws {
        let fixture = try Fixture()
        let entry = try await fixture.create(Self.body)
        let results = updateTogether(
            fixture, entry.id, [["display_name": .string("a")], ["display_name": .string("b")]], ifMatch: .revisions([1]))
        #expect(results.filter { (try? $0.get()) != nil }.count == 1)
        let failures = results.compactMap { result -> Int?? in
            if case .failure(ServiceError.preconditionFailed(let current)) = result { return current }
            return nil
        }
        #expect(failures == [2], "the loser was refused inside the transaction, against revision 2")
        #expect(try fixture.service.revisions(id: entry.id, before: nil, take: 10).revisions.count == 2)
    }

    @Test func restoreBringsADeletedConnectionBackWithItsID() async throws {
        let fixture = try Fixture()
        let entry = try await fixture.create(Self.body)
        let deleted = await withCheckedContinuation { continuation in
            fixture.service.delete(id: entry.id, by: .client(id: "cli_1"), ifMatch: nil) { continuation.resume(returning: $0) }
        }
        #expect((try? deleted.get()) == true)
        #expect(try fixture.service.isDeleted(id: entry.id))
        let refused = await withCheckedContinuation { continuation in
            fixture.service.restore(id: entry.id, revision: 2, by: .admin, ifMatch: nil) { continuation.resume(returning: $0) }
        }
        guard case .failure(ServiceError.deletionNotRestorable(revision: 2)) = refused else {
            Issue.record("a delete revision was restored: \(refused)")
            return
        }
        let restored = try await withCheckedThrowingContinuation { continuation in
            fixture.service.restore(id: entry.id, revision: 1, by: .admin, ifMatch: .revisions([2])) { continuation.resume(with: $0) }
        }
        #expect(restored.entry.id == entry.id && restored.entry.revision == 3)
        #expect(fixture.service.catalog.entry(id: entry.id)?.name == "Users")
        let history = try fixture.service.revisions(id: entry.id, before: nil, take: 10).revisions
        #expect(history.map(\.operation) == ["restore", "delete", "create"])
        #expect(history[0].restoredFrom == 1)
        #expect(history[1].actor == .client(id: "cli_1"))
    }

    @Test func retentionKeepsTheNewestRevisionsAndPagesStayStable() async throws {
        let fixture = try Fixture(keep: 3)
        let entry = try await fixture.create(Self.body)
        for index in 0..<4 { _ = try await fixture.update(entry.id, ["display_name": .string("v\(index)")]).get() }
        let all = try fixture.service.revisions(id: entry.id, before: nil, take: 100)
        #expect(all.revisions.map(\.number) == [5, 4, 3])
        let first = try fixture.service.revisions(id: entry.id, before: nil, take: 2)
        #expect(first.revisions.map(\.number) == [5, 4] && first.hasMore)
        _ = try await fixture.update(entry.id, ["display_name": .string("later")]).get()
        // Revision 3 was pruned meanwhile; nothing that existed throughout is skipped or repeated.
        let second = try fixture.service.revisions(id: entry.id, before: 4, take: 2)
        #expect(second.revisions.isEmpty && !second.hasMore)
        #expect(throws: ServiceError.self) { try fixture.service.revisions(id: "con_0000000000000099", before: nil, take: 1) }
    }

    @Test func promptsDryRunListsTheConnectionsAChangeWouldBreak() async throws {
        let fixture = try Fixture()
        let on = await withCheckedContinuation { continuation in
            fixture.service.updatePrompts({ $0.identifierFirst = true }) { continuation.resume(returning: $0) }
        }
        #expect((try? on.get())?.identifierFirst == true)
        let passwordless: JSONObject = [
            "name": .string("Passwordless"), "strategy": .string("auth0"),
            "options": .object([
                "attributes": .object([
                    "email": .object([
                        "identifier": .object(["active": .bool(true), "default_method": .string("email_otp")]),
                        "verification_method": .string("otp"),
                        "signup": .object(["status": .string("required"), "verification": .object(["active": .bool(true)])]),
                    ])
                ]),
                "authentication_methods": .object([
                    "password": .object(["enabled": .bool(false)]), "email_otp": .object(["enabled": .bool(true)]),
                ]),
            ]),
        ]
        let entry = try await fixture.create(passwordless)
        _ = try await fixture.create(Self.body)
        let (settings, affected) = fixture.service.promptsDryRun { $0.identifierFirst = false }
        #expect(!settings.identifierFirst)
        #expect(affected.map(\.id) == [entry.id])
        #expect(affected.first?.violations.contains { $0.severity == .error } == true)
        #expect(fixture.service.promptSettings.identifierFirst, "a dry run changes nothing")
    }
}
