/// The id the transport logs a request under, `r<loop>-<serial>` (e.g. `r1-000123`): kept as
/// two integers and rendered only when a log line is written, not for every request.
public struct RequestID: Sendable, Hashable, CustomStringConvertible {
    /// The event loop that read the request.
    public let loop: Int
    /// Counts the loop's requests from 1.
    public let serial: Int

    public init(loop: Int, serial: Int) {
        self.loop = loop
        self.serial = serial
    }

    public var description: String {
        let digits = String(serial)
        let padding = String(repeating: "0", count: max(0, 6 - digits.utf8.count))
        return "r\(loop)-\(padding)\(digits)"
    }
}
