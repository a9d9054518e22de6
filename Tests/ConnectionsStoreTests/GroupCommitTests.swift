import Dispatch
import Foundation
import Testing

@testable import ConnectionsStore

@Suite struct GroupCommitTests {
    @Test(arguments: StoreKind.allCases)
    func everyConcurrentWriterGetsExactlyOneCompletion(kind: StoreKind) throws {
        try withStore(kind) { (store, _) throws in
            let completions = Completions<Void>()
            let writers = 200
            for _ in 0..<writers { completions.expect() }
            DispatchQueue.concurrentPerform(iterations: writers) { index in
                store.write({ try $0.insertConnection(record("con_\(index)", "name-\(index)")) }) {
                    completions.record(index, $0)
                }
            }
            let results = completions.wait()
            #expect(results.map(\.index).sorted() == Array(0..<writers))
            #expect(results.allSatisfy { (try? $0.result.get()) != nil })
            #expect(try store.loadAllConnections().count == writers)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aFailingJobDoesNotSinkItsBatch(kind: StoreKind) throws {
        struct Refused: Error {}
        try withStore(kind) { (store, _) throws in
            try store.writeAndWait { try $0.insertConnection(record("taken", "Taken")) }
            let gate = WriterGate()
            let completions = Completions<Void>()
            gate.close(store, completions: completions)
            let commitsBefore = store.commitCount

            let jobs: [@Sendable (WriteTransaction) throws -> Void] = [
                { try $0.insertConnection(record("a", "A")) },
                { transaction in
                    try transaction.insertConnection(record("b", "B"))
                    throw Refused()
                },
                { try $0.insertConnection(record("c", "Taken")) },
                { transaction in
                    // Sees job "a" of the same, not yet committed, batch.
                    guard try transaction.connection(id: "a") != nil else { throw Refused() }
                    try transaction.insertConnection(record("d", "D"))
                },
            ]
            for (index, job) in jobs.enumerated() {
                completions.expect()
                store.write(job) { completions.record(index, $0) }
            }
            gate.release()
            let results = completions.wait()

            #expect(results.map(\.index) == [-1, 0, 1, 2, 3], "completions run in submission order")
            #expect(store.commitCount - commitsBefore == 2, "the gate's batch, then one batch of four")
            let outcomes = Dictionary(uniqueKeysWithValues: results.map { ($0.index, $0.result) })
            #expect((try? outcomes[0]?.get()) != nil)
            #expect(throws: Refused.self) { try outcomes[1]?.get() }
            #expect(throws: StoreError.nameConflict) { try outcomes[2]?.get() }
            #expect((try? outcomes[3]?.get()) != nil)
            #expect(try store.loadAllConnections().map(\.id) == ["a", "d", "taken"])
        }
    }

    @Test func aFailedCommitFailsEveryJobOfTheBatch() throws {
        struct Refused: Error {}
        // In rollback-journal mode (the shared in-memory database), COMMIT needs every reader
        // gone: a read transaction held open here makes it fail with SQLITE_BUSY.
        let store = try SQLiteStore(path: ":memory:", readers: 1, busyTimeoutMilliseconds: 20)
        let reader = try Database(path: store.location.uri)
        try reader.execute("BEGIN")
        let read = try reader.prepare("SELECT count(*) FROM connections")
        #expect(try read.step())

        let gate = WriterGate()
        let completions = Completions<Void>()
        gate.close(store, completions: completions)
        let ran = LockedValue(0)
        let jobs: [@Sendable (WriteTransaction) throws -> Void] = [
            { transaction in
                try transaction.insertConnection(record("a", "A"))
                ran.withLock { $0 += 1 }
            },
            { _ in throw Refused() },
            { try $0.insertConnection(record("b", "B")) },
        ]
        for (index, job) in jobs.enumerated() {
            completions.expect()
            store.write(job) { completions.record(index, $0) }
        }
        gate.release()
        let results = completions.wait().filter { $0.index >= 0 }
        #expect(results.map(\.index) == [0, 1, 2])
        #expect(ran.value == 1, "the jobs ran; it is their COMMIT that failed")
        for (_, result) in results {
            // SQLITE_BUSY past the busy timeout: a lock held by another connection (503 at the API).
            let error = try #require(throws: StoreError.self) { try result.get() }
            guard case .unavailable(let fault) = error else {
                Issue.record("expected the store unavailable, got \(error)")
                continue
            }
            #expect(fault.cause == .locked)
        }
        read.reset()
        try reader.execute("COMMIT")
        #expect(try store.loadAllConnections().isEmpty)
        try store.writeAndWait { try $0.insertConnection(record("c", "C")) }
        #expect(try store.loadAllConnections().map(\.id) == ["c"], "the writer recovers")
        try reader.close()
        try store.close()
    }

    @Test func queuedWritesShareOneCommit() throws {
        try withStore(.walFile) { (store, _) throws in
            let gate = WriterGate()
            let completions = Completions<Void>()
            gate.close(store, completions: completions)
            let commitsBefore = store.commitCount
            let writers = 199
            for _ in 0..<writers { completions.expect() }
            DispatchQueue.concurrentPerform(iterations: writers) { index in
                store.write({ try $0.insertConnection(record("con_\(index)", "name-\(index)")) }) {
                    completions.record(index, $0)
                }
            }
            gate.release()
            let results = completions.wait()
            #expect(results.count == writers + 1)
            #expect(results.allSatisfy { (try? $0.result.get()) != nil })
            #expect(store.commitCount - commitsBefore == 2, "199 queued writes commit together")
        }
    }

    @Test func batchesAreCapped() throws {
        try withStore(.memory) { (store, _) throws in
            let gate = WriterGate()
            let completions = Completions<Void>()
            gate.close(store, completions: completions)
            let commitsBefore = store.commitCount
            let writers = GroupCommitWriter.maxBatch + 1
            for index in 0..<writers {
                completions.expect()
                store.write({ try $0.setTenantSettings("\(index)") }) { completions.record(index, $0) }
            }
            gate.release()
            #expect(completions.wait().count == writers + 1)
            #expect(store.commitCount - commitsBefore == 3, "the gate, a full batch, then the one left over")
            #expect(try store.tenantSettings() == "\(writers - 1)", "applied in submission order")
        }
    }

    @Test func acknowledgedWritesSurviveReopening() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("durable.sqlite")
        let store = try SQLiteStore(path: path)
        let completions = Completions<String>()
        let writers = 200
        for _ in 0..<writers { completions.expect() }
        DispatchQueue.concurrentPerform(iterations: writers) { index in
            store.write({ transaction -> String in
                // Every tenth job fails: it must not be there afterwards, and must not take
                // its batch with it.
                struct Refused: Error {}
                try transaction.insertConnection(record("con_\(index)", "name-\(index)"))
                if index % 10 == 0 { throw Refused() }
                return "con_\(index)"
            }) { completions.record(index, $0) }
        }
        let acknowledged = Set(completions.wait().compactMap { try? $0.result.get() })
        #expect(acknowledged.count == writers - writers / 10)
        try store.close()

        let reopened = try SQLiteStore(path: path)
        #expect(Set(try reopened.loadAllConnections().map(\.id)) == acknowledged)
        try reopened.close()
        let database = try Database(path: path)
        #expect(try database.integrityCheck() == ["ok"])
        #expect(try database.pragma("journal_mode") == "wal")
    }

    /// The writer checkpoints after its answers instead of inside COMMIT (SQLite's own hook is
    /// replaced): the WAL is still copied into the database once it passes 1,000 frames, so it
    /// is reused from its start rather than growing with every write.
    @Test func theWriterKeepsTheWALBounded() throws {
        try withStore(.walFile) { (store, path) throws in
            // Each write puts a body of ~6 KB (two overflow pages) in a revision: ~4 frames a
            // commit, ~4,800 in all, about 20 MB of WAL without a checkpoint.
            let body = String(repeating: "x", count: 6_000)
            for index in 0..<1_200 {
                try store.writeAndWait { transaction in
                    try transaction.insertConnection(record("con_\(index)", "name-\(index)", body: body))
                }
            }
            let walBytes = try #require(FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int)
            // 1,000 frames of a 4 KiB page and its 24-byte header, plus the commit that passed them.
            #expect(walBytes < 1_100 * (4_096 + 24), "WAL of \(walBytes) bytes")
            #expect(try store.loadAllConnections().count == 1_200)
        }
    }

    @Test func readsSeeEveryAcknowledgedWrite() throws {
        try withStore(.walFile) { (store, _) throws in
            let failures = LockedValue(0)
            let completions = Completions<Void>()
            let writers = 100
            for _ in 0..<writers { completions.expect() }
            DispatchQueue.concurrentPerform(iterations: writers) { index in
                store.write({ try $0.insertConnection(record("con_\(index)", "name-\(index)")) }) { result in
                    // A completion runs after COMMIT: a read connection already sees the row.
                    if (try? store.connection(id: "con_\(index)")) == nil { failures.withLock { $0 += 1 } }
                    completions.record(index, result)
                }
            }
            #expect(completions.wait().allSatisfy { (try? $0.result.get()) != nil })
            // Checked from another thread than the writer, after every acknowledgement.
            DispatchQueue.concurrentPerform(iterations: writers) { index in
                if (try? store.connection(id: "con_\(index)")) == nil { failures.withLock { $0 += 1 } }
            }
            #expect(failures.value == 0)
        }
    }
}
