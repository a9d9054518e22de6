import Dispatch
import Glibc

/// SIGINT and SIGTERM, turned from process-killing signals into an event to wait for.
final class TerminationSignals {
    private let semaphore = DispatchSemaphore(value: 0)
    private let sources: [any DispatchSourceSignal]

    init() {
        let semaphore = self.semaphore
        sources = [SIGINT, SIGTERM].map { signalNumber in
            // The default action would kill the process; ignore it and observe it instead.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { semaphore.signal() }
            source.resume()
            return source
        }
    }

    /// Blocks until one of the signals arrives.
    func wait() {
        semaphore.wait()
        sources.forEach { $0.cancel() }
    }
}
