import Dispatch
import Testing

@testable import ConnectionsStore

/// While start-up's load holds its read connections, a read (a GET by id served before the
/// catalog is loaded, a token lookup) waits at most for another short read, never for the load.
@Suite struct ReadPoolTests {
    /// Runs `body` on a thread of its own; `done` is left after it.
    private static func inBackground(_ done: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        done.enter()
        DispatchQueue.global().async {
            body()
            done.leave()
        }
    }

    @Test
    func aReadWaitsForAnotherReadNotForTheLoad() throws {
        let pool = try ReadPool(count: 3) { try Database(path: ":memory:") }
        defer { try? pool.close() }
        let holding = DispatchSemaphore(value: 0)
        let releaseLoad = DispatchSemaphore(value: 0)
        let releaseShort = DispatchSemaphore(value: 0)
        let load = DispatchGroup()
        for part in 0..<2 {
            Self.inBackground(load) {
                _ = try? pool.readLong(part: part) { _ in
                    holding.signal()
                    releaseLoad.wait()
                }
            }
        }
        holding.wait()
        holding.wait()
        // A short read takes the connection left, and keeps it until told.
        let short = DispatchGroup()
        Self.inBackground(short) {
            _ = try? pool.read { _ in
                holding.signal()
                releaseShort.wait()
            }
        }
        holding.wait()
        // Every connection is taken: this read must wait for the short one, not the load's.
        // The short one ends a little later, so that the read has begun to wait. Waiting for a
        // connection of the load would never end before the load is released: after 10 s (a
        // deadlock detector, not a timing) the test says so and releases it.
        let waiting = DispatchGroup()
        Self.inBackground(waiting) { #expect((try? pool.read { _ in 1 }) == 1) }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { releaseShort.signal() }
        let ended = waiting.wait(timeout: .now() + .seconds(10)) == .success
        #expect(ended, "the read waited for the load's connection")
        short.wait()
        releaseLoad.signal()
        releaseLoad.signal()
        load.wait()
        waiting.wait()
    }
}
