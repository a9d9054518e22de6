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
        // 1 initial + 1 signalled: two waits take one each, a third finds none.
        #expect(semaphore.wait(milliseconds: 0))
        #expect(semaphore.wait(milliseconds: 0))
        #expect(!semaphore.wait(milliseconds: 0))
    }

    @Test func aTimedWaitTakesASignalOrGivesUp() {
        let semaphore = Semaphore()
        #expect(!semaphore.wait(milliseconds: 1))
        semaphore.signal()
        // Long enough never to expire here: the signal is already counted.
        #expect(semaphore.wait(milliseconds: 60_000))
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
