import Glibc
import Synchronization
import Testing

@testable import SystemThreads

@Suite struct SystemThreadsTests {
    @Test func spawnedThreadsRunTheirBodies() throws {
        let done = Semaphore()
        let runs = Atomic<Int>(0)
        for _ in 0..<8 {
            try DetachedThread.spawn {
                runs.add(1, ordering: .relaxed)
                done.signal()
            }
        }
        for _ in 0..<8 { done.wait() }
        #expect(runs.load(ordering: .relaxed) == 8)
    }

    @Test func semaphoreCountsSignalsSentBeforeTheWait() {
        let semaphore = Semaphore(value: 1)
        semaphore.signal()
        semaphore.wait()
        semaphore.wait()  // both returns need a count: 1 initial + 1 signalled
    }

    @Test func waitBlocksUntilAnotherThreadSignals() throws {
        let ready = Semaphore()
        let release = Semaphore()
        let order = Mutex<[String]>([])
        try DetachedThread.spawn {
            ready.signal()
            order.withLock { $0.append("waiting") }
            release.wait()
            order.withLock { $0.append("released") }
            ready.signal()
        }
        ready.wait()
        // The spawned thread cannot pass `release.wait()` until this signal.
        #expect(!order.withLock { $0.contains("released") })
        release.signal()
        ready.wait()
        #expect(order.withLock { $0 } == ["waiting", "released"])
    }

    @Test func errorsNameTheCallAndTheReason() {
        let error = ThreadError(call: "pthread_create()", code: EAGAIN)
        #expect(error.description == "pthread_create() failed: Resource temporarily unavailable")
    }
}
