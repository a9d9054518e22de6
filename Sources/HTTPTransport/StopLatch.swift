import Glibc

/// Counts event loops down to zero and lets any number of threads wait for that. A pthread mutex and
/// condition, because waiting threads (main, a signal thread) are plain threads, not tasks.
final class StopLatch: @unchecked Sendable {
    // @unchecked: `count` is only touched with `mutex` held; the pointers never change.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var count = 0
    private var answered = 0

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    func add(_ amount: Int) {
        pthread_mutex_lock(mutex)
        count += amount
        pthread_mutex_unlock(mutex)
    }

    /// A loop has stopped, after answering `answered` requests.
    func countDown(answered: Int = 0) {
        pthread_mutex_lock(mutex)
        self.answered += answered
        count -= 1
        if count <= 0 { pthread_cond_broadcast(condition) }
        pthread_mutex_unlock(mutex)
    }

    /// Requests answered by the loops that have stopped.
    var answeredByStopped: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return answered
    }

    func wait() {
        pthread_mutex_lock(mutex)
        while count > 0 { pthread_cond_wait(condition, mutex) }
        pthread_mutex_unlock(mutex)
    }
}
