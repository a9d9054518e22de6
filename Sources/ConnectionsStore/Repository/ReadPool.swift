import Synchronization

/// A few read connections, so reads neither wait for the writer (WAL gives each read its own
/// snapshot of the last commit) nor queue behind one another.
///
/// Each connection sits behind its own lock and is used by one thread at a time. A read
/// blocks its calling thread while SQLite runs: call from threads you own, not from Swift's
/// cooperative pool.
final class ReadPool: Sendable {
    private final class Slot: Sendable {
        let database: Mutex<Database?>

        init(_ database: sending Database) {
            self.database = Mutex(database)
        }
    }

    private let slots: [Slot]
    private let next = Atomic<Int>(0)

    /// How many connections the pool holds: as many reads can run at once.
    var count: Int { slots.count }

    init(count: Int, open: () throws -> sending Database) throws {
        var slots: [Slot] = []
        for _ in 0..<max(1, count) {
            slots.append(Slot(try open()))
        }
        self.slots = slots
    }

    /// Runs `body` on a free connection, or waits for the first one, which `readLong` leaves
    /// alone: a read never waits behind start-up's load. Throws `StoreError.closed` after
    /// `close()`.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        let start = next.wrappingAdd(1, ordering: .relaxed).oldValue
        for offset in 0..<slots.count {
            let slot = slots[(start &+ offset) % slots.count]
            if let result = try slot.database.withLockIfAvailable({ try Self.use($0, body) }) {
                return result
            }
        }
        return try slots[0].database.withLock { try Self.use($0, body) }
    }

    /// A read that holds its connection long (one range of start-up's load): on connection
    /// `1 + part` (modulo the others; the first when it is the only one).
    func readLong<T: Sendable>(part: Int, _ body: @Sendable (Database) throws -> T) throws -> T {
        let slot = slots.count == 1 ? slots[0] : slots[1 + part % (slots.count - 1)]
        return try slot.database.withLock { try Self.use($0, body) }
    }

    private static func use<T>(_ database: Database?, _ body: @Sendable (Database) throws -> T) throws -> T {
        guard let database else { throw StoreError.closed }
        return try body(database)
    }

    /// Closes every connection, waiting for reads in progress. Rethrows the first failure.
    func close() throws {
        var firstError: (any Error)?
        for slot in slots {
            do {
                try slot.database.withLock { database in
                    defer { database = nil }
                    try database?.close()
                }
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
    }
}
