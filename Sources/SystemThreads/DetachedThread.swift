import Glibc

/// A thread of our own (pthreads, not Foundation's `Thread`): the event loops block in
/// epoll_wait(2) and the store's writer in `sqlite3_step` and fsync, so they must stay off
/// Swift's cooperative pool. The store and the transport both start theirs here.
public enum DetachedThread {
    /// Starts `body` on a new detached thread.
    public static func spawn(_ body: @escaping @Sendable () -> Void) throws(ThreadError) {
        let box = Unmanaged.passRetained(Body(run: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { raw in
                Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, box)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            throw ThreadError(call: "pthread_create()", code: result)
        }
        pthread_detach(thread)
    }

    /// The closure, boxed to cross pthread_create's `void *` argument.
    private final class Body: Sendable {
        let run: @Sendable () -> Void

        init(run: @escaping @Sendable () -> Void) {
            self.run = run
        }
    }
}
