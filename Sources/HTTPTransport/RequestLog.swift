import HTTP

/// Request log lines of one loop, written to stderr once per loop iteration rather than once per
/// request (API.md "Operations"): timestamp, request id, actor, method, path without the query,
/// status, duration and response body bytes. Never headers, bodies, queries or tokens.
///
/// Text: `2026-12-02T10:00:00.123Z info 5f0c2a9e-1-000123 admin GET /api/v2/connections 200 0.412ms 1534B`
/// JSON: `{"ts":…,"level":"info","request_id":…,"actor":…,"method":…,"path":…,"status":200,"duration_ms":0.412,"bytes":1534}`
struct RequestLog {
    let enabled: Bool
    let format: LogFormat
    /// Final responses recorded, logged or not: the shutdown line's count.
    private(set) var answered = 0
    private var buffer: [UInt8] = []
    private var clock = TimestampCache()

    init(enabled: Bool, format: LogFormat) {
        self.enabled = enabled
        self.format = format
        buffer.reserveCapacity(enabled ? 16_384 : 0)
    }

    /// One final response. `method` and `path` are `nil` when the request line was never read
    /// (logged as `-`); `actor` is `nil` before authentication.
    mutating func record(
        requestID: RequestID, actor: String?, method: String?, path: String?, status: Int, nanoseconds: UInt64,
        bytes: Int
    ) {
        answered += 1
        guard enabled else { return }
        var empty: [UInt8] = []
        swap(&empty, &buffer)
        var line = LogLine(
            format: format, timestamp: clock.timestamp(), level: status >= 500 ? "error" : "info", into: empty)
        var id: [UInt8] = []
        requestID.append(to: &id)
        id.withUnsafeBufferPointer { line.add("request_id", utf8: $0) }
        line.add("actor", actor ?? "-")
        line.add("method", method ?? "-")
        line.add("path", path ?? "-")
        line.add("status", status)
        line.addMilliseconds("duration_ms", nanoseconds: nanoseconds)
        line.add("bytes", bytes, suffix: "B")
        line.finish()
        buffer = line.bytes
    }

    var isEmpty: Bool { buffer.isEmpty }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        SystemCall.writeAll(2, buffer)
        buffer.removeAll(keepingCapacity: buffer.capacity <= 65_536)
    }

    /// `2026-12-02T10:00:00.123Z` for now, the calendar part formatted once per second.
    private struct TimestampCache {
        private var second: Int64 = -1
        private var prefix: [UInt8] = []

        mutating func timestamp() -> [UInt8] {
            let milliseconds = WallClock.milliseconds()
            if milliseconds / 1000 != second {
                second = milliseconds / 1000
                // `2026-12-02T10:00:00.` of `2026-12-02T10:00:00.000Z`.
                prefix = Array(UTCTimestamp.format(millisecondsSinceEpoch: second * 1000).utf8.dropLast(4))
            }
            var stamp = prefix
            let fraction = Int(milliseconds % 1000)
            stamp.append(UInt8(ascii: "0") + UInt8(fraction / 100))
            stamp.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
            stamp.append(UInt8(ascii: "0") + UInt8(fraction % 10))
            stamp.append(UInt8(ascii: "Z"))
            return stamp
        }
    }
}
