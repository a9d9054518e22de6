import CSystem
import Glibc
import HTTP
import Synchronization

/// One epoll loop on one thread, serving the connections it owns from accept to close.
///
/// Accepting: only loop 0 holds the (single) listening socket and hands accepted sockets to the loops
/// round-robin through their mailboxes. Compared with one SO_REUSEPORT listener per loop, a second
/// server started on a busy port still fails with EADDRINUSE, and the spread across loops is even
/// rather than hash-dependent; the hand-off costs one eventfd write per connection, nothing per request.
///
/// Sockets are registered once, edge-triggered, for input and output: no epoll_ctl per response, and an
/// EPOLLOUT event only arrives after a write found the socket buffer full.
final class EventLoop: @unchecked Sendable {
    // @unchecked: every mutable stored property is touched only on the loop's own thread; other threads
    // reach the loop only through `post`, which uses the `mailbox` Mutex and the eventfd.

    private struct Mailbox: ~Copyable {
        var messages: [LoopMessage] = []
        /// Set when the loop exits and closes its eventfd, so no late `post` writes to a reused descriptor.
        var closed = false
    }

    private static let listenerTag = UInt64.max
    private static let wakeTag = UInt64.max - 1
    private static let eventCapacity: Int32 = 256
    private static let readChunk = 65_536
    /// Past this much unsent output, stop taking pipelined requests until the client reads.
    private static let outputHighWater = 1_048_576
    /// How long a closing connection keeps draining client bytes so its last response is not lost to a
    /// TCP reset.
    private static let lingerNanos: UInt64 = 2_000_000_000
    private static let sweepNanos: UInt64 = 250_000_000

    let index: Int
    private let configuration: ServerConfiguration
    private let handler: any HTTPHandler
    private let gate: ConnectionGate
    private let latch: StopLatch
    private let epollFD: Int32
    private let wakeFD: Int32
    private let mailbox = Mutex(Mailbox())

    private var listenerFD: Int32 = -1
    /// Out of descriptors: the listener is out of the epoll set until the next sweep, since a
    /// level-triggered listener that cannot be accepted from would spin the loop.
    private var listenerPaused = false
    private var peers: [EventLoop] = []
    private var nextPeer = 0
    private var connections: [Connection?] = []
    private var liveConnections = 0
    private var rejectedConnections = 0
    private var nextConnectionID: UInt64 = 0
    private var requestCounter = 0
    private var now: UInt64 = 0
    private var nextSweep: UInt64 = 0
    private var shutdownDeadline: UInt64?
    private var log: RequestLog
    private let metrics: LoopMetrics?
    private let metricsRouteOfPath: @Sendable (String) -> Int
    private var date = HTTPDateCache()
    /// One large output buffer per loop, lent to whichever connection is writing a large
    /// response (a list page) and taken back once it is written: large pages neither keep a
    /// 78 KB buffer per idle keep-alive connection (RSS) nor allocate a fresh one per response
    /// (page faults and TLB shootdowns, measured in bench/).
    private var spareOutput: [UInt8] = []
    private let events: UnsafeMutablePointer<epoll_event>
    private let scratch: UnsafeMutablePointer<UInt8>
    private let headNanos: UInt64
    private let bodyNanos: UInt64
    private let idleNanos: UInt64

    init(
        index: Int, configuration: ServerConfiguration, handler: any HTTPHandler, gate: ConnectionGate,
        latch: StopLatch
    ) throws {
        self.index = index
        self.configuration = configuration
        self.handler = handler
        self.gate = gate
        self.latch = latch
        epollFD = csystem_epoll_create()
        guard epollFD >= 0 else { throw HTTPServerError.system("epoll_create1()", errno: errno) }
        wakeFD = csystem_eventfd()
        guard wakeFD >= 0 else {
            let code = errno
            close(epollFD)
            throw HTTPServerError.system("eventfd()", errno: code)
        }
        guard csystem_epoll_add(epollFD, wakeFD, csystem_EPOLLIN, Self.wakeTag) == 0 else {
            let code = errno
            close(epollFD)
            close(wakeFD)
            throw HTTPServerError.system("epoll_ctl()", errno: code)
        }
        log = RequestLog(enabled: configuration.logRequests, format: configuration.logFormat)
        metrics = configuration.metrics.flatMap { index < $0.loops.count ? $0.loops[index] : nil }
        if let routeOfPath = configuration.metrics?.routeOfPath {
            metricsRouteOfPath = routeOfPath
        } else {
            metricsRouteOfPath = { _ in 0 }
        }
        events = .allocate(capacity: Int(Self.eventCapacity))
        scratch = .allocate(capacity: Self.readChunk)
        headNanos = configuration.headDeadline.nanoseconds
        bodyNanos = configuration.bodyDeadline.nanoseconds
        idleNanos = configuration.idleTimeout.nanoseconds
    }

    deinit {
        events.deallocate()
        scratch.deallocate()
    }

    /// Called before the thread starts: loop 0 gets the listener and the list of loops to feed.
    func attachListener(_ fd: Int32, peers: [EventLoop]) throws {
        guard csystem_epoll_add(epollFD, fd, csystem_EPOLLIN, Self.listenerTag) == 0 else {
            throw HTTPServerError.system("epoll_ctl()", errno: errno)
        }
        listenerFD = fd
        self.peers = peers
    }

    // MARK: - Cross-thread entry

    /// Queues `message` and wakes the loop; safe from any thread. Dropped once the loop has stopped.
    func post(_ message: LoopMessage) {
        mailbox.withLock { mailbox in
            guard !mailbox.closed else { return }
            let wasEmpty = mailbox.messages.isEmpty
            mailbox.messages.append(message)
            // Written under the lock so the loop cannot close the eventfd in between. Only the first
            // message of a batch wakes the loop; it drains them all.
            if wasEmpty {
                var one: UInt64 = 1
                _ = write(wakeFD, &one, 8)
            }
        }
    }

    // MARK: - The loop

    func run() {
        now = SystemCall.monotonicNanos()
        date.update(wallSeconds: SystemCall.wallSeconds())
        nextSweep = now + Self.sweepNanos
        while true {
            let count = epoll_wait(epollFD, events, Self.eventCapacity, 250)
            now = SystemCall.monotonicNanos()
            date.update(wallSeconds: SystemCall.wallSeconds())
            if count > 0 {
                for slot in 0..<Int(count) {
                    dispatch(tag: csystem_event_data(events, Int32(slot)), flags: csystem_event_flags(events, Int32(slot)))
                }
            } else if count < 0 && errno != EINTR {
                break
            }
            if now >= nextSweep {
                sweep()
                nextSweep = now + Self.sweepNanos
            }
            log.flush()
            if let deadline = shutdownDeadline, liveConnections == 0 || now >= deadline { break }
        }
        stop()
    }

    private func stop() {
        for case let connection? in connections { closeNow(connection) }
        if listenerFD >= 0 {
            close(listenerFD)
            listenerFD = -1
        }
        log.flush()
        let leftovers = mailbox.withLock { mailbox -> [LoopMessage] in
            mailbox.closed = true
            close(wakeFD)
            defer { mailbox.messages = [] }
            return mailbox.messages
        }
        // Sockets handed over after the last drain are still counted by the gate.
        for case .adopt(let fd) in leftovers {
            close(fd)
            gate.release()
        }
        close(epollFD)
        latch.countDown(answered: log.answered)
    }

    private func dispatch(tag: UInt64, flags: UInt32) {
        if tag == Self.listenerTag {
            acceptConnections()
            return
        }
        if tag == Self.wakeTag {
            var counter: UInt64 = 0
            _ = read(wakeFD, &counter, 8)
            drainMailbox()
            return
        }
        let fd = Int(truncatingIfNeeded: tag)
        guard fd < connections.count, let connection = connections[fd] else { return }
        if flags & (csystem_EPOLLERR | csystem_EPOLLHUP) != 0 {
            closeNow(connection)
            return
        }
        if flags & csystem_EPOLLOUT != 0 {
            flush(connection)
            if connections[fd] === connection && connection.pendingOutput == 0 { resume(connection) }
        }
        if flags & (csystem_EPOLLIN | csystem_EPOLLRDHUP) != 0 && connections[fd] === connection {
            readAvailable(connection)
        }
    }

    private func drainMailbox() {
        let messages = mailbox.withLock { mailbox -> [LoopMessage] in
            defer { mailbox.messages = [] }
            return mailbox.messages
        }
        for message in messages {
            switch message {
            case .response(let fd, let connectionID, let serial, let response):
                let fd = Int(fd)
                guard fd < connections.count, let connection = connections[fd], connection.id == connectionID,
                    let inFlight = connection.inFlight, inFlight.serial == serial
                else { continue }
                finish(connection, with: response)
                resume(connection)
            case .adopt(let fd):
                if shutdownDeadline != nil {
                    close(fd)
                    gate.release()
                } else {
                    adopt(fd, gated: true)
                }
            case .shutdown(let deadline):
                beginShutdown(deadline: deadline)
            }
        }
    }

    // MARK: - Accepting

    private func acceptConnections() {
        while listenerFD >= 0 {
            let fd = csystem_accept(listenerFD)
            if fd < 0 {
                let code = errno
                if code == EINTR || code == ECONNABORTED { continue }
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    // The pending connection stays queued in the kernel until descriptors free up.
                    _ = csystem_epoll_del(epollFD, listenerFD)
                    listenerPaused = true
                }
                return
            }
            SystemCall.setNoDelay(fd)
            if gate.tryAcquire() {
                let loop = peers.isEmpty ? self : peers[nextPeer % peers.count]
                nextPeer &+= 1
                if loop === self {
                    adopt(fd, gated: true)
                } else {
                    loop.post(.adopt(fd: fd))
                }
            } else if rejectedConnections < gate.capacity {
                // Over the cap: answer 503 and close, without touching the connections being served.
                // The 503 lingers like any final response so the client reads it instead of a reset.
                guard let connection = adopt(fd, gated: false) else { continue }
                var response = TransportError.tooManyConnections.response
                response.closeConnection = true
                let requestID = nextRequestID()
                log.record(
                    requestID: requestID, actor: nil, method: nil, path: nil, status: response.status.code,
                    nanoseconds: 0, bytes: response.body.count)
                metrics?.record(method: nil, route: 0, status: response.status.code, nanoseconds: 0)
                response.serialize(into: &connection.output, close: true, date: date.bytes, requestID: requestID)
                connection.closeAfterOutput = true
                flush(connection)
            } else {
                close(fd)
            }
        }
    }

    @discardableResult
    private func adopt(_ fd: Int32, gated: Bool) -> Connection? {
        let flags = csystem_EPOLLIN | csystem_EPOLLOUT | csystem_EPOLLRDHUP | csystem_EPOLLET
        guard csystem_epoll_add(epollFD, fd, flags, UInt64(fd)) == 0 else {
            close(fd)
            if gated { gate.release() }
            return nil
        }
        nextConnectionID += 1
        let connection = Connection(
            fd: fd, id: nextConnectionID, gated: gated, limits: configuration.limits,
            headDeadlineAt: now + headNanos)
        let slot = Int(fd)
        if slot >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: slot - connections.count + 64))
        }
        connections[slot] = connection
        liveConnections += 1
        metrics?.setOpenConnections(liveConnections)
        if !gated { rejectedConnections += 1 }
        return connection
    }

    // MARK: - Reading and parsing

    private func readAvailable(_ connection: Connection) {
        connection.readPaused = false
        while true {
            if connection.unconsumedInput >= configuration.limits.maxMessageBytes && !connection.lingering {
                // Full: leave the rest in the kernel (backpressure) until requests are consumed.
                connection.readPaused = true
                break
            }
            let count = read(connection.fd, scratch, Self.readChunk)
            if count > 0 {
                if connection.lingering {
                    if count < Self.readChunk { break }
                    continue
                }
                connection.input.append(contentsOf: UnsafeBufferPointer(start: scratch, count: count))
                // A short read drained the socket; with edge triggering new bytes raise a new event.
                if count < Self.readChunk { break }
                // More is waiting. A head that may be refused by itself is looked at before its body
                // is read (API.md: a request without a valid token is answered from its head).
                if connection.inFlight == nil && !connection.parser.isReadingBody {
                    process(connection)
                    if connection.closeAfterOutput {
                        flush(connection)
                        guard connections[Int(connection.fd)] === connection else { return }
                    }
                }
            } else if count == 0 {
                connection.peerClosed = true
                break
            } else {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK { break }
                closeNow(connection)
                return
            }
        }
        if connection.lingering {
            if connection.peerClosed { closeNow(connection) }
            return
        }
        process(connection)
        flush(connection)
    }

    /// Parses and dispatches buffered requests, one at a time: the next is not started while one is
    /// with the handler, which is what keeps pipelined responses in order.
    private func process(_ connection: Connection) {
        while connection.inFlight == nil && !connection.closeAfterOutput
            && connection.pendingOutput < Self.outputHighWater
        {
            let start = connection.inputStart
            let result = connection.input.withUnsafeBufferPointer { buffer in
                connection.parser.parse(UnsafeBufferPointer(rebasing: buffer[start...]))
            }
            // Consumed: the request is moved out of the result to the handler, not copied.
            switch consume result {
            case .needMoreData:
                waitForInput(connection)
                return
            case .head(let head):
                if refuse(head, on: connection) { return }
            case .sendContinue:
                connection.output.append(contentsOf: HTTPResponse.continueBytes)
            case .request(let request, let consumed):
                connection.consumeInput(consumed)
                dispatch(request, on: connection)
            case .error(let error):
                answerFailure(error, on: connection)
                return
            }
        }
    }

    /// Starts the clock that fits what has arrived so far.
    private func waitForInput(_ connection: Connection) {
        if connection.peerClosed {
            // Nothing more will come: a partial request can never complete.
            connection.closeAfterOutput = true
            return
        }
        if connection.parser.isReadingBody {
            if connection.deadline != .body { connection.setDeadline(.body, at: now + bodyNanos) }
        } else if connection.parser.hasPartialRequest {
            if connection.deadline != .partialHead && connection.deadline != .head {
                connection.setDeadline(.partialHead, at: now + headNanos)
            } else if connection.deadline == .head {
                connection.deadline = .partialHead
            }
        } else if connection.deadline == .none {
            connection.setDeadline(.idle, at: now + idleNanos)
        }
    }

    /// Answers a request the transport itself refuses (a framing error, a limit, a deadline) and
    /// closes: logged with its method and path when its request line was read.
    private func answerFailure(_ error: some HTTPResponseError, on connection: Connection) {
        var response = error.response
        response.closeConnection = true
        let requestID = nextRequestID()
        let line = connection.parser.requestLine
        log.record(
            requestID: requestID, actor: nil, method: line?.method.rawValue, path: line?.path,
            status: response.status.code, nanoseconds: 0, bytes: response.body.count)
        metrics?.record(
            method: line?.method, route: line.map { metricsRouteOfPath($0.path) } ?? 0,
            status: response.status.code, nanoseconds: 0)
        response.serialize(into: &connection.output, close: true, date: date.bytes, requestID: requestID)
        connection.closeAfterOutput = true
    }

    private func nextRequestID() -> RequestID {
        requestCounter += 1
        return RequestID(loop: index, serial: requestCounter)
    }

    /// Makes `request` the connection's request in flight, under a new request id, and returns
    /// that id. The request is only read: copying it here cost ~450 instructions a request.
    private func begin(_ request: borrowing HTTPRequest, on connection: Connection) -> RequestID {
        // API.md: a request's own X-Request-Id is kept when usable, otherwise one is made.
        let requestID = request.headers[RequestID.headerName].flatMap(RequestID.init(given:)) ?? nextRequestID()
        connection.requestSerial += 1
        connection.inFlight = Connection.InFlight(
            serial: connection.requestSerial, method: request.method, path: request.path, version: request.version,
            keepAlive: request.keepAlive, requestID: requestID, startedAt: SystemCall.monotonicNanos())
        connection.setDeadline(.none, at: 0)
        return requestID
    }

    /// Answers a request the handler refuses from its head (`HTTPHandler.screen`) and closes the
    /// connection after the answer: the body stays unread, so nothing after it can be framed.
    private func refuse(_ head: HTTPRequest, on connection: Connection) -> Bool {
        guard var response = handler.screen(head) else { return false }
        _ = begin(head, on: connection)
        response.closeConnection = true
        finish(connection, with: response)
        return true
    }

    private func dispatch(_ request: consuming HTTPRequest, on connection: Connection) {
        request.requestID = begin(request, on: connection)
        let responder = Responder(
            loop: self, fd: connection.fd, connectionID: connection.id, serial: connection.requestSerial)
        handler.handle(request, respond: { response in responder.respond(response) })
        if let response = responder.detach() {
            finish(connection, with: response)
        }
    }

    /// Frames the response of the request in flight into the connection's output.
    private func finish(_ connection: Connection, with response: HTTPResponse) {
        // Taken, not copied: the request in flight ends here (its strings are not retained
        // for this frame and then released with the connection's copy).
        guard let inFlight = connection.inFlight.take() else { return }
        let close = response.closeConnection || !inFlight.keepAlive || shutdownDeadline != nil
        let needed = response.body.count + 1024
        if connection.output.isEmpty && connection.output.capacity < needed && spareOutput.capacity >= needed {
            swap(&connection.output, &spareOutput)
        }
        response.serialize(
            into: &connection.output, close: close,
            keepAlive10: !close && inFlight.version == .http1_0,
            omitBody: inFlight.method == .head, date: date.bytes, requestID: inFlight.requestID)
        let nanoseconds = SystemCall.monotonicNanos() &- inFlight.startedAt
        log.record(
            requestID: inFlight.requestID, actor: response.actor, method: inFlight.method.rawValue,
            path: inFlight.path, status: response.status.code, nanoseconds: nanoseconds,
            bytes: inFlight.method == .head || !response.status.allowsBody ? 0 : response.body.count)
        metrics?.record(
            method: inFlight.method, route: response.metricsRoute ?? 0, status: response.status.code,
            nanoseconds: nanoseconds)
        if close { connection.closeAfterOutput = true }
    }

    /// After a response or drained output: take the next buffered request and write what is ready.
    private func resume(_ connection: Connection) {
        process(connection)
        flush(connection)
        if connections[Int(connection.fd)] === connection && connection.readPaused
            && connection.unconsumedInput < configuration.limits.maxMessageBytes
        {
            readAvailable(connection)
        }
    }

    // MARK: - Writing and closing

    private func flush(_ connection: Connection) {
        while connection.pendingOutput > 0 {
            let start = connection.outputStart
            let written = connection.output.withUnsafeBytes { raw in
                send(connection.fd, raw.baseAddress! + start, raw.count - start, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                connection.outputStart += written
                connection.outputStalledUntil = 0
                continue
            }
            let code = errno
            if written < 0 && code == EINTR { continue }
            if written < 0 && (code == EAGAIN || code == EWOULDBLOCK) {
                // EPOLLOUT resumes; a client that never reads loses the connection after the idle timeout.
                if connection.outputStalledUntil == 0 { connection.outputStalledUntil = now + idleNanos }
                return
            }
            closeNow(connection)
            return
        }
        if connection.output.capacity > Connection.retainedOutputCapacity {
            // Keep the larger of the two big buffers as the loop's spare; drop the other.
            connection.output.removeAll(keepingCapacity: true)
            if connection.output.capacity > spareOutput.capacity { swap(&connection.output, &spareOutput) }
        }
        connection.resetOutput()
        if connection.closeAfterOutput && connection.inFlight == nil && !connection.lingering {
            beginLinger(connection)
        }
    }

    /// Half-closes after the final response and drains the client's remaining bytes for a moment, so
    /// unread input does not turn the close into a reset that destroys the response in flight.
    private func beginLinger(_ connection: Connection) {
        if connection.peerClosed {
            closeNow(connection)
            return
        }
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.lingering = true
        connection.input = []
        connection.inputStart = 0
        connection.setDeadline(.linger, at: now + Self.lingerNanos)
    }

    private func closeNow(_ connection: Connection) {
        let slot = Int(connection.fd)
        guard slot < connections.count, connections[slot] === connection else { return }
        connections[slot] = nil
        close(connection.fd)
        liveConnections -= 1
        metrics?.setOpenConnections(liveConnections)
        if connection.gated {
            gate.release()
        } else {
            rejectedConnections -= 1
        }
    }

    // MARK: - Deadlines and shutdown

    /// Every ~250 ms: expire the clocks of `Connection.Deadline`. A 408 is sent only when part of a
    /// request arrived (the client is waiting for an answer and clients retry 408); a connection that
    /// sent nothing is closed silently, as answering it could race a request the client is just sending.
    private func sweep() {
        if listenerPaused && listenerFD >= 0 {
            listenerPaused = csystem_epoll_add(epollFD, listenerFD, csystem_EPOLLIN, Self.listenerTag) != 0
        }
        for case let connection? in connections {
            if connection.outputStalledUntil != 0 && now >= connection.outputStalledUntil {
                closeNow(connection)
                continue
            }
            guard connection.deadline != .none, now >= connection.deadlineAt else { continue }
            switch connection.deadline {
            case .partialHead, .body:
                connection.setDeadline(.none, at: 0)
                answerFailure(TransportError.requestTimeout, on: connection)
                flush(connection)
            case .head, .idle, .linger:
                closeNow(connection)
            case .none:
                break
            }
        }
    }

    private func beginShutdown(deadline: UInt64) {
        guard shutdownDeadline == nil else { return }
        shutdownDeadline = deadline
        if listenerFD >= 0 {
            close(listenerFD)
            listenerFD = -1
        }
        for case let connection? in connections where !connection.lingering {
            if connection.inFlight == nil && !connection.parser.hasPartialRequest && connection.unconsumedInput == 0 {
                if connection.pendingOutput == 0 {
                    closeNow(connection)
                } else {
                    connection.closeAfterOutput = true
                }
            }
            // Otherwise a request is in flight or arriving: its response carries `Connection: close`.
        }
    }
}
