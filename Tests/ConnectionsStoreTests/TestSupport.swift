import Dispatch
import Foundation
import Testing

@testable import ConnectionsStore

/// A directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Where a store under test keeps its data.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case walFile

    var testDescription: String { rawValue }
}

/// Opens a store of `kind`, runs `body`, closes it and removes its files.
func withStore<R>(_ kind: StoreKind, _ body: (SQLiteStore, _ path: String) throws -> R) throws -> R {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = kind == .memory ? ":memory:" : directory.path("connections.sqlite")
    let store = try SQLiteStore(path: path)
    let result = try body(store, path)
    try store.close()
    return result
}

func record(_ id: String, _ name: String, body: String? = nil, revision: Int = 1) -> ConnectionRecord {
    ConnectionRecord(id: id, name: name, strategy: "auth0", body: body ?? #"{"id":"\#(id)","name":"\#(name)"}"#, revision: revision)
}

/// What a test's revision of number `number` records (created at `number` seconds after the
/// epoch, by `cli_1` when even, by the admin token when odd), for tests that look at it.
func stamp(_ number: Int, operation: String? = nil) -> RevisionStamp {
    RevisionStamp(
        createdAt: Int64(number) * 1000, operation: operation ?? (number == 1 ? "create" : "update"),
        actorClientID: number % 2 == 0 ? "cli_1" : nil)
}

/// The writes of tests that do not look at revisions: each stamps its revision with `stamp`.
extension WriteTransaction {
    func insertConnection(_ record: ConnectionRecord) throws {
        try insertConnection(record, stamp: stamp(record.revision), keep: 100)
    }

    /// Deletes as revision one past the connection's newest.
    @discardableResult
    func deleteConnection(id: String) throws -> Bool {
        let revision = try connectionRevision(id: id) ?? 0
        return try deleteConnection(id: id, revision: revision + 1, stamp: stamp(revision + 1, operation: "delete"), keep: 100)
    }
}

/// Collects completions from the writer thread; `wait()` blocks until `expected` arrived.
final class Completions<T: Sendable>: Sendable {
    private let results = LockedValue<[(index: Int, result: Result<T, any Error>)]>([])
    private let group = DispatchGroup()

    func expect() { group.enter() }

    func record(_ index: Int, _ result: Result<T, any Error>) {
        results.withLock { $0.append((index, result)) }
        group.leave()
    }

    /// Every completion, in the order they ran.
    func wait() -> [(index: Int, result: Result<T, any Error>)] {
        group.wait()
        return results.value
    }
}

/// Holds the writer thread inside a job until `release()`, so that jobs submitted meanwhile
/// queue up and form the next batch.
final class WriterGate: Sendable {
    private let entered = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)

    /// Submits the blocking job and returns once the writer is inside it.
    func close(_ store: ConnectionStore, completions: Completions<Void>) {
        completions.expect()
        store.write(
            { [self] _ in
                entered.signal()
                gate.wait()
            }, completion: { completions.record(-1, $0) })
        entered.wait()
    }

    func release() { gate.signal() }
}
