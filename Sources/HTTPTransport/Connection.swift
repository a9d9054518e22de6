import HTTP

/// One client socket and its state. Owned by exactly one `EventLoop` and touched only on its thread.
final class Connection {
    /// Which clock is running on the connection (see `EventLoop.sweep`).
    enum Deadline {
        /// No request in progress and nothing to read yet: the head deadline of a fresh connection.
        case head
        /// Some of a request's head has arrived.
        case partialHead
        case body
        /// A keep-alive connection between requests.
        case idle
        /// Half-closed after a final response, draining what the client still sends.
        case linger
        /// The handler has the request; its time is not the client's fault.
        case none
    }

    /// The request handed to the handler, kept for the response framing and the log line.
    struct InFlight {
        let serial: UInt64
        let method: HTTPMethod
        let path: String
        let version: HTTPVersion
        let keepAlive: Bool
        let requestID: RequestID
        let startedAt: UInt64
    }

    let fd: Int32
    let id: UInt64
    /// Counted against `maxConnections`; false for over-cap connections that only get a 503.
    let gated: Bool
    var parser: HTTPRequestParser
    var input: [UInt8] = []
    var inputStart = 0
    var output: [UInt8] = []
    var outputStart = 0
    var inFlight: InFlight?
    var requestSerial: UInt64 = 0
    /// No more requests will be read; close once `output` is written.
    var closeAfterOutput = false
    var lingering = false
    /// The client shut down its sending side (read returned 0).
    var peerClosed = false
    /// Reading stopped with input possibly left in the socket (edge-triggered epoll will not repeat it).
    var readPaused = false
    var deadline: Deadline = .head
    var deadlineAt: UInt64
    /// When a client that stops reading forfeits its connection (0: output is not blocked).
    var outputStalledUntil: UInt64 = 0

    init(fd: Int32, id: UInt64, gated: Bool, limits: ParserLimits, headDeadlineAt: UInt64) {
        self.fd = fd
        self.id = id
        self.gated = gated
        parser = HTTPRequestParser(limits: limits)
        deadlineAt = headDeadlineAt
    }

    var unconsumedInput: Int { input.count - inputStart }
    var pendingOutput: Int { output.count - outputStart }

    func setDeadline(_ kind: Deadline, at time: UInt64) {
        deadline = kind
        deadlineAt = time
    }

    /// Drops consumed input; compacts only when it pays, and lets a large buffer go once drained.
    func consumeInput(_ count: Int) {
        inputStart += count
        if inputStart == input.count {
            if input.capacity > 65_536 {
                input = []
            } else {
                input.removeAll(keepingCapacity: true)
            }
            inputStart = 0
        } else if inputStart > 32_768 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    /// Output capacity a connection keeps between responses: single connections fit; a list
    /// page's buffer goes back to the loop's spare (64 idle keep-alive connections holding
    /// 78 KB pages cost 6 MiB of RSS, issue 5).
    static let retainedOutputCapacity = 16_384

    func resetOutput() {
        if output.capacity > Self.retainedOutputCapacity {
            output = []
        } else {
            output.removeAll(keepingCapacity: true)
        }
        outputStart = 0
        outputStalledUntil = 0
    }
}
