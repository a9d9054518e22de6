/// Request log lines of one loop, written to stderr once per loop iteration rather than once per
/// request. Method, path without the query, status, duration and request id only: never headers,
/// bodies or tokens.
struct RequestLog {
    let enabled: Bool
    private var buffer: [UInt8] = []

    init(enabled: Bool) {
        self.enabled = enabled
        buffer.reserveCapacity(enabled ? 16_384 : 0)
    }

    mutating func record(method: String, path: String, status: Int, nanoseconds: UInt64, requestID: RequestID) {
        guard enabled else { return }
        let micros = nanoseconds / 1000
        let fraction = micros % 1000
        let fractionText = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        buffer.append(contentsOf: "\(method) \(path) \(status) \(micros / 1000).\(fractionText)ms \(requestID)\n".utf8)
    }

    var isEmpty: Bool { buffer.isEmpty }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        SystemCall.writeAll(2, buffer)
        buffer.removeAll(keepingCapacity: buffer.capacity <= 65_536)
    }
}
