import Glibc
import HTTP

/// How `HTTPServer` listens and what it tolerates from clients.
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 picks a free port; `HTTPServer.start()` returns the one bound.
    public var port: Int = 8080
    /// Event-loop threads; one per core by default.
    public var eventLoops: Int = ServerConfiguration.onlineCores
    /// Open connections held at once. Past it, new ones are answered 503 and closed; those already
    /// open keep being served.
    public var maxConnections: Int = 4096
    public var limits: ParserLimits = ParserLimits()
    /// From connection start (or the first byte after an idle keep-alive gap) to the end of the head.
    public var headDeadline: Duration = .seconds(10)
    /// From the end of the head to the end of the body.
    public var bodyDeadline: Duration = .seconds(30)
    /// A keep-alive connection with no request in progress is closed after this long; also bounds how
    /// long a client that stops reading may hold a response.
    public var idleTimeout: Duration = .seconds(60)
    /// One line per request on stderr.
    public var logRequests: Bool = true
    /// How request lines are written (`--log-format`).
    public var logFormat: LogFormat = .text
    /// Where the loops count requests for `/metrics`; `nil` records nothing (`--metrics off`).
    public var metrics: HTTPMetrics?

    public init() {}

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public static var onlineCores: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

extension Duration {
    /// Whole nanoseconds, saturating, for the monotonic clock arithmetic of the event loops.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        guard seconds < 9_000_000_000 else { return UInt64.max / 2 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
