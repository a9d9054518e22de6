import Glibc

/// A counting semaphore over POSIX `sem_t` (sem_overview(7)): what the store's writer and the
/// CLI wait on, without loading libdispatch for `DispatchSemaphore`.
public final class Semaphore: @unchecked Sendable {
    // @unchecked: `sem_t` is made for sharing between threads; it lives at a fixed address
    // allocated here and is only touched through sem_post/sem_wait.
    private let semaphore: UnsafeMutablePointer<sem_t>

    public init(value: UInt32 = 0) {
        semaphore = .allocate(capacity: 1)
        // Fails only for a value above SEM_VALUE_MAX or process-shared semaphores.
        precondition(sem_init(semaphore, 0, value) == 0, "sem_init failed")
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    /// Adds one to the count, waking one waiter.
    public func signal() {
        // Fails only on overflow past SEM_VALUE_MAX (2³¹ − 1 posts nobody waits for).
        precondition(sem_post(semaphore) == 0, "sem_post failed")
    }

    /// Waits until the count is positive, then takes one. A signal handler interrupting
    /// the wait (EINTR) does not end it.
    public func wait() {
        while sem_wait(semaphore) != 0 {
            precondition(errno == EINTR, "sem_wait failed")
        }
    }

    /// Like `wait()`, but gives up after `milliseconds`: returns whether it took one.
    public func wait(milliseconds: Int) -> Bool {
        // sem_timedwait takes an absolute CLOCK_REALTIME deadline.
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let nanoseconds = Int(deadline.tv_nsec) + (milliseconds % 1_000) * 1_000_000
        deadline.tv_sec += milliseconds / 1_000 + nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        while sem_timedwait(semaphore, &deadline) != 0 {
            if errno == ETIMEDOUT { return false }
            precondition(errno == EINTR, "sem_timedwait failed")
        }
        return true
    }
}
