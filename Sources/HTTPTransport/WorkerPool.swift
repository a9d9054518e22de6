import Synchronization
import SystemThreads

/// A few threads that run work too costly for an event loop: judging a large request body can
/// take tens of milliseconds of CPU (API.md "CPU budget"), and a loop that spent them would keep
/// every other connection it serves waiting as long (issue 10: `/healthz` waited 9 s behind two
/// hostile bodies). Jobs run in the order submitted; the threads start with the first job.
package final class WorkerPool: Sendable {
    private struct Queue: ~Copyable {
        var jobs: [@Sendable () -> Void] = []
        var next = 0
        var started = false
    }

    private let threads: Int
    private let queue = Mutex(Queue())
    private let ready = Semaphore()

    package init(threads: Int) {
        self.threads = max(1, threads)
    }

    /// Runs `job` on a worker thread. If no thread can be started, runs it on the caller's.
    package func submit(_ job: @escaping @Sendable () -> Void) {
        let start = queue.withLock { queue -> Bool in
            queue.jobs.append(job)
            defer { queue.started = true }
            return !queue.started
        }
        if start {
            var spawned = 0
            for _ in 0..<threads where (try? DetachedThread.spawn { [self] in work() }) != nil {
                spawned += 1
            }
            if spawned == 0 {
                // Without threads the work is still done, on the caller's thread, as before the pool.
                queue.withLock { $0.started = false }
                runQueued()
                return
            }
        }
        ready.signal()
    }

    private func work() {
        while true {
            ready.wait()
            runQueued()
        }
    }

    /// Takes one queued job, if any, and runs it.
    private func runQueued() {
        let job = queue.withLock { queue -> (@Sendable () -> Void)? in
            guard queue.next < queue.jobs.count else { return nil }
            let job = queue.jobs[queue.next]
            queue.next += 1
            // Compacted once the taken jobs are half the array: amortised O(1) per job.
            if queue.next * 2 >= queue.jobs.count {
                queue.jobs.removeFirst(queue.next)
                queue.next = 0
            }
            return job
        }
        job?()
    }
}
