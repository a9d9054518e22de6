import Synchronization
import SystemThreads

/// The jobs waiting for a store's writer thread: submitted from any thread, taken by the writer
/// in batches of at most `maxBatch`, and drained after `stop` before the writer ends. The SQLite
/// and PostgreSQL writers share it; they differ only in how a batch commits and what an idle
/// writer checks.
final class WriteQueue: Sendable {
    /// What the writer does next.
    enum Next {
        /// Commit these jobs together, in this order.
        case batch([QueuedWrite])
        /// Nothing arrived for `idleMilliseconds`: time for the writer's idle check.
        case idle
        /// Stopping, and every job queued before the stop has been taken.
        case finished
    }

    private struct State {
        var jobs: [QueuedWrite] = []
        var stopping = false
    }

    private let state = Mutex(State())
    /// Signalled once per submission and on stop; extra signals only cause an empty pass.
    private let wakeup = Semaphore()
    private let maxBatch: Int
    private let idleMilliseconds: Int

    init(maxBatch: Int, idleMilliseconds: Int) {
        self.maxBatch = maxBatch
        self.idleMilliseconds = idleMilliseconds
    }

    /// Queues a job. Returns `false`, without queueing, once the queue is stopping.
    func submit(_ job: QueuedWrite) -> Bool {
        let queued = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.jobs.append(job)
            return true
        }
        if queued { wakeup.signal() }
        return queued
    }

    /// Queues `work` as a job; once the queue is stopping, fails it at once, on the caller's
    /// thread, with `StoreError.closed`. What both stores' `write` does.
    func submit<T: Sendable>(
        locking connectionIDs: [String] = [],
        _ work: @escaping @Sendable (WriteTransaction) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        let job = QueuedWrite(locking: connectionIDs, work: work, completion: completion)
        if !submit(job) { job.fail(StoreError.closed) }
    }

    /// Refuses later submissions and wakes the writer to drain the rest. Returns `true` for the
    /// first call only.
    func stop() -> Bool {
        let first = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        if first { wakeup.signal() }
        return first
    }

    /// Called by the writer thread only: waits for the next batch, an idle moment or the end.
    func next() -> Next {
        while true {
            let (jobs, finished) = state.withLock { state -> ([QueuedWrite], Bool) in
                let count = min(state.jobs.count, maxBatch)
                let jobs = Array(state.jobs.prefix(count))
                state.jobs.removeFirst(count)
                return (jobs, jobs.isEmpty && state.stopping)
            }
            if finished { return .finished }
            if !jobs.isEmpty { return .batch(jobs) }
            if !wakeup.wait(milliseconds: idleMilliseconds) { return .idle }
        }
    }
}
