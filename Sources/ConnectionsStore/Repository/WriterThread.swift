import Glibc

/// A thread the store owns (pthreads, not Foundation's `Thread`: the store keeps blocking
/// `sqlite3_step` and fsync off Swift's cooperative pool without loading Foundation).
enum WriterThread {
    struct SpawnError: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "pthread_create() failed: \(String(cString: strerror(code)))" }
    }

    static func spawn(_ body: @escaping @Sendable () -> Void) throws {
        final class Box: Sendable {
            let body: @Sendable () -> Void
            init(body: @escaping @Sendable () -> Void) {
                self.body = body
            }
        }
        let box = Unmanaged.passRetained(Box(body: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.body()
                return nil
            }, box)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw SpawnError(code: result)
        }
        pthread_detach(thread)
    }
}
