import Synchronization
import SystemThreads

/// When the service fills its catalog with the stored connections.
public enum CatalogLoading: Sendable {
    /// Before `ConnectionsService.init` returns; a row that cannot be served throws from it.
    case now
    /// After `init` returns, on a thread `start` runs the given work on (the server binds and
    /// answers GETs by id meanwhile: issue 9's cold start). Until it is done, whatever needs the
    /// whole catalog waits (`ConnectionsService.whenLoaded`), and a GET by id reads the row.
    case background(start: @Sendable (@escaping @Sendable () -> Void) -> Void)

    /// In the background, on a thread of its own (on the caller's if none can be started).
    public static var onThread: CatalogLoading {
        .background { work in
            do { try DetachedThread.spawn(work) } catch { work() }
        }
    }
}

/// Whether the catalog is loaded yet, and who is waiting for it: a one-way latch from loading to
/// loaded (or failed), read on every request without a lock.
final class CatalogLoadState: Sendable {
    typealias Waiter = @Sendable (Result<Void, any Error>) -> Void

    private enum State {
        case loading([Waiter])
        case finished(Result<Void, any Error>)
    }

    private let state = Mutex(State.loading([]))
    private let loaded = Atomic<Bool>(false)

    /// True once loading succeeded: the catalog holds every stored connection. (A failed load
    /// leaves it false: whatever waits for the catalog gets the failure instead.)
    var isLoaded: Bool { loaded.load(ordering: .acquiring) }

    /// Runs `waiter` with the outcome: at once on this thread when loading is over, else on
    /// the loading thread when it ends.
    func whenFinished(_ waiter: @escaping Waiter) {
        let outcome = state.withLock { state -> Result<Void, any Error>? in
            switch state {
            case .loading(var waiters):
                waiters.append(waiter)
                state = .loading(waiters)
                return nil
            case .finished(let outcome):
                return outcome
            }
        }
        if let outcome { waiter(outcome) }
    }

    /// Ends loading with `outcome` and runs every waiter, in the order they came.
    func finish(_ outcome: Result<Void, any Error>) {
        let waiters = state.withLock { state -> [Waiter] in
            guard case .loading(let waiters) = state else { preconditionFailure("the catalog finished loading twice") }
            state = .finished(outcome)
            return waiters
        }
        if case .success = outcome { loaded.store(true, ordering: .releasing) }
        for waiter in waiters { waiter(outcome) }
    }

    /// Blocks the calling thread until loading is over; rethrows its failure.
    func wait() throws {
        let finished = Semaphore()
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        whenFinished { result in
            outcome.withLock { $0 = result }
            finished.signal()
        }
        finished.wait()
        try outcome.withLock { $0 }?.get()
    }
}
