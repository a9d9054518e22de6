/// Diagnostic lines on stderr (never on a hot path: request lines are logged, batched, by
/// the transport). Callers pass messages that never contain tokens, secrets, bodies or
/// bound SQL values (STYLE.md).
enum Log {
    static func error(_ message: String) {
        write("error: " + message)
    }

    static func info(_ message: String) {
        write(message)
    }

    private static func write(_ line: String) {
        StandardStreams.write(line + "\n", to: StandardStreams.error)
    }
}
