import Glibc

/// SIGINT and SIGTERM, turned from process-killing signals into an event to wait for.
///
/// Create it on the main thread before any other thread starts: the signals are blocked
/// here, threads inherit the mask (pthread_sigmask(3)), so a signal stays pending until
/// `wait()` takes it with sigwait(3) — even one that arrives before `wait()` is called.
final class TerminationSignals {
    private var signals = sigset_t()

    init() {
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    /// Blocks until one of the signals arrives.
    func wait() {
        var received: Int32 = 0
        // sigwait(3) returns an error number only for an invalid set, which this is not.
        while sigwait(&signals, &received) != 0 {}
    }
}
