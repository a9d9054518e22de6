import HTTP
import Synchronization
import SystemThreads

/// An HTTP/1.1 server: one listening socket, `configuration.eventLoops` epoll loops on threads of its
/// own, and a handler called for every framed request.
///
/// ```swift
/// let server = HTTPServer(configuration: config, handler: router)
/// let port = try server.start()
/// server.waitUntilStopped()          // returns after shutdown(grace:) from another thread
/// ```
public final class HTTPServer: Sendable {
    private enum State: Sendable {
        case idle
        case running([EventLoop])
        case stopped
    }

    public let configuration: ServerConfiguration
    private let handler: any HTTPHandler
    private let state = Mutex<State>(.idle)
    private let latch = StopLatch()

    public init(configuration: ServerConfiguration, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Binds (unless given a bound `listener`, which it then owns), starts the event loops and
    /// returns the bound port (useful with port 0). Throws `HTTPServerError` with a readable
    /// message when the address cannot be bound.
    public func start(listener bound: HTTPListener? = nil) throws -> Int {
        try state.withLock { state in
            guard case .idle = state else { throw HTTPServerError("The server was already started") }
            SystemCall.ignoreSIGPIPE()
            SystemCall.raiseOpenFileLimit()
            SystemCall.keepFreedHeapMemory()
            let listener = try bound ?? HTTPListener.bind(host: configuration.host, port: configuration.port)
            let gate = ConnectionGate(capacity: configuration.maxConnections)
            var loops: [EventLoop] = []
            do {
                for index in 0..<max(1, configuration.eventLoops) {
                    loops.append(
                        try EventLoop(
                            index: index, configuration: configuration, handler: handler, gate: gate, latch: latch))
                }
                try loops[0].attachListener(listener.fd, peers: loops)
            } catch {
                SystemCall.closeDescriptor(listener.fd)
                throw error
            }
            latch.add(loops.count)
            for loop in loops {
                do {
                    try DetachedThread.spawn { loop.run() }
                } catch {
                    // Loops already running stop through their mailbox; the rest never started.
                    latch.add(-(loops.count - loop.index))
                    for started in loops[..<loop.index] { started.post(.shutdown(deadline: 0)) }
                    state = .stopped
                    throw error
                }
            }
            state = .running(loops)
            return listener.port
        }
    }

    /// Stops accepting, lets in-flight requests finish for up to `grace` (their responses carry
    /// `Connection: close`), closes every connection, and returns once the loops have stopped.
    public func shutdown(grace: Duration) {
        let loops = state.withLock { state -> [EventLoop] in
            guard case .running(let loops) = state else { return [] }
            state = .stopped
            return loops
        }
        let deadline = SystemCall.monotonicNanos() &+ grace.nanoseconds
        for loop in loops { loop.post(.shutdown(deadline: deadline)) }
        waitUntilStopped()
    }

    /// Requests answered (a response written, errors included) by the loops, once they have stopped:
    /// the shutdown line's count.
    public var requestsAnswered: Int {
        latch.answeredByStopped
    }

    /// Blocks until every event loop has stopped; returns at once if the server never started.
    public func waitUntilStopped() {
        latch.wait()
    }
}
